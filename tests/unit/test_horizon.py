"""The calendar for any day from 2026 to 2036: the years a scenario sets, the headline years,
the end of the horizon, and what a year that cannot be set is told (planner.horizon,
planner.scenario.year_problem, planner.views.horizon_notice)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner import horizon
from planner.horizon import END_YEAR, START_YEAR
from planner.i18n import LANGS, t
from planner.problems import problem_text
from planner.scenario import set_example, year_problem
from planner.views import ahead_text, horizon_notice

DAYS = st.dates(dt.date(2026, 1, 1), dt.date(2036, 12, 31))
"""Every day the planner must work on."""


@pytest.mark.parametrize(("day", "settable", "headline"), [
    ("2026-01-01", (2027, 2030), (2025, 2027, 2030)),
    ("2026-11-27", (2027, 2030), (2025, 2027, 2030)),
    ("2026-12-31", (2027, 2030), (2025, 2027, 2030)),
    ("2027-01-01", (2028, 2030), (2026, 2028, 2030)),
    ("2028-12-31", (2029, 2030), (2027, 2029, 2030)),
    ("2029-01-01", (2030,), (2028, 2030)),
    ("2029-12-31", (2030,), (2028, 2030)),
    ("2030-01-01", (), (2029, 2030)),
    ("2030-06-01", (), (2029, 2030)),
    ("2030-12-31", (), (2029, 2030)),
    ("2031-01-01", (), (2030,)),
    ("2036-12-31", (), (2030,)),
])
def test_years_on_a_day(day: str, settable: tuple, headline: tuple) -> None:
    on = dt.date.fromisoformat(day)
    assert horizon.settable_years(on) == settable
    assert horizon.horizon_ended(on) is (not settable)
    assert horizon.shown_years(on) == (settable or (END_YEAR,))
    assert horizon.headline_years(on) == headline


@given(DAYS)
def test_every_day_has_years_to_show_within_the_plan(on: dt.date) -> None:
    shown, headline = horizon.shown_years(on), horizon.headline_years(on)
    assert shown and headline  # never an empty list for a page or an export to index
    assert list(headline) == sorted(set(headline))
    assert all(START_YEAR <= y <= END_YEAR for y in headline)
    assert set(horizon.settable_years(on)) <= set(shown) <= set(headline)
    assert END_YEAR in headline  # the plan's targets year is always headlined
    assert horizon.horizon_ended(on) is (on.year >= END_YEAR)
    # every settable year lies after the last ended year: a lever never changes the past
    assert all(y > horizon.last_ended_year(on) for y in horizon.settable_years(on))


def test_the_date_is_read_when_asked_not_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """The module keeps no years fixed at import (a server or a test changing the date sees
    the new years at once)."""
    assert not hasattr(horizon, "SETTABLE_YEARS") and not hasattr(horizon, "LAST_ENDED_YEAR")
    monkeypatch.setenv(horizon.TODAY_ENV, "2031-01-01")
    assert horizon.settable_years() == () and horizon.last_ended_year() == 2030
    monkeypatch.setenv(horizon.TODAY_ENV, "2027-01-01")
    assert horizon.settable_years() == (2028, 2030)


@pytest.mark.parametrize(("day", "text", "code"), [
    ("2026-11-27", "2027", None),
    ("2026-11-27", "2025", "year_ended"),
    ("2026-11-27", "2028", "bad_year"),
    ("2026-11-27", "year", "bad_year"),
    ("2029-06-01", "2030", None),
    ("2029-06-01", "2029", "bad_year"),  # under way, not ended: still not settable
    ("2030-06-01", "2030", "no_year_left"),
    ("2031-01-01", "2030", "no_year_left"),
    ("2036-12-31", "2027", "no_year_left"),
])
def test_a_year_that_cannot_be_set_is_named(day: str, text: str, code: str | None) -> None:
    found = year_problem("levers.online_filing." + text, text, dt.date.fromisoformat(day))
    assert (found.code if found else None) == code


@pytest.mark.parametrize("lang", LANGS)
def test_once_no_year_is_left_the_problem_says_so_in_words(lang: str) -> None:
    """The message never lists an empty set of years ("only  can be set")."""
    found = year_problem("levers.online_filing.2030", "2030", dt.date(2031, 1, 1))
    text = problem_text(found, lang)
    assert str(END_YEAR) in text and "()" not in text and "  " not in text
    assert text == t("problem.no_year_left", lang, field="levers.online_filing.2030",
                     year="2030", end=END_YEAR)


def test_the_example_of_a_setting_is_a_year_that_exists() -> None:
    assert set_example(dt.date(2026, 11, 27)) == "online_filing@2027=90"
    assert set_example(dt.date(2031, 1, 1)) == f"online_filing@{END_YEAR}=90"


@pytest.mark.parametrize("lang", LANGS)
def test_the_horizon_notice_is_due_once_2030_has_begun(lang: str) -> None:
    assert horizon_notice(dt.date(2029, 12, 31), lang) is None
    assert horizon_notice(dt.date(2030, 1, 1), lang) == t("horizon.under_way", lang, end=END_YEAR)
    assert horizon_notice(dt.date(2030, 12, 31), lang) == t("horizon.under_way", lang,
                                                            end=END_YEAR)
    assert horizon_notice(dt.date(2031, 1, 1), lang) == t("horizon.ended", lang, end=END_YEAR)
    assert horizon_notice(dt.date(2036, 12, 31), lang) == t("horizon.ended", lang, end=END_YEAR)


@pytest.mark.parametrize("lang", LANGS)
def test_no_target_ahead_reads_none_left_not_zero_of_zero(lang: str) -> None:
    assert ahead_text(1, 2, lang) == "1/2"
    assert ahead_text(0, 0, lang) == t("targets.summary.none_ahead", lang)
