"""Helpers every command uses: the store, output formats and the error a command raises."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any, TextIO

import pandas as pd

from planner.csvsafe import write_csv
from planner.simulation import MAX_DRAWS, MAX_SEED
from planner.store import Store, open_store

EXIT_ERROR = 1
"""Exit code of a command that failed (argparse's usage errors exit 2)."""


class CommandError(Exception):
    """A command cannot do what was asked; the message is shown to the user as is."""


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


def check_simulation(draws: int, seed: int) -> tuple[int, int]:
    """Check ``--draws`` and ``--seed`` against the limits of :mod:`planner.simulation`.

    Parameters
    ----------
    draws, seed : int

    Returns
    -------
    tuple of int
        ``(draws, seed)``.

    Raises
    ------
    CommandError
        When either is out of range.
    """
    if not 1 <= draws <= MAX_DRAWS:
        raise CommandError(f"--draws must be between 1 and {MAX_DRAWS}, got {draws}")
    if not 0 <= seed <= MAX_SEED:
        raise CommandError(f"--seed must be between 0 and {MAX_SEED}, got {seed}")
    return draws, seed


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
    """Print a frame as CSV (with header; text cells that a spreadsheet would run as a formula
    are written as text, see :mod:`planner.csvsafe`) or as a JSON list of objects.

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
        write_csv(frame, out)
