"""Data commands: ``baseline`` and ``sources``."""

from __future__ import annotations

import argparse

from planner.cli.common import add_dataset_version_argument, add_format_argument, print_frame


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
    return print_frame(args, lambda store: store.baseline(version=args.dataset_version,
                                                          indicator=args.indicator))


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
    return print_frame(args, lambda store: store.sources(version=args.dataset_version))


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
    add_dataset_version_argument(baseline)
    baseline.set_defaults(func=run_baseline)

    sources = subparsers.add_parser("sources", help="list the sources with how many values each backs")
    add_format_argument(sources)
    add_dataset_version_argument(sources)
    sources.set_defaults(func=run_sources)
