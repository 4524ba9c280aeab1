"""Targets: gap, required path, status and probability of reaching each one; the register.

Every row of kind ``target`` whose indicator the model projects is a target. Rows with the same
indicator, year and value are one target (their sources are listed together); rows of one
indicator and year with different values (the 2030 digital-economy share: 35% and 30%) are
separate targets sharing a ``conflict`` id, and both are evaluated.

Status rule
-----------
* A target whose year has an official figure is ``met`` or ``missed`` by the figure.
* A target whose year has ended without a figure (the figure is pending) is ``likely_met`` or
  ``likely_missed``: the model's estimate reaches it in at least half of the Monte Carlo draws,
  or not; its chance is given. Where the indicator has no measurement at all (its level is an
  assumption) the status is ``no_measurement``: the estimate only restates the assumption.
* A target whose year has not ended, with ``p`` the probability of reaching it (the share of
  draws at or beyond the target in its year): ``on_track`` when ``p`` is at least the
  assumption ``status_on_track_probability`` (0.7), ``at_risk`` when ``p`` is at least
  ``status_at_risk_probability`` (0.3), else ``off_track``. Never for an ended year.

The gap is the target minus the deterministic projection (positive: still to gain; for a
lower-is-better indicator such as a rank, the projection minus the target). The required path is
a straight line from the last observation (or the assumed starting level) to the target.

The register (:func:`target_register`) lists every target row of the data, including targets on
indicators the model does not project: those are ``met``/``missed`` when a figure of their year
exists, else ``not_modelled`` with their latest figure, or ``no_measurement`` when the
indicator has no figure at all. A target derived from a statement (the central requirement of
56% online filing = 76 minus "cao hơn 20%") carries its formula.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.horizon import START_YEAR
from planner.ids import values_by_year

STATUSES = ("met", "missed", "likely_met", "likely_missed", "on_track", "at_risk", "off_track",
            "no_measurement", "not_modelled")
"""Every target status; the first four and the last two belong to ended or unprojected years."""

AHEAD_STATUSES = ("on_track", "at_risk", "off_track")
"""The statuses of a target whose year has not ended (counted in "targets on track")."""

STATUS_THRESHOLDS = ("status_on_track_probability", "status_at_risk_probability")
"""The assumptions of the status rule: the chance at or above which a target ahead is on track,
and at or above which it is at risk (not drawn, but editable)."""

LIKELY = 0.5
"""Share of draws at or above which an ended year's target is likely met."""

DERIVED_TARGET = "derived target:"
"""Prefix of a target row's note that gives the formula it was derived by."""


@dataclass(frozen=True)
class Target:
    """One target.

    Attributes
    ----------
    id : str
        ``INDICATOR@YEAR=VALUE``, for example ``digital_economy_share_grdp@2030=35``.
    indicator : str
        The indicator it concerns.
    year : int
        The target year.
    value : float
        The target value.
    higher_is_better : bool
        Direction.
    sources : tuple of str
        Source ids of the rows stating it.
    geographies : tuple of str
        Where the stating rows apply (the province, or the country for national targets).
    conflict : str
        Conflict id shared with other statements of the same target, or empty.
    """

    id: str
    indicator: str
    year: int
    value: float
    higher_is_better: bool
    sources: tuple[str, ...]
    geographies: tuple[str, ...]
    conflict: str


def target_id(indicator: str, year: int, value: float) -> str:
    """The id of a target: ``INDICATOR@YEAR=VALUE``."""
    return f"{indicator}@{int(year)}={value:g}"


def targets_from(observations: pd.DataFrame, indicators: pd.DataFrame,
                 outcome_ids: tuple[str, ...]) -> list[Target]:
    """The targets on projected outcomes.

    Parameters
    ----------
    observations : pandas.DataFrame
        The tidy baseline.
    indicators : pandas.DataFrame
        The indicator catalogue (``id, higher_is_better``).
    outcome_ids : tuple of str
        The outcomes the model projects.

    Returns
    -------
    list of Target
        Sorted by indicator, year and value.
    """
    hib = dict(zip(indicators["id"], indicators["higher_is_better"], strict=True))
    t = observations[(observations["kind"] == "target") & observations["indicator"].isin(outcome_ids)]
    out = []
    for (ind, year, value), grp in t.groupby(["indicator", "year", "value"], sort=True):
        conflicts = [c for c in grp["conflict"].fillna("").astype(str) if c]
        out.append(Target(target_id(ind, year, value), str(ind), int(year), float(value),
                          bool(hib.get(ind, True)), tuple(dict.fromkeys(grp["source"].astype(str))),
                          tuple(dict.fromkeys(grp["geography"].astype(str))),
                          conflicts[0] if conflicts else ""))
    return out


