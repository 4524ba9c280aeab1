"""The scenarios page's layout (Streamlit AppTest, real database): the headline beside the
levers shows the first settable year and 2030, each slider is named by its lever and year, and
the targets table shows what matters first, wide enough to read."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.engine import load_model
from planner.figures.outcomes import STATUS_COLOURS
from planner.i18n import LANGS, label, t
from planner.store import DuckDBStore
from planner.views import lever_views
from tests.app.html_tables import html_bodies, table_with
from tests.app.opening import open_on
from tests.app.saved_helpers import assert_clean, lever_panel_data, set_lever, strip_numbers

REPO = Path(__file__).resolve().parents[2]
PAGE = "app_pages/planner_page.py"
TIMEOUT = 60
OUTCOMES = ("dti_overall", "dti_overall_rank", "digital_economy_share_grdp")


@pytest.fixture(scope="module")
def labels(loaded_db: Path) -> dict[str, dict[str, str]]:
    """``{lang: {indicator: label}}`` of the real data."""
    indicators = DuckDBStore(loaded_db).dataset().indicators
    return {lang: {str(r["id"]): label(r, lang) for _, r in indicators.iterrows()}
            for lang in LANGS}


@pytest.fixture(scope="module")
def levers(loaded_db: Path):
    """The levers of the real data."""
    return lever_views(load_model(DuckDBStore(loaded_db)))


@pytest.fixture
def planner(loaded_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``planner(lang, params=None)``: the scenarios page opened from a link."""
    monkeypatch.setenv("PLANNER_DB", str(loaded_db))

    def open_page(lang: str, params: dict[str, str] | None = None) -> AppTest:
        at = open_on(PAGE, lang, params, TIMEOUT)
        assert_clean(at)
        return at

    return open_page


def metric(at: AppTest, labels: dict[str, dict[str, str]], ind: str, year: int) -> str:
    lang = at.session_state["lang"]
    name = t("planner.metric_value", lang, label=labels[lang][ind], year=year)
    found = [n["value"] for n in strip_numbers(at) if n["label"] == name]
    assert len(found) == 1, (name, [n["label"] for n in strip_numbers(at)])
    return found[0]


@pytest.mark.parametrize("lang", LANGS)
def test_the_headline_shows_2027_and_2030_and_a_2027_move_changes_it(planner, labels, lang):
    at = planner(lang)
    for ind in OUTCOMES:
        for year in (2027, 2030):
            metric(at, labels, ind, year)
    before = metric(at, labels, "dti_overall", 2027)
    # a lever's 2027 value moves the 2027 numbers
    set_lever(at, "lever.cashless.2027", 80.0)
    assert metric(at, labels, "dti_overall", 2027) != before
    assert {k: v for k, v in at.query_params.items() if k != "lang"} == {"cashless.2027": "80"}


@pytest.mark.parametrize("lang", LANGS)
def test_each_slider_is_named_by_its_lever_and_year(planner, levers, lang):
    at = planner(lang)
    panel = {lv["id"]: lv for lv in lever_panel_data(at)["levers"]}
    assert list(panel) == [lv.id for lv in levers]
    for lv in levers:
        for year in (2027, 2030):
            assert panel[lv.id]["years"][str(year)]["label"] == f"{lv.label(lang)} — {year}"



@pytest.mark.parametrize("lang", LANGS)
def test_the_targets_table_shows_what_a_target_needs_first_its_status_shaded(planner, lang):
    at = planner(lang)
    first = [t(k, lang) for k in ("planner.table.outcome", "planner.table.year",
                                  "planner.table.projected", "planner.table.target",
                                  "planner.table.status", "planner.table.probability",
                                  "planner.table.gap")]
    table = table_with(at, first[0])
    assert list(table.columns)[:7] == first
    # a plain table: every cell whole (it wraps), each status cell shaded in its colour
    body = next(b for b in html_bodies(at) if f"<th>{first[0]}</th>" in b)
    status = t("planner.table.status", lang)
    cells = re.findall(rf'<td data-label="{re.escape(status)}"( style="[^"]*")?>([^<]*)</td>',
                       body)
    assert [text for _, text in cells] == list(table[status])
    words = {t(f"status.{s}", lang): STATUS_COLOURS[s] for s in STATUS_COLOURS}
    shaded = 0
    for style, text in cells:
        colours = {c for word, c in words.items() if word in text}
        if colours:  # a target's status: shaded in its colour, light
            shaded += 1
            assert any(style == f' style="background-color:{c}33"' for c in colours), text
        else:  # no target in that year
            assert not style, text
    assert shaded >= 5


def stated_ranks(at: AppTest, labels: dict[str, dict[str, str]], year: int) -> tuple[str, str]:
    """The headline's rank in ``year`` and the rank the line under the table states for it."""
    lang = at.session_state["lang"]
    shown = metric(at, labels, "dti_overall_rank", year)
    word = "dự báo: hạng" if lang == "vi" else "projected: rank"
    heading = "Xếp hạng DTI năm" if lang == "vi" else "DTI rank in"
    lines = [m.value for m in at.markdown if f"{heading} {year}" in m.value]
    assert len(lines) == 1, [m.value for m in at.markdown if heading in m.value]
    stated = lines[0].split(word)[1].strip(" ).")
    return shown.split("/")[0], stated


@pytest.mark.parametrize("lang", LANGS)
def test_the_headline_rank_and_the_line_under_the_table_agree(planner, labels, lang):
    at = planner(lang)
    for year in (2027, 2030):
        shown, stated = stated_ranks(at, labels, year)
        assert shown == stated, (year, shown, stated)
    # still one number after a lever moves the rank
    set_lever(at, "lever.cashless.2030", 100.0)
    for year in (2027, 2030):
        shown, stated = stated_ranks(at, labels, year)
        assert shown == stated, (year, shown, stated)
