"""Helpers every command uses: the store, shared options, output formats and the error a
command raises.

Free text on the command line (a name, a note, an author, a search, a token, a path) may begin
with ``-``: ``scenario save --note -2``, ``--author -x``, ``db import f.csv --note "-- why"``.
argparse alone takes such a word for an option; every option of :data:`TEXT_OPTIONS` is added
with :func:`add_text_argument`, and :func:`join_text_values` joins each with the word after it
(``--note=-2``) before parsing, so the word after a text option is always its value."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import pandas as pd

from planner.csvsafe import write_csv
from planner.documents import json_records
from planner.horizon import END_YEAR, settable_years
from planner.problems import Problem
from planner.scenario import SHAPES, ScenarioError, json_problem
from planner.simulation import MAX_DRAWS, MAX_SEED
from planner.store import Store, open_store

EXIT_ERROR = 1
"""Exit code of a command that failed (argparse's usage errors exit 2)."""


TEXT_OPTIONS: tuple[str, ...] = (
    "--name", "--note", "--author", "--search", "--token", "--db", "--data-dir", "--out")
"""Options whose value is free text or a path, and so may begin with ``-``."""

END_OF_OPTIONS = "--"
"""argparse's end of options: every word after it is a positional argument."""


class CommandError(Exception):
    """A command cannot do what was asked; the message is shown to the user as is."""


def add_text_argument(parser: argparse.ArgumentParser, option: str, **kwargs: Any) -> None:
    """Add an option of :data:`TEXT_OPTIONS` to a command, taking one value.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    option : str
        One of :data:`TEXT_OPTIONS`.
    **kwargs
        As for ``add_argument`` (``help``, ``default``, ``required``, ``metavar``).

    Raises
    ------
    ValueError
        When ``option`` is not in :data:`TEXT_OPTIONS` (its value would not be joined).
    """
    if option not in TEXT_OPTIONS:
        raise ValueError(f"{option} is not one of TEXT_OPTIONS")
    parser.add_argument(option, **kwargs)


def join_text_values(argv: Sequence[str]) -> list[str]:
    """Join each option of :data:`TEXT_OPTIONS` with the word after it (``--note=-2``).

    A separate value that begins with ``-`` is read by argparse as an option; joined, it is the
    value. A bare ``--`` stays argparse's end of options (it is never a value), and the words
    after it are left as they are.

    Parameters
    ----------
    argv : sequence of str
        The arguments, without the program's name.

    Returns
    -------
    list of str
    """
    words = list(argv)
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word == END_OF_OPTIONS:
            return out + words[i:]
        if word in TEXT_OPTIONS and i + 1 < len(words) and words[i + 1] != END_OF_OPTIONS:
            out.append(f"{word}={words[i + 1]}")
            i += 2
        else:
            out.append(word)
            i += 1
    return out


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


def set_help() -> str:
    """The help of ``--set``: the years a lever can be set in today, or that none can be."""
    years = settable_years()
    if not years:
        return (f"set a lever's value in a year ahead (repeatable); none is left: {END_YEAR}, "
                "the plan's last year, has begun")
    return f"set a lever's value in {' or '.join(map(str, years))} (repeatable)"


def add_set_argument(parser: argparse.ArgumentParser) -> None:
    """Add the repeatable ``--set LEVER@YEAR=VALUE`` to a command (help: :func:`set_help`).

    Parameters
    ----------
    parser : argparse.ArgumentParser
    """
    parser.add_argument("--set", action="append", metavar="LEVER@YEAR=VALUE", help=set_help())


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
