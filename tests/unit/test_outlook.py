"""The briefing's DTI outlook rows, card groups, source short names, lever settings beside the
trend (:mod:`planner.outlook`), and the change between two numbers as shown
(:func:`planner.views.fmt_change_between`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.ids import OVERALL, RANK
from planner.outlook import (
    card_groups,
    dti_outlook,
    lever_settings,
    newest_rank,
    outlook_years,
    published_pillar_ranks,
    rank_before,
    source_short,
)
from planner.scenario import Scenario
from planner.views import fmt_change_between, fmt_outcome
from tests.engine_support import mini_model

DE = "digital_economy_share_grdp"


@pytest.fixture(scope="module")
def model():
    return mini_model()


@pytest.mark.parametrize(("today", "years"), [
    (dt.date(2026, 11, 27), (2027, 2030)),
    (dt.date(2027, 1, 1), (2028, 2030)),
    (dt.date(2029, 6, 1), (2030,)),
    (dt.date(2030, 2, 1), (2030,)),
    (dt.date(2033, 2, 1), (2030,)),
])
def test_outlook_years_are_the_first_year_ahead_and_2030(today, years):
    assert outlook_years(today) == years


FRAME = pd.DataFrame([
    # indicator, year, value, p10, p90, basis
    (OVERALL, 2027, 0.86126, 0.75591, 0.93175, "projection"),
    (RANK, 2027, 9.898, 1.5597, 25.68, "projection"),
    (OVERALL, 2030, 0.92534, 0.7928, 0.97952, "projection"),
    (RANK, 2030, 0.8, 0.3, 30.9, "projection"),
], columns=["indicator", "year", "value", "p10", "p90", "basis"])


def test_dti_outlook_takes_the_central_path_and_whole_ranks(model):
    rows = dti_outlook(FRAME, model, (2027, 2030, 2031))
    assert [r.year for r in rows] == [2027, 2030]  # 2031 has no row: left out
    first, last = rows
    assert (first.score, first.score_low, first.score_high) == (0.86126, 0.75591, 0.93175)
    assert (first.rank, first.rank_best, first.rank_worst) == (10, 2, 26)
    assert (last.rank, last.rank_best, last.rank_worst) == (1, 1, 31)  # never below place 1
    assert first.field == model.field.size(2027) == 34
    assert first.basis == "projection"


def test_dti_outlook_without_a_model_reads_the_field_from_the_rank_unit(model):
    """A stored snapshot read alone (the plain page) has no model: the rank's unit gives the
    field, and every number is the one the model's path gives."""
    units = FRAME.assign(unit=["index_0_1", "rank_of_34", "index_0_1", "rank_of_34"])
    assert dti_outlook(units, None, (2027, 2030)) == dti_outlook(FRAME, model, (2027, 2030))
    old = pd.DataFrame([(RANK, 2023, 12.2, 11.8, 12.9, "estimate", "rank_of_63"),
                        (OVERALL, 2023, 0.73, 0.72, 0.74, "estimate", "index_0_1")],
                       columns=[*FRAME.columns, "unit"])
    assert dti_outlook(old, None, (2023,))[0].field == 63


def test_dti_outlook_without_a_rank_row(model):
    rows = dti_outlook(FRAME[FRAME["indicator"] == OVERALL], model, (2027,))
    assert rows[0].rank is None and rows[0].rank_best is None


OBS = pd.DataFrame([
    ("dti_overall_rank", "Quảng Ninh", 2022, 3.0, "rank_of_63", "observed", ""),
    ("dti_overall_rank", "Quảng Ninh", 2023, 12.0, "rank_of_63", "external",
     "INFERRED, not stated"),
    ("dti_overall_rank", "Hà Nội", 2024, 1.0, "rank_of_34", "external", ""),
    ("dti_digital_government_rank", "Quảng Ninh", 2022, 4.0, "rank_of_63", "observed", ""),
    ("dti_digital_society_rank", "Quảng Ninh", 2022, 2.0, "rank_of_63", "observed", ""),
], columns=["indicator", "geography", "year", "value", "unit", "kind", "note_en"]).assign(
    conflict="", source="s", source_date="2024")


def test_newest_rank_is_the_provinces_latest():
    row = newest_rank(OBS)
    assert (int(row["year"]), row["value"]) == (2023, 12.0)  # not Hà Nội's 2024 place
    assert newest_rank(OBS[OBS["year"] < 2022]) is None


def test_rank_before_is_the_latest_earlier_rank_of_the_same_field():
    before = rank_before(OBS, newest_rank(OBS))
    assert (int(before["year"]), before["value"]) == (2022, 3.0)
    assert rank_before(OBS, OBS.iloc[0]) is None  # nothing before 2022


