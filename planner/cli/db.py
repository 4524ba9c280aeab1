"""Database commands: ``db upgrade`` and ``db status``."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner import config
from planner.cli.common import store_from_args
from planner.dataset import DataValidationError, dataset_hash


def run_db_upgrade(args: argparse.Namespace) -> int:
    """Migrate the database and load the data folder; print the dataset version.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of the command.

    Returns
    -------
    int
        The exit code (0); failures raise and :func:`main` reports them.
    """
    store = store_from_args(args)
    applied = store.migrate()
    if applied:
        print(f"schema: applied migration(s) {', '.join(map(str, applied))}")
    data = Path(args.data_dir) if args.data_dir else config.data_dir()
    report = store.load_dataset(data)
    print(report.describe())
    return 0


def run_db_status(args: argparse.Namespace) -> int:
    """Print the schema version, the current dataset and every stored version.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of the command.

    Returns
    -------
    int
        The exit code (0); failures raise and :func:`main` reports them.
    """
    store = store_from_args(args)
    store.check_integrity()
    print(f"database: {store.path}")
    print(f"schema version: {store.schema_version()}")
    versions = store.dataset_versions()
    current = next((v["version"] for v in versions if v["is_current"]), None)
    print(f"current dataset: {current or 'none (run `python -m planner db upgrade`)'}")
    data = Path(args.data_dir) if args.data_dir else config.data_dir()
    try:
        on_disk = dataset_hash(data)
    except DataValidationError:
        on_disk = None
    if on_disk is None:
        print(f"data folder: {data} (not found)")
    elif on_disk == current:
        print(f"data folder: {data} (version {on_disk}, loaded and current)")
    else:
        print(f"data folder: {data} (version {on_disk}, not current: run `python -m planner db upgrade`)")
    for v in versions:
        counts = ", ".join(f"{k}={n}" for k, n in v["row_counts"].items())
        mark = "  (current)" if v["is_current"] else ""
        print(f"  {v['version']}  loaded {v['loaded_at']:%Y-%m-%d %H:%M:%S} UTC  {counts}{mark}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``db upgrade`` and ``db status``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        From ``parser.add_subparsers()``.
    """
    db = subparsers.add_parser("db", help="create, upgrade and inspect the database")
    db_commands = db.add_subparsers(dest="db_command", metavar="{upgrade,status}", required=True)
    upgrade = db_commands.add_parser(
        "upgrade", help="apply schema migrations and load the data folder as the current dataset"
    )
    status = db_commands.add_parser("status", help="show the schema and dataset versions")
    for parser, func in ((upgrade, run_db_upgrade), (status, run_db_status)):
        parser.add_argument(
            "--data-dir", help="the data folder (default: PLANNER_DATA_DIR or the repository's data/)"
        )
        parser.set_defaults(func=func)
