"""The ``export`` command: ``python -m planner export --format FMT --out PATH``.

``--scenario ID`` exports a saved scenario exactly as stored (or a built-in one); otherwise the
baseline plus each ``--set LEVER@YEAR=VALUE`` is computed on the current data. ``png`` and
``svg`` write a ZIP of every outcome's chart, or one chart with ``--indicator``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.i18n import LANGS
from planner.problems import problem_text

EXIT_OK = 0


class ExportError(Exception):
    """The export cannot be made; the message says why (the command line prints it as is)."""


def bundle_from_args(args: argparse.Namespace):
    """The bundle the arguments ask for.

    Parameters
    ----------
    args : argparse.Namespace
        ``scenario``, ``set``, ``lang`` and the global ``db``.

    Returns
    -------
    planner.export.bundle.ExportBundle

    Raises
    ------
    ExportError
        ``--scenario`` together with ``--set``, bad settings or an unknown id (every problem
        on a line of its own).
    """
    from planner.engine import load_model
    from planner.export.bundle import from_model, from_saved
    from planner.saved import SavedScenarioError
    from planner.scenario import ScenarioError, parse_set_args
    from planner.store import open_store

    if args.scenario and args.set:
        raise ExportError("--scenario exports a scenario as saved; it cannot take --set")
    store = open_store(getattr(args, "db", None) or None)
    try:
        if args.scenario:
            return from_saved(store, args.scenario, args.lang,
                              model_loader=lambda version: load_model(store, version))
        model = load_model(store)
        scenario = model.validate(parse_set_args(args.set or []))
    except (ScenarioError, SavedScenarioError) as exc:
        head = ["invalid scenario:"] if isinstance(exc, ScenarioError) else []
        raise ExportError("\n".join(head + [problem_text(p, "en") for p in exc.problems])) from exc
    return from_model(model, scenario, args.lang)


def run(args: argparse.Namespace) -> int:
    """Write the export named by the arguments to ``--out``.

    Parameters
    ----------
    args : argparse.Namespace

    Returns
    -------
    int
        0; failures raise (the CLI prints one line and exits non-zero).
    """
    from planner.export import render
    from planner.export.images import chart_image

    bundle = bundle_from_args(args)
    if args.indicator:
        if args.format not in ("png", "svg"):
            raise ExportError("--indicator goes with --format png or svg")
        known = list(dict.fromkeys(bundle.outcomes["indicator"]))
        if args.indicator not in known:
            raise ExportError(f"unknown indicator {args.indicator!r}; known: {', '.join(known)}")
        data = chart_image(bundle, args.indicator, args.format)
    else:
        data = render(bundle, args.format)
    out = Path(args.out)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
    print(f"{out} ({len(data):,} bytes)")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` command.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        From ``ArgumentParser.add_subparsers``.
    """
    from planner.cli.common import add_text_argument, set_help  # planner.cli imports this
    from planner.export import FORMATS

    p = subparsers.add_parser(
        "export", help="export a briefing: slides, PDF, Excel, chart images or CSV",
        description=__doc__)
    p.add_argument("--format", required=True, choices=FORMATS, help="what to write")
    p.add_argument("--scenario", metavar="ID",
                   help="a saved or built-in scenario, exported exactly as stored")
    p.add_argument("--set", action="append", metavar="LEVER@YEAR=VALUE", help=set_help())
    p.add_argument("--lang", choices=LANGS, default="vi", help="language (default vi)")
    p.add_argument("--indicator", metavar="ID",
                   help="with png or svg: only this outcome's chart (one image, not a ZIP)")
    add_text_argument(p, "--out", required=True, metavar="PATH", help="the file to write")
    p.set_defaults(func=run)
