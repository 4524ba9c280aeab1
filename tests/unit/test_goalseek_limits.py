"""Goal seeking out of reach: which levers move a target, which assumptions limit it, and the
best reachable lever values (the small literal dataset)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.goalseek import _outcome_of, goal_seek, limiting_assumptions, moving_levers
from planner.scenario import Scenario
from planner.targets import Target, find_target
from planner.views import editable_assumptions
from tests.engine_support import mini_model

M = mini_model()
DE_35 = find_target(M.targets, "digital_economy_share_grdp@2030=35")


def _target(indicator: str, year: int, value: float) -> Target:
    return Target(f"{indicator}@{year}={value:g}", indicator, year, value, True, ("t",),
                  ("Quảng Ninh",), "")


def test_only_the_levers_that_move_a_target_move_it():
    # the digital economy share rests on cashless payments and e-commerce, not online filing
    assert moving_levers(M, DE_35) == ("cashless", "ecommerce")
    assert moving_levers(M, _target("cashless_adoption", 2027, 60.0)) == ("cashless",)
    res = goal_seek(M, _target("digital_economy_share_grdp", 2030, 13.0))
    assert res.reachable and set(res.levers) == {"cashless", "ecommerce"}
    assert set(res.settings) <= {"cashless", "ecommerce"}


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(["online_filing", "cashless", "ecommerce"]), st.floats(0, 1),
       st.sampled_from([("digital_economy_share_grdp", 2030), ("cashless_adoption", 2027),
                        ("dti_overall", 2030), ("ecommerce_uptake", 2030)]))
def test_a_lever_left_out_never_moves_the_target(lever, frac, outcome):
    tg = _target(*outcome, 1.0)
    lv = M.levers[lever]
    moved = Scenario({lever: {2030 if outcome[1] == 2030 else 2027:
                              lv.min + frac * (lv.max - lv.min)}})
    change = abs(_outcome_of(M, tg, moved) - _outcome_of(M, tg, Scenario()))
    if lever not in moving_levers(M, tg):
        assert change <= 1e-9


def test_an_unreachable_target_names_its_limits_and_the_best_lever_values():
    res = goal_seek(M, DE_35, assumptions=editable_assumptions(M))
    assert not res.reachable and res.settings == {}
    # the best reachable: the levers that move it at the top of their ranges, which give it
    assert res.best_settings == {"cashless": {2030: 100.0}, "ecommerce": {2030: 100.0}}
    best = Scenario({lid: dict(p) for lid, p in res.best_settings.items()})
    assert _outcome_of(M, DE_35, best) == pytest.approx(res.achieved)
    # the growth of the share limits it most; every limit brings it closer than the levers can
    assert res.limits[0].assumption == "de_share_growth_pp"
    assert res.limits[0].value == M.assumptions.row("de_share_growth_pp").high
    assert all(lim.achieved > res.achieved and not lim.reaches for lim in res.limits)
    assert "e_filing_to_dg" not in {lim.assumption for lim in res.limits}  # does not move it
    # the closest assumptions come first
    achieved = [lim.achieved for lim in res.limits]
    assert achieved == sorted(achieved, reverse=True)


def test_an_assumption_that_makes_the_target_reachable_is_named_first():
    best = Scenario({"cashless": {2030: 100.0}, "ecommerce": {2030: 100.0}})
    # reached only with more growth (the central path at the growth's median: 18.7 at most)
    within = _target("digital_economy_share_grdp", 2030, 18.0)
    limits = limiting_assumptions(M, within, best, editable_assumptions(M))
    assert limits[0].reaches and limits[0].assumption == "de_share_growth_pp"
    assert not any(lim.reaches for lim in limits[1:])
    over = Scenario(best.levers, {"de_share_growth_pp": limits[0].value})
    assert _outcome_of(M, within, over) >= 18.0
