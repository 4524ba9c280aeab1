"""Targets: gap, required path, status and probability of reaching each one.

Every row of kind ``target`` whose indicator the model projects is a target. Rows with the same
indicator, year and value are one target (their sources are listed together); rows of one
indicator and year with different values (the 2030 digital-economy share: 35% and 30%) are
separate targets sharing a ``conflict`` id, and both are evaluated.

Status rule
-----------
* A target whose year is already observed is ``met`` or ``missed`` by the observation.
* Otherwise, with ``p`` the probability of reaching it under the Monte Carlo simulation (the
  share of draws at or beyond the target in its year): ``on_track`` when ``p`` is at least the
  assumption ``status_on_track_probability`` (0.7), ``at_risk`` when ``p`` is at least
  ``status_at_risk_probability`` (0.3), else ``off_track``.

The gap is the target minus the deterministic projection (positive: still to gain; for a
lower-is-better indicator such as a rank, the projection minus the target). The required path is
a straight line from the last observation (or the assumed starting level) to the target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.horizon import START_YEAR

STATUSES = ("met", "missed", "on_track", "at_risk", "off_track")


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
    """Evaluate every target under a simulated scenario.

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
        gap, probability, status, basis, required_path, sources, conflict, unit``.
    """
    if targets is None:
        targets = model.targets
    a = model.assumptions_for(sim.scenario)
    on, risk = a.value("status_on_track_probability"), a.value("status_at_risk_probability")
    rows = []
    for t in targets:
        hist = model.history.get(t.indicator, pd.Series(dtype=float))
        sign = 1.0 if t.higher_is_better else -1.0
        anchor = model.anchor_year(t.indicator)
        det = float(sim.det.values[t.indicator][0, t.year - START_YEAR])
        draws = sim.values(t.indicator, t.year)
        p10, p50, p90 = np.percentile(draws, [10, 50, 90])
        if t.year <= anchor and t.year in hist.index:
            basis = "observed"
            observed = float(hist[t.year])
            reached = sign * (observed - t.value) >= 0
            status, prob, proj = ("met" if reached else "missed"), float(reached), observed
        elif t.year <= anchor:
            basis, proj = "trend", det
            prob = float(np.mean(sign * (draws - t.value) >= 0))
            status = status_for(prob, on, risk)
        else:
            basis, proj = "projected", det
            prob = float(np.mean(sign * (draws - t.value) >= 0))
            status = status_for(prob, on, risk)
        tr = model.trends.get(t.indicator)
        start = (tr.anchor_year, tr.anchor_value) if tr is not None else (t.year, proj)
        rows.append({
            "target_id": t.id, "indicator": t.indicator, "year": t.year, "target": t.value,
            "projected": proj, "p10": p10, "p50": p50, "p90": p90,
            "gap": sign * (t.value - proj), "probability": prob, "status": status,
            "basis": basis, "required_path": required_path(hist, start, t),
            "sources": list(t.sources), "conflict": t.conflict,
            "unit": model.unit_of(t.indicator, t.year),
        })
    return pd.DataFrame(rows)
