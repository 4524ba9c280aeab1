"""The briefing and the scenarios page on 2026-11-27: ended years, every target, evidence.

2025 has ended: its targets are met, missed or likely so (never on track), the count of
targets on track covers only the years ahead, each page says how the ended years went and lists
every target of the data. Values show what they rest on (figure, estimate, projection); the
unmeasured levers say "assumed level, no measurement" and never offer a chance as evidence; the
DTI lines break at the 2020 method change; uncertain values are flagged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.engine import load_model
from planner.i18n import LANGS, label, t
from planner.scenario import BASELINE
from planner.standing import observed_figures
from planner.store import DuckDBStore
from planner.targets import target_register
from planner.usertext import escape_markdown
from planner.views import ended_summary
from tests.app.html_tables import table_with
from tests.app.opening import open_on
from tests.app.saved_helpers import TIMEOUT, assert_clean, lever_panel_data, strip_numbers

PLANNER = "app_pages/planner_page.py"


@pytest.fixture(scope="module")
def facts(loaded_db: Path) -> dict:
    """The register and labels of the baseline, computed with the engine (2000 draws, seed 0)."""
    model = load_model(DuckDBStore(loaded_db))
    register = target_register(model, model.simulate(BASELINE, 2000, 0))
    labels = {lang: {str(r["id"]): label(r, lang)
                     for r in model.dataset.indicators.to_dict("records")} for lang in LANGS}
    return {"model": model, "register": register, "labels": labels}


def open_app(db: Path, monkeypatch, lang: str, page: str | None = None) -> AppTest:
    monkeypatch.setenv("PLANNER_DB", str(db))
    at = open_on(page or "app_pages/briefing.py", lang, timeout=TIMEOUT)
    assert_clean(at)
    return at


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info", "warning")
                     for e in getattr(at, kind))


def chart(at: AppTest, key: str) -> dict:
    found = [c for c in at.get("plotly_chart") if c.key == key]
    assert len(found) == 1, key
    return json.loads(found[0].proto.spec)


@pytest.mark.parametrize("lang", LANGS)
def test_briefing_counts_targets_ahead_and_says_how_the_ended_years_went(loaded_db, monkeypatch,
                                                                         facts, lang):
    at = open_app(loaded_db, monkeypatch, lang)
    register, model = facts["register"], facts["model"]
    ahead = {m.label: m.value for m in at.metric}[t("targets.ahead.metric", lang)]
    assert ahead == "0/2"  # 2030's two digital-economy shares; 2025's four do not count
    shown = texts(at)
    lines = ended_summary(register, model.last_ended_year, lang)
    assert [line.split(":")[0] for line in lines] == ["**2025**", "**2023**"]
    for line in lines:
        assert f"- {line}" in shown
    assert t("status.likely_met", lang).lower() in lines[0]
    assert t("status.not_modelled", lang).lower() in lines[0]
    # the register: every target row of the data, including those the model cannot project
    heading = t("register.heading", lang, n=len(register))
    assert heading in [e.label for e in at.expander]
    table = table_with(at, t("register.where", lang))
    assert len(table) == len(register) >= 20
    statuses = " ".join(table[t("register.status", lang)])
    for status in ("met", "likely_met", "likely_missed", "no_measurement", "not_modelled",
                   "off_track"):
        assert t(f"status.{status}", lang) in statuses
    notes = " ".join(table[t("register.notes", lang)])
    assert t("register.derived", lang, formula="")[:6] in notes  # 56% online filing
    # the digital economy's method caveat
    assert t("model.caveat.digital_economy_share_grdp", lang) in shown


@pytest.mark.parametrize("lang", LANGS)
def test_unmeasured_levers_are_assumptions_not_evidence(loaded_db, monkeypatch, facts, lang):
    at = open_app(loaded_db, monkeypatch, lang)
    shown = texts(at)
    assert t("evidence.assumed_level", lang) in shown
    assert t("status.assumed", lang) in shown
    # the cashless card: what the assumption gives against what the target needs
    assert t("card.assumed", lang, target="50%", value=escape_markdown(
        "46,6%" if lang == "vi" else "46.6%")) in shown
    assert t("card.assumption_button", lang) in [p.proto.popover.label
                                                      for p in at.get("popover")]
    # its chart says "assumed level" under the title; others how many years they rest on
    cashless = chart(at, "briefing_fan_cashless_adoption")
    assert t("evidence.assumed_level", lang) in [a["text"]
                                                  for a in cashless["layout"]["annotations"]]
    overall = chart(at, "briefing_fan_dti_overall")
    points = observed_figures(facts["model"].obs, "dti_overall")
    assert t("evidence.points", lang, n=points) in [a["text"]
                                                     for a in overall["layout"]["annotations"]]


@pytest.mark.parametrize("lang", LANGS)
def test_charts_draw_estimates_apart_and_break_at_the_method_change(loaded_db, monkeypatch,
                                                                     lang):
    at = open_app(loaded_db, monkeypatch, lang)
    rank = chart(at, "briefing_fan_dti_overall_rank")
    names = {tr.get("name") for tr in rank["data"]}
    assert t("chart.estimate", lang) in names
    estimate = next(tr for tr in rank["data"] if tr.get("name") == t("chart.estimate", lang))
    # 2023 to 2025 have ended without a figure: the rank's 2023 estimate (about 12) is drawn
    assert estimate["x"] == [2022, 2023, 2024, 2025]
    assert 10 <= estimate["y"][1] <= 14
    projection = next(tr for tr in rank["data"]
                      if tr.get("mode") == "lines+markers" and tr is not estimate
                      and tr.get("name") != t("planner.chart.history", lang))
    assert projection["x"][0] == 2025 and projection["x"][-1] == 2030
    # the field's switch to 34 provinces is marked at 2024
    texts_ = [a["text"] for a in rank["layout"]["annotations"]]
    assert t("planner.chart.field_switch", lang, before=63, after=34) in texts_
    assert any(s["x0"] == 2023.5 for s in rank["layout"]["shapes"])
    # the DTI history is not joined across the 2020 method change
    overall = chart(at, "briefing_fan_dti_overall")
    history = next(tr for tr in overall["data"]
                   if tr.get("name") == t("planner.chart.history", lang))
    assert None in history["x"] and history["x"].index(None) == history["x"].index(2021) - 1
    assert t("chart.method_change", lang) in [a["text"]
                                                  for a in overall["layout"]["annotations"]]
    # a series without a method change is joined
    share = chart(at, "briefing_fan_digital_economy_share_grdp")
    assert all(None not in tr.get("x", []) for tr in share["data"])


def test_uncertain_values_are_flagged_where_shown(loaded_db, monkeypatch):
    at = open_app(loaded_db, monkeypatch, "vi")
    shown = texts(at)
    # seed 002's 2023 "2/63" for digital government, and the inferred 2023 overall rank
    assert t("uncertain.note", "vi", why=t("uncertain.conflict_2022", "vi")) in shown
    assert t("uncertain.note", "vi", why=t("uncertain.inferred", "vi")) in shown


@pytest.mark.parametrize("lang", LANGS)
def test_planner_table_says_what_each_value_rests_on(loaded_db, monkeypatch, facts, lang):
    at = open_app(loaded_db, monkeypatch, lang, PLANNER)
    table = table_with(at, t("planner.table.outcome", lang))
    year, basis = t("planner.table.year", lang), t("outcomes.table.basis", lang)
    outcome = t("planner.table.outcome", lang)
    labels = facts["labels"][lang]
    ended = table[table[year] == "2025"]
    cashless = ended[ended[outcome] == labels["cashless_adoption"]]
    assert set(cashless[basis]) == {f"◐ {t('evidence.assumed_level', lang)}"}
    assert set(cashless[t("planner.table.probability", lang)]) == {
        t("outcomes.table.not_evidence", lang)}
    de = ended[ended[outcome] == labels["digital_economy_share_grdp"]]
    assert set(de[basis]) == {f"◐ {t('basis.estimate', lang)}"}
    assert set(table[table[year] == "2030"][basis]) >= {f"○ {t('basis.projection', lang)}"}
    # the ahead count leaves out 2025's targets; the register is there too
    assert {n["label"]: n["value"] for n in strip_numbers(at)}[
        t("targets.ahead.metric", lang)] == "0/2"
    assert t("register.heading", lang, n=len(facts["register"])) in [
        e.label for e in at.expander]
    # the unmeasured levers say so on their controls (the lever panel shows each one's evidence)
    evidence = [lv["evidence"] for lv in lever_panel_data(at)["levers"]]
    assert evidence.count(t("evidence.assumed_level", lang)) >= 2
    # 2021's 45% reads two ways: the filing rate rests on one observed year
    assert t("evidence.point", lang) in evidence  # one year: the singular
