"""Goal seeking: the lever values that reach a target.

Method
------
A target (outcome, year, value) is reached in the deterministic projection (the assumptions'
values). The lever value that is set is the one of the first settable year (2027 or 2030) at
or after the target year; the other year keeps the scenario's value.

* One lever: the outcome never falls when a lever rises (every elasticity is non-negative), so
  the smallest value in the lever's range that reaches the target is found by Brent's method
  (:func:`scipy.optimize.brentq`), rounded up to the lever's step and checked.
* All levers: the smallest total change, measured as the sum of squared changes each divided by
  its lever's range (so percentages of different levers weigh alike), subject to reaching the
  target, with every lever within its range (:func:`scipy.optimize.minimize`, SLSQP); then
  rounded up to the steps and checked.

Only the levers that move the target's outcome take part (:func:`moving_levers`: each lever
from the bottom to the top of its range in the set year, the others as they are; a lever whose
move leaves the outcome where it was does not move that target).

When even the levers at the top of their ranges miss the target, the answer says so, gives the
best reachable value and the lever values that reach it (``best_settings``), and names the
assumptions that limit it (:func:`limiting_assumptions`): with the levers at their best, each
assumption is put at either end of its plausible range, the others as they are; one that moves
the outcome towards the target limits it, and it is the one that makes the target reachable if
the target is reached with it at that end.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from planner.horizon import END_YEAR, START_YEAR
from planner.scenario import Scenario
from planner.targets import Target


class GoalSeekError(ValueError):
    """The goal cannot be sought (unknown lever, target already in the past)."""


# An outcome that changes by less than this is taken as not moved (rounding of the projection).
MOVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Limit:
    """An assumption that limits a target out of reach.

    Attributes
    ----------
    assumption : str
        The assumption's id.
    value : float
        The end of its plausible range that helps the target most.
    achieved : float
        The outcome with the levers at their best and the assumption at ``value``.
    reaches : bool
        Whether the target is reached then.
    """

    assumption: str
    value: float
    achieved: float
    reaches: bool

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"assumption": self.assumption, "value": self.value, "achieved": self.achieved,
                "reaches": self.reaches}


@dataclass(frozen=True)
class GoalSeekResult:
    """Answer of a goal seek.

    Attributes
    ----------
    target : Target
        The target sought.
    reachable : bool
        Whether some lever values within range reach it.
    already_reached : bool
        Whether the scenario reaches it without change.
    settings : dict
        ``{lever: {year: value}}`` to apply (empty when unreachable or already reached).
    achieved : float
        The outcome with the settings applied (or with the levers at the top of their ranges
        when unreachable: the best reachable value).
    scenario : Scenario
        The scenario with the settings applied.
    levers : tuple of str
        The levers that were allowed to move (those that move the target).
    best_settings : dict
        When unreachable: ``{lever: {year: value}}`` of the levers at their best (the best
        reachable value, ``achieved``); otherwise empty.
    limits : tuple of Limit
        When unreachable: the assumptions that limit the target, those that make it reachable
        first, then by how close they bring it (:func:`limiting_assumptions`).
    """

    target: Target
    reachable: bool
    already_reached: bool
    settings: dict[str, dict[int, float]]
    achieved: float
    scenario: Scenario
    levers: tuple[str, ...] = field(default_factory=tuple)
    best_settings: dict[str, dict[int, float]] = field(default_factory=dict)
    limits: tuple[Limit, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"target": self.target.id, "reachable": self.reachable,
                "already_reached": self.already_reached,
                "settings": _json_settings(self.settings),
                "achieved": self.achieved, "levers": list(self.levers),
                "best_settings": _json_settings(self.best_settings),
                "limits": [lim.to_dict() for lim in self.limits],
                "scenario": self.scenario.to_dict()}


def _json_settings(settings: dict[str, dict[int, float]]) -> dict:
    return {k: {str(y): v for y, v in p.items()} for k, p in settings.items()}


def _knot_year(target_year: int, settable: tuple[int, ...]) -> int:
    for y in settable:
        if y >= target_year:
            return y
    return settable[-1]


def _with(scenario: Scenario, values: dict[str, float], year: int) -> Scenario:
    levers = {k: dict(v) for k, v in scenario.levers.items()}
    for lid, v in values.items():
        levers.setdefault(lid, {})[year] = float(v)
    return Scenario(levers, dict(scenario.overrides))


def _round_up(v: float, lo: float, step: float, sign: float) -> float:
    k = (v - lo) / step
    k = math.ceil(k - 1e-9) if sign > 0 else math.floor(k + 1e-9)
    return lo + k * step


def _check(model, target: Target) -> int:
    """The year whose lever values are set for ``target``; raise if levers cannot change it."""
    if target.year <= model.last_ended_year:
        raise GoalSeekError(f"{target.year} has ended: levers cannot change it")
    if target.year <= model.anchor_year(target.indicator):
        raise GoalSeekError(f"{target.year} is already observed: levers cannot change it")
    if not model.settable_years:
        raise GoalSeekError(f"no year is left to set: {END_YEAR}, the plan's last year, has begun")
    return _knot_year(target.year, model.settable_years)


def _outcome_of(model, target: Target, scenario: Scenario) -> float:
    """The target's outcome in its year on the central run (each drawn parameter at its median)."""
    params = model.parameters(model.assumptions_for(scenario), None, 1)
    return float(model.run(scenario, params).values[target.indicator][0, target.year - START_YEAR])


