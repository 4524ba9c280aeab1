"""The rank against the published evidence: each year's field rebuilt from what was published."""

import functools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.dataset import read_data_dir
from planner.engine import fit_dataset
from planner.rank import build_curves
from planner.trend import logit

RANK = "dti_overall_rank"


@functools.cache
def real_model():
    return fit_dataset(read_data_dir("data"))


@functools.cache
def real_frame():
    return real_model().simulate(draws=4000, seed=3).frame()


def _row(ind, year):
    f = real_frame()
    return f[(f.indicator == ind) & (f.year == year)].iloc[0]


def test_2024_is_ranked_out_of_34_and_2023_out_of_63():
    m = real_model()
    assert m.field.size(2023) == 63 and m.field.size(2024) == 34
    assert _row(RANK, 2023)["unit"] == "rank_of_63"
    assert _row(RANK, 2024)["unit"] == "rank_of_34"


def test_2023_rank_centres_on_the_inferred_12_and_its_range_covers_it():
    r = _row(RANK, 2023)
    # the central path holds the median of the drawn rank (11.5 to 13.5, most likely 12)
    assert r["value"] == pytest.approx(13.5 - (2.0 * 1.5 / 2) ** 0.5, abs=1e-6)
    assert 11.5 <= r["p50"] < 13.5
    assert r["p10"] <= 12 <= r["p90"]


def test_2024_places_1_to_7_of_34_belong_to_other_provinces():
    ranks = real_model().simulate(draws=4000, seed=5).values(RANK, 2024)
    assert ranks.min() >= 7.5
    r = _row(RANK, 2024)
    assert r["p10"] >= 7.5 and r["p90"] <= 20


def test_no_jump_in_the_rank_path_after_the_last_published_field():
    base = real_model().project()
    ranks = base[base.indicator == RANK].set_index("year")["value"]
    steps = ranks.loc[2024:].diff().dropna().abs()
    assert steps.max() < 1.0


def test_each_published_field_sits_at_its_published_average():
    m = real_model()
    for year, avg in ((2022, 0.5786), (2023, 0.6783), (2024, 0.6961)):
        c = m.field.curves[(year, m.field.size(year))]
        assert np.interp(logit(avg), c.x, c.above) == pytest.approx(0.5 * (c.size - 1), abs=1.0)


def test_the_2023_field_puts_da_nang_at_the_top():
    m = real_model()
    assert m.field.rank(2023, np.array([0.834]), 0.0)[0] <= 12.0  # floor of the named places
    c = m.field.curves[(2023, 63)]
    assert np.interp(logit(0.834), c.x, c.above) == pytest.approx(0.5, abs=0.1)
    assert c.template == 2022


def test_field_pace_covers_the_observed_paces():
    a = real_model().assumptions.row("dti_field_logit_growth")
    for pace in (0.083, 0.43, 0.72):
        assert a.low <= pace <= a.high


def test_pillars_move_with_the_published_averages():
    m = real_model()
    base = m.project()
    det = base.set_index(["indicator", "year"])["value"]
    # 2023 to 2024: the published average moved 0.083 logit; the relative growth is 0
    step = logit(det[("dti_digital_economy", 2024)]) - logit(det[("dti_digital_economy", 2023)])
    assert step == pytest.approx(logit(0.6961) - logit(0.6783), abs=1e-6)


def _obs(rows):
    cols = ["indicator", "geography", "year", "value", "unit", "kind"]
    return pd.DataFrame(rows, columns=cols).assign(conflict="", source_date="", source="s")


def test_named_top_places_set_a_floor_only_in_their_own_year():
    rows = [("dti_overall_provincial_average", "Việt Nam", 2022, 0.5, "index_0_1", "external"),
            ("dti_overall_provincial_average", "Việt Nam", 2023, 0.6, "index_0_1", "external")]
    for i, (name, score) in enumerate((("A", 0.9), ("B", 0.8), ("C", 0.7))):
        rows += [("dti_overall", name, 2022, score, "index_0_1", "external"),
                 ("dti_overall_rank", name, 2022, i + 1, "rank_of_63", "external")]
    rows += [("dti_overall_rank", n, 2023, r, "rank_of_63", "external")
             for n, r in (("A", 1), ("B", 2), ("C", 3), ("D", 4), ("E", 6))]
    curves = build_curves(_obs(rows), {}, 0.5, 3, 2025)
    assert curves[(2022, 63)].floor == 3.5
    assert curves[(2023, 63)].floor == 4.5  # places 1-4 named, 5 not
    assert curves[(2023, 63)].template == 2022


@settings(max_examples=60, deadline=None)
@given(st.floats(12.0, 30.0))
def test_score_at_is_the_inverse_of_rank(r):
    m = real_model()
    score = m.field.score_at(2023, np.array([r]))
    assert m.field.rank(2023, score, 0.0)[0] == pytest.approx(r, abs=1e-6)
