"""``python -m planner``: the command line (see :mod:`planner.cli.main`)."""

from planner.cli.main import main

raise SystemExit(main())
