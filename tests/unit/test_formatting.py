"""Numbers and dates per locale (Babel): the Vietnamese and English styles exactly."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from planner.formatting import (
    MISSING,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_percent,
    fmt_rank,
    fmt_signed,
    fmt_value,
    unit_decimals,
)

UNITS = pd.DataFrame(
    {
        "id": ["index_0_1", "percent", "rank_of_63", "count"],
        "label_vi": ["Chỉ số", "Phần trăm", "Hạng", "Số"],
        "label_en": ["Index", "Percent", "Rank", "Count"],
        "min": [0.0, 0.0, 1.0, 0.0],
        "max": [1.0, 100.0, 63.0, math.nan],
        "decimals": [4, 1, 0, 0],
    }
)


def test_exact_strings_from_the_issue():
    assert fmt_number(0.7024, "vi") == "0,7024"
    assert fmt_int(3_400_000, "vi") == "3.400.000"
    assert fmt_number(0.7024, "en") == "0.7024"
    assert fmt_int(3_400_000, "en") == "3,400,000"
    assert fmt_percent(7.1, "vi") == "7,1%"
    assert fmt_percent(7.1, "en") == "7.1%"


def test_fixed_and_trimmed_decimals():
    assert fmt_number(0.78, "vi", 4) == "0,7800"
    assert fmt_number(12345.5, "vi", 2) == "12.345,50"
    assert fmt_number(12345.5, "en", 2) == "12,345.50"
    assert fmt_number(0.78, "en", 4, trim=True) == "0.78"
    assert fmt_percent(76, "vi", trim=True) == "76%"
    assert fmt_percent(76, "vi") == "76,0%"
    assert fmt_int(2.5, "en") == "2"  # half to even, as Babel rounds
    assert fmt_int(1234, "vi") == "1.234"


def test_numpy_and_float_noise():
    assert fmt_number(np.float64(0.1) + np.float64(0.2), "vi") == "0,3"
    assert fmt_number(np.int64(3_400_000), "vi") == "3.400.000"
    assert fmt_number(-0.5, "vi") == "-0,5"


@pytest.mark.parametrize("missing", [None, math.nan, np.nan, pd.NA, ""])
def test_missing_values_are_a_dash(missing):
    for fn in (fmt_number, fmt_int, fmt_percent, fmt_signed):
        assert fn(missing, "vi") == MISSING == "–"
    assert fmt_value(missing, "percent", "en", UNITS) == "–"
    assert fmt_rank(missing, 63, "vi") == "–"
    assert fmt_date(missing, "vi") == "–"


def test_unknown_language_is_an_error():
    with pytest.raises(ValueError):
        fmt_number(1, "fr")


def test_signed_changes():
    assert fmt_signed(0.2052, "vi", 4) == "+0,2052"
    assert fmt_signed(-0.2052, "en", 4) == "-0.2052"
    assert fmt_signed(4, "vi", 0) == "+4"
    assert fmt_signed(0, "vi", 0) == "0"


def test_rank():
    assert fmt_rank(3, 63, "vi") == "3/63"
    assert fmt_rank(3.0, 63.0, "en") == "3/63"
    assert fmt_rank(12, None, "en") == "12"


def test_value_uses_the_units_decimals():
    assert fmt_value(0.7024, "index_0_1", "vi", UNITS) == "0,7024"
    assert fmt_value(0.78, "index_0_1", "vi", UNITS) == "0,7800"
    assert fmt_value(7.1, "percent", "vi", UNITS) == "7,1%"
    assert fmt_value(76.0, "percent", "en", UNITS) == "76%"
    assert fmt_value(3_400_000, "count", "vi", UNITS) == "3.400.000"
    assert fmt_value(3, UNITS.iloc[2], "en") == "3"
    assert fmt_value(0.7024, {"id": "index_0_1", "decimals": 4}, "en") == "0.7024"
    # An unknown unit shows the number as it is.
    assert fmt_value(0.12345, "unknown", "en", UNITS) == "0.12345"
    assert fmt_value(7.1, "percent", "en", UNITS, decimals=2) == "7.10%"


def test_unit_decimals():
    assert unit_decimals("index_0_1", UNITS) == 4
    assert unit_decimals("unknown", UNITS) is None
    assert unit_decimals("percent") is None
    assert unit_decimals({"decimals": 2}) == 2


def test_dates():
    assert fmt_date(dt.date(2023, 7, 1), "en") == "Jul 1, 2023"
    assert fmt_date("2023-07-01", "en") == "Jul 1, 2023"
    assert fmt_date(pd.Timestamp("2023-07-01"), "vi") == fmt_date("2023-07-01", "vi")
    assert fmt_date("2023-07-01", "vi") == "1/7/2023"
    assert fmt_date("2023-07", "en") == "July 2023"
    assert fmt_date("2023-07", "vi") == "tháng 7 năm 2023"
    assert fmt_date("2023", "vi") == "2023"
    assert fmt_date("2025-01..2025-05", "en") == "2025-01..2025-05"
    assert fmt_date("2023-13", "en") == "2023-13"


# --- any float, however large: never an exception (a link can carry 1e22 or 1e308) ----------
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(x=st.floats(allow_nan=True, allow_infinity=True), lang=st.sampled_from(["vi", "en"]),
       decimals=st.one_of(st.none(), st.integers(0, 8)), trim=st.booleans())
def test_no_float_makes_the_formatters_raise(x, lang, decimals, trim):
    texts = [
        fmt_number(x, lang, decimals, trim=trim),
        fmt_int(x, lang),
        fmt_percent(x, lang, decimals or 0, trim=trim),
        fmt_signed(x, lang, decimals),
        fmt_rank(x, x, lang),
        fmt_value(x, "percent", lang, UNITS, decimals),
        fmt_value(x, UNITS.iloc[0], lang),
    ]
    assert all(isinstance(text, str) and text for text in texts)


@pytest.mark.parametrize(("x", "lang", "decimals", "expected"), [
    (1e22, "vi", 6, "1E22"),
    (1e22, "en", None, "1E22"),
    (-1.2345e22, "vi", 2, "-1,234E22"),
    (1.7976931348623157e308, "en", 0, "1.798E308"),
    (math.inf, "vi", 6, "∞"),
    (-math.inf, "en", None, "-∞"),
    (1e15, "en", 0, "1E15"),
    (999_999_999_999_999.0, "en", 0, "999,999,999,999,999"),
    (123_456_789_012_345.0, "en", 0, "123,456,789,012,345"),
])
def test_huge_and_infinite_numbers(x, lang, decimals, expected):
    assert fmt_number(x, lang, decimals, trim=True) == expected


@pytest.mark.parametrize(("value", "vi", "en"), [
    ("2023-12-31", "31/12/2023", "Dec 31, 2023"),
    ("2024-09", "tháng 9 năm 2024", "September 2024"),
    ("2023-H1", "6 tháng đầu năm 2023", "first half of 2023"),
    ("2025-01..2025-05", "tháng 1 năm 2025 – tháng 5 năm 2025", "January 2025 – May 2025"),
    ("2022..2025", "2022 – 2025", "2022 – 2025"),
    ("", "", ""),
])
def test_fmt_period_writes_every_period_in_the_language(value, vi, en):
    from planner.formatting import fmt_period

    assert fmt_period(value, "vi") == vi
    assert fmt_period(value, "en") == en


def test_fmt_datetime_is_the_date_then_the_time():
    from planner.formatting import fmt_datetime

    moment = dt.datetime(2026, 11, 27, 14, 5)
    assert fmt_datetime(moment, "vi") == "27/11/2026 14:05"
    assert fmt_datetime(moment, "en") == "Nov 27, 2026 14:05"


@pytest.mark.parametrize("p, vi, en", [
    (0.0, "< 1%", "< 1%"), (0.002, "< 1%", "< 1%"), (0.0049, "< 1%", "< 1%"),
    (0.005, "< 1%", "< 1%"), (0.0051, "1%", "1%"), (0.37, "37%", "37%"), (0.994, "99%", "99%"),
    (0.995, "> 99%", "> 99%"),
    (0.998, "> 99%", "> 99%"), (1.0, "> 99%", "> 99%"), (None, MISSING, MISSING)])
def test_a_chance_never_reads_zero_nor_certain(p, vi, en):
    from planner.formatting import fmt_chance
    assert (fmt_chance(p, "vi"), fmt_chance(p, "en")) == (vi, en)
