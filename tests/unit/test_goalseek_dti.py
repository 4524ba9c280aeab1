"""Goal seeking on the DTI: a score, a rank and a pillar rank the reader picks, and the flag on
an answer that needs a lever beyond its documented plausible range."""

from __future__ import annotations

import dataclasses
import functools
import math

import duckdb
import pandas as pd
import pytest
from pydantic import ValidationError

from planner.dataset import read_data_dir
from planner.engine import fit_dataset
from planner.goalseek import (
    GoalSeekError,
    _outcome_of,
    beyond_plausible,
    goal_outcomes,
    goal_seek,
    goal_target,
    parse_goal,
    reaches,
)
from planner.ids import OVERALL, PILLAR_RANKS, RANK
from planner.migrations import MIGRATIONS, migrate
from planner.scenario import Scenario
from planner.store import DuckDBStore
from planner.targets import find_target
from planner.validation import ADDED_COLUMNS, LeverRow
from planner.views import default_goal, goal_options, goalseek_goals
from tests.engine_support import mini_model


@functools.cache
def real():
    return fit_dataset(read_data_dir("data"))


@functools.cache
def with_pillar_ranks():
    """The real data with ``pillar_field_min_points`` at 2: every pillar rank is projected
    (as in ``test_pillar_rank``)."""
    ds = read_data_dir("data")
    a = ds.assumptions.copy()
    a.loc[a["id"] == "pillar_field_min_points", "value"] = 2
    return fit_dataset(dataclasses.replace(ds, assumptions=a))


def _baseline(model, indicator: str) -> float:
    return _outcome_of(model, goal_target(model, indicator, 2030, 1 if "rank" in indicator
                                          else 0.5), Scenario())


def _lever_baseline(model, lid: str) -> float:
    frame = model.project(Scenario())
    row = frame[(frame.indicator == model.levers[lid].indicator) & (frame.year == 2030)]
    return float(row["value"].iloc[0])


def test_a_rank_goal_is_that_rank_or_better_as_shown():
    goal = goal_target(real(), RANK, 2030, 5)
    assert not goal.higher_is_better and goal.id == "dti_overall_rank@2030=5"
    # the rank shown is a whole rank: 5.4 shows 5 (reached), 5.6 shows 6 (not), 4 is better
    assert reaches(goal, 5.4) and reaches(goal, 4.0) and not reaches(goal, 5.6)
    score = goal_target(real(), OVERALL, 2030, 0.95)
    assert score.higher_is_better and reaches(score, 0.95) and not reaches(score, 0.9499)


@pytest.mark.parametrize("lever", [None, "cashless", "ecommerce"])
def test_a_better_rank_raises_the_levers_and_reaches_the_goal(lever):
    m = real()
    now = round(_baseline(m, RANK))
    goal = goal_target(m, RANK, 2030, now - 4)
    res = goal_seek(m, goal, lever=lever)
    assert res.reachable and not res.already_reached
    # the levers rise (a higher score, a smaller rank), never fall below the baseline
    for lid, path in res.settings.items():
        assert path[2030] >= _lever_baseline(m, lid) - m.levers[lid].step
    assert round(res.achieved) <= now - 4 and res.achieved < _baseline(m, RANK)
    assert _outcome_of(m, goal, res.scenario) == pytest.approx(res.achieved)
    if lever:  # the least value on the lever's steps: one step less misses
        value = res.settings[lever][2030]
        less = Scenario({lever: {2030: value - m.levers[lever].step}})
        assert not reaches(goal, _outcome_of(m, goal, less))


def test_a_worse_rank_or_a_lower_score_is_already_reached():
    m = real()
    worse = goal_target(m, RANK, 2030, min(34, round(_baseline(m, RANK)) + 3))
    assert goal_seek(m, worse).already_reached
    lower = goal_target(m, OVERALL, 2030, math.floor(_baseline(m, OVERALL) * 100) / 100 - 0.05)
    assert goal_seek(m, lower).already_reached


def test_a_score_out_of_reach_gives_the_best_and_flags_it_beyond_plausible():
    m = real()
    res = goal_seek(m, goal_target(m, OVERALL, 2030, 0.99))
    assert not res.reachable and res.achieved < 0.99
    assert res.best_settings == {"online_filing": {2030: 100.0}, "cashless": {2030: 100.0},
                                 "ecommerce": {2030: 100.0}}
    # online filing may reach 100% (its plausible range ends there); the others may not
    assert [(b.lever, b.value, b.high) for b in res.beyond] == [("cashless", 100.0, 90.0),
                                                               ("ecommerce", 100.0, 90.0)]
    assert not res.plausible and res.to_dict()["plausible"] is False


