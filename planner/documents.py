"""The planner's answers as JSON-ready documents, one home for the command line and the API.

:func:`projection_document` is what ``python -m planner project --format json`` prints and what
``POST /api/v1/projections`` answers, :func:`lever_table` what ``levers`` lists and
``GET /api/v1/levers`` answers, :func:`scenario_document` what ``scenario show --format json``
prints and ``GET /api/v1/scenarios/{id}`` answers: each pair callers run the same function on the same input, so their
numbers are equal. :func:`json_records` turns a frame into plain records for either.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from planner.contributions import contributions as lever_contributions
from planner.projection import MODEL_VERSION
from planner.saved import OpenedScenario, outcome_records, snapshot_frames
from planner.scenario import Scenario
from planner.store import UnknownVersionError
from planner.targets import evaluate_targets, register_of, target_register, unmeasured


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


def lever_table(model) -> pd.DataFrame:
    """The levers with unit, range, baseline values in the settable years, trend, observed
    values and targets, one row each.

    Parameters
    ----------
    model : planner.projection.PlannerResults

    Returns
    -------
    pandas.DataFrame
        Columns ``id, indicator, label_vi, label_en, unit, min, max, step, settable_years,
        baseline_<year>..., anchor_year, anchor_value, trend_method, trend_points,
        assumed_level, observed, targets`` (the last two lists of dicts).
    """
    base = model.project()
    rows = []
    for lid, lv in model.levers.items():
        b = base[base["indicator"] == lv.indicator].set_index("year")["value"]
        rows.append({
            "id": lid, "indicator": lv.indicator, "label_vi": lv.label_vi, "label_en": lv.label_en,
            "unit": lv.unit, "min": lv.min, "max": lv.max, "step": lv.step,
            "settable_years": list(model.settable_years),
            **{f"baseline_{y}": float(b.get(y)) for y in model.settable_years},
            "anchor_year": lv.trend.anchor_year, "anchor_value": lv.trend.anchor_value,
            "trend_method": lv.trend.method, "trend_points": lv.trend.n_points,
            "assumed_level": model.is_assumed(lv.indicator),
            "observed": [{"year": int(y), "value": float(v)} for y, v in lv.history.items()],
            "targets": [{"id": t.id, "year": t.year, "value": t.value}
                        for t in model.targets if t.indicator == lv.indicator],
        })
    return pd.DataFrame(rows)


def projection_frames(model, scenario: Scenario, draws: int,
                      seed: int) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """Simulate a scenario: every outcome with its percentiles, and every target of the data
    with its status (the register, :func:`planner.targets.target_register`).

    Parameters
    ----------
    model : planner.projection.PlannerResults
    scenario : Scenario
        Validated (``model.validate``).
    draws, seed : int
        Checked against :mod:`planner.simulation`'s limits by the caller.

    Returns
    -------
    tuple
        ``(outcomes, targets, simulation)``.
    """
    sim = model.simulate(scenario, draws=draws, seed=seed)
    outcomes = sim.frame()
    targets = target_register(model, sim, evaluated=evaluate_targets(model, sim), frame=outcomes)
    return outcomes, targets, sim


def projection_document(model, scenario: Scenario, draws: int, seed: int,
                        contributions: bool = False) -> dict[str, Any]:
    """A scenario's projection as one JSON-ready document.

    Parameters
    ----------
    model : planner.projection.PlannerResults
    scenario : Scenario
        Validated (``model.validate``).
    draws, seed : int
        Of the Monte Carlo simulation.
    contributions : bool, optional
        Also each lever's contribution to each outcome (:func:`planner.contributions.contributions`).

    Returns
    -------
    dict
        ``dataset_version, model_version, scenario, draws, seed, outcomes`` (each with its value,
        p10/p50/p90, kind and basis), ``targets`` (each with status and chance),
        ``ranks_not_projected`` (pillar ranks whose published evidence is too thin to project)
        and, when asked, ``contributions``.
    """
    outcomes, targets, sim = projection_frames(model, scenario, draws, seed)
    doc = {"dataset_version": model.version, "model_version": MODEL_VERSION,
           "scenario": scenario.to_dict(), "draws": sim.draws, "seed": sim.seed,
           "outcomes": json_records(outcomes), "targets": json_records(targets),
           "ranks_not_projected": list(model.thin_ranks)}
    if contributions:
        doc["contributions"] = json_records(lever_contributions(model, scenario))
    return doc


def scenario_meta(opened: OpenedScenario, lang: str) -> dict[str, Any]:
    """What a saved or built-in scenario is: its name, settings, versions and what changed
    since it was saved.

    Parameters
    ----------
    opened : planner.saved.OpenedScenario
    lang : {"vi", "en"}
        Of a built-in scenario's name and note (a saved one's are as saved).

    Returns
    -------
    dict
        ``id, kind, name, note, author, lang, created_at, parent_id, link, settings,
        dataset_version, model_version, current_dataset_version, current_model_version,
        data_changed, model_changed, draws, seed, digest``.
    """
    saved = opened.saved
    return {
        "id": opened.id, "kind": opened.kind, "name": opened.name(lang),
        "note": opened.note(lang), "author": saved.author if saved else "",
        "lang": saved.lang if saved else lang,
        "created_at": saved.created_at.isoformat() if saved else None,
        "parent_id": saved.parent_id if saved else None,
        "link": f"?s={opened.id}", "settings": opened.scenario.to_dict(),
        "dataset_version": opened.dataset_version,
        "model_version": str(opened.snapshot["model_version"]),
        "current_dataset_version": opened.current_dataset_version,
        "current_model_version": MODEL_VERSION,
        "data_changed": opened.data_changed, "model_changed": opened.model_changed,
        "draws": int(opened.snapshot["draws"]), "seed": int(opened.snapshot["seed"]),
        "digest": saved.digest if saved else None,
    }


def scenario_register(store, opened: OpenedScenario, outcomes: pd.DataFrame,
                      stored: pd.DataFrame) -> pd.DataFrame:
    """Every target of the data a scenario was saved on, its stored targets as stored (their
    chance dropped where the level is assumed): :func:`planner.targets.register_of`.

    Parameters
    ----------
    store : planner.store.Store
    opened : planner.saved.OpenedScenario
    outcomes, stored : pandas.DataFrame
        The snapshot's outcomes and targets (:func:`planner.saved.snapshot_frames`).

    Returns
    -------
    pandas.DataFrame
    """
    try:
        dataset = store.dataset(opened.dataset_version)
    except UnknownVersionError:
        dataset = store.dataset()
    obs = dataset.observations
    return register_of(obs, dataset.indicators, stored, outcomes,
                       unmeasured(obs, outcomes["indicator"].unique()))


def scenario_document(store, opened: OpenedScenario, lang: str) -> dict[str, Any]:
    """A saved or built-in scenario with its stored numbers, as one JSON-ready document.

    Parameters
    ----------
    store : planner.store.Store
    opened : planner.saved.OpenedScenario
        From :func:`planner.saved.open_scenario`.
    lang : {"vi", "en"}

    Returns
    -------
    dict
        :func:`scenario_meta`, then ``outcomes`` (exactly the snapshot's) and ``targets``
        (:func:`scenario_register`).
    """
    outcomes, stored = snapshot_frames(opened.snapshot)
    targets = scenario_register(store, opened, outcomes, stored)
    return {**scenario_meta(opened, lang), "outcomes": outcome_records(opened.snapshot),
            "targets": json_records(targets)}
