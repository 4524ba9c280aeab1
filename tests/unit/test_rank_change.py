"""One sign convention for a rank's change on every page: places gained, better is green."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.comparison import outcome_comparison
from planner.engine import load_model
from planner.store import DuckDBStore
from planner.views import fmt_gap, fmt_rank_change, places_gained, rank_delta_color


@pytest.fixture(scope="module")
def model(loaded_db: Path):
    return load_model(DuckDBStore(loaded_db))


def test_places_gained_is_positive_when_the_rank_gets_smaller():
    assert places_gained(12, 8) == 4
    assert places_gained(3, 7) == -4
    assert places_gained(12.4, 11.6) == 0  # whole ranks: 12 then 12


def test_the_words_carry_the_sign_a_metric_reads():
    assert fmt_rank_change(4, "vi") == "+4 bậc"
    assert fmt_rank_change(4, "en") == "+4 places"
    assert fmt_rank_change(-1, "en") == "-1 place"
    assert fmt_rank_change(0, "vi") == "0 bậc"
    assert fmt_rank_change(None, "vi") == "–"
    assert rank_delta_color(4) == "normal" and rank_delta_color(0) == "off"


@given(st.integers(1, 63), st.integers(1, 63))
def test_gained_text_starts_with_plus_exactly_when_the_rank_improves(before, after):
    text = fmt_rank_change(places_gained(before, after), "en")
    assert text.startswith("+") == (after < before)
    assert text.startswith("-") == (after > before)


@given(st.integers(1, 34), st.integers(1, 34))
def test_compare_reads_the_same_as_the_planner(a, b):
    def frame(rank):
        return pd.DataFrame([{"indicator": "dti_overall_rank", "year": 2030, "value": rank,
                              "p10": rank, "p90": rank, "unit": "rank_of_34"}])
    out = outcome_comparison([frame(a), frame(b)], ["dti_overall_rank"], (2030,))
    assert out.loc[out["slot"] == "B", "difference"].iloc[0] == places_gained(a, b)


def test_a_gap_between_shares_is_in_percentage_points(model):
    assert fmt_gap(12.1, "digital_economy_share_grdp", 2030, model, "vi") == "12,1 điểm %"
    assert fmt_gap(-12.1, "digital_economy_share_grdp", 2030, model, "en") == "12.1 pp"
    assert fmt_gap(4, "dti_overall_rank", 2030, model, "en") == "4"


def test_an_export_states_a_gap_between_shares_in_percentage_points(model):
    from planner.export.bundle import from_model
    from planner.scenario import BASELINE
    from planner.targets import evaluate_targets

    sim = model.simulate(BASELINE, draws=200, seed=0)
    b = from_model(model, BASELINE, "vi", draws=200, seed=0, frame=sim.frame(),
                   targets=evaluate_targets(model, sim))
    rows = [r for r in b.targets.to_dict("records") if r["unit"] == "percent"
            and r["basis"] != "observed" and float(r["gap"]) > 0]
    assert rows
    for r in rows:
        assert b.fmt_gap(r).endswith(" điểm %"), b.fmt_gap(r)
