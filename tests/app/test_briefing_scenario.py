"""The briefing's scenario section (AppTest, real database): target cards and outcome charts."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.engine import load_model
from planner.i18n import LANGS, label, t
from planner.scenario import BASELINE
from planner.store import DuckDBStore
from planner.targets import evaluate_targets
from planner.views import headline_targets

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60


@pytest.fixture(scope="module")
def expected(loaded_db: Path):
    """The baseline's headline targets computed directly with the engine (2000 draws, seed 0)."""
    model = load_model(DuckDBStore(loaded_db))
    rows = headline_targets(evaluate_targets(model, model.simulate(BASELINE, 2000, 0)), model)
    indicators = DuckDBStore(loaded_db).dataset().indicators
    labels = {lang: {str(r["id"]): label(r, lang) for _, r in indicators.iterrows()}
              for lang in LANGS}
    return rows, labels


def open_briefing(loaded_db: Path, monkeypatch, lang: str, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("PLANNER_DB", str(loaded_db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


CARD_KEYS = {"observed": "card.observed", "estimate": "card.estimate",
             "projection": "briefing.scenario.card_label"}
"""The name of a card by what its value rests on."""


def card_name(lang: str, label_: str, year: int, basis: str) -> str:
    return t(CARD_KEYS[basis], lang, label=label_, year=year)


def card_metrics(at: AppTest, lang: str, labels: dict) -> dict[str, str]:
    """``{card label: value}`` of the scenario cards."""
    names = {card_name(lang, lbl, y, b) for lbl in labels[lang].values()
             for y in (2025, 2027, 2030) for b in CARD_KEYS}
    return {m.label: m.value for m in at.metric if m.label in names}


def text_of(at: AppTest) -> str:
    parts = [str(el.value) for kind in ("markdown", "caption", "header", "subheader", "info",
                                        "warning") for el in getattr(at, kind)]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", LANGS)
def test_baseline_cards_for_the_ended_year_and_the_years_ahead(loaded_db, monkeypatch,
                                                               expected, lang):
    """Today (2026-11-27) 2025 has ended: its four targets are carded as estimates with
    likely met / likely missed / no measurement, never on track; 2030's two are projections."""
    rows, labels = expected
    at = open_briefing(loaded_db, monkeypatch, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    heading = t("briefing.scenario.heading", lang, name=t("briefing.scenario.baseline_name", lang))
    assert heading in [h.value for h in at.header]
    cards = card_metrics(at, lang, labels)
    assert len(rows) == 6
    assert set(rows["year"]) == {2025, 2030}
    for r in rows.to_dict("records"):
        name = card_name(lang, labels[lang][r["indicator"]], int(r["year"]), r["basis"])
        assert name in cards, name
    ended = rows[rows["year"] == 2025]
    assert set(ended["basis"]) == {"estimate"}
    assert set(ended["status"]) <= {"likely_met", "likely_missed", "no_measurement"}
    assert "2025 projected" not in " ".join(cards) and "dự báo năm 2025" not in " ".join(cards)
    shown = text_of(at)
    # traffic light: colour, icon and word; the chance as a whole percentage
    for status in set(rows["status"]):
        assert t(f"status.{status}", lang) in shown
    assert t("status.on_track", lang) not in shown and t("status.at_risk", lang) not in shown
    # a chance under 0.5% reads "< 1%", never 0%: on the card (its target lines are
    # HTML-escaped) and in words in its details
    assert html.escape(t("card.chance", lang, p="< 1%")) in shown  # 35% of GRDP, 2030
    assert html.escape(t("card.estimate_chance", lang, p="< 1%")) in shown  # 20% in 2025
    assert t("status.probability", lang, p="< 1%") in shown
    assert t("status.estimate_chance", lang, p="< 1%") in shown
    assert t("status.probability", lang, p="0%") not in shown
    assert t("planner.table.reached", lang) in shown
    # the conflicting 2030 targets (30% and 35%) are both carded and flagged
    assert t("briefing.scenario.conflict", lang) in shown
    # the status rule is shown, with the rule of ended years
    assert t("status.rule", lang, on_track="70%", at_risk="30%") in shown
    assert t("status.ended_rule", lang) in shown
    # one chart per outcome, with the language's separators
    charts = at.get("plotly_chart")
    assert len(charts) == 10
    spec = json.loads(charts[0].proto.spec)
    assert spec["layout"]["separators"] == (",." if lang == "vi" else ".,")
    # numbers in the language's format
    decimals = [v for v in cards.values() if re.search(r"\d[.,]\d", v)]
    mark = "," if lang == "vi" else "."
    assert decimals and all(mark in v for v in decimals), decimals


def test_target_sources_are_one_click_away(loaded_db, monkeypatch):
    at = open_briefing(loaded_db, monkeypatch, "vi")
    shown = text_of(at)
    # the popover of the 2025 digital-economy card quotes its sources (the typo included)
    assert "220% GRDP" in shown
    assert t("briefing.scenario.how", "vi") in shown
    assert "2.000" in shown  # the number of draws, Vietnamese grouping


def test_a_link_with_a_scenario_shows_it(loaded_db, monkeypatch, expected):
    _, labels = expected
    at = open_briefing(loaded_db, monkeypatch, "en", {"cashless.2027": "60", "ecommerce.2030": "x"})
    assert not at.exception
    assert any("ecommerce.2030" in w.value.replace("\\", "") for w in at.warning)
    heading = t("briefing.scenario.heading", "en", name=t("briefing.scenario.open_name", "en"))
    assert heading in [h.value for h in at.header]
    cards = card_metrics(at, "en", labels)
    # a lever never changes an ended year: the 2025 cashless card is the baseline's estimate
    baseline = card_metrics(open_briefing(loaded_db, monkeypatch, "en"), "en", labels)
    name = card_name("en", labels["en"]["cashless_adoption"], 2025, "estimate")
    assert cards[name] == baseline[name] != "60%"
    assert "Cashless adoption 2027: 60% (trend 57.2%)" in text_of(at)
    assert {k: v for k, v in at.query_params.items() if k != "lang"} == {"cashless.2027": "60"}


def test_a_new_link_setting_an_ended_year_says_so_and_the_rest_applies(loaded_db, monkeypatch,
                                                                      expected):
    at = open_briefing(loaded_db, monkeypatch, "en", {"cashless.2025": "60",
                                                      "ecommerce.2030": "80"})
    assert not at.exception
    warning = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert "cashless.2025" in warning and "2025 has ended" in warning
    assert "E-commerce uptake 2030: 80% (trend 70.5%)" in text_of(at)
    assert {k: v for k, v in at.query_params.items() if k != "lang"} == {"ecommerce.2030": "80"}


def test_a_builtin_scenario_link_is_named(loaded_db, monkeypatch):
    at = open_briefing(loaded_db, monkeypatch, "vi", {"s": "plan_targets"})
    assert not at.exception
    headers = [h.value for h in at.header]
    assert any("Tăng tốc theo kế hoạch" in h for h in headers), headers
    assert at.query_params.get("s") == "plan_targets"


@pytest.mark.parametrize("lang", LANGS)
def test_each_pillar_rank_shows_under_the_rank_chart(loaded_db, monkeypatch, lang):
    """On the data no pillar rank is projected: one line under the rank chart says so for all
    three pillars (not once per year)."""
    at = open_briefing(loaded_db, monkeypatch, lang)
    assert not at.exception
    thin = t("rank.pillars_thin", lang)
    assert [c.value for c in at.caption if c.value == thin] == [thin]