def _best(model, target: Target, levers: Iterable[str]) -> dict[str, float]:
    """Each lever at the end of its range that helps the target."""
    return {lid: (model.levers[lid].max if target.higher_is_better else model.levers[lid].min)
            for lid in levers}


def moving_levers(model, target: Target, scenario: Scenario | None = None) -> tuple[str, ...]:
    """The levers that move the target's outcome in its year.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    target : Target
        The target.
    scenario : Scenario, optional
        The other settings (baseline by default).

    Returns
    -------
    tuple of str
        Lever ids in the model's order, those whose value in the year set for the target
        (from the bottom to the top of its range) changes the outcome.

    Raises
    ------
    GoalSeekError
        For a target whose year has ended or is already observed.
    """
    scenario = scenario or Scenario()
    year = _check(model, target)
    out = []
    for lid, lv in model.levers.items():
        low = _outcome_of(model, target, _with(scenario, {lid: lv.min}, year))
        high = _outcome_of(model, target, _with(scenario, {lid: lv.max}, year))
        if abs(high - low) > MOVE_TOLERANCE:
            out.append(lid)
    return tuple(out)


def limiting_assumptions(model, target: Target, scenario: Scenario,
                         assumptions: Iterable[str]) -> tuple[Limit, ...]:
    """The assumptions that hold a target out of reach.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    target : Target
        The target.
    scenario : Scenario
        The scenario with the levers at their best (the best reachable value).
    assumptions : iterable of str
        The assumptions to try (those a reader can change).

    Returns
    -------
    tuple of Limit
        Each assumption that, at one end of its plausible range (the others as in
        ``scenario``), brings the outcome closer to the target; those that then reach it first,
        then the closest.
    """
    sign = 1.0 if target.higher_is_better else -1.0
    now = _outcome_of(model, target, scenario)
    found = []
    for aid in assumptions:
        row = model.assumptions.row(aid)
        best: Limit | None = None
        for end in (row.low, row.high):
            overrides = {**scenario.overrides, aid: float(end)}
            got = _outcome_of(model, target, Scenario(dict(scenario.levers), overrides))
            if sign * (got - now) > MOVE_TOLERANCE and (best is None
                                                      or sign * (got - best.achieved) > 0):
                best = Limit(aid, float(end), got, sign * (got - target.value) >= 0)
        if best is not None:
            found.append(best)
    return tuple(sorted(found, key=lambda lim: (not lim.reaches, -sign * lim.achieved)))


