"""The headline's response to the levers (planner.lever_response) on the real data."""

from __future__ import annotations

import functools
import itertools
import json

import numpy as np
import pytest

from planner.dataset import read_data_dir
from planner.engine import fit_dataset
from planner.ids import OVERALL, RANK
from planner.lever_response import (
    central_numbers,
    lever_response,
    place_at,
    place_steps,
    preview,
    response_years,
)
from planner.views import lever_views, scenario_from_controls


@functools.cache
def real_model():
    return fit_dataset(read_data_dir("data"))


@functools.cache
def response(overrides: str = "{}"):
    return lever_response(real_model(), json.loads(overrides))


def _check(values: dict, overrides: dict | None = None) -> None:
    model = real_model()
    resp = response(json.dumps(overrides or {}, sort_keys=True))
    controls = {lid: {int(y): v for y, v in by.items()} for lid, by in values.items()}
    raw = scenario_from_controls(lever_views(model), controls)
    raw["overrides"] = overrides or {}
    want = central_numbers(model, model.validate(raw))
    got = preview(resp, values)
    for ind, by_year in want["outcomes"].items():
        for y, v in by_year.items():
            assert got["outcomes"][ind][y] == pytest.approx(v, abs=1e-9, rel=0), (ind, y)
    assert got["places"] == want["places"]


def test_a_plain_json_dict_of_the_settable_years_and_2030():
    resp = response()
    assert json.loads(json.dumps(resp)) == resp
    assert resp["years"] == [2027, 2030] == list(response_years(real_model()))
    assert set(resp["levers"]) == {"online_filing", "cashless", "ecommerce"}
    assert resp["levers"]["cashless"]["default"] == {"2027": 57.0, "2030": 71.5}
    assert resp["ranks"][RANK]["field"] == {"2027": 34, "2030": 34}
    assert [t["id"] for t in resp["targets"]] == ["digital_economy_share_grdp@2030=30",
                                                  "digital_economy_share_grdp@2030=35"]


def test_the_baseline_is_the_headline():
    levers = lever_views(real_model())
    _check({lv.id: {str(y): v for y, v in lv.default.items()} for lv in levers})


def test_every_corner_of_the_levers_ranges():
    """Every lever and year at its lowest or highest: the pillars clip at 1 with cashless
    and e-commerce both at 100 %, and the preview clips there too."""
    levers = lever_views(real_model())
    cells = [(lv, y) for lv in levers for y in lv.default]
    for ends in itertools.product((0, 1), repeat=len(cells)):
        values: dict = {}
        for (lv, y), end in zip(cells, ends, strict=True):
            values.setdefault(lv.id, {})[str(y)] = (lv.min, lv.max)[end]
        _check(values)


def test_an_assumption_set_has_its_own_response():
    slow = {"dti_qn_relative_logit_growth": -0.05}
    assert response(json.dumps(slow))["outcomes"]["dti_digital_government"]["2030"]["base"] < \
        response()["outcomes"]["dti_digital_government"]["2030"]["base"]
    levers = lever_views(real_model())
    _check({lv.id: {str(y): lv.options[len(lv.options) // 3] for y in lv.default}
            for lv in levers}, slow)


def test_place_steps_are_exact_on_a_curve():
    """A rank falling from 34.2 to 0.6 over the scores: every place from the steps equals the
    rounded rank, at each step's score and at the float just below it."""
    def rank_of(s):
        return 34.2 - 33.6 * np.asarray(s) ** 2
    steps = place_steps(rank_of, 0.0, 1.0)
    assert steps["below"] == 34
    for s, p in steps["steps"]:
        assert place_at(steps, s) == p == max(1, round(rank_of(s)))
        before = float(np.nextafter(s, 0.0))
        assert place_at(steps, before) == max(1, round(rank_of(before)))
    grid = np.linspace(0, 1, 2001)
    assert [place_at(steps, s) for s in grid] == [max(1, round(r)) for r in rank_of(grid)]


def test_rank_place_follows_the_overall_score():
    resp = response()
    steps = resp["ranks"][RANK]["places"]["2030"]
    base = preview(resp, {})
    assert base["places"][RANK]["2030"] == place_at(steps, base["outcomes"][OVERALL]["2030"])
    assert [p for _, p in steps["steps"]] == sorted((p for _, p in steps["steps"]), reverse=True)


def test_projected_pillar_ranks_get_their_places_too():
    """With ``pillar_field_min_points`` at 2 the pillar ranks are projected (the machinery of
    tests/unit/test_pillar_rank.py): the response carries each one's steps on its pillar's
    score, and the places equal the model's for every corner and a middle setting."""
    from tests.unit.test_pillar_rank import real_model as two_point_model

    model = two_point_model()
    resp = lever_response(model)
    assert set(resp["ranks"]) == {RANK, *model.pillar_fields}
    assert len(resp["ranks"]) == 4
    levers = lever_views(model)
    settings = [{lv.id: {str(y): end for y in lv.default} for lv in levers}
                for end in (0.0, 100.0)]
    settings.append({lv.id: {str(y): lv.options[len(lv.options) // 2] for y in lv.default}
                     for lv in levers})
    for values in settings:
        controls = {lid: {int(y): v for y, v in by.items()} for lid, by in values.items()}
        want = central_numbers(model, model.validate(scenario_from_controls(levers, controls)))
        assert preview(resp, values)["places"] == want["places"]
