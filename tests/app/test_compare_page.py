"""The compare page (AppTest, a private copy of the real database): choosing 2-4 scenarios
from the link or the page, the outcome table with differences, charts, the settings that
differ, bad links, the comparison's own link, and names that must show as text."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from planner import saved as sv
from planner.engine import load_model
from planner.i18n import LANGS, t
from planner.ids import PILLAR_RANKS
from planner.links import encode
from planner.problems import Problem
from tests.app.html_tables import html_tables
from tests.app.saved_helpers import (
    COMPARE_PAGE,
    MARKDOWN_PAYLOAD,
    XSS,
    assert_clean,
    assert_shown_as_text,
    expected_text,
    open_page,
    unit_decimals,
)
from tests.saved_support import copy_db
from ui.link_messages import link_problem_text

PLAN = {"levers": {"online_filing": {"2027": 95}, "cashless": {"2027": 60}}, "overrides": {}}


@pytest.fixture(scope="module")
def db(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the loaded database with two saved scenarios (one with hostile text)."""
    path = tmp_path_factory.mktemp("compare_page") / "planner.duckdb"
    store = copy_db(loaded_db, path)
    model = load_model(store)
    plan, _ = sv.save_scenario(store, model, PLAN, "Kế hoạch số", "", "Phòng KH", "vi")
    hostile, _ = sv.save_scenario(store, model, {"levers": {"ecommerce": {"2030": 70}}},
                                  XSS, MARKDOWN_PAYLOAD, MARKDOWN_PAYLOAD, "en")
    labels = {lang: {str(r["id"]): r[f"label_{lang}"]
                     for r in model.dataset.indicators.to_dict("records")} for lang in LANGS}
    return {"path": path, "store": store, "model": model, "plan": plan, "hostile": hostile,
            "labels": labels, "units": unit_decimals(path)}


def table(at):
    """The outcomes table: drawn as a static table, read whole."""
    return html_tables(at)[0]


def selection(at) -> list[str]:
    return list(at.multiselect(key="compare.selection").value)


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def link_of(at) -> str:
    return at.get("code")[0].value


def open_tab(at, key: str):
    """Open one of the tabs below the table (drawn only while open)."""
    at.session_state["compare.view"] = t(key, at.session_state["lang"])
    at.run()
    assert_clean(at)
    return at


def charts_of(at) -> list:
    return open_tab(at, "compare.tab_charts").get("plotly_chart")


# -- what is compared ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_defaults_are_the_trend_and_the_plan_targets(db, monkeypatch, lang):
    at = open_page(db["path"], monkeypatch, COMPARE_PAGE, lang)
    assert_clean(at)
    assert at.title[0].value == t("compare.title", lang)
    assert selection(at) == ["baseline", "plan_targets"]
    assert at.query_params["c"] == "baseline,plan_targets"
    frame = table(at)
    builtins = {b.id: b for b in sv.builtin_scenarios(db["model"].dataset)}
    a = f"A · {builtins['baseline'].label(lang)}"
    b = f"B · {builtins['plan_targets'].label(lang)}"
    diff = t("compare.table.difference", lang, slot="B", first="A")
    assert list(frame.columns) == [t("compare.table.outcome", lang), t("compare.table.year", lang),
                                   a, b, diff]
    # 10 outcomes x 2 years
    assert len(frame) == 20
    # the accelerated plan sets cashless to 66% in 2027: the table says so, with the difference
    row = frame[(frame[t("compare.table.outcome", lang)] == db["labels"][lang]["cashless_adoption"])
                & (frame[t("compare.table.year", lang)] == "2027")]
    assert row[b].iloc[0] == "66%"
    # above the baseline's trend of 2027 (57.2%): what the name promises
    assert row[diff].iloc[0].startswith("+")
    assert t("compare.pp", lang, value="").strip() in row[diff].iloc[0]
    # below it, the targets tab is open: each target's status and chance per scenario; the
    # charts are not drawn until their tab is opened
    assert not at.get("plotly_chart")
    targets = at.dataframe[0].value
    de = targets[(targets[t("compare.table.outcome", lang)]
                  == db["labels"][lang]["digital_economy_share_grdp"])
                 & (targets[t("compare.table.year", lang)] == "2030")]
    assert len(de) == 2  # the two sources' targets, 30% and 35%
    for cell in list(de[a]) + list(de[b]):
        assert t("status.off_track", lang) in cell and cell.endswith("%"), cell
    # the settings that differ: cashless and e-commerce in 2027 and 2030
    settings = open_tab(at, "compare.tab_settings").dataframe[0].value
    assert len(settings) == 4
    assert set(settings[t("saved.settings.year", lang)]) == {"2027", "2030"}
    # one chart per chosen outcome (three by default); each scenario's line starts at the last
    # observed dot (levers never move an observed value); targets are marked
    charts = charts_of(at)
    assert len(charts) == 3
    marker = t("compare.target_marker", lang)
    marks = [tr for c in charts for tr in json.loads(c.proto.spec)["data"]
             if tr.get("name") == marker]
    assert any((2030, 30.0) in set(zip(m["x"], m["y"], strict=True)) for m in marks), marks
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        history = [tr for tr in spec["data"] if tr.get("name") == t("compare.chart.history",
                                                                    lang)]
        # each scenario's line (its estimates, dotted, then its projection) starts at the
        # last observed dot
        firsts: dict[str, dict] = {}
        for tr in spec["data"]:
            if tr.get("mode") == "lines+markers" and tr.get("legendgroup"):
                firsts.setdefault(tr["legendgroup"], tr)
        assert history and len(firsts) == 2
        last = max(range(len(history[0]["x"])), key=lambda k: history[0]["x"][k])
        for line in firsts.values():
            assert line["x"][0] == history[0]["x"][last]
            assert line["y"][0] == pytest.approx(history[0]["y"][last])


