"""The command line: ``python -m planner <command> ...``.

Commands are registered, not hard-wired: every module named in :data:`COMMAND_MODULES` defines
``register(subparsers)``, which adds its subcommands and sets ``func`` on each parser (a function
of the parsed arguments returning the exit code). Modules not yet written are skipped. A command
reports a problem by raising; :func:`main` turns any exception into one line on stderr and a
non-zero exit code, never a traceback (``PLANNER_DEBUG=1`` shows it).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import duckdb
import pandas as pd

from planner import config
from planner.dataset import DataValidationError, dataset_hash
from planner.store import Store, StoreError, open_store

COMMAND_MODULES: tuple[str, ...] = ("planner.cli", "planner.cli_engine", "planner.cli_scenario")
"""Modules whose ``register(subparsers)`` adds commands, in the order shown by ``--help``."""

EXIT_ERROR = 1
"""Exit code of a command that failed (argparse's usage errors exit 2)."""


class CommandError(Exception):
    """A command cannot do what was asked; the message is shown to the user as is."""


# -- helpers for commands ------------------------------------------------------------------


def store_from_args(args: argparse.Namespace) -> Store:
    """Return the store named by ``--db`` or, by default, ``PLANNER_DB`` (see ``open_store``).

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments, with the global ``db`` option.

    Returns
    -------
    planner.store.Store
    """
    return open_store(getattr(args, "db", None) or None)


def add_format_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--format csv|json`` (default csv) to a command.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    """
    parser.add_argument(
        "--format", choices=("csv", "json"), default="csv", help="output format (default: csv)"
    )


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the rows of a frame as plain JSON-ready dicts (missing values become None).

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    list of dict
    """
    records = []
    for row in frame.to_dict(orient="records"):
        clean = {}
        for key, value in row.items():
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                clean[str(key)] = None
            elif hasattr(value, "item"):
                clean[str(key)] = value.item()
            else:
                clean[str(key)] = value
        records.append(clean)
    return records


def write_frame(frame: pd.DataFrame, fmt: str, out: TextIO | None = None) -> None:
    """Print a frame as CSV (with header) or as a JSON list of objects.

    Parameters
    ----------
    frame : pandas.DataFrame
    fmt : {"csv", "json"}
    out : text stream, optional
        Defaults to ``sys.stdout``.
    """
    out = out if out is not None else sys.stdout
    if fmt == "json":
        json.dump(json_records(frame), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        frame.to_csv(out, index=False, lineterminator="\n")


# -- built-in commands ---------------------------------------------------------------------


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


def run_baseline(args: argparse.Namespace) -> int:
    """Print the tidy baseline (observations) of the current or chosen dataset version.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of the command.

    Returns
    -------
    int
        The exit code (0); failures raise and :func:`main` reports them.
    """
    frame = store_from_args(args).baseline(version=args.dataset_version, indicator=args.indicator)
    write_frame(frame, args.format)
    return 0


def run_sources(args: argparse.Namespace) -> int:
    """Print the sources with how many values each backs.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of the command.

    Returns
    -------
    int
        The exit code (0); failures raise and :func:`main` reports them.
    """
    frame = store_from_args(args).sources(version=args.dataset_version)
    write_frame(frame, args.format)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the built-in commands: ``db upgrade``, ``db status``, ``baseline``, ``sources``.

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

    baseline = subparsers.add_parser("baseline", help="print the tidy baseline from the database")
    add_format_argument(baseline)
    baseline.add_argument("--indicator", metavar="ID", help="only this indicator")
    baseline.add_argument(
        "--dataset-version", metavar="VERSION", help="a stored dataset version (default: current)"
    )
    baseline.set_defaults(func=run_baseline)

    sources = subparsers.add_parser("sources", help="list the sources with how many values each backs")
    add_format_argument(sources)
    sources.add_argument(
        "--dataset-version", metavar="VERSION", help="a stored dataset version (default: current)"
    )
    sources.set_defaults(func=run_sources)


# -- the parser and the entry point --------------------------------------------------------


def build_parser(modules: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Build the argument parser with the commands of every available module.

    Parameters
    ----------
    modules : sequence of str, optional
        Module names whose ``register(subparsers)`` adds commands (default
        :data:`COMMAND_MODULES`); modules that do not exist yet are skipped.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="python -m planner",
        description="Scenario planner for Quảng Ninh's digital transformation.",
    )
    parser.add_argument("--db", metavar="PATH", help="the DuckDB file (default: PLANNER_DB or var/planner.duckdb)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES if modules is None else modules:
        if name == __name__:
            register(subparsers)
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            print(f"warning: commands of {name} are unavailable: {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # a broken module must not take the other commands down
            print(f"warning: commands of {name} are unavailable: {exc}", file=sys.stderr)
            continue
        module.register(subparsers)
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
        args = parser.parse_args(argv)
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
    except (DataValidationError, StoreError, CommandError) as exc:
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
