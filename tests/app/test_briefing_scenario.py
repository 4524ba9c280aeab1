"""The briefing's scenario section (AppTest, real database): target cards and outcome charts."""

from __future__ import annotations

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


def card_metrics(at: AppTest, lang: str, labels: dict) -> dict[str, str]:
    """``{card label: value}`` of the scenario cards."""
    prefix = {lang_: {t("briefing.scenario.card_label", lang_, label=lbl, year=y)
                      for lbl in labels[lang_].values() for y in (2025, 2030)}
              for lang_ in LANGS}
    return {m.label: m.value for m in at.metric if m.label in prefix[lang]}


def text_of(at: AppTest) -> str:
    parts = [str(el.value) for kind in ("markdown", "caption", "header", "subheader", "info",
                                        "warning") for el in getattr(at, kind)]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", LANGS)
def test_baseline_cards_for_every_2025_and_2030_target(loaded_db, monkeypatch, expected, lang):
    rows, labels = expected
    at = open_briefing(loaded_db, monkeypatch, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    heading = t("briefing.scenario.heading", lang, name=t("briefing.scenario.baseline_name", lang))
    assert heading in [h.value for h in at.header]
    cards = card_metrics(at, lang, labels)
    assert len(rows) == 6
    for r in rows.to_dict("records"):
        name = t("briefing.scenario.card_label", lang, label=labels[lang][r["indicator"]],
                 year=int(r["year"]))
        assert name in cards, name
    shown = text_of(at)
    # traffic light: colour, icon and word; the chance as a whole percentage
    for status in set(rows["status"]):
        assert t(f"status.{status}", lang) in shown
    chance = t("status.probability", lang, p="0%")
    assert chance in shown
    assert t("planner.table.reached", lang) in shown
    # the conflicting 2030 targets (30% and 35%) are both carded and flagged
    assert t("briefing.scenario.conflict", lang) in shown
    # the status rule is shown
    assert t("status.rule", lang, on_track="70%", at_risk="30%") in shown
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
    at = open_briefing(loaded_db, monkeypatch, "en", {"cashless.2025": "60", "ecommerce.2030": "x"})
    assert not at.exception
    assert any("ecommerce.2030" in w.value.replace("\\", "") for w in at.warning)
    heading = t("briefing.scenario.heading", "en", name=t("briefing.scenario.open_name", "en"))
    assert heading in [h.value for h in at.header]
    cards = card_metrics(at, "en", labels)
    name = t("briefing.scenario.card_label", "en", label=labels["en"]["cashless_adoption"],
             year=2025)
    assert cards[name] == "60%"
    assert "Cashless adoption in 2025: 60%" in text_of(at)
    assert {k: v for k, v in at.query_params.items() if k != "lang"} == {"cashless.2025": "60"}


def test_a_builtin_scenario_link_is_named(loaded_db, monkeypatch):
    at = open_briefing(loaded_db, monkeypatch, "vi", {"s": "plan_targets"})
    assert not at.exception
    headers = [h.value for h in at.header]
    assert any("Đạt chỉ tiêu kế hoạch" in h for h in headers), headers
    assert at.query_params.get("s") == "plan_targets"