@pytest.mark.parametrize("lang", LANGS)
def test_a_link_with_four_scenarios_shows_the_saved_numbers_exactly(db, monkeypatch, lang):
    plan = db["plan"]
    c = f"{plan.id},baseline,cautious,{db['hostile'].id}"
    at = open_page(db["path"], monkeypatch, COMPARE_PAGE, lang, {"c": c})
    assert_clean(at)
    assert selection(at) == c.split(",")
    frame = table(at)
    a = "A · Kế hoạch số"
    assert a in frame.columns
    assert any(col.startswith("D · ") for col in frame.columns)
    out = t("compare.table.outcome", lang)
    year = t("compare.table.year", lang)
    for r in plan.snapshot["outcomes"]:
        # the pillar ranks are shown beside the overall rank on the planner and briefing only
        if r["year"] not in (2027, 2030) or r["indicator"] in PILLAR_RANKS:
            continue
        row = frame[(frame[out] == db["labels"][lang][r["indicator"]])
                    & (frame[year] == str(r["year"]))]
        assert row[a].iloc[0] == expected_text(r["value"], r["indicator"], r["unit"],
                                               db["units"])[lang]
    # differences are against A: A's own column has none, B, C and D have one each
    assert [col for col in frame.columns if "−" in col] == [
        t("compare.table.difference", lang, slot=s, first="A") for s in "BCD"]
    assert len(charts_of(at)) == 3


@pytest.mark.parametrize("lang", LANGS)
def test_too_many_entries_keep_the_first_four(db, monkeypatch, lang):
    c = f"baseline,plan_targets,cautious,{db['plan'].id},{db['hostile'].id}"
    at = open_page(db["path"], monkeypatch, COMPARE_PAGE, lang, {"c": c})
    assert_clean(at)
    assert link_problem_text(Problem("c", "too_many", {"count": 5, "max": 4}), lang) in warnings(at)
    assert selection(at) == c.split(",")[:4]
    assert at.query_params["c"] == ",".join(c.split(",")[:4])


@pytest.mark.parametrize("lang", LANGS)
def test_too_few_entries_fall_back_to_the_defaults(db, monkeypatch, lang):
    at = open_page(db["path"], monkeypatch, COMPARE_PAGE, lang, {"c": "cautious"})
    assert_clean(at)
    shown = warnings(at)
    assert link_problem_text(Problem("c", "too_few", {"count": 1, "min": 2}), lang) in shown
    assert t("compare.defaults", lang) in shown
    assert selection(at) == ["cautious", "baseline"]


@pytest.mark.parametrize("lang", LANGS)
def test_bad_and_unknown_entries_get_messages_and_defaults(db, monkeypatch, lang):
    c = "baseline,<b>x</b>,ZZZZZZZZZZZZZZZZ,nosuch,current"
    at = open_page(db["path"], monkeypatch, COMPARE_PAGE, lang, {"c": c})
    assert not at.exception, [e.value for e in at.exception]
    shown = warnings(at)
    assert link_problem_text(Problem("c", "bad_id", {"value": "<b>x</b>"}), lang) in shown
    assert t("compare.unknown", lang, id="ZZZZZZZZZZZZZZZZ") in shown
    assert t("compare.unknown", lang, id="nosuch") in shown
    assert t("compare.no_current", lang) in shown
    assert selection(at) == ["baseline", "plan_targets"]
    assert at.query_params["c"] == "baseline,plan_targets"


