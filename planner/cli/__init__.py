"""The command line, one module per command group (see :mod:`planner.cli.main`).

``from planner.cli import main`` gives the entry point (so the attribute ``planner.cli.main`` is
that function; the module is ``importlib.import_module("planner.cli.main")``).
:mod:`planner.cli.common` holds what the commands share.
"""

from planner.cli.common import CommandError, store_from_args, write_frame
from planner.cli.main import build_parser, main

__all__ = ["CommandError", "build_parser", "main", "store_from_args", "write_frame"]
