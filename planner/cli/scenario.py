"""Saved-scenario commands: ``scenario save | show | list | delete``.

Output is plain CSV or JSON. JSON holds names and notes exactly as saved; in CSV, a text cell
that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) is
written with a leading ``'`` (:mod:`planner.csvsafe`). Problems raise
:class:`planner.cli.common.CommandError`, which :func:`planner.cli.main.main` prints as one
message on stderr with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import pandas as pd

from planner.cli.common import (
    CommandError,
    add_format_argument,
    add_set_argument,
    add_text_argument,
    read_scenario_json,
    store_from_args,
    write_frame,
    write_json,
)
from planner.cli.engine import targets_for_csv
from planner.csvsafe import write_rows
from planner.documents import scenario_document, scenario_meta, scenario_register
from planner.engine import load_model
from planner.i18n import LANGS
from planner.problems import Problem, problem_text
from planner.saved import (
    PAGE_MAX,
    SavedScenarioError,
    get_scenario,
    list_scenarios,
    open_scenario,
    save_scenario,
    snapshot_frames,
)
from planner.saved import (
    delete_scenario as delete_saved_scenario,
)
from planner.scenario import SHAPES, ScenarioError, parse_set_args
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED


def _fail(exc: ScenarioError | SavedScenarioError) -> CommandError:
    lines = [problem_text(p, "en") for p in exc.problems]
    head = ["invalid scenario:"] if isinstance(exc, ScenarioError) else []
    return CommandError("\n".join(head + lines))


def _raw_scenario(args: argparse.Namespace, base: dict[str, Any]) -> dict[str, Any]:
    """The settings to save: ``base`` (the parent's, or empty), replaced by ``--scenario``,
    then each ``--set`` on top."""
    raw = {"levers": {k: dict(v) for k, v in (base.get("levers") or {}).items()},
           "overrides": dict(base.get("overrides") or {})}
    if args.scenario_json:
        raw = read_scenario_json(args.scenario_json)
    items = parse_set_args(args.set or [])
    levers = raw.get("levers")
    if levers is None and items["levers"]:
        levers = raw["levers"] = {}
    if items["levers"] and not isinstance(levers, dict):
        raise ScenarioError([Problem("--scenario", "bad_shape", {"shape": SHAPES["scenario"]})])
    for lid, path in items["levers"].items():
        current = levers.get(lid)
        merged = dict(current) if isinstance(current, dict) else {}
        merged.update(path)
        levers[lid] = merged
    return raw


def run_save(args: argparse.Namespace) -> int:
    """Save a scenario; print its id, owner token and link as JSON.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of the command.

    Returns
    -------
    int
        The exit code (0); failures raise.
    """
    store = store_from_args(args)
    try:
        base: dict[str, Any] = {}
        if args.parent:
            base = get_scenario(store, args.parent).settings
        model = load_model(store)
        saved, token = save_scenario(
            store, model, _raw_scenario(args, base), args.name, note=args.note,
            author=args.author, lang=args.lang, parent_id=args.parent, draws=args.draws,
            seed=args.seed)
    except (ScenarioError, SavedScenarioError) as exc:
        raise _fail(exc) from None
    write_json({"id": saved.id, "owner_token": token, "link": saved.link,
           "parent_id": saved.parent_id, "dataset_version": saved.dataset_version,
           "model_version": saved.model_version})
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print a saved or built-in scenario and its saved numbers.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of the command.

    Returns
    -------
    int
        The exit code (0); failures raise.
    """
    store = store_from_args(args)
    try:
        opened = open_scenario(store, args.id)
    except (ScenarioError, SavedScenarioError) as exc:
        raise _fail(exc) from None
    if args.format == "json":
        write_json(scenario_document(store, opened, args.lang))
        return 0
    meta = scenario_meta(opened, args.lang)
    outcomes, stored = snapshot_frames(opened.snapshot)
    targets = scenario_register(store, opened, outcomes, stored)
    rows: list[list] = [["field", "value"]]
    for key, value in meta.items():
        if isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        rows.append([key, value])
    write_rows(rows, sys.stdout)
    sys.stdout.write("\n# outcomes\n")
    write_frame(outcomes, "csv")
    sys.stdout.write("\n# targets\n")
    write_frame(targets_for_csv(targets), "csv")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """List saved scenarios, newest first.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of the command.

    Returns
    -------
    int
        The exit code (0); failures raise.
    """
    try:
        rows, total = list_scenarios(store_from_args(args), args.search, args.limit, args.offset)
    except SavedScenarioError as exc:
        raise _fail(exc) from None
    records = [r.to_dict() for r in rows]
    if args.format == "json":
        write_json({"total": total, "limit": args.limit, "offset": args.offset, "scenarios": records})
        return 0
    columns = ["id", "name", "author", "lang", "created_at", "dataset_version",
               "model_version", "parent_id", "note", "link"]
    write_frame(pd.DataFrame(records, columns=columns), "csv")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """Delete a saved scenario with its owner token.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments of the command.

    Returns
    -------
    int
        The exit code (0); failures raise.
    """
    token = sys.stdin.readline().strip() if args.token == "-" else args.token
    try:
        delete_saved_scenario(store_from_args(args), args.id, token)
    except SavedScenarioError as exc:
        raise _fail(exc) from None
    write_json({"deleted": args.id})
    return 0


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{n} is negative")
    return n


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``scenario save``, ``scenario show``, ``scenario list`` and ``scenario delete``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        From ``parser.add_subparsers()``.
    """
    scenario = subparsers.add_parser("scenario", help="save, show, list and delete saved scenarios")
    commands = scenario.add_subparsers(dest="scenario_command",
                                       metavar="{save,show,list,delete}", required=True)

    p = commands.add_parser("save", help="save a scenario; prints its id, owner token and link")
    add_text_argument(p, "--name", required=True, help="name (1 to 120 characters)")
    add_text_argument(p, "--note", default="",
                      help="note: what the scenario assumes (up to 2000 characters)")
    add_text_argument(p, "--author", default="", help="author (optional)")
    p.add_argument("--lang", choices=LANGS, default="vi", help="the author's language (default vi)")
    p.add_argument("--parent", metavar="ID",
                   help="the saved scenario this edits: its settings are the starting point")
    add_set_argument(p)
    p.add_argument("--scenario", dest="scenario_json", metavar="JSON",
                   help='the whole settings: {"levers": {...}, "overrides": {...}} (--set applies on top)')
    p.add_argument("--draws", type=int, default=DEFAULT_DRAWS,
                   help=f"Monte Carlo draws of the saved numbers (default {DEFAULT_DRAWS})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.set_defaults(func=run_save)

    p = commands.add_parser("show", help="print a saved or built-in scenario and its saved numbers")
    p.add_argument("id", help="a saved id or a built-in id (baseline, plan_targets, cautious)")
    add_format_argument(p)
    p.add_argument("--lang", choices=LANGS, default="vi",
                   help="language of a built-in scenario's name and note (default vi)")
    p.set_defaults(func=run_show)

    p = commands.add_parser("list", help="list saved scenarios, newest first")
    add_text_argument(p, "--search", metavar="TEXT", help="only names containing TEXT (any case)")
    p.add_argument("--limit", type=_positive, default=20, help=f"page size, 1 to {PAGE_MAX} (default 20)")
    p.add_argument("--offset", type=_positive, default=0, help="rows to skip (default 0)")
    add_format_argument(p)
    p.set_defaults(func=run_list)

    p = commands.add_parser("delete", help="delete a saved scenario with its owner token")
    p.add_argument("id", help="the saved scenario's id")
    add_text_argument(p, "--token", required=True,
                      help="the owner token printed by save ('-' reads it from stdin)")
    p.set_defaults(func=run_delete)
