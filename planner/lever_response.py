"""What reproduces the headline numbers in a browser: each outcome's response to the levers.

The central run (:meth:`planner.projection.PlannerResults.deterministic`, the headline) is, in
the settable years and 2030, exactly linear in the lever settings of the settable years: a lever
indicator is its setting, a pillar and the digital economy's share move by an elasticity times
the lever's deviation from its baseline, dossiers processed online likewise, and the overall
DTI is an affine map of the pillars (nothing is clipped inside the levers' ranges;
``tests/unit/test_lever_response.py`` checks it on the corners of the ranges). The rank is not
linear: it is the field's curve read at the overall score, so the response carries, for each
year, the scores at which the rank's whole place changes (found on the model's own curve to the
last bit by bisection), and the place follows exactly from the score.

* :func:`lever_response` — the response of a model and an assumption set, a plain
  JSON-serialisable dict (the lever panel computes its preview from it;
  ``ui/levers/compute.js`` is the same computation in JavaScript).
* :func:`preview` — the same numbers computed from the response in Python (the reference the
  JavaScript is tested against), and :func:`central_numbers` the model's own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from planner.horizon import END_YEAR, START_YEAR
from planner.ids import OVERALL, PILLARS, PROVINCE, RANK, is_rank, pillar_of_rank
from planner.scenario import Scenario
from planner.views import snap

TOLERANCE = 1e-9
"""A control value this close to its default is the default: the scenario leaves the lever
unset, on its exact baseline (:func:`planner.views.scenario_from_controls`)."""


def response_years(model) -> tuple[int, ...]:
    """The years the response covers: the settable years and 2030 (2030 alone once none is
    left)."""
    return tuple(sorted({*model.settable_years, END_YEAR}))


def _values(model, scenario: Scenario, years: tuple[int, ...]) -> dict[str, dict[int, float]]:
    out = model.deterministic(scenario)
    return {ind: {y: float(arr[0, y - START_YEAR]) for y in years}
            for ind, arr in out.values.items()}


def _bounds(model, ind: str) -> tuple[float, float]:
    for lv in model.levers.values():
        if lv.indicator == ind:
            return float(lv.min), float(lv.max)
    if ind == OVERALL:
        return 0.0, 1.0
    scale = model.trends[ind].scale
    return 0.0, float("inf") if scale is None else float(scale)


def _rank_function(model, rid: str, year: int, params: dict):
    """``scores -> real rank`` of rank ``rid`` in ``year``, as :meth:`run` computes it."""
    if rid == RANK:
        return lambda s: model.field.rank(int(year), s, params["field_growth"],
                                          (params["offset"], params["scale"]),
                                          params.get("lower_spread"))
    pf = model.pillar_fields[rid]
    return lambda s: pf.rank_path(np.array([year]), s[:, None], params["field_growth"],
                                  params.get("lower_spread"))[:, 0]


def whole_place(rank) -> np.ndarray:
    """The place a page states for a real-valued rank: rounded (half to even, as Python's
    ``round``), at least 1 (:func:`planner.views.headline_rank`)."""
    return np.maximum(1, np.round(np.asarray(rank, dtype=float))).astype(int)


def place_steps(rank_of, low: float, high: float) -> dict:
    """The scores at which a rank's whole place changes, found exactly.

    Parameters
    ----------
    rank_of : callable
        ``scores (n,) -> real ranks (n,)``, non-increasing in the score.
    low, high : float
        The scores' range (non-negative).

    Returns
    -------
    dict
        ``below`` (the place at ``low``) and ``steps``: ``[[score, place], ...]`` by score
        ascending; the place of a score ``s`` is that of the last step with ``score <= s``,
        or ``below``. Each step's score is the smallest float at which the place is that low
        (bisection over the floats' bit patterns).
    """
    top = int(whole_place(rank_of(np.array([high])))[0])
    bottom = int(whole_place(rank_of(np.array([low])))[0])
    places = np.arange(bottom - 1, top - 1, -1)  # each place better than the one below
    if not len(places):
        return {"below": bottom, "steps": []}
    lo = np.full(len(places), np.float64(low).view(np.int64))
    hi = np.full(len(places), np.float64(high).view(np.int64))
    while np.any(hi - lo > 1):
        mid = lo + (hi - lo) // 2
        at = whole_place(rank_of(mid.view(np.float64)))
        good = at <= places
        hi = np.where(good, mid, hi)
        lo = np.where(good, lo, mid)
    scores = hi.view(np.float64)
    steps = sorted(zip(scores.tolist(), places.tolist(), strict=True),
                   key=lambda s: (s[0], -s[1]))
    return {"below": bottom, "steps": [[float(s), int(p)] for s, p in steps]}


def place_at(steps: Mapping, score: float) -> int:
    """The whole place of ``score`` from :func:`place_steps`."""
    place = int(steps["below"])
    for s, p in steps["steps"]:
        if score >= s:
            place = int(p)
    return place


def lever_response(model, overrides: Mapping[str, float] | None = None) -> dict:
    """The headline's response to the levers, for one model and assumption set.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model (its dataset version).
    overrides : mapping, optional
        ``{assumption: value}``, the assumption set (a scenario's ``overrides``).

    Returns
    -------
    dict
        JSON-serialisable (years and levers as strings):

        * ``version``, ``overrides``, ``years`` (:func:`response_years`);
        * ``levers``: ``{lever: {"indicator", "min", "max", "step", "baseline": {year: exact
          baseline}, "default": {year: the control's default}}}``; a control at its default
          (within :data:`TOLERANCE`) leaves the lever on its exact baseline;
        * ``outcomes``: ``{outcome: {year: {"base": central value with no lever set,
          "per_unit": {lever: {year: change per unit of that setting}}}}}`` for every outcome
          but the ranks and the overall DTI; the value of settings ``s`` is ``base + Σ
          per_unit × (s − baseline)``, clipped to its bounds;
        * ``composite``: the overall DTI of the clipped pillars, ``offset + scale × Σ weight ×
          pillar`` (``outcome``, ``offset``, ``scale``, ``weights``), clipped to its bounds;
        * ``bounds``: ``{outcome: [low, high]}`` (``high`` ``None`` when unbounded), where the
          model clips (a pillar reaches 1 with cashless and e-commerce both near 100 %);
        * ``ranks``: ``{rank: {"score": outcome ranked, "field": {year: provinces},
          "places": {year: place_steps(...)}}}``;
        * ``targets``: the province's targets of those years on those outcomes
          (``id, indicator, year, value, higher_is_better``).
    """
    overrides = {k: float(v) for k, v in (overrides or {}).items()}
    years = response_years(model)
    settable = tuple(model.settable_years)
    base_scn = model.validate({"levers": {}, "overrides": overrides})
    base = _values(model, base_scn, years)
    base_row = model.deterministic(base_scn).values
    linear = [ind for ind in model.outcome_ids if not is_rank(ind) and ind != OVERALL]
    per_unit: dict[str, dict[int, dict[str, dict[str, float]]]] = {
        ind: {y: {} for y in years} for ind in linear}
    levers: dict[str, dict] = {}
    for lid, lv in model.levers.items():
        exact = {y: float(base_row[lv.indicator][0, y - START_YEAR]) for y in settable}
        levers[lid] = {"indicator": lv.indicator, "min": float(lv.min), "max": float(lv.max),
                       "step": float(lv.step),
                       "baseline": {str(y): exact[y] for y in settable},
                       "default": {str(y): snap(exact[y], lv.min, lv.max, lv.step)
                                   for y in settable}}
        for y in settable:
            ends = []
            for value in (float(lv.min), float(lv.max)):
                scn = model.validate({"levers": {lid: {str(y): value}}, "overrides": overrides})
                ends.append(_values(model, scn, years))
            span = float(lv.max) - float(lv.min)
            for ind in linear:
                for yy in years:
                    slope = (ends[1][ind][yy] - ends[0][ind][yy]) / span
                    per_unit[ind][yy].setdefault(lid, {})[str(y)] = slope
    params = model.parameters(model.assumptions_for(base_scn), None, 1)
    composite = {"outcome": OVERALL, "offset": float(params["offset"][0]), "scale": float(params["scale"][0]),
                 "weights": {p: float(params["weights"][0, i]) for i, p in enumerate(PILLARS)}}
    ranks = {}
    for rid in (r for r in model.outcome_ids if is_rank(r)):
        score = OVERALL if rid == RANK else pillar_of_rank(rid)
        low, high = _bounds(model, score)
        ranks[rid] = {"score": score,
                      "field": {str(y): int(model.field.size(y)) for y in years},
                      "places": {str(y): place_steps(_rank_function(model, rid, y, params),
                                                     low, min(high, 1.0))
                                 for y in years}}
    targets = [{"id": tg.id, "indicator": tg.indicator, "year": int(tg.year),
                "value": float(tg.value), "higher_is_better": bool(tg.higher_is_better)}
               for tg in model.targets
               if tg.year in years and tg.geography == PROVINCE
               and (tg.indicator in per_unit or tg.indicator in ranks)]
    return {
        "version": model.version, "overrides": overrides, "years": list(years),
        "levers": levers,
        "outcomes": {ind: {str(y): {"base": base[ind][y], "per_unit": per_unit[ind][y]}
                           for y in years} for ind in linear},
        "bounds": {ind: [lo, None if math.isinf(hi) else hi]
                   for ind in (*linear, OVERALL) for lo, hi in [_bounds(model, ind)]},
        "composite": composite,
        "ranks": ranks,
        "targets": targets,
    }


def effective_settings(response: Mapping, values: Mapping[str, Mapping]) -> dict:
    """``{lever: {year: setting}}`` of control values: a value at its default is the exact
    baseline (the lever is not set)."""
    out = {}
    for lid, lv in response["levers"].items():
        out[lid] = {}
        for y, default in lv["default"].items():
            v = (values.get(lid) or {}).get(y, (values.get(lid) or {}).get(int(y), default))
            v = float(v)
            out[lid][y] = lv["baseline"][y] if abs(v - float(default)) <= TOLERANCE else v
    return out


def preview(response: Mapping, values: Mapping[str, Mapping]) -> dict:
    """The headline numbers of control values, from the response alone.

    Parameters
    ----------
    response : mapping
        :func:`lever_response`.
    values : mapping
        ``{lever: {year: control value}}`` (years as ``str`` or ``int``); a lever or year left
        out is at its default.

    Returns
    -------
    dict
        ``outcomes`` ``{outcome: {year: value}}``, ``places`` ``{rank: {year: whole place}}``
        and ``reached`` ``{year: [targets reached, targets]}`` (keys as in the response).
    """
    eff = effective_settings(response, values)
    outcomes: dict[str, dict[str, float]] = {}
    for ind, by_year in response["outcomes"].items():
        lo, hi = response["bounds"][ind]
        outcomes[ind] = {}
        for y, r in by_year.items():
            v = r["base"]
            for lid, slopes in r["per_unit"].items():
                for sy, slope in slopes.items():
                    v += slope * (eff[lid][sy] - response["levers"][lid]["baseline"][sy])
            outcomes[ind][y] = min(max(v, lo), math.inf if hi is None else hi)
    comp = response["composite"]
    lo, hi = response["bounds"][OVERALL]
    outcomes[OVERALL] = {}
    for y in response["outcomes"][PILLARS[0]]:
        mean = sum(w * outcomes[p][y] for p, w in comp["weights"].items())
        outcomes[OVERALL][y] = min(max(comp["offset"] + comp["scale"] * mean, lo), hi)
    places = {rid: {y: place_at(steps, outcomes[r["score"]][y])
                    for y, steps in r["places"].items()}
              for rid, r in response["ranks"].items()}
    reached = {str(y): [0, 0] for y in response["years"]}
    for tg in response["targets"]:
        y = str(tg["year"])
        value = (places[tg["indicator"]][y] if tg["indicator"] in places
                 else outcomes[tg["indicator"]][y])
        gap = tg["value"] - value if tg["higher_is_better"] else value - tg["value"]
        reached[y][1] += 1
        reached[y][0] += int(gap <= TOLERANCE)
    return {"outcomes": outcomes, "places": places, "reached": reached}


def central_numbers(model, scenario: Scenario) -> dict:
    """The model's own headline numbers of a scenario, shaped like :func:`preview`'s
    ``outcomes`` and ``places`` (the central run; places as the pages state them)."""
    years = response_years(model)
    vals = _values(model, scenario, years)
    return {"outcomes": {ind: {str(y): v for y, v in by.items()}
                         for ind, by in vals.items() if not is_rank(ind)},
            "places": {ind: {str(y): int(whole_place(v)) for y, v in by.items()}
                       for ind, by in vals.items() if is_rank(ind)}}
