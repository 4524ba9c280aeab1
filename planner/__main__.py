"""``python -m planner``: the command line (see :mod:`planner.cli`)."""

from planner.cli import main

raise SystemExit(main())
