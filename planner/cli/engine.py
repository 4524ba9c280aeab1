"""Engine commands: ``levers``, ``project``, ``goalseek``, ``backtest``."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from planner.cli.common import (
    CommandError,
    add_dataset_version_argument,
    add_format_argument,
    add_set_argument,
    check_simulation,
    json_records,
    print_frame,
    read_scenario_json,
    store_from_args,
    write_frame,
    write_json,
)
from planner.contributions import contributions
from planner.documents import lever_table, projection_document, projection_frames
from planner.engine import load_model
from planner.goalseek import GOAL_OUTCOMES, GoalSeekError, goal_outcomes, goal_seek, parse_goal
from planner.horizon import END_YEAR, settable_years
from planner.scenario import parse_set_args
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED
from planner.targets import find_target

NO_YEAR_LEFT = (f"no year is left to set: {END_YEAR}, the plan's last year, has begun, so every "
                "lever keeps its baseline path")
"""What ``levers`` says once the horizon has ended (:func:`planner.horizon.horizon_ended`)."""


def _model(store, args):
    return load_model(store, getattr(args, "dataset_version", None))


def _scenario(model, args):
    raw = parse_set_args(args.set or [])
    if getattr(args, "scenario_json", None):
        extra = read_scenario_json(args.scenario_json)
        levers = dict(extra.get("levers") or {})
        for k, v in raw["levers"].items():
            levers.setdefault(k, {}).update(v)
        raw = {"levers": levers, "overrides": extra.get("overrides") or {}}
    return model.validate(raw)


def run_levers(args: argparse.Namespace) -> int:
    """Print the levers with unit, range and baseline values; once no year is left to set,
    say so on stderr (the listing's ``settable_years`` is then empty)."""
    code = print_frame(args, lambda store: _levers(_model(store, args), args.format))
    if code == 0 and not settable_years():
        print(f"note: {NO_YEAR_LEFT}", file=sys.stderr)
    return code


def _levers(model, fmt: str) -> pd.DataFrame:
    frame = lever_table(model)
    if fmt == "csv":
        frame = frame.drop(columns=["observed", "targets", "settable_years"])
    return frame


def run_project(args: argparse.Namespace) -> int:
    """Project every outcome for a scenario, with percentiles and every target of the data
    with its status (the register, :func:`planner.targets.target_register`)."""
    model = _model(store_from_args(args), args)
    scenario = _scenario(model, args)
    draws, seed = check_simulation(args.draws, args.seed)
    if args.format == "json":
        write_json(projection_document(model, scenario, draws, seed, args.contributions))
        return 0
    outcomes, targets, _ = projection_frames(model, scenario, draws, seed)
    write_frame(outcomes, "csv")
    sys.stdout.write("\n# targets\n")
    write_frame(targets_for_csv(targets), "csv")
    if args.contributions:
        sys.stdout.write("\n# contributions\n")
        write_frame(contributions(model, scenario), "csv")
    return 0


def targets_for_csv(targets: pd.DataFrame) -> pd.DataFrame:
    """Targets with their list columns flattened to text, for CSV output.

    Parameters
    ----------
    targets : pandas.DataFrame
        From :func:`planner.targets.target_register` (or a snapshot's targets).

    Returns
    -------
    pandas.DataFrame
        A copy with ``sources`` space-separated and ``required_path`` as ``year:value`` pairs
        (empty for a target without one).
    """
    t = targets.copy()
    if "sources" in t:
        t["sources"] = t["sources"].map(" ".join)
    if "required_path" in t:
        t["required_path"] = t["required_path"].map(lambda p: " ".join(f"{y}:{v:.4g}" for y, v in p))
    return t


def run_goalseek(args: argparse.Namespace) -> int:
    """Find the lever values that reach a target."""
    model = _model(store_from_args(args), args)
    scenario = _scenario(model, args)
    try:
        target = _goal(model, args.target)
        res = goal_seek(model, target, scenario, lever=args.lever)
    except GoalSeekError as exc:
        raise CommandError(str(exc)) from None
    doc = res.to_dict()
    if args.format == "json":
        write_json(doc)
    else:
        beyond = {(b.lever, b.year) for b in res.beyond}
        head = {"target": target.id, "reachable": res.reachable,
                "already_reached": res.already_reached, "achieved": res.achieved}
        shown = res.settings if res.reachable else res.best_settings
        rows = [{**head, "lever": lid, "year": y, "value": v,
                 "beyond_plausible": (lid, y) in beyond}
                for lid, p in shown.items() for y, v in p.items()] or [
                {**head, "lever": None, "year": None, "value": None,
                 "beyond_plausible": None}]
        write_frame(pd.DataFrame(rows), "csv")
    return 0


def _goal(model, text: str):
    """The target a ``--target`` names: an official target's id, or a goal on the DTI
    (``dti_overall@2030=0.95``, ``dti_overall_rank@2030=5``)."""
    try:
        return find_target(model.targets, text)
    except KeyError as exc:
        if str(text).split("@", 1)[0] in GOAL_OUTCOMES:
            return parse_goal(model, text)
        goals = ", ".join(goal_outcomes(model))
        raise CommandError(f"{exc.args[0]}; or a goal on {goals}, such as "
                           f"dti_overall@2030=0.95 or dti_overall_rank@2030=5") from None


def run_backtest(args: argparse.Namespace) -> int:
    """Print the backtest: observed against modelled values, hold-outs with their bands.

    As JSON, ``{"rows": [...], "calibration": {...}}``: the rows and the share of hold-outs
    inside their own 10–90 % band (:meth:`planner.projection.PlannerResults.calibration`); as
    CSV, the rows.
    """
    if args.format != "json":
        return print_frame(args, lambda store: _model(store, args).backtest())
    model = _model(store_from_args(args), args)
    rows = model.backtest()
    write_json({"rows": json_records(rows), "calibration": model.calibration(rows)})
    return 0


def _common(p: argparse.ArgumentParser, scenario: bool = True) -> None:
    add_format_argument(p)
    add_dataset_version_argument(p)
    if scenario:
        add_set_argument(p)
        p.add_argument("--scenario", dest="scenario_json", metavar="JSON",
                       help='a whole scenario: {"levers": {...}, "overrides": {...}}')


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``levers``, ``project``, ``goalseek`` and ``backtest``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        From ``parser.add_subparsers()``.
    """
    years = "/".join(map(str, settable_years()))
    p = subparsers.add_parser("levers", help=(
        f"the levers with unit, range and baseline {years} values" if years
        else "the levers with unit and range (no year is left to set)"))
    _common(p, scenario=False)
    p.set_defaults(func=run_levers)

    p = subparsers.add_parser("project", help="project every outcome to 2030 with percentiles and targets")
    _common(p)
    p.add_argument("--draws", type=int, default=DEFAULT_DRAWS, help=f"Monte Carlo draws (default {DEFAULT_DRAWS})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--contributions", action="store_true", help="also print each lever's contribution")
    p.set_defaults(func=run_project)

    p = subparsers.add_parser("goalseek", help="lever values that reach a target")
    _common(p)
    p.add_argument("--target", required=True, metavar="TARGET_ID",
                   help="INDICATOR@YEAR=VALUE: a target's id, e.g. "
                        "digital_economy_share_grdp@2030=30, or a goal on the DTI score or a "
                        "rank (that rank or better), e.g. dti_overall@2030=0.95, "
                        "dti_overall_rank@2030=5")
    p.add_argument("--lever", metavar="LEVER_ID", help="move only this lever (default: all, least total change)")
    p.set_defaults(func=run_goalseek)

    p = subparsers.add_parser("backtest", help="observed against modelled history, per outcome")
    _common(p, scenario=False)
    p.set_defaults(func=run_backtest)
