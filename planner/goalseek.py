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
  target, with every lever within its plausible range (widened to the scenario's own value)
  when that reaches the target, else within its range (:func:`scipy.optimize.minimize`,
  SLSQP); then rounded up to the steps and checked.

Only the levers that move the target's outcome take part (:func:`moving_levers`: each lever
from the bottom to the top of its range in the set year, the others as they are; a lever whose
move leaves the outcome where it was does not move that target).

The direction is each lever's own: the end of its range that helps the target is the one that
gives the better outcome (a higher score; for a rank, a smaller one), so every rounding and
step moves a lever towards that end.

When even the levers at the top of their ranges miss the target, the answer says so, gives the
best reachable value and the lever values that reach it (``best_settings``), and names the
assumptions that limit it (:func:`limiting_assumptions`): with the levers at their best, each
assumption is put at either end of its plausible range, the others as they are; one that moves
the outcome towards the target limits it, and it is the one that makes the target reachable if
the target is reached with it at that end.

Goals on the DTI
----------------
The DTI score, its rank and each projected pillar rank (:data:`GOAL_OUTCOMES`) have no official
target: the reader picks the goal (:func:`goal_target`, checked whole: a number, within the
score's unit, a whole rank within the field of that year). A rank goal is "at or better than":
it is reached when the rank as shown (a whole rank) is at or below it, that is when the
projected rank is below the goal plus one half (:func:`threshold`).

Plausible ranges
----------------
A lever's range (``min``..``max``) is what the control allows; its documented plausible range
(``levers.csv``'s ``plausible_low``, ``plausible_high``, with a rationale and source) is what
the evidence says the province can reach. An answer whose lever values (the settings, or the
best values when out of reach) leave that range names each such value (``beyond``); a lever
without a documented range is never flagged.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from planner.horizon import END_YEAR, START_YEAR
from planner.ids import OVERALL, PILLAR_RANKS, PROVINCE, RANK, is_rank
from planner.scenario import Scenario
from planner.targets import Target, target_id

GOAL_OUTCOMES: tuple[str, ...] = (OVERALL, RANK, *PILLAR_RANKS)
"""The outcomes a reader sets a goal for (no official target): the overall DTI score, its rank
and each pillar's rank (where the model projects it, :func:`goal_outcomes`)."""


class GoalSeekError(ValueError):
    """The goal cannot be sought (unknown lever, target already in the past, a bad goal).

    Attributes
    ----------
    code : str
        What is wrong, for a page to word it (catalogue ``goalseek.problem.<code>``); empty
        for the errors worded only in English.
    params : dict
        The values the wording needs.
    """

    def __init__(self, message: str, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


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
class Beyond:
    """A lever value of an answer outside the lever's documented plausible range.

    Attributes
    ----------
    lever : str
    year : int
    value : float
        The value the answer needs.
    low, high : float
        The plausible range (``levers.csv``).
    """

    lever: str
    year: int
    value: float
    low: float
    high: float

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"lever": self.lever, "year": self.year, "value": self.value,
                "plausible_low": self.low, "plausible_high": self.high}


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
    beyond : tuple of Beyond
        The lever values of the answer (``settings``, or ``best_settings`` when unreachable)
        outside their documented plausible range (:func:`beyond_plausible`).
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
    beyond: tuple[Beyond, ...] = field(default_factory=tuple)

    @property
    def plausible(self) -> bool:
        """Whether every lever value of the answer lies within its plausible range."""
        return not self.beyond

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"target": self.target.id, "indicator": self.target.indicator,
                "year": self.target.year, "goal": self.target.value,
                "higher_is_better": self.target.higher_is_better,
                "reachable": self.reachable,
                "already_reached": self.already_reached,
                "settings": _json_settings(self.settings),
                "achieved": self.achieved, "levers": list(self.levers),
                "best_settings": _json_settings(self.best_settings),
                "limits": [lim.to_dict() for lim in self.limits],
                "plausible": self.plausible,
                "beyond_plausible": [b.to_dict() for b in self.beyond],
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


def threshold(target: Target) -> float:
    """The projected value at which ``target`` counts as reached.

    A score's or a share's target is its value. A rank goal is reached when the rank as shown,
    a whole rank (Python's rounding, half to even, as :func:`planner.views.fmt_outcome`), is at
    or better than the goal: below the goal plus one half.

    Parameters
    ----------
    target : Target

    Returns
    -------
    float
    """
    if is_rank(target.indicator):
        return float(target.value) + 0.5 - 1e-9
    return float(target.value)


def reaches(target: Target, value: float) -> bool:
    """Whether a projected ``value`` reaches ``target`` (in its direction, at :func:`threshold`)."""
    sign = 1.0 if target.higher_is_better else -1.0
    return sign * (float(value) - threshold(target)) >= 0


def goal_outcomes(model) -> tuple[str, ...]:
    """The outcomes of :data:`GOAL_OUTCOMES` the model projects (a pillar rank whose evidence
    is too thin is none, :attr:`~planner.projection.PlannerResults.thin_ranks`)."""
    return tuple(o for o in GOAL_OUTCOMES if o in model.outcome_ids)


def goal_bounds(model, indicator: str, year: int) -> tuple[float, float]:
    """The values a goal on ``indicator`` in ``year`` may take: a rank from 1 to the field's
    size that year, a score within its unit (0 to 1)."""
    if is_rank(indicator):
        return 1.0, float(model.field.size(int(year)))
    unit = model.dataset.units.set_index("id").loc[model.unit_of(indicator, year)]
    low = 0.0 if unit["min"] is None or unit["min"] != unit["min"] else float(unit["min"])
    high = 1.0 if unit["max"] is None or unit["max"] != unit["max"] else float(unit["max"])
    return low, high


def goal_target(model, indicator: str, year: int, value: float) -> Target:
    """A goal the reader picks for a DTI outcome, checked, as a :class:`Target`.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    indicator : str
        One of :func:`goal_outcomes`.
    year : int
        A year the levers can still change (2030 on the pages).
    value : float
        The goal: a score (``0.95``) or a rank (``5``: that rank or better).

    Returns
    -------
    Target
        Id ``INDICATOR@YEAR=VALUE``, the province's, no source; ``higher_is_better`` False
        for a rank.

    Raises
    ------
    GoalSeekError
        With ``code``: ``not_goal`` (another outcome), ``not_projected`` (a pillar rank with
        too thin evidence), ``bad_year`` (outside the plan's years), ``not_a_number``,
        ``not_whole`` (a rank with a fraction), ``beyond_field`` (a rank outside the field),
        ``out_of_range`` (a score outside its unit), and the checks of the year
        (:func:`moving_levers`: ended, observed, no year left).
    """
    if indicator not in GOAL_OUTCOMES:
        raise GoalSeekError(
            f"no goal can be set for {indicator!r}; goals: {', '.join(GOAL_OUTCOMES)}",
            "not_goal", outcome=indicator)
    if indicator not in model.outcome_ids:
        raise GoalSeekError(
            f"{indicator} is not projected: its published evidence is too thin",
            "not_projected", outcome=indicator)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise GoalSeekError(f"the year must be a whole number, got {year!r}", "bad_year",
                            year=str(year), first=START_YEAR, last=END_YEAR) from None
    if not START_YEAR <= year <= END_YEAR:
        raise GoalSeekError(f"{year} is outside the plan's years {START_YEAR}-{END_YEAR}",
                            "bad_year", year=year, first=START_YEAR, last=END_YEAR)
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise GoalSeekError(f"the goal must be a number, got {value!r}", "not_a_number",
                            value=str(value))
    low, high = goal_bounds(model, indicator, year)
    if is_rank(indicator):
        if not number.is_integer():
            raise GoalSeekError(f"a rank is a whole number, got {number:g}", "not_whole",
                                value=number)
        if not low <= number <= high:
            raise GoalSeekError(
                f"rank {number:g} is beyond the {high:g} provinces ranked in {year}: "
                f"pick 1 to {high:g}", "beyond_field", value=number, size=int(high), year=year)
    elif not low <= number <= high:
        raise GoalSeekError(f"the score {number:g} is outside {low:g} to {high:g}",
                            "out_of_range", value=number, low=low, high=high)
    better = not is_rank(indicator)
    rows = model.dataset.indicators
    found = rows[rows["id"] == indicator]
    if not found.empty:
        better = bool(found.iloc[0]["higher_is_better"])
    goal = Target(target_id(indicator, year, number), indicator, year, number, better, (),
                  PROVINCE, "")
    _check(model, goal)
    return goal


GOAL_FORM = re.compile(r"([^@=\s]+)@(\d{1,4})=(.*)")
"""``INDICATOR@YEAR=VALUE``: a goal as the command line writes it."""


def parse_goal(model, text: str) -> Target:
    """A goal written ``INDICATOR@YEAR=VALUE`` (``dti_overall@2030=0.95``,
    ``dti_overall_rank@2030=5``), checked by :func:`goal_target`.

    Raises
    ------
    GoalSeekError
        ``bad_goal`` for another form, else as :func:`goal_target`.
    """
    found = GOAL_FORM.fullmatch(str(text).strip())
    if not found:
        raise GoalSeekError(f"a goal reads INDICATOR@YEAR=VALUE, such as "
                            f"{OVERALL}@{END_YEAR}=0.95 or {RANK}@{END_YEAR}=5; got {text!r}",
                            "bad_goal", value=str(text))
    return goal_target(model, found.group(1), int(found.group(2)), found.group(3).strip())


def plausible_range(lever) -> tuple[float, float] | None:
    """A lever's documented plausible range ``(low, high)``, or ``None`` without one (either
    end missing is the lever's own end)."""
    low, high = getattr(lever, "plausible_low", None), getattr(lever, "plausible_high", None)
    if low is None and high is None:
        return None
    return (lever.min if low is None else float(low), lever.max if high is None else float(high))


def beyond_plausible(model, settings: dict[str, dict[int, float]]) -> tuple[Beyond, ...]:
    """The lever values of ``settings`` outside their lever's documented plausible range.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model (its levers and their plausible ranges).
    settings : dict
        ``{lever: {year: value}}``.

    Returns
    -------
    tuple of Beyond
        In the order of ``settings``; empty when all lie within (or have no documented range).
    """
    out = []
    for lid, path in settings.items():
        found = plausible_range(model.levers[lid]) if lid in model.levers else None
        if found is None:
            continue
        for y, v in path.items():
            if not found[0] - 1e-9 <= float(v) <= found[1] + 1e-9:
                out.append(Beyond(lid, int(y), float(v), found[0], found[1]))
    return tuple(out)


def _plausible_bounds(lever, current: float) -> tuple[float, float]:
    """A lever's plausible range, widened to its ``current`` value (the lever's own range
    without a documented one)."""
    found = plausible_range(lever) or (lever.min, lever.max)
    return min(found[0], current), max(found[1], current)


def _helpful_ends(model, target: Target, scenario: Scenario, year: int,
                  levers: Iterable[str]) -> dict[str, float]:
    """Each lever's end (``+1`` its top, ``-1`` its bottom) that helps the target most."""
    sign = 1.0 if target.higher_is_better else -1.0
    out = {}
    for lid in levers:
        lv = model.levers[lid]
        low = _outcome_of(model, target, _with(scenario, {lid: lv.min}, year))
        high = _outcome_of(model, target, _with(scenario, {lid: lv.max}, year))
        out[lid] = 1.0 if sign * (high - low) >= 0 else -1.0
    return out


def _best(model, ends: dict[str, float]) -> dict[str, float]:
    """Each lever at the end of its range that helps the target."""
    return {lid: (model.levers[lid].max if up > 0 else model.levers[lid].min)
            for lid, up in ends.items()}


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
                best = Limit(aid, float(end), got, reaches(target, got))
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
    goal = threshold(target)
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
    ends = _helpful_ends(model, target, scenario, year, ids)
    v0 = {lid: current(lid) for lid in ids}
    now = float(start[target.indicator][0, col])

    def gap(values):
        return sign * (outcome(values) - goal)

    def on_steps(sol: dict[str, float]) -> dict[str, float]:
        """Round to the levers' steps towards the end that helps, then step on (within range)
        until the target is reached, as far as the ranges allow."""
        rounded = {}
        for lid, v in sol.items():
            lv = model.levers[lid]
            up = ends[lid] if (v - v0[lid]) * ends[lid] >= 0 else -ends[lid]
            r = _round_up(v, lv.min, lv.step, up)
            rounded[lid] = float(min(max(r, lv.min), lv.max))
        for _ in range(1000):
            if gap(rounded) >= 0:
                break
            for lid in rounded:
                lv = model.levers[lid]
                rounded[lid] = float(min(max(rounded[lid] + ends[lid] * lv.step, lv.min),
                                         lv.max))
        return rounded

    if sign * (now - goal) >= 0:
        return GoalSeekResult(target, True, True, {}, now, scenario, ids)
    top = _best(model, ends)
    best = outcome(top)
    if sign * (best - goal) < 0:
        at_best = _with(scenario, top, year)
        best_settings = {lid: {year: v} for lid, v in top.items()}
        return GoalSeekResult(target, False, False, {}, best, scenario, ids, best_settings,
                              limiting_assumptions(model, target, at_best, assumptions),
                              beyond_plausible(model, best_settings))
    if lever:
        lv = model.levers[lever]
        # the helpful end reaches the goal (checked above); the other end may already
        near, far = (lv.min, lv.max) if ends[lever] > 0 else (lv.max, lv.min)
        if gap({lever: near}) >= 0:
            v = near
        else:
            v = optimize.brentq(lambda x: gap({lever: x}), min(near, far), max(near, far),
                                xtol=1e-6)
        sol = {lever: v}
    else:
        rng = np.array([model.levers[k].max - model.levers[k].min for k in ids])
        x0 = np.array([v0[k] for k in ids])
        bounds = [(model.levers[k].min, model.levers[k].max) for k in ids]
        # within the plausible ranges (widened to the scenario's own values) when they reach it
        plausible = [_plausible_bounds(model.levers[k], v0[k]) for k in ids]
        ends_within = {k: (hi if ends[k] > 0 else lo) for k, (lo, hi) in zip(ids, plausible,
                                                                            strict=True)}
        if gap(ends_within) >= 0:
            bounds = plausible
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
    return GoalSeekResult(target, True, False, settings, achieved, _with(scenario, rounded, year),
                          ids, beyond=beyond_plausible(model, settings))