def status_thresholds(assumptions) -> tuple[float, float]:
    """The chances of the status rule in force: on track from the first, at risk from the second.

    Parameters
    ----------
    assumptions : planner.assumptions.AssumptionSet
        The assumptions of a scenario (its overrides applied).

    Returns
    -------
    tuple of float
        The values of :data:`STATUS_THRESHOLDS`.
    """
    on_track, at_risk = STATUS_THRESHOLDS
    return assumptions.value(on_track), assumptions.value(at_risk)


def find_target(targets: list[Target], tid: str) -> Target:
    """The target with id ``tid``.

    Raises
    ------
    KeyError
        Naming the known ids.
    """
    for t in targets:
        if t.id == tid:
            return t
    raise KeyError(f"unknown target {tid!r}; known: {', '.join(t.id for t in targets)}")


def required_path(history: pd.Series, start: tuple[int, float], target: Target) -> list[tuple[int, float]]:
    """Straight line from the last observation before the target year to the target.

    Parameters
    ----------
    history : pandas.Series
        Observed values by year.
    start : tuple
        ``(year, value)`` to start from when there is no observation (assumed level).
    target : Target
        The target.

    Returns
    -------
    list of tuple
        ``(year, value)`` for each year from the start to the target year.
    """
    h = history[history.index < target.year]
    y0, v0 = (int(h.index.max()), float(h[h.index.max()])) if len(h) else start
    if y0 >= target.year:
        return [(target.year, target.value)]
    years = np.arange(y0, target.year + 1)
    vals = v0 + (target.value - v0) * (years - y0) / (target.year - y0)
    return [(int(y), float(v)) for y, v in zip(years, vals, strict=True)]


def status_for(probability: float, on_track: float, at_risk: float) -> str:
    """Status from a probability (see the module's rule)."""
    if probability >= on_track:
        return "on_track"
    if probability >= at_risk:
        return "at_risk"
    return "off_track"


def evaluate_targets(model, sim, targets: list[Target] | None = None) -> pd.DataFrame:
    """Evaluate every target under a simulated scenario (see the module's status rule).

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    sim : planner.projection.Simulation
        The simulation of the scenario.
    targets : list of Target, optional
        Defaults to every target on a projected outcome.

    Returns
    -------
    pandas.DataFrame
        One row per target: ``target_id, indicator, year, target, projected, p10, p50, p90,
        gap, probability, status, basis, assumed, required_path, sources, conflict, unit,
        caveat`` (catalogue key of a caveat on the comparison, :meth:`PlannerResults.caveat`).
        ``basis`` is ``observed``, ``estimate`` or ``projection``
        (:func:`planner.horizon.basis`); ``assumed`` says the indicator has no measurement
        (its path is an assumed level and growth, so its chance is not evidence).
    """
    if targets is None:
        targets = model.targets
    on, risk = status_thresholds(model.assumptions_for(sim.scenario))
    rows = []
    for t in targets:
        hist = model.history.get(t.indicator, pd.Series(dtype=float))
        sign = 1.0 if t.higher_is_better else -1.0
        anchor = model.anchor_year(t.indicator)
        det = float(sim.det.values[t.indicator][0, t.year - START_YEAR])
        draws = sim.values(t.indicator, t.year)
        p10, p50, p90 = np.percentile(draws, [10, 50, 90])
        assumed = model.is_assumed(t.indicator)
        if t.year <= anchor and t.year in hist.index:
            basis = "observed"
            observed = float(hist[t.year])
            reached = sign * (observed - t.value) >= 0
            status, prob, proj = ("met" if reached else "missed"), float(reached), observed
        else:
            proj = det
            prob = float(np.mean(sign * (draws - t.value) >= 0))
            if t.year <= model.last_ended_year:
                basis = "estimate"
                status = ("no_measurement" if assumed
                          else "likely_met" if prob >= LIKELY else "likely_missed")
            else:
                basis, status = "projection", status_for(prob, on, risk)
        tr = model.trends.get(t.indicator)
        start = (tr.anchor_year, tr.anchor_value) if tr is not None else (t.year, proj)
        rows.append({
            "target_id": t.id, "indicator": t.indicator, "year": t.year, "target": t.value,
            "projected": proj, "p10": p10, "p50": p50, "p90": p90,
            "gap": sign * (t.value - proj), "probability": prob, "status": status,
            "basis": basis, "assumed": assumed, "required_path": required_path(hist, start, t),
            "sources": list(t.sources), "conflict": t.conflict,
            "unit": model.unit_of(t.indicator, t.year), "caveat": model.caveat(t.indicator),
        })
    return pd.DataFrame(rows)


