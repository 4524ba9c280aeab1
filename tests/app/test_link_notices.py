"""Links the pages cannot use in full: huge values, thousands of problems, fixed assumptions.

Every page that reads a scenario from its link draws without an exception whatever number the
link holds, shows the link's problems in one warning of at most six lines, and names an
assumption it cannot change instead of dropping it without a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.formatting import fmt_int
from planner.i18n import t
from planner.links import DROPPED_KEY, MAX_QUERY_CHARS, MAX_QUERY_FIELDS
from planner.usertext import escape_markdown
from tests.app.saved_helpers import APP, COMPARE_PAGE, SAVED_PAGE, TIMEOUT, assert_clean
from tests.app.saved_helpers import open_page as saved_open_page
from ui.scenario_state import LINK_PROBLEMS_SHOWN

BRIEFING = "app_pages/briefing.py"
PLANNER = "app_pages/planner_page.py"
PAGES = (BRIEFING, PLANNER, SAVED_PAGE, COMPARE_PAGE)
HUGE = ("online_filing.2027", "a.e_filing_to_dg")


def open_page(db: Path, monkeypatch, page: str, lang: str, params: dict[str, str]) -> AppTest:
    """The page as opened from a link to it: its first run has the link's parameters."""
    monkeypatch.setenv("PLANNER_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in {"lang": lang, **params}.items():
        at.query_params[key] = value
    return at.switch_page(page).run()


def link_warnings(at) -> list[str]:
    return [str(w.value) for w in at.warning if w.proto.icon == ":material/link_off:"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("param", HUGE)
def test_a_huge_value_is_named_and_the_page_draws(loaded_db: Path, monkeypatch, page, param):
    at = open_page(loaded_db, monkeypatch, page, lang="en", params={param: "1e22"})
    assert_clean(at)
    shown = link_warnings(at)
    assert len(shown) == 1, shown
    # named in scientific form (planner.problems), which no locale pattern can write
    assert "1e+22" in shown[0] and escape_markdown(param) in shown[0], shown[0]


@pytest.mark.parametrize("page", (BRIEFING, PLANNER))
def test_infinity_and_nan_in_a_link(loaded_db: Path, monkeypatch, page):
    at = open_page(loaded_db, monkeypatch, page, lang="vi",
                   params={"online_filing.2027": "inf", "cashless.2030": "nan",
                           "a.e_filing_to_dg": "-1e308"})
    assert_clean(at)
    assert len(link_warnings(at)) == 1


@pytest.mark.parametrize("page", (COMPARE_PAGE, SAVED_PAGE, PLANNER))
def test_thousands_of_problems_make_one_short_warning(loaded_db: Path, monkeypatch, page):
    params = {"c": "," * 2000, "cashless.2030": "x", "online_filing.2027": "999",
              "a.nope": "1", "ecommerce.1999": "5", "nolever.2027": "1", "s": "??"}
    at = open_page(loaded_db, monkeypatch, page, lang="en", params=params)
    assert_clean(at)
    shown = link_warnings(at)
    assert len(shown) == 1, len(shown)
    lines = [line for line in shown[0].splitlines() if line.startswith("- ")]
    assert 1 <= len(lines) <= LINK_PROBLEMS_SHOWN + 1, lines
    if len(lines) == LINK_PROBLEMS_SHOWN + 1:
        assert lines[-1].startswith("- and ") and lines[-1].endswith(" more."), lines[-1]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ("vi", "en"))
def test_a_fixed_assumption_in_the_link_is_named(loaded_db: Path, monkeypatch, page, lang):
    # in its range, but fixed when the model is fitted: no page can apply it
    at = open_page(loaded_db, monkeypatch, page, lang=lang,
                   params={"a.field_average_percentile": "0.45"})
    assert_clean(at)
    shown = link_warnings(at)
    assert len(shown) == 1, shown
    name = {"vi": "cố định khi ước lượng", "en": "fixed when the model is fitted"}[lang]
    assert name in shown[0] and "field\\_average\\_percentile" in shown[0], shown[0]
    assert t("notice.link.heading", lang) not in shown[0]  # one problem: no list


def open_dropped(db: Path, monkeypatch, page: str, params: dict[str, str]) -> AppTest:
    """The page as the server sends on a link too long to read (``ui.long_links``)."""
    lang = params.pop("lang", None)
    return saved_open_page(db, monkeypatch, page, lang=lang, params=params)


def dropped_text(lang: str, count: int = 1001) -> str:
    return t("notice.link.dropped", lang, count=fmt_int(count, lang),
             max=fmt_int(MAX_QUERY_FIELDS, lang), chars=fmt_int(MAX_QUERY_CHARS, lang))


@pytest.mark.parametrize(("page", "params", "lang"), [
    (PLANNER, {"lang": "en", DROPPED_KEY: "1001"}, "en"),
    (BRIEFING, {DROPPED_KEY: "1001"}, "vi"),  # no language known: Vietnamese
    ("app_pages/data_sources.py", {"lang": "en", DROPPED_KEY: "1001"}, "en"),
])
def test_a_link_too_long_to_read_is_named_on_its_page(loaded_db: Path, monkeypatch, page,
                                                      params, lang):
    at = open_dropped(loaded_db, monkeypatch, page, params)
    assert_clean(at)
    assert dropped_text(lang) in link_warnings(at)
    assert DROPPED_KEY not in at.query_params  # out of the address, kept for this page
    at.run()
    assert dropped_text(lang) in link_warnings(at)


def test_the_notice_goes_with_another_page_and_a_bad_count_shows_none(loaded_db: Path,
                                                                      monkeypatch):
    at = open_dropped(loaded_db, monkeypatch, PLANNER, {"lang": "en", DROPPED_KEY: "1200"})
    assert dropped_text("en", 1200) in link_warnings(at)
    at.switch_page(BRIEFING).run()
    assert link_warnings(at) == []
    bad = open_dropped(loaded_db, monkeypatch, PLANNER, {"lang": "en", DROPPED_KEY: "abc"})
    assert_clean(bad)
    assert link_warnings(bad) == [] and DROPPED_KEY not in bad.query_params
