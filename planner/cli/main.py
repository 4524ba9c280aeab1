"""The command line's parser and entry point: ``python -m planner <command> ...``.

Each command group lives in its own module, imported here by name (a misspelt module is an
ImportError, never a silently missing command): :mod:`planner.cli.db` (``db upgrade``, ``db
status``), :mod:`planner.cli.data` (``baseline``, ``sources``), :mod:`planner.cli.engine`
(``levers``, ``project``, ``goalseek``, ``backtest``), :mod:`planner.cli.scenario`
(``scenario save | show | list | delete``) and :mod:`planner.export.cli` (``export``). Each
defines ``register(subparsers)``, which adds its subcommands and sets ``func`` on each (a
function of the parsed arguments returning the exit code). A command reports a problem by
raising; :func:`main` turns any exception into one line on stderr and a non-zero exit code,
never a traceback (``PLANNER_DEBUG=1`` shows it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence

import duckdb

from planner.cli import data, db, engine, scenario
from planner.cli.common import EXIT_ERROR, CommandError, add_text_argument, join_text_values
from planner.dataset import DataValidationError
from planner.export import cli as export
from planner.store import StoreError

COMMAND_GROUPS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    db.register, data.register, engine.register, scenario.register, export.register)
"""The ``register`` function of each command group, in the order ``--help`` shows them."""


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every command of :data:`COMMAND_GROUPS`.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="python -m planner",
        description="Scenario planner for Quảng Ninh's digital transformation.",
    )
    add_text_argument(parser, "--db", metavar="ADDRESS",
                      help="the database: a DuckDB file or a postgresql:// address "
                           "(default: PLANNER_DB or var/planner.duckdb)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in COMMAND_GROUPS:
        register(subparsers)
    return parser


def _error(message: str) -> int:
    first, *rest = str(message).strip().splitlines() or ["unknown error"]
    print(f"error: {first}", file=sys.stderr)
    for line in rest:
        print(f"  {line.strip()}", file=sys.stderr)
    return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The exit code: 0 on success, 1 on an error (printed to stderr), 2 on a usage error.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8")
    parser = build_parser()
    try:
        args = parser.parse_args(join_text_values(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # usage errors (2) and --help (0)
        return int(exc.code) if isinstance(exc.code, int) else EXIT_ERROR
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # The reader went away (``| head``): silence the final flush of stdout.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:
        return _error("interrupted")
    except (DataValidationError, StoreError, CommandError, export.ExportError) as exc:
        if os.environ.get("PLANNER_DEBUG"):
            raise
        return _error(str(exc))
    except (duckdb.Error, OSError, ValueError, KeyError, LookupError) as exc:
        if os.environ.get("PLANNER_DEBUG"):
            raise
        return _error(f"{type(exc).__name__}: {exc}")
    except Exception as exc:
        if os.environ.get("PLANNER_DEBUG"):
            raise
        return _error(f"unexpected {type(exc).__name__}: {exc}")
