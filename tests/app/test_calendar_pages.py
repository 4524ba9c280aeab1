"""Every page on any day from 2026 to 2036 (AppTest, the real data).

Every page of the app (``app.PAGES``) runs without an error on days spread across the span in
both languages; the scenarios page and the briefing also on each year boundary around the
horizon's end. Once 2030 has begun no year is left to set: the scenarios page, the briefing
and compare say so, the levers are not offered, the briefing's cards are those of 2030 (never
"no target for 2029"), and a scenario saved before, whose settings are for ended years, still
opens with its saved numbers. The model is cached per year (``ui.model``), so each day gets a
model fitted on it.
"""

from __future__ import annotations

import ast
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.engine import load_model
from planner.horizon import END_YEAR, TODAY_ENV, headline_years, settable_years
from planner.i18n import LANGS, t
from planner.problems import Problem
from planner.saved import save_scenario
from planner.store import DuckDBStore
from planner.views import horizon_notice
from tests.app.html_tables import table_with
from tests.app.opening import open_on as open_page_on
from tests.app.saved_helpers import (
    APP,
    TIMEOUT,
    assert_clean,
    lever_panel_data,
    live_charts,
    strip_numbers,
)
from ui.link_messages import link_problem_text, problem_text


def app_pages() -> tuple[tuple[str, str, str], ...]:
    """The app's page list (``PAGES`` of ``app.py``), read without importing the app."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    found = [node.value for node in tree.body if isinstance(node, ast.AnnAssign)
             and getattr(node.target, "id", "") == "PAGES"]
    return ast.literal_eval(found[0])


PAGES = app_pages()
PLANNER, BRIEFING, COMPARE = "app_pages/planner_page.py", "app_pages/briefing.py", \
    "app_pages/compare.py"

SPAN = ("2026-06-15", "2028-03-01", "2029-09-30", "2030-06-01", "2032-02-29", "2036-12-31")
"""Days across the span: every page, both languages."""

BOUNDARIES = ("2026-12-31", "2027-01-01", "2027-12-31", "2028-01-01", "2028-12-31",
              "2029-01-01", "2029-12-31", "2030-01-01", "2030-12-31", "2031-01-01")
"""Each year boundary up to the horizon's end: the scenarios page and the briefing."""


def open_on(db: Path, monkeypatch: pytest.MonkeyPatch, day: str, lang: str, page: str,
            params: dict[str, str] | None = None) -> AppTest:
    """The app on ``day``, opened from a link with ``params``, then on ``page``."""
    monkeypatch.setenv(TODAY_ENV, day)
    monkeypatch.setenv("PLANNER_DB", str(db))
    at = open_page_on(page, lang, params, TIMEOUT)
    assert_clean(at)
    return at


def infos(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.info]


def assert_notice(at: AppTest, day: str, lang: str) -> None:
    """The horizon's notice is shown exactly when no year is left to set."""
    notice = horizon_notice(dt.date.fromisoformat(day), lang)
    shown = [text for text in infos(at) if text in (t("horizon.under_way", lang, end=END_YEAR),
                                                     t("horizon.ended", lang, end=END_YEAR))]
    assert shown == ([notice] if notice else []), infos(at)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("day", SPAN)
def test_every_page_works_on_the_day(loaded_db, monkeypatch, day, lang):
    """One session visits every page in turn, as a reader following the menu would."""
    at = open_on(loaded_db, monkeypatch, day, lang, BRIEFING)
    for page, url_path, _ in PAGES:
        if page != BRIEFING:
            at.switch_page(page).run()
            assert_clean(at)
        assert at.title, url_path
        if page in (PLANNER, BRIEFING, COMPARE):
            assert_notice(at, day, lang)


@pytest.mark.parametrize("day", BOUNDARIES)
def test_planner_on_a_year_boundary(loaded_db, monkeypatch, day):
    lang = "vi" if day.endswith("12-31") else "en"
    on = dt.date.fromisoformat(day)
    at = open_on(loaded_db, monkeypatch, day, lang, PLANNER)
    assert_notice(at, day, lang)
    years = settable_years(on)
    # three levers, one slider a year left to set; none once no year is left
    if years:
        values = lever_panel_data(at)["values"]
        assert sorted(values) == ["cashless", "ecommerce", "online_filing"]
        assert all(list(v) == [str(y) for y in years] for v in values.values())
    else:
        assert not [e for e in at.get("bidi_component")  # no lever panel
                    if e.proto.component_name == "planner_lever_panel"]
        assert len(live_charts(at)) == 5  # the charts still show the years to 2030
        assert t("horizon.no_levers", lang) in infos(at)
    # the headline always shows 2030, and the outcome table the headline years
    labels = [n["label"] for n in strip_numbers(at)]
    assert any(str(END_YEAR) in label for label in labels), labels
    table = table_with(at, t("planner.table.year", lang))
    assert set(table[t("planner.table.year", lang)]) == {str(y) for y in headline_years(on)}
    # once every target's year has ended, none is "ahead": said in words, not 0/0
    ahead = {n["label"]: n["value"] for n in strip_numbers(at)}[t("targets.ahead.metric", lang)]
    assert ahead != "0/0"


