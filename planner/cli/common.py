"""Helpers every command uses: the store, shared options, output formats and the error a
command raises."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from typing import Any, TextIO

import pandas as pd

from planner.csvsafe import write_csv
from planner.horizon import SETTABLE_YEARS
from planner.problems import Problem
from planner.scenario import SHAPES, ScenarioError, json_problem
from planner.simulation import MAX_DRAWS, MAX_SEED
from planner.store import Store, open_store

EXIT_ERROR = 1
"""Exit code of a command that failed (argparse's usage errors exit 2)."""


class CommandError(Exception):
    """A command cannot do what was asked; the message is shown to the user as is."""


def store_from_args(args: argparse.Namespace) -> Store:
    """Return the store named by ``--db`` or, by default, ``PLANNER_DB`` (see ``open_store``).

    A command that waits long for its turn on the database says so on stderr
    (:func:`print_wait`) and keeps waiting.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments, with the global ``db`` option.

    Returns
    -------
    planner.store.Store
    """
    return open_store(getattr(args, "db", None) or None, wait_notice=print_wait)


def print_wait(ahead: int, waited: float) -> None:
    """Say on stderr that the command is waiting for the database, behind how many others.

    Parameters
    ----------
    ahead : int
        Operations ahead in the line.
    waited : float
        Seconds waited so far.
    """
    print(f"waiting for the database: {ahead} ahead ({waited:.0f} s so far)", file=sys.stderr,
          flush=True)


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


def add_dataset_version_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--dataset-version VERSION`` (default: the current dataset) to a command.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    """
    parser.add_argument(
        "--dataset-version", metavar="VERSION", help="a stored dataset version (default: current)"
    )


def add_set_argument(parser: argparse.ArgumentParser) -> None:
    """Add the repeatable ``--set LEVER@YEAR=VALUE`` to a command.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    """
    years = " or ".join(map(str, SETTABLE_YEARS)) or "a year ahead"
    parser.add_argument("--set", action="append", metavar="LEVER@YEAR=VALUE",
                        help=f"set a lever's value in {years} (repeatable)")


def read_scenario_json(text: str) -> dict[str, Any]:
    """Read the ``--scenario`` option: a JSON object.

    Parameters
    ----------
    text : str

    Returns
    -------
    dict

    Raises
    ------
    planner.scenario.ScenarioError
        When the text is not JSON, or not an object.
    """
    try:
        given = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError([json_problem("--scenario", exc)]) from None
    if not isinstance(given, dict):
        raise ScenarioError([Problem("--scenario", "bad_shape", {"shape": SHAPES["scenario"]})])
    return given


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
    if fmt == "json":
        write_json(json_records(frame), out)
    else:
        write_csv(frame, out if out is not None else sys.stdout)


def write_json(doc: Any, out: TextIO | None = None) -> None:
    """Print a JSON document, indented, non-ASCII text as is, with a final newline.

    Parameters
    ----------
    doc : JSON-ready object
    out : text stream, optional
        Defaults to ``sys.stdout``.
    """
    out = out if out is not None else sys.stdout
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")


def print_frame(args: argparse.Namespace,
                build: Callable[[Store], pd.DataFrame]) -> int:
    """Open the store named by the arguments, build a frame from it and print it in the
    format chosen with ``--format`` (see :func:`write_frame`).

    Parameters
    ----------
    args : argparse.Namespace
        Parsed arguments, with ``db`` and ``format``.
    build : callable
        ``build(store)``: the frame to print.

    Returns
    -------
    int
        The exit code (0); failures raise and :func:`planner.cli.main.main` reports them.
    """
    write_frame(build(store_from_args(args)), args.format)
    return 0
