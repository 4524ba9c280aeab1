"""The briefing's first screen (AppTest, real database): where the province stands, the targets
in a row, the scenario picker and the share link, and a rank's change read as places gained."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from planner.engine import load_model
from planner.i18n import LANGS, t
from planner.scenario import BASELINE
from planner.store import DuckDBStore
from planner.targets import target_register
from ui.briefing_picker import PICKER_KEY
from ui.target_register import SUMMARY_ORDER, status_counts

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60


@pytest.fixture(scope="module")
def counts(loaded_db: Path) -> dict[str, int]:
    """The baseline register's status counts, computed with the engine (2000 draws, seed 0)."""
    model = load_model(DuckDBStore(loaded_db))
    return status_counts(target_register(model, model.simulate(BASELINE, 2000, 0)))


def open_briefing(loaded_db: Path, monkeypatch, lang: str, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("PLANNER_DB", str(loaded_db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def markdown_of(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


@pytest.mark.parametrize("lang", LANGS)
def test_the_first_metrics_are_the_score_the_newest_rank_and_the_targets(
        loaded_db, monkeypatch, counts, lang):
    at = open_briefing(loaded_db, monkeypatch, lang)
    assert not at.exception, [e.value for e in at.exception]
    score, rank, targets = at.metric[0], at.metric[1], at.metric[2]
    assert score.label == t("standing.score", lang, year=2022, basis=t("kind.observed", lang))
    # the newest figure is big: 2023's rank, flagged an estimate, with the 9 places lost
    # since 2022's observed 3/63 in red (a loss)
    assert rank.label == t("standing.rank", lang, year=2023,
                           basis=t("standing.basis_estimate", lang))
    assert rank.value == "12/63"
    assert rank.proto.delta == t("briefing.places", lang, n="-9")
    assert rank.proto.delta_description == t(
        "standing.rank_before", lang, year=2022, rank="3/63", basis=t("kind.observed", lang))
    assert t("uncertain.inferred", lang) in "\n".join(c.value for c in at.caption)
    # targets ahead on track out of those ahead, then a chip per status with its count
    ahead = sum(counts.get(s, 0) for s in ("on_track", "at_risk", "off_track"))
    assert targets.label == t("targets.summary.metric", lang)
    assert targets.value == f"{counts.get('on_track', 0)}/{ahead}"
    shown = markdown_of(at)
    for status in SUMMARY_ORDER:
        if status in counts:
            assert f"{t(f'status.{status}', lang)}: {counts[status]}" in shown
    # then the headline cards: the first is a year ahead (what the scenario changes)
    card_labels = [m.value for m in at.markdown if m.value.startswith("**")]
    assert any("2030" in c for c in card_labels[:1]), card_labels[:3]


def test_a_rank_gained_reads_plus_and_green_on_the_pillars(loaded_db, monkeypatch):
    """Wherever the briefing shows a rank's change it is places gained, better is green: the
    overall rank went from 7th (2021) to 3rd (2022), then to 12th (2023, inferred)."""
    at = open_briefing(loaded_db, monkeypatch, "en")
    deltas = [m.proto.delta for m in at.metric if m.proto.delta]
    ranks = [d for d in deltas if re.fullmatch(r"[+-]?\d+ places?", d)]
    assert ranks, deltas
    for m in at.metric:
        if m.proto.delta in ranks:
            gained = m.proto.delta.startswith("+")
            assert m.proto.color == (Metric.MetricColor.GREEN if gained
                                     else Metric.MetricColor.RED), m.proto.delta
            assert m.proto.direction == (Metric.MetricDirection.UP if gained
                                         else Metric.MetricDirection.DOWN)
    assert "+4 places" in ranks and "-9 places" in ranks


def test_choosing_a_scenario_sets_it_and_the_address(loaded_db, monkeypatch):
    at = open_briefing(loaded_db, monkeypatch, "vi")
    picker = at.selectbox(key=PICKER_KEY)
    assert picker.value == "baseline"
    assert "plan_targets" in picker.options or any(
        "Đạt chỉ tiêu kế hoạch" in o for o in picker.options)
    picker.set_value("plan_targets").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params.get("s") == "plan_targets"
    assert any("Đạt chỉ tiêu kế hoạch" in h.value for h in at.header)
    # the share link is the briefing's own address with the scenario
    links = [c.value for c in at.code]
    assert any(v.endswith("/briefing?lang=vi&s=plan_targets") or
               v.endswith("/briefing?s=plan_targets&lang=vi") for v in links), links
    # and back to the baseline: no scenario left in the address
    at.selectbox(key=PICKER_KEY).set_value("baseline").run()
    assert not at.exception
    assert "s" not in at.query_params
    assert at.selectbox(key=PICKER_KEY).value == "baseline"


def test_a_link_opens_the_briefing_with_its_scenario_in_the_picker(loaded_db, monkeypatch):
    at = open_briefing(loaded_db, monkeypatch, "en", {"s": "cautious"})
    assert not at.exception
    assert at.selectbox(key=PICKER_KEY).value == "cautious"


def test_an_unsaved_scenario_is_named_in_the_picker(loaded_db, monkeypatch):
    at = open_briefing(loaded_db, monkeypatch, "en", {"cashless.2027": "60"})
    assert not at.exception
    picker = at.selectbox(key=PICKER_KEY)
    assert picker.value == "__open__"
    assert t("picker.open", "en") in picker.options


def test_a_short_link_to_the_saved_page_offers_the_briefing_first(loaded_db, monkeypatch):
    """``/saved?s=<id>`` (the save form's short link) shows the stored numbers, with the way to
    the briefing right under the back button."""
    at = open_briefing(loaded_db, monkeypatch, "vi", {"s": "plan_targets"})
    at.switch_page("app_pages/saved.py").run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = at.get("link_button")
    assert buttons, "no link button on the saved page"
    first = buttons[0].proto
    assert first.label == t("saved.action.open_briefing", "vi")
    assert first.url.endswith("/briefing?s=plan_targets")


def test_the_planner_headline_reads_a_worse_rank_as_places_lost_in_red(loaded_db, monkeypatch):
    """The cautious scenario ranks below the baseline in 2030: "-N places", down and red (it
    read "↑ +N" in red before)."""
    at = open_briefing(loaded_db, monkeypatch, "en", {"s": "cautious"})
    at.switch_page("app_pages/planner_page.py").run()
    assert not at.exception, [e.value for e in at.exception]
    ranks = [m for m in at.metric if re.fullmatch(r"[+-]\d+ places?", m.proto.delta or "")]
    assert ranks, [m.proto.delta for m in at.metric]
    rank = ranks[0].proto
    assert rank.delta.startswith("-"), rank.delta
    assert rank.direction == Metric.MetricDirection.DOWN
    assert rank.color == Metric.MetricColor.RED