def test_a_plausible_answer_is_not_flagged_and_one_lever_alone_may_be():
    m = real()
    goal = goal_target(m, OVERALL, 2030, 0.95)
    both = goal_seek(m, goal)
    assert both.reachable and both.plausible and both.beyond == ()
    alone = goal_seek(m, goal, lever="cashless")
    assert alone.reachable and alone.settings == {"cashless": {2030: 92.0}}
    assert [(b.lever, b.year, b.value, b.low, b.high) for b in alone.beyond] == [
        ("cashless", 2030, 92.0, 20.0, 90.0)]


def test_the_best_answer_for_a_35_percent_digital_economy_is_flagged_beyond_plausible():
    m = real()
    res = goal_seek(m, find_target(m.targets, "digital_economy_share_grdp@2030=35"))
    assert not res.reachable
    assert res.best_settings == {"cashless": {2030: 100.0}, "ecommerce": {2030: 100.0}}
    assert {b.lever for b in res.beyond} == {"cashless", "ecommerce"}


def test_a_projected_pillar_rank_is_a_goal_sought_in_its_direction():
    m = with_pillar_ranks()
    assert set(PILLAR_RANKS) <= set(goal_outcomes(m))
    assert [g[0] for g in goalseek_goals(m)] == [OVERALL, RANK, *PILLAR_RANKS]
    rid = "dti_digital_economy_rank"
    now = round(_baseline(m, rid))
    goal = goal_target(m, rid, 2030, max(1, now - 3))
    assert not goal.higher_is_better
    res = goal_seek(m, goal)
    # online filing moves only digital government: it takes no part
    assert "online_filing" not in res.levers
    if res.reachable:
        assert round(res.achieved) <= goal.value
        assert all(p[2030] >= _lever_baseline(m, lid) - m.levers[lid].step
                   for lid, p in res.settings.items())
    else:
        assert all(p[2030] == m.levers[lid].max for lid, p in res.best_settings.items())
        assert res.achieved < now
    # the first rank is out of reach for the digital-society pillar or reached: never "worse"
    best = goal_seek(m, goal_target(m, "dti_digital_society_rank", 2030, 1))
    assert best.reachable or best.achieved <= _baseline(m, "dti_digital_society_rank")


def test_a_pillar_rank_whose_evidence_is_too_thin_is_no_goal():
    m = real()
    assert goal_outcomes(m) == (OVERALL, RANK)
    with pytest.raises(GoalSeekError) as err:
        goal_target(m, "dti_digital_government_rank", 2030, 3)
    assert err.value.code == "not_projected"


@pytest.mark.parametrize(("indicator", "year", "value", "code", "words"), [
    (RANK, 2030, 0, "beyond_field", "rank 0 is beyond the 34 provinces ranked in 2030"),
    (RANK, 2030, 35, "beyond_field", "pick 1 to 34"),
    (RANK, 2030, 2.5, "not_whole", "a rank is a whole number, got 2.5"),
    (RANK, 2030, float("nan"), "not_a_number", "the goal must be a number"),
    (OVERALL, 2030, float("inf"), "not_a_number", "the goal must be a number"),
    (OVERALL, 2030, "high", "not_a_number", "got 'high'"),
    (OVERALL, 2030, -0.1, "out_of_range", "the score -0.1 is outside 0 to 1"),
    (OVERALL, 2030, 1.5, "out_of_range", "outside 0 to 1"),
    ("online_filing_rate", 2030, 90, "not_goal", "no goal can be set for 'online_filing_rate'"),
    (OVERALL, 2031, 0.9, "bad_year", "2031 is outside the plan's years 2020-2030"),
    (OVERALL, 2025, 0.9, "", "2025 has ended"),
])
def test_a_bad_goal_is_named(indicator, year, value, code, words):
    with pytest.raises(GoalSeekError) as err:
        goal_target(real(), indicator, year, value)
    assert err.value.code == code and words in str(err.value)


def test_a_goal_is_read_from_its_written_form():
    m = real()
    assert parse_goal(m, "dti_overall_rank@2030=5") == goal_target(m, RANK, 2030, 5)
    with pytest.raises(GoalSeekError, match="INDICATOR@YEAR=VALUE") as err:
        parse_goal(m, "dti_overall=0.9")
    assert err.value.code == "bad_goal"