def test_a_tampered_current_scenario_keeps_what_is_valid(db, monkeypatch):
    params = {"c": "current,baseline", "online_filing.2027": "95", "cashless.2027": "999"}
    at = open_page(db["path"], monkeypatch, COMPARE_PAGE, "en", params)
    assert_clean(at)
    assert "999" in warnings(at)
    assert selection(at) == ["current", "baseline"]
    assert at.query_params.get("online_filing.2027") == "95"
    assert "cashless.2027" not in at.query_params
    frame = table(at)
    current = f"A · {t('compare.current', 'en')}"
    row = frame[(frame["Outcome"] == db["labels"]["en"]["online_filing_rate"])
                & (frame["Year"] == "2027")]
    assert row[current].iloc[0] == "95%"


def test_a_link_with_settings_but_no_choice_compares_it_with_the_trend(db, monkeypatch):
    at = open_page(db["path"], monkeypatch, COMPARE_PAGE, "en", {"cashless.2030": "90"})
    assert_clean(at)
    assert selection(at) == ["baseline", "current"]
    assert at.query_params["c"] == "baseline,current"


# -- the comparison's own link --------------------------------------------------------------


def test_the_link_follows_the_choice_and_round_trips(db, monkeypatch):
    at = open_page(db["path"], monkeypatch, COMPARE_PAGE, "en",
                   {"c": "current,baseline", "online_filing.2027": "95"})
    plan = db["plan"]
    at.multiselect(key="compare.selection").select(plan.id).unselect("baseline").run()
    assert_clean(at)
    assert selection(at) == ["current", plan.id]
    assert at.query_params["c"] == f"current,{plan.id}"
    link = link_of(at)
    parts = urlsplit(link)
    assert parts.path.endswith("/compare")
    params = dict(parse_qsl(parts.query))
    assert params == encode(load_model(db["store"]).validate(
        {"levers": {"online_filing": {"2027": 95}}}), "en", compare=["current", plan.id])
    first = table(at)
    # the link, opened in a new session, shows the same comparison
    again = open_page(db["path"], monkeypatch, COMPARE_PAGE, params["lang"], params)
    assert_clean(again)
    assert selection(again) == ["current", plan.id]
    assert table(again).equals(first)
    # fewer than two: a message, no table, and no c in the address
    at.multiselect(key="compare.selection").unselect(plan.id).run()
    assert not at.exception
    assert t("compare.too_few", "en", min=2) in [i.value for i in at.info]
    assert "c" not in at.query_params


def test_deselecting_current_drops_its_settings_from_the_link_but_keeps_the_option(db, monkeypatch):
    at = open_page(db["path"], monkeypatch, COMPARE_PAGE, "vi",
                   {"c": "current,baseline,cautious", "online_filing.2027": "95"})
    at.multiselect(key="compare.selection").unselect("current").run()
    assert_clean(at)
    assert "online_filing.2027" not in at.query_params
    assert "current" in at.multiselect(key="compare.selection").options or any(
        t("compare.current", "vi") in o for o in at.multiselect(key="compare.selection").options)
    at.multiselect(key="compare.selection").select("current").run()
    assert at.query_params["online_filing.2027"] == "95"


def test_search_offers_saved_scenarios(db, monkeypatch):
    at = open_page(db["path"], monkeypatch, COMPARE_PAGE, "vi")
    options = at.multiselect(key="compare.selection").options
    assert any("Kế hoạch số" in o for o in options)
    at.text_input(key="compare.search").set_value("không có").run()
    assert_clean(at)
    options = at.multiselect(key="compare.selection").options
    assert not any("Kế hoạch số" in o for o in options)


def test_bands_and_chosen_outcomes(db, monkeypatch):
    at = open_tab(open_page(db["path"], monkeypatch, COMPARE_PAGE, "en"),
                  "compare.tab_charts")
    at.toggle(key="compare.bands").set_value(True).run()
    at.multiselect(key="compare.charts").set_value(["online_filing_rate"]).run()
    assert_clean(at)
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    fills = [tr for tr in spec["data"] if tr.get("fill") == "toself"]
    assert len(fills) == 2  # one band per scenario
    lines = [tr for tr in spec["data"]  # each scenario's projection line, in the legend
             if tr.get("mode") == "lines+markers" and tr.get("legendgroup")
             and tr.get("showlegend", True)]
    assert [tr["line"]["color"] for tr in lines] == ["#0072B2", "#E69F00"]


# -- text safety ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_names_are_shown_as_text(db, monkeypatch, lang):
    c = f"{db['hostile'].id},baseline"
    at = open_page(db["path"], monkeypatch, COMPARE_PAGE, lang, {"c": c})
    assert_clean(at)
    assert_shown_as_text(at, (XSS,))
    assert f"A · {XSS}" in table(at).columns
    for chart in charts_of(at):
        spec = chart.proto.spec
        assert "<img" not in spec, "a name reached a chart as HTML"
        names = [tr.get("name", "") for tr in json.loads(spec)["data"]]
        assert "A · &lt;img src=x onerror=alert(1)&gt;" in names
