"""A change shown beside two shown numbers is their shown difference (hypothesis)."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
import pytest
from babel.numbers import parse_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.formatting import locale_of
from planner.ids import is_rank
from planner.views import (
    apportion,
    fmt_change_between,
    fmt_gap_between,
    fmt_outcome,
    outcome_order,
    waterfall_steps,
)
from tests.engine_support import mini_model

MODEL = mini_model()
OUTCOMES = outcome_order(MODEL)
YEAR = 2030
DE = "digital_economy_share_grdp"
SIGNED = re.compile(r"^([+-]?)([0-9.,]+)")


def _bounds(indicator: str) -> tuple[float, float]:
    unit = MODEL.unit_of(indicator, YEAR)
    if is_rank(indicator):
        return 1.0, float(MODEL.field.size(YEAR))
    return (0.0, 100.0) if unit == "percent" else (0.0, 1.0)


def _shown(value: float, indicator: str, lang: str) -> Decimal:
    """The number a reader reads off the formatted value (a rank: the part before ``/``)."""
    text = fmt_outcome(value, indicator, YEAR, MODEL, lang)
    return parse_decimal(text.removesuffix("%").split("/")[0], locale=locale_of(lang))


def _read_change(text: str, lang: str) -> Decimal:
    """The signed number of a change's text (``+2,9 điểm %``, ``-3 places``)."""
    found = SIGNED.match(text)
    assert found, text
    number = parse_decimal(found.group(2), locale=locale_of(lang))
    return -number if found.group(1) == "-" else number


@st.composite
def pairs(draw):
    indicator = draw(st.sampled_from(OUTCOMES))
    low, high = _bounds(indicator)
    value = st.floats(min_value=low, max_value=high, allow_nan=False)
    new = draw(value)
    # often close to the first, where rounding decides
    near = st.floats(min_value=-0.06, max_value=0.06).map(
        lambda d: min(high, max(low, new + d * (high - low) / 10)))
    old = draw(st.one_of(value, near))
    return indicator, new, old, draw(st.sampled_from(("vi", "en")))


@settings(max_examples=400, deadline=None)
@given(pairs())
def test_the_change_is_the_difference_of_the_numbers_shown(case):
    indicator, new, old, lang = case
    shown_new, shown_old = _shown(new, indicator, lang), _shown(old, indicator, lang)
    change = fmt_change_between(new, old, indicator, YEAR, MODEL, lang)
    if shown_new == shown_old:
        assert change is None
        return
    assert change is not None and change != "0"
    # a rank's change is places gained: a smaller rank is better
    expected = shown_old - shown_new if is_rank(indicator) else shown_new - shown_old
    assert _read_change(change, lang) == expected


@pytest.mark.parametrize(("new", "old", "lang", "text"), [
    (14.86, 12.04, "vi", "+2,9 điểm %"),   # 12,0% → 14,9%, not the unrounded +2,8
    (14.94, 11.96, "en", "+2.9 pp"),       # 12.0% → 14.9%, not the unrounded +3.0
    (12.06, 12.04, "vi", "+0,1 điểm %"),   # 12,0% → 12,1%: never "0"
    (12.04, 12.0, "en", None),             # 12.0% and 12%: alike
])
def test_share_changes_read_off_the_shown_numbers(new, old, lang, text):
    assert fmt_change_between(new, old, "digital_economy_share_grdp", YEAR, MODEL, lang) == text


def test_rank_changes_are_places_gained_between_whole_ranks():
    assert fmt_change_between(8.4, 12.6, "dti_overall_rank", YEAR, MODEL, "en") == "+5 places"
    assert fmt_change_between(12.6, 12.5, "dti_overall_rank", YEAR, MODEL, "vi") == "-1 bậc"
    assert fmt_change_between(12.4, 11.6, "dti_overall_rank", YEAR, MODEL, "vi") is None
    assert fmt_change_between(float("nan"), 3, "dti_overall_rank", YEAR, MODEL, "vi") == "–"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(min_value=-5, max_value=5, allow_nan=False), min_size=1, max_size=4),
       st.floats(min_value=0, max_value=80, allow_nan=False), st.sampled_from(("vi", "en")))
def test_the_waterfalls_parts_add_up_to_the_change_its_ends_show(parts, start, lang):
    """Each lever's part, as shown, adds up to the shown end minus the shown start."""
    ind = "digital_economy_share_grdp"
    end = start + sum(parts)
    ends = [_shown(v, ind, lang) for v in (start, end)]
    shown = apportion(parts, ends[1] - ends[0], Decimal("0.1"))
    assert sum(shown) == ends[1] - ends[0]
    if abs(sum(Decimal(repr(p)) for p in parts) - (ends[1] - ends[0])) < Decimal("0.1"):
        # the rounding moves each part by less than two steps shown
        assert all(abs(q - Decimal(repr(p))) < Decimal("0.2") for q, p in zip(shown, parts,
                                                                              strict=True))


def test_the_waterfall_texts_add_up_to_its_ends():
    parts = pd.DataFrame({"indicator": [DE] * 2, "year": [2030, 2030],
                          "lever": ["cashless", "ecommerce"], "contribution": [1.41, 1.41]})
    base = pd.DataFrame({"indicator": [DE], "year": [2030], "value": [12.04]})
    scen = pd.DataFrame({"indicator": [DE], "year": [2030], "value": [14.86]})
    steps = waterfall_steps(MODEL, DE, parts, base, scen, {}, "vi", (2030,))
    # 12,0% → 14,9%: the levers read +1,5 and +1,4 (not +1,4 twice, which adds to 2,8)
    assert [s[4] for s in steps] == ["12,0%", "+1,5 điểm %", "+1,4 điểm %", "14,9%"]


@pytest.mark.parametrize(("value", "target", "text"), [
    (12.04, 30.0, "18,0 điểm %"),
    (29.96, 30.0, "< 0,1 điểm %"),   # short, but reads 30,0%: never "0"
    (29.94, 30.0, "0,1 điểm %"),
])
def test_a_gap_to_a_target_is_the_difference_of_the_two_numbers_shown(value, target, text):
    assert fmt_gap_between(value, target, DE, YEAR, MODEL, "vi") == text


def test_compare_and_a_saved_scenario_read_the_difference_off_the_numbers_shown():
    from ui.saved_view import Labels, fmt_change_shown

    labels = Labels("vi", {"percent": {"id": "percent", "decimals": 1},
                           "index_0_1": {"id": "index_0_1", "decimals": 4}}, {}, {})
    assert fmt_change_shown("14,9%", "12,0%", DE, "percent", labels) == "+2,9 điểm %"
    assert fmt_change_shown("12,1%", "12,0%", DE, "percent", labels) == "+0,1 điểm %"
    assert fmt_change_shown("12%", "12,0%", DE, "percent", labels) == "0"
    assert fmt_change_shown("0,8123", "0,8000", "dti_overall", "index_0_1", labels) == "+0,0123"
    # a rank: places gained between the ranks shown
    assert fmt_change_shown("8/34", "13/34", "dti_overall_rank", "rank_of_34", labels) == "+5 bậc"
    assert fmt_change_shown("13/34", "13/34", "dti_overall_rank", "rank_of_34", labels) == "0 bậc"
