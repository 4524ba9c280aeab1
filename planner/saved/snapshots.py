"""Snapshots: every number a scenario shows, JSON-ready, so a saved link shows exactly them.

A snapshot holds each outcome and year with its percentiles and every target's evaluation,
rounded to :data:`SIGNIFICANT_DIGITS` significant digits so that it survives a JSON round trip
unchanged. :func:`canonical_json` is the one JSON form used for storing and hashing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from planner import horizon
from planner.projection import MODEL_VERSION, PlannerResults
from planner.scenario import Scenario
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED
from planner.targets import evaluate_targets

SIGNIFICANT_DIGITS = 10
"""Numbers of a snapshot are rounded to this many significant digits."""

SNAPSHOT_FORMAT = 1
"""Version of the snapshot's layout, stored in it."""
OUTCOME_FIELDS = ("indicator", "year", "value", "p10", "p50", "p90", "mean", "unit", "kind")
TARGET_FIELDS = (
    "target_id", "indicator", "year", "target", "projected", "p10", "p50", "p90", "gap",
    "probability", "status", "basis", "unit", "conflict", "sources", "required_path",
)
"""The fields of a snapshot's ``outcomes`` and ``targets`` records."""


def canonical_json(value: Any) -> str:
    """Return the canonical JSON text of a value (sorted keys, no spaces, UTF-8, no NaN).

    Parameters
    ----------
    value : Any
        JSON-ready.

    Returns
    -------
    str
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)



def _number(x: Any) -> float | int | None:
    if x is None or x is pd.NA:
        return None
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x
    v = float(x)
    if not math.isfinite(v):
        return None
    return float(f"{v:.{SIGNIFICANT_DIGITS}g}")


def cell_text(x: Any) -> str:
    """Return a cell as text: ``""`` for a missing value (None, NA, NaN).

    Parameters
    ----------
    x : Any

    Returns
    -------
    str
    """
    return "" if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else str(x)


def snapshot(model: PlannerResults, scenario: Scenario, draws: int = DEFAULT_DRAWS,
             seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Compute the numbers the app shows for a scenario, JSON-ready.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    scenario : Scenario
        A scenario validated by ``model``.
    draws : int, optional
        Monte Carlo draws (default :data:`~planner.simulation.DEFAULT_DRAWS`).
    seed : int, optional
        Seed (default :data:`~planner.simulation.DEFAULT_SEED`).

    Returns
    -------
    dict
        ``format, dataset_version, model_version, draws, seed``; ``outcomes``: one record per
        outcome and year (:data:`OUTCOME_FIELDS`: the deterministic ``value``, ``p10, p50,
        p90, mean``, ``unit``, ``kind``); ``targets``: one record per target
        (:data:`TARGET_FIELDS`; ``required_path`` is a list of ``[year, value]``). Numbers are
        rounded to :data:`SIGNIFICANT_DIGITS` significant digits, so the dict survives a JSON
        round trip unchanged; missing numbers are None.
    """
    sim = model.simulate(scenario, draws=int(draws), seed=int(seed))
    frame = sim.frame()
    outcomes = [
        {"indicator": str(r.indicator), "year": int(r.year), "value": _number(r.value),
         "p10": _number(r.p10), "p50": _number(r.p50), "p90": _number(r.p90),
         "mean": _number(r.mean), "unit": str(r.unit), "kind": str(r.kind)}
        for r in frame.itertuples(index=False)
    ]
    targets = []
    for r in evaluate_targets(model, sim).itertuples(index=False):
        targets.append({
            "target_id": str(r.target_id), "indicator": str(r.indicator), "year": int(r.year),
            "target": _number(r.target), "projected": _number(r.projected),
            "p10": _number(r.p10), "p50": _number(r.p50), "p90": _number(r.p90),
            "gap": _number(r.gap), "probability": _number(r.probability),
            "status": str(r.status), "basis": str(r.basis), "unit": str(r.unit),
            "conflict": cell_text(r.conflict), "sources": [str(s) for s in r.sources],
            "required_path": [[int(y), _number(v)] for y, v in r.required_path],
        })
    doc = {"format": SNAPSHOT_FORMAT, "dataset_version": model.version,
           "model_version": MODEL_VERSION, "draws": int(draws), "seed": int(seed),
           "outcomes": outcomes, "targets": targets}
    # The stored form and this one are the same object after a JSON round trip.
    return json.loads(canonical_json(doc))


