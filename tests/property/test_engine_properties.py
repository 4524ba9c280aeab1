"""Invariants of the engine, checked with hypothesis over lever values in range."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.contributions import contributions
from planner.goalseek import goal_seek
from planner.scenario import Scenario
from planner.targets import Target
from tests.engine_support import mini_model

MODEL = mini_model()
LEVERS = list(MODEL.levers)
pct = st.floats(min_value=0, max_value=100, allow_nan=False)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def scenarios(draw):
    levers = {}
    for lid in LEVERS:
        path = {}
        for y in MODEL.settable_years:
            if draw(st.booleans()):
                path[y] = draw(pct)
        if path:
            levers[lid] = path
    return Scenario(levers, {})


def _val(frame, ind, year):
    return float(frame[(frame.indicator == ind) & (frame.year == year)]["value"].iloc[0])


@SETTINGS
@given(scenarios())
def test_shares_stay_within_bounds(sc):
    f = MODEL.project(sc)
    for unit, hi in (("percent", 100.0), ("index_0_1", 1.0)):
        v = f[f.unit == unit]["value"]
        assert ((v >= 0) & (v <= hi)).all()
    r = f[f.indicator == "dti_overall_rank"]
    assert (r["value"] >= 1).all() and (r["value"] <= r["unit"].str.rsplit("_", n=1).str[-1].astype(int)).all()


@st.composite
def raw_settings(draw):
    """Any lever settings, in range, on any year from 2020 to 2030 (ended years included)."""
    levers = {}
    for lid in LEVERS:
        years = draw(st.sets(st.integers(2020, 2030), max_size=4))
        if years:
            levers[lid] = {y: draw(pct) for y in years}
    return Scenario(levers, {})


@SETTINGS
@given(raw_settings())
def test_levers_never_change_an_observed_value_or_an_ended_year(sc):
    base = MODEL.project()
    got = MODEL.project(sc)
    keep = (base["basis"] == "observed") | (base["year"] <= MODEL.last_ended_year)
    pd.testing.assert_series_equal(got.loc[keep, "value"], base.loc[keep, "value"])
    observed = MODEL.project(sc)[lambda f: f["basis"] == "observed"]
    for r in observed.itertuples(index=False):
        assert r.value == MODEL.history[r.indicator][r.year]


@SETTINGS
@given(scenarios())
def test_contributions_sum_to_total(sc):
    c = contributions(MODEL, sc)
    parts = c[c.lever != "total"].groupby(["indicator", "year"])["contribution"].sum().sort_index()
    total = c[c.lever == "total"].set_index(["indicator", "year"])["contribution"].sort_index()
    assert np.allclose(parts.to_numpy(), total.to_numpy(), atol=1e-9)


@SETTINGS
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_same_seed_reproduces_exactly(seed):
    a = MODEL.simulate(draws=200, seed=seed).frame()
    b = MODEL.simulate(draws=200, seed=seed).frame()
    pd.testing.assert_frame_equal(a, b)


@SETTINGS
@given(scenarios(), pct, pct)
def test_raising_online_filing_never_lowers_digital_government(sc, a, b):
    lo, hi = sorted((a, b))
    for year in MODEL.settable_years:
        s_lo = Scenario({**sc.levers, "online_filing": {**sc.levers.get("online_filing", {}), year: lo}}, {})
        s_hi = Scenario({**sc.levers, "online_filing": {**sc.levers.get("online_filing", {}), year: hi}}, {})
        f_lo, f_hi = MODEL.project(s_lo), MODEL.project(s_hi)
        for y in range(2024, 2031):
            assert _val(f_hi, "dti_digital_government", y) >= _val(f_lo, "dti_digital_government", y) - 1e-12


@SETTINGS
@given(scenarios(), pct, pct)
def test_raising_ecommerce_never_lowers_digital_economy_share(sc, a, b):
    lo, hi = sorted((a, b))
    for year in MODEL.settable_years:
        s_lo = Scenario({**sc.levers, "ecommerce": {**sc.levers.get("ecommerce", {}), year: lo}}, {})
        s_hi = Scenario({**sc.levers, "ecommerce": {**sc.levers.get("ecommerce", {}), year: hi}}, {})
        f_lo, f_hi = MODEL.project(s_lo), MODEL.project(s_hi)
        for y in range(2024, 2031):
            assert _val(f_hi, "digital_economy_share_grdp", y) >= _val(f_lo, "digital_economy_share_grdp", y) - 1e-12


OUTCOMES = [("cashless_adoption", 20, 99), ("ecommerce_uptake", 20, 99),
            ("dti_digital_government", 0.75, 0.95), ("dti_digital_economy", 0.70, 0.95),
            ("dti_digital_society", 0.70, 0.95), ("digital_economy_share_grdp", 5, 20),
            ("dti_overall", 0.70, 0.95)]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(OUTCOMES), st.sampled_from([2026, 2027, 2029, 2030]), st.floats(0, 1),
       st.sampled_from([None, *LEVERS]))
def test_goal_seek_answer_reaches_its_target(outcome, year, frac, lever):
    ind, lo, hi = outcome
    value = lo + frac * (hi - lo)
    t = Target(f"{ind}@{year}={value:g}", ind, year, value, True, (), (), "")
    res = goal_seek(MODEL, t, lever=lever)
    again = MODEL.project(res.scenario)
    got = _val(again, ind, year)
    if res.reachable:
        assert got >= value - 1e-9
        for lid, path in res.settings.items():
            lv = MODEL.levers[lid]
            assert all(lv.min <= v <= lv.max for v in path.values())
    else:
        assert got < value and res.achieved < value