REGISTER_COLUMNS = ("target_id", "indicator", "geography", "year", "target", "unit", "status",
                    "basis", "figure", "figure_year", "probability", "modelled", "assumed",
                    "derived", "formula", "sources", "conflict")
"""Columns of :func:`target_register`."""


def formula_of(note: object) -> str:
    """The formula of a derived target (its note after :data:`DERIVED_TARGET`), else ``""``."""
    text = "" if note is None or (isinstance(note, float) and np.isnan(note)) else str(note)
    if not text.lower().startswith(DERIVED_TARGET):
        return ""
    return text[len(DERIVED_TARGET):].split(";")[0].strip()


def target_register(model, sim) -> pd.DataFrame:
    """Every target row of the data, each evaluated (see the module).

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    sim : planner.projection.Simulation
        The simulation of the scenario (for targets on projected outcomes).

    Returns
    -------
    pandas.DataFrame
        :data:`REGISTER_COLUMNS`, one row per target (rows of one indicator, geography, year
        and value are one target), sorted by year, indicator and value. ``figure`` and
        ``figure_year`` are the figure the status rests on (for a target not modelled: the
        latest figure, or NaN); ``probability`` is NaN where no draw exists.
    """
    obs = model.obs
    hib = dict(zip(model.dataset.indicators["id"], model.dataset.indicators["higher_is_better"],
                   strict=True))
    evaluated = evaluate_targets(model, sim).set_index("target_id") if model.targets else None
    rows = []
    t = obs[obs["kind"] == "target"]
    keys = ["indicator", "geography", "year", "value"]
    for (ind, geo, year, value), grp in t.groupby(keys, sort=True):
        tid = target_id(ind, year, value)
        conflicts = [c for c in grp["conflict"].fillna("").astype(str) if c]
        formulas = [f for f in (formula_of(n) for n in grp["note_en"]) if f]
        base = {"target_id": tid, "indicator": str(ind), "geography": str(geo),
                "year": int(year), "target": float(value), "unit": str(grp["unit"].iloc[0]),
                "derived": bool(formulas), "formula": formulas[0] if formulas else "",
                "sources": list(dict.fromkeys(grp["source"].astype(str))),
                "conflict": conflicts[0] if conflicts else ""}
        modelled = evaluated is not None and tid in evaluated.index and ind in model.outcome_ids
        if modelled:
            e = evaluated.loc[tid]
            figure_year = int(year) if e["basis"] == "observed" else np.nan
            rows.append({**base, "status": e["status"], "basis": e["basis"],
                         "figure": float(e["projected"]), "figure_year": figure_year,
                         "probability": float(e["probability"]), "modelled": True,
                         "assumed": bool(e["assumed"])})
            continue
        figures = values_by_year(obs, str(ind), geography=str(geo))
        sign = 1.0 if bool(hib.get(ind, True)) else -1.0
        same_year = figures[figures["year"].astype(int) == int(year)]
        if not same_year.empty:
            fig = float(same_year["value"].iloc[0])
            status = "met" if sign * (fig - float(value)) >= 0 else "missed"
            rows.append({**base, "status": status, "basis": "observed", "figure": fig,
                         "figure_year": int(year), "probability": np.nan, "modelled": False,
                         "assumed": False})
        elif not figures.empty:
            last = figures.iloc[-1]
            rows.append({**base, "status": "not_modelled", "basis": "",
                         "figure": float(last["value"]), "figure_year": int(last["year"]),
                         "probability": np.nan, "modelled": False, "assumed": False})
        else:
            rows.append({**base, "status": "no_measurement", "basis": "", "figure": np.nan,
                         "figure_year": np.nan, "probability": np.nan, "modelled": False,
                         "assumed": False})
    return pd.DataFrame(rows, columns=list(REGISTER_COLUMNS))