def test_published_pillar_ranks_leave_out_a_pillar_without_one():
    found = published_pillar_ranks(OBS)
    assert [rid for rid, _ in found] == ["dti_digital_government_rank", "dti_digital_society_rank"]
    assert [r["value"] for _, r in found] == [4.0, 2.0]


def test_card_groups_put_the_targets_of_one_indicator_and_year_on_one_card():
    cards = pd.DataFrame({"year": [2030, 2030, 2025, 2025], "indicator": [DE, DE, DE, "x"],
                          "target": [35.0, 30.0, 20.0, 90.0]})
    groups = card_groups(cards)
    assert [(int(g["year"].iloc[0]), g["indicator"].iloc[0]) for g in groups] == [
        (2030, DE), (2025, DE), (2025, "x")]
    assert groups[0]["target"].tolist() == [30.0, 35.0]  # lowest first
    assert card_groups(cards.iloc[0:0]) == []
    # the years ahead first, then the ended ones
    ahead = card_groups(cards.iloc[::-1], last_ended_year=2025)
    assert [int(g["year"].iloc[0]) for g in ahead] == [2030, 2025, 2025]


SOURCES = pd.DataFrame({"id": ["a", "b", "c", "d"], "title": [
    "Quảng Ninh tạo sức bật từ chuyển đổi số",
    "Đẩy mạnh tiêu dùng số (nêu mục tiêu của Nghị quyết 09-NQ/TU ngày 05/02/2022)",
    "[theo Báo] (Kế hoạch 97/KH-UBND, thanh toán không dùng tiền mặt 2022-2025)",
    "(Quyết định 749/QĐ-TTg; Quyết định 411/QĐ-TTg)"]})


@pytest.mark.parametrize(("ids", "short"), [
    (["a", "b"], "09-NQ/TU"),  # a document number wins over an earlier article
    (["c"], "97/KH-UBND"),
    (["d"], "749/QĐ-TTg"),
    (["a"], "Quảng Ninh tạo sức…"),
    (["zzz"], ""),
    ([], ""),
])
def test_source_short(ids, short):
    assert source_short(ids, SOURCES, words=4) == short


def test_lever_settings_stand_beside_the_baseline(model):
    lever = next(iter(model.levers))
    indicator = model.levers[lever].indicator
    baseline = pd.DataFrame({"indicator": [indicator], "year": [2027], "value": [57.17]})
    scenario = Scenario(levers={lever: {2030: 80.0, 2027: 60.0}})
    found = lever_settings(model, scenario, baseline)
    assert [(s.lever, s.year, s.value) for s in found] == [(lever, 2027, 60.0), (lever, 2030, 80.0)]
    assert found[0].trend == 57.17
    assert pd.isna(found[1].trend)  # no baseline row for 2030


@pytest.mark.parametrize(("new", "old", "indicator", "vi", "en"), [
    (14.94, 12.04, DE, "+2,9 điểm %", "+2.9 pp"),  # 14,9% - 12,0%, not 2,8 or 3,0
    (12.07, 12.04, DE, "+0,1 điểm %", "+0.1 pp"),  # 12,1% vs 12,0%: never "0"
    (12.04, 12.0, DE, None, None),  # both 12,0%
    (0.79204, 0.79643, OVERALL, "-0,0044", "-0.0044"),
    (11.4, 10.2, RANK, "-1 bậc", "-1 place"),  # 11th after 10th: a place lost
    (8.0, 10.4, RANK, "+2 bậc", "+2 places"),
    (10.4, 10.2, RANK, None, None),
])
def test_fmt_change_between_is_the_difference_as_shown(model, new, old, indicator, vi, en):
    assert fmt_change_between(new, old, indicator, 2030, model, "vi") == vi
    assert fmt_change_between(new, old, indicator, 2030, model, "en") == en


def test_fmt_change_between_missing(model):
    assert fmt_change_between(float("nan"), 1.0, OVERALL, 2030, model, "en") == "–"


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 100), st.floats(0, 100))
def test_a_change_is_shown_exactly_when_the_shown_numbers_differ(new, old):
    model = mini_model()
    change = fmt_change_between(new, old, DE, 2030, model, "en")
    # "76%" and "76.0%" read alike: the numbers shown are compared, not their texts
    shown_new, shown_old = (float(fmt_outcome(v, DE, 2030, model, "en").rstrip("%"))
                            for v in (new, old))
    assert (change is None) == (shown_new == shown_old)
    if change is not None:  # "+2.9 pp"; between whole numbers shown ("0%", "1%") "-1 pp"
        assert change.endswith(" pp") and change[0] in "+-"
        assert float(change[:-3]) == pytest.approx(round(shown_new - shown_old, 1))