def goal_seek(model, target: Target, scenario: Scenario | None = None,
              lever: str | None = None,
              assumptions: Iterable[str] = ()) -> GoalSeekResult:
    """Find lever values that reach a target.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    target : Target
        The target to reach.
    scenario : Scenario, optional
        The starting scenario (baseline by default).
    lever : str, optional
        The one lever to move; all levers that move the target when omitted.
    assumptions : iterable of str, optional
        The assumptions to try when the target is out of reach (see ``limits``).

    Returns
    -------
    GoalSeekResult
        The answer (see the module's method).

    Raises
    ------
    GoalSeekError
        For an unknown lever, or a target whose year has ended or is already observed.
    """
    scenario = scenario or Scenario()
    if lever is not None and lever not in model.levers:
        raise GoalSeekError(f"unknown lever {lever!r}; known: {', '.join(model.levers)}")
    year = _check(model, target)
    col = target.year - START_YEAR
    sign = 1.0 if target.higher_is_better else -1.0
    params = model.parameters(model.assumptions_for(scenario), None, 1)

    def outcome(values: dict[str, float]) -> float:
        sc = _with(scenario, values, year)
        return float(model.run(sc, params).values[target.indicator][0, col])

    start = model.run(scenario, params).values  # the scenario as it is, computed once

    def current(lid: str) -> float:
        s = scenario.levers.get(lid, {})
        if year in s:
            return s[year]
        return float(start[model.levers[lid].indicator][0, year - START_YEAR])

    ids = (lever,) if lever else moving_levers(model, target, scenario)
    v0 = {lid: current(lid) for lid in ids}
    now = float(start[target.indicator][0, col])

    def gap(values):
        return sign * (outcome(values) - target.value)

    def on_steps(sol: dict[str, float]) -> dict[str, float]:
        """Round to the levers' steps in the helpful direction, then step on (within range)
        until the target is reached, as far as the ranges allow."""
        rounded = {}
        for lid, v in sol.items():
            lv = model.levers[lid]
            r = _round_up(v, lv.min, lv.step, sign if v >= v0[lid] else -sign)
            rounded[lid] = float(min(max(r, lv.min), lv.max))
        for _ in range(1000):
            if gap(rounded) >= 0:
                break
            for lid in rounded:
                lv = model.levers[lid]
                rounded[lid] = float(min(max(rounded[lid] + sign * lv.step, lv.min), lv.max))
        return rounded

    if sign * (now - target.value) >= 0:
        return GoalSeekResult(target, True, True, {}, now, scenario, ids)
    top = _best(model, target, ids)
    best = outcome(top)
    if sign * (best - target.value) < 0:
        at_best = _with(scenario, top, year)
        return GoalSeekResult(target, False, False, {}, best, scenario, ids,
                              {lid: {year: v} for lid, v in top.items()},
                              limiting_assumptions(model, target, at_best, assumptions))
    if lever:
        lv = model.levers[lever]
        lo = lv.min
        if gap({lever: lo}) >= 0:
            v = lo
        else:
            v = optimize.brentq(lambda x: gap({lever: x}), lo, lv.max, xtol=1e-6)
        sol = {lever: v}
    else:
        rng = np.array([model.levers[k].max - model.levers[k].min for k in ids])
        x0 = np.array([v0[k] for k in ids])
        bounds = [(model.levers[k].min, model.levers[k].max) for k in ids]
        res = optimize.minimize(
            lambda x: float(np.sum(((x - x0) / rng) ** 2)), x0=x0,
            method="SLSQP", bounds=bounds,
            constraints=[{"type": "ineq", "fun": lambda x: gap(dict(zip(ids, x, strict=True)))}],
            options={"ftol": 1e-10, "maxiter": 200})
        solved = dict(zip(ids, res.x, strict=True))
        # levers moved by less than half a step are left as they were, unless that misses
        sol = {k: v for k, v in solved.items() if abs(v - v0[k]) >= model.levers[k].step / 2}
        if not sol or gap(on_steps(sol)) < 0:
            sol = solved
    rounded = on_steps(sol)
    achieved = outcome(rounded)
    settings = {lid: {year: v} for lid, v in rounded.items()}
    return GoalSeekResult(target, True, False, settings, achieved, _with(scenario, rounded, year), ids)

