"""Data commands: ``baseline`` and ``sources``."""

from __future__ import annotations

import argparse

from planner.cli.common import add_format_argument, store_from_args, write_frame


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
    """Add ``baseline`` and ``sources``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        From ``parser.add_subparsers()``.
    """
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