@pytest.mark.parametrize("day", BOUNDARIES)
def test_briefing_on_a_year_boundary(loaded_db, monkeypatch, day):
    """The cards are the targets of the headline years that hold one: 2030's at least, never
    "no target for 2029" while 2030's targets exist."""
    lang = "en" if day.endswith("12-31") else "vi"
    at = open_on(loaded_db, monkeypatch, day, lang, BRIEFING)
    assert_notice(at, day, lang)
    none = t("targets.none_for_years", lang, years="").split("{")[0][:20]
    assert not [text for text in infos(at) if text.startswith(none)], infos(at)
    # a card per target of 2030 (its metric names the year)
    assert any(str(END_YEAR) in m.label for m in at.metric), [m.label for m in at.metric]
    summary = {m.label: m.value for m in at.metric}[t("targets.summary.metric", lang)]
    assert summary != "0/0"
    if int(day[:4]) - 1 >= END_YEAR:  # every target's year has ended
        assert summary == t("targets.summary.none_ahead", lang)


@pytest.fixture(scope="module")
def old_db(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the database with a scenario saved on 2026-11-27 that sets 2027 and 2030."""
    path = tmp_path_factory.mktemp("calendar_saved") / "planner.duckdb"
    shutil.copyfile(loaded_db, path)
    store = DuckDBStore(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TODAY_ENV, "2026-11-27")
        model = load_model(store)
        saved, _ = save_scenario(store, model, {"levers": {"cashless": {"2027": 60},
                                                           "ecommerce": {"2030": 70}}},
                                 "saved in 2026", draws=300)
    return path, saved.id


@pytest.fixture(scope="module")
def saved_numbers(old_db: tuple[Path, str]) -> Callable[[str], dict]:
    """``saved_numbers(lang)``: the saved page's numbers of ``old_db``'s scenario on the day
    it was saved, ``{label: value}``; one page run a language for the module."""
    runs: dict[str, dict] = {}

    def get(lang: str) -> dict:
        if lang not in runs:
            path, sid = old_db
            with pytest.MonkeyPatch.context() as patch:
                at = open_on(path, patch, "2026-11-27", lang, "app_pages/saved.py", {"s": sid})
            runs[lang] = {str(m.label): m.value for m in at.metric}
        return runs[lang]

    return get


@pytest.mark.parametrize(("day", "lang"), [("2030-06-01", "vi"), ("2031-01-01", "en"),
                                           ("2036-12-31", "vi")])
def test_a_scenario_saved_before_opens_after_the_horizon(old_db, saved_numbers, monkeypatch,
                                                         day, lang):
    """Its settings are for years that can no longer be set: every page opens it with the
    numbers as saved and names the settings that no longer apply."""
    path, sid = old_db
    saved = saved_numbers(lang)
    dropped = problem_text(Problem("levers.cashless.2027", "no_year_left",
                                   {"year": "2027", "end": str(END_YEAR)}), lang)
    for page in (PLANNER, BRIEFING, "app_pages/saved.py"):
        at = open_on(path, monkeypatch, day, lang, page, {"s": sid})
        shown = {str(m.label): m.value for m in at.metric} | {
            n["label"]: n["value"] for n in strip_numbers(at)}  # the planner's headline
        # the numbers exactly as saved (the years headlined follow today: 2030's are in both)
        both = set(shown) & set(saved)
        assert sum(str(END_YEAR) in label for label in both) == 3, (shown, saved)
        assert {k: shown[k] for k in both} == {k: saved[k] for k in both}
        if page != "app_pages/saved.py":  # the settings that no longer apply are named
            assert any(dropped in str(e.value) for e in at.markdown)
    at = open_on(path, monkeypatch, day, lang, COMPARE, {"c": f"baseline,{sid}"})
    assert at.dataframe  # the comparison is drawn


@pytest.mark.parametrize("lang", LANGS)
def test_a_link_setting_a_lever_after_the_horizon_says_why_it_is_left_out(loaded_db,
                                                                           monkeypatch, lang):
    at = open_on(loaded_db, monkeypatch, "2031-01-01", lang, PLANNER, {"cashless.2030": "60"})
    said = link_problem_text(Problem("cashless.2030", "no_year_left",
                                     {"year": "2030", "end": str(END_YEAR)}), lang)
    assert [str(e.value) for e in at.warning] == [said]
