"""Honest uncertainty: qualified figures, both readings, drawn weights and calibration."""

import functools

import numpy as np
import pytest

from planner.dataset import read_data_dir
from planner.engine import fit_dataset
from planner.trend import logit, qualifier_bounds


@functools.cache
def real_model():
    return fit_dataset(read_data_dir("data"))


@pytest.mark.parametrize(("note", "expected"), [
    ("qualifier 'trên' (over) 76%", (76.0, 76.0, 78.28)),
    ("qualifier 'gần' (nearly) 80%", (77.6, 80.0, 80.0)),
    ("qualifier 'khoảng' (about) 35%", (33.95, 35.0, 36.05)),
    ("'hơn' (more than) 31 makes 45 an upper bound", (43.65, 45.0, 45.0)),
    ("", (50.0, 50.0, 50.0)),
])
def test_qualifier_bounds(note, expected):
    value = {"qualifier 'gần' (nearly) 80%": 80.0, "qualifier 'khoảng' (about) 35%": 35.0,
             "'hơn' (more than) 31 makes 45 an upper bound": 45.0, "": 50.0}.get(note, 76.0)
    assert qualifier_bounds(value, note, 0.03) == pytest.approx(expected)


def test_qualified_figure_stays_inside_its_unit():
    assert qualifier_bounds(99.0, "qualifier 'trên'", 0.03, 0.0, 100.0) == (99.0, 99.0, 100.0)


def test_filing_rate_rests_on_both_readings_and_on_over_76():
    pts = real_model().points["online_filing_rate"]
    assert [mode for _, mode, _ in pts[2021]] == [45.0, 58.0]
    assert pts[2023] == [pytest.approx((76.0, 76.0, 78.28))]


def test_filing_draws_take_each_reading_and_the_figure_stays_observed():
    m = real_model()
    p = m.parameters(m.assumptions, np.random.default_rng(0), 4000)
    level = p["level:online_filing_rate"]
    assert level.min() >= 76.0 and level.max() <= 78.28 + 1e-9 and level.mean() > 76.2
    slope_pp = (logit(76 / 100) - logit(0.45)) / 2
    slope_rel = (logit(76 / 100) - logit(0.58)) / 2
    s = p["slope:online_filing_rate"]
    # the two readings give two clusters of slopes around their own line
    mid = (slope_pp + slope_rel) / 2
    assert 0.3 < (s < mid).mean() < 0.7
    sim = m.simulate(draws=2000, seed=2)
    hist = sim.frame().set_index(["indicator", "year"])
    assert hist.loc[("online_filing_rate", 2023), "p10"] == 76.0
    assert hist.loc[("online_filing_rate", 2021), "p90"] == 45.0


def test_pillar_weights_and_calibration_are_drawn():
    m = real_model()
    p = m.parameters(m.assumptions, np.random.default_rng(1), 2000)
    w = p["weights"]
    assert w.shape == (2000, 3) and np.allclose(w.sum(axis=1), 1.0)
    assert w.std(axis=0).min() > 0.02
    assert p["scale"].std() > 0.0 and p["offset"].std() > 0.0
    det = m.parameters(m.assumptions, None, 1)
    assert det["scale"][0] == pytest.approx(m.composite["scale"])


def test_dossiers_processed_online_may_fall():
    sim = real_model().simulate(draws=4000, seed=4)
    assert (sim.values("dossiers_processed_fully_online", 2030) < 93.4).mean() > 0.05