def test_the_goals_offered_are_the_allowed_values_and_start_ahead_of_the_baseline():
    m = real()
    assert goal_options(m, RANK, 2030) == tuple(float(r) for r in range(1, 35))
    scores = goal_options(m, OVERALL, 2030)
    assert scores[0] == 0.5 and scores[-1] == 1.0 and len(scores) == 51
    assert default_goal(m, RANK, 2030, 12.4) == 6.0
    assert default_goal(m, RANK, 2030, 1.2) == 1.0
    assert default_goal(m, OVERALL, 2030, 0.8912) == 0.92
    assert default_goal(m, OVERALL, 2030, 0.9253) == 0.95
    assert default_goal(m, OVERALL, 2030, 0.99) == 1.0


def test_a_levers_file_without_plausible_ranges_loads_and_flags_nothing():
    m = mini_model()  # tests/fixtures/engine/levers.csv has no plausible_* columns
    assert all(lv.plausible_low is None and lv.plausible_high is None
               for lv in m.levers.values())
    assert beyond_plausible(m, {"cashless": {2030: 100.0}}) == ()
    res = goal_seek(m, find_target(m.targets, "digital_economy_share_grdp@2030=35"))
    assert not res.reachable and res.plausible


ROW = dict(id="cashless", indicator="cashless_adoption", label_vi="a", label_en="b",
           unit="percent", min=0, max=100, step=0.5)


@pytest.mark.parametrize(("extra", "column"), [
    ({"plausible_low": 20, "plausible_high": 120, "rationale_en": "x"}, "plausible_high"),
    ({"plausible_low": -5, "rationale_en": "x"}, "plausible_low"),
    ({"plausible_low": 60, "plausible_high": 50, "rationale_en": "x"}, "plausible_high"),
    ({"plausible_low": 20, "plausible_high": 90}, "rationale_vi"),
])
def test_a_bad_plausible_range_is_refused_naming_its_column(extra, column):
    with pytest.raises(ValidationError) as err:
        LeverRow(**ROW, **extra)
    assert err.value.errors()[0]["ctx"]["column"] == column


def test_every_lever_of_the_data_documents_its_plausible_range():
    levers = read_data_dir("data").levers
    assert not levers[["plausible_low", "plausible_high"]].isna().any().any()
    assert (levers["rationale_vi"].str.len() > 0).all() and (levers["rationale_en"].str.len() > 0).all()
    assert (levers["source"].str.len() > 0).all()
    assert isinstance(levers, pd.DataFrame)


def test_a_version_stored_before_the_plausible_ranges_loads_and_flags_nothing(tmp_db_path):
    """Migration 6 adds the columns empty to the versions stored under schema 5."""
    data = read_data_dir("data")
    con = duckdb.connect(str(tmp_db_path))
    try:
        migrate(con, MIGRATIONS[:5])
        con.execute("INSERT INTO dataset_versions VALUES ('old', TIMESTAMP '2026-01-02 03:04:05',"
                    " '{}', '{}', TRUE, '', '')")
        for name, f in data.frames().items():
            old = f.drop(columns=list(ADDED_COLUMNS["levers"])) if name == "levers" else f
            old = old.copy()
            old.insert(0, "line", range(2, len(old) + 2))
            old.insert(0, "dataset_version", "old")
            con.register("incoming_old", old)
            quoted = ", ".join(f'"{c}"' for c in old.columns)
            con.execute(f'INSERT INTO "data_{name}" ({quoted}) SELECT {quoted} FROM incoming_old')  # noqa: S608
            con.unregister("incoming_old")
    finally:
        con.close()
    stored = DuckDBStore(tmp_db_path).dataset("old")
    assert stored.levers["plausible_high"].isna().all()
    model = fit_dataset(stored)
    res = goal_seek(model, find_target(model.targets, "digital_economy_share_grdp@2030=35"))
    assert res.best_settings and res.plausible


def test_all_levers_stay_within_their_plausible_ranges_when_these_reach_the_goal():
    m = real()
    # online shopping already at 90% in 2030: the least change alone would take it to 91%,
    # beyond its plausible 90%; the answer moves the others instead
    shown = Scenario({"ecommerce": {2030: 90.0}, "cashless": {2027: 70.0}})
    res = goal_seek(m, goal_target(m, OVERALL, 2030, 0.95), shown)
    assert res.reachable and res.plausible and res.achieved >= 0.95
    assert res.scenario.levers["ecommerce"][2030] <= 90.0