def outcome_records(snap: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return a snapshot's outcome records, each with its ``basis`` as of today.

    A snapshot stores each outcome-year's ``kind``; its basis follows from it and today's
    date (:func:`planner.horizon.basis`): an official figure (``history``) is observed, an
    ended year without one an estimate, a year ahead a projection. A year that has ended since
    the scenario was saved is therefore an estimate now, whatever it was then.

    Parameters
    ----------
    snap : mapping
        A snapshot (:func:`snapshot`).

    Returns
    -------
    list of dict
        The stored records (unchanged values) with ``basis`` added.
    """
    return [{**r, "basis": horizon.basis(int(r["year"]), str(r.get("kind")) == "history")}
            for r in snap.get("outcomes", [])]


def snapshot_frames(snap: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return a snapshot's outcomes and targets as frames, for charts and tables.

    Parameters
    ----------
    snap : mapping
        A snapshot (:func:`snapshot`).

    Returns
    -------
    tuple of pandas.DataFrame
        ``(outcomes, targets)`` with the columns :data:`OUTCOME_FIELDS` plus ``basis``
        (:func:`outcome_records`) and :data:`TARGET_FIELDS`; missing numbers are NaN.
    """
    outcomes = pd.DataFrame(outcome_records(snap), columns=[*OUTCOME_FIELDS, "basis"])
    targets = pd.DataFrame(list(snap.get("targets", [])), columns=list(TARGET_FIELDS))
    for col in ("value", "p10", "p50", "p90", "mean"):
        outcomes[col] = pd.to_numeric(outcomes[col], errors="coerce").astype("float64")
    for col in ("target", "projected", "p10", "p50", "p90", "gap", "probability"):
        targets[col] = pd.to_numeric(targets[col], errors="coerce").astype("float64")
    return outcomes, targets


def compare_snapshots(saved: Mapping[str, Any], current: Mapping[str, Any]) -> pd.DataFrame:
    """Line up two snapshots' outcomes (saved numbers against numbers on current data).

    Parameters
    ----------
    saved, current : mapping
        Snapshots (:func:`snapshot`).

    Returns
    -------
    pandas.DataFrame
        ``indicator, year, unit, saved, current, difference`` (deterministic values; an
        outcome-year present in one snapshot only has NaN on the other side), sorted by
        indicator in the saved order, then year.
    """
    a, _ = snapshot_frames(saved)
    b, _ = snapshot_frames(current)
    order = {ind: i for i, ind in enumerate(dict.fromkeys([*a["indicator"], *b["indicator"]]))}
    merged = a[["indicator", "year", "unit", "value"]].merge(
        b[["indicator", "year", "unit", "value"]], on=["indicator", "year"], how="outer",
        suffixes=("_saved", "_current"))
    merged["unit"] = merged["unit_current"].fillna(merged["unit_saved"])
    out = pd.DataFrame({
        "indicator": merged["indicator"], "year": merged["year"].astype("int64"),
        "unit": merged["unit"], "saved": merged["value_saved"],
        "current": merged["value_current"],
        "difference": merged["value_current"] - merged["value_saved"],
    })
    out["_order"] = out["indicator"].map(order)
    return out.sort_values(["_order", "year"]).drop(columns="_order").reset_index(drop=True)


def scenario_from_settings(settings: Mapping[str, Any]) -> Scenario:
    """Rebuild a :class:`Scenario` from its canonical dict without validating it again.

    For settings read from a row whose digest matched (they were validated when saved).

    Parameters
    ----------
    settings : mapping
        ``{"levers": {id: {"year": value}}, "overrides": {id: value}}``.

    Returns
    -------
    Scenario
    """
    levers = {str(k): {int(y): float(v) for y, v in path.items()}
              for k, path in (settings.get("levers") or {}).items()}
    overrides = {str(k): float(v) for k, v in (settings.get("overrides") or {}).items()}
    return Scenario(levers, overrides)
