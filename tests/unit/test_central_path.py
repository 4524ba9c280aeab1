"""The headline is the middle of the model's own distribution.

The central path (the single deterministic run behind every card, table, chart line, export
and CLI answer) takes each drawn parameter at the median of its distribution; these tests pin
the medians on literal cases and check, for every ready-made scenario, that the central value
of every outcome and year that is not an observed figure lies between the 40th and 60th
percentiles of the draws.
"""

import dataclasses
import functools
import json

import numpy as np
import pandas as pd
import pytest

from planner.assumptions import AssumptionSet, triangular_median
from planner.dataset import read_data_dir
from planner.engine import fit_dataset
from planner.ids import RANK
from planner.projection import central_point
from planner.trend import expit, logit
from tests.engine_support import mini_model

DRAWS, SEED = 4000, 1


@functools.cache
def real_model():
    return fit_dataset(read_data_dir("data"))


@pytest.mark.parametrize(("low", "mode", "high", "median"), [
    (0.0, 0.5, 1.0, 0.5),
    (0.0, 1.0, 1.0, 0.5 ** 0.5),
    (0.0, 0.0, 1.0, 1.0 - 0.5 ** 0.5),
    (0.0, 0.083, 0.72, 0.72 - (0.72 * 0.637 / 2) ** 0.5),  # the field's growth: about 0.241
    (11.5, 12.0, 13.5, 13.5 - (2.0 * 1.5 / 2) ** 0.5),     # the inferred 2023 rank: 12.28
    (2024.0, 2024.0, 2024.0, 2024.0),                       # a range of one point
])
def test_triangular_median(low, mode, high, median):
    assert triangular_median(low, mode, high) == pytest.approx(median, abs=1e-12)


def test_triangular_median_splits_the_draws_in_half():
    draws = np.random.default_rng(0).triangular(0.0, 0.083, 0.72, 200_000)
    assert (draws < triangular_median(0.0, 0.083, 0.72)).mean() == pytest.approx(0.5, abs=0.005)


def test_an_assumption_without_a_generator_is_its_median_and_an_override_moves_its_mode():
    frame = pd.DataFrame([{
        "id": "g", "value": 0.083, "unit": "logit_per_year", "low": 0.0, "high": 0.72,
        "label_vi": "g", "label_en": "g", "rationale_vi": "r", "rationale_en": "r",
        "source": ""}])
    a = AssumptionSet(frame)
    assert a.value("g") == 0.083  # the value in force stays the most likely value
    assert a.draw("g", None, 2) == pytest.approx([0.2411] * 2, abs=1e-4)
    moved = a.with_overrides({"g": 0.72})
    assert moved.central("g") == pytest.approx(0.72 * 0.5 ** 0.5)


def test_a_figure_with_two_readings_is_centred_in_the_gap_on_the_trends_scale():
    # 2021 online filing: 45 read as points (an upper bound: 43.65..45) or 58 as a relative
    # rise (56.3..58); each reading is drawn half the time
    alts = [(43.65, 45.0, 45.0), (56.3, 58.0, 58.0)]
    on_logit = central_point(alts, 100.0, on_logit=True)
    assert on_logit == pytest.approx(float(expit((logit(45.0, 100.0) + logit(56.3, 100.0)) / 2,
                                                 100.0)), abs=0.01)
    assert central_point(alts) == pytest.approx((45.0 + 56.3) / 2, abs=0.01)
    # "trên 76%": 76..78.28, most likely 76
    assert central_point([(76.0, 76.0, 78.28)]) == pytest.approx(
        78.28 - (2.28 * 2.28 / 2) ** 0.5)


def test_the_central_path_takes_no_random_step_and_the_draws_do():
    m = real_model()
    assert not m.parameters(m.assumptions, None, 1)["pillar_steps"].any()
    steps = m.parameters(m.assumptions, np.random.default_rng(0), 500)["pillar_steps"]
    assert 0.15 < steps.std() < 0.35


def test_a_lever_set_in_two_years_runs_straight_between_them_in_every_draw():
    m = mini_model()
    sc = m.validate({"levers": {"online_filing": {"2027": 80, "2030": 85}}})
    sim = m.simulate(sc, draws=300, seed=2)
    for year, value in ((2028, 80 + 5 / 3), (2029, 80 + 10 / 3)):
        assert sim.values("online_filing_rate", year) == pytest.approx(np.full(300, value))
        assert sim.det.values["online_filing_rate"][0, year - 2020] == pytest.approx(value)


def _positions(scenario_id: str, rank: bool) -> list[tuple[str, int, float, float]]:
    """(indicator, year, share of draws below, share at or below) of each central value."""
    m = real_model()
    settings = m.dataset.scenarios.set_index("id").loc[scenario_id, "settings"]
    sim = m.simulate(m.validate(json.loads(settings)), draws=DRAWS, seed=SEED)
    frame = sim.frame()
    frame = frame[(frame["kind"] != "history") & ((frame["indicator"] == RANK) == rank)]
    out = []
    for r in frame.itertuples(index=False):
        d = sim.values(r.indicator, int(r.year))
        if np.ptp(d) == 0:
            assert r.value == pytest.approx(d[0])
            continue
        out.append((r.indicator, int(r.year), float((d < r.value).mean()),
                    float((d <= r.value).mean())))
    return out


SCENARIOS = list(read_data_dir("data").scenarios["id"])


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_the_headline_lies_between_the_40th_and_60th_percentile_of_the_draws(scenario_id):
    pos = _positions(scenario_id, rank=False)
    assert len(pos) > 40
    off = [p for p in pos if p[3] < 0.4 or p[2] > 0.6]
    assert off == []


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_the_rank_headline_lies_between_the_40th_and_60th_percentile_of_the_draws(scenario_id):
    pos = _positions(scenario_id, rank=True)
    assert len(pos) >= 7
    off = [p for p in pos if p[3] < 0.4 or p[2] > 0.6]
    assert off == []


def test_the_pillars_take_their_steps_only_after_the_calibrated_2023_estimate():
    m = real_model()
    ds = read_data_dir("data")
    quiet = fit_dataset(dataclasses.replace(
        ds, assumptions=ds.assumptions[ds.assumptions["id"] != "dti_pillar_logit_noise"]))
    noisy_sim, quiet_sim = m.simulate(draws=500, seed=3), quiet.simulate(draws=500, seed=3)
    for pillar in ("dti_digital_government", "dti_digital_economy", "dti_digital_society"):
        # the steps are drawn last: every other draw is the same with or without them
        assert noisy_sim.values(pillar, 2023) == pytest.approx(quiet_sim.values(pillar, 2023))
        noisy, quiet_2030 = noisy_sim.values(pillar, 2030), quiet_sim.values(pillar, 2030)
        assert np.std(logit(noisy)) > np.std(logit(quiet_2030))
    assert m.parameters(m.assumptions, np.random.default_rng(0), 5)["pillar_steps"].shape == (
        5, 3, 7)  # 2024 to 2030
