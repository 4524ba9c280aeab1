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
from planner.ids import OVERALL, RANK
from planner.outlook import card_groups, dti_outlook, lever_settings, outlook_years
from planner.saved import builtin_scenarios
from planner.scenario import BASELINE
from planner.store import DuckDBStore
from planner.targets import evaluate_targets, target_register
from planner.views import fmt_change_between, fmt_outcome, headline_targets
from tests.app.saved_helpers import strip_numbers
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


def captions(at: AppTest) -> str:
    return "\n".join(str(c.value) for c in at.caption)


def metric(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert len(found) == 1, (label, [m.label for m in at.metric])
    return found[0]


@pytest.mark.parametrize("lang", LANGS)
def test_the_first_metrics_are_the_published_dti_the_outlook_and_the_targets(
        loaded_db, monkeypatch, counts, lang):
    at = open_briefing(loaded_db, monkeypatch, lang)
    assert not at.exception, [e.value for e in at.exception]
    # the published numbers come first (drawn from the data before the model is ready)
    score, rank = at.metric[0], at.metric[1]
    assert (score.label, score.value) == (t("outlook.score", lang, year=2022),
                                          "0,7024" if lang == "vi" else "0.7024")
    assert (rank.label, rank.value) == (t("outlook.rank", lang, year=2023), "12/63")
    # the nine places lost since 2022's observed 3/63, in red, and what they are against
    assert rank.proto.delta == t("briefing.places", lang, n="-9")
    assert rank.proto.color == Metric.MetricColor.RED
    assert t("outlook.published_years", lang, score_year=2022,
             score_kind=t("kind.observed", lang), rank_year=2023,
             rank_kind=t("outlook.inferred", lang)) + " · " + t(
        "outlook.rank_before", lang, rank="3/63", year=2022) in captions(at)
    # targets ahead on track out of those ahead, then a chip per status with its count
    ahead = sum(counts.get(s, 0) for s in ("on_track", "at_risk", "off_track"))
    targets = metric(at, t("targets.summary.metric", lang))
    assert targets.value == f"{counts.get('on_track', 0)}/{ahead}"
    shown = markdown_of(at)
    for status in SUMMARY_ORDER:
        if status in counts:
            assert f"{t(f'status.{status}', lang)}: {counts[status]}" in shown
    # then the headline cards: the first is a year ahead (what the scenario changes)
    card_labels = [m.value for m in at.markdown if m.value.startswith("**")
                   and "–" in m.value]
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


def test_a_scenario_being_changed_shares_the_briefings_own_address(loaded_db, monkeypatch):
    """Levers in the address (no saved scenario): no saved page holds those numbers, so Share
    gives the briefing's address with them; a saved or ready-made one, its plain page."""
    at = open_briefing(loaded_db, monkeypatch, "en", {"cashless.2027": "70"})
    assert not at.exception, [e.value for e in at.exception]
    links = [c.value for c in at.code]
    assert not any("/s/" in v for v in links), links
    assert any("/briefing?" in v and "cashless.2027=70" in v for v in links), links
    plain = open_briefing(loaded_db, monkeypatch, "en", {"s": "plan_targets"})
    assert [c.value for c in plain.code][0].endswith("/s/plan_targets?lang=en")


def test_choosing_a_scenario_sets_it_and_the_address(loaded_db, monkeypatch):
    at = open_briefing(loaded_db, monkeypatch, "vi")
    picker = at.selectbox(key=PICKER_KEY)
    assert picker.value == "baseline"
    assert "Tăng tốc theo kế hoạch" in picker.options
    picker.set_value("plan_targets").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params.get("s") == "plan_targets"
    assert any("Tăng tốc theo kế hoạch" in h.value for h in at.header)
    # the share link is the scenario's read-only page, with the planner's link to change it
    links = [c.value for c in at.code]
    assert links[0].endswith("/s/plan_targets"), links
    assert any(v.endswith("/planner?s=plan_targets") for v in links), links
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
    shown = strip_numbers(at)
    ranks = [n for n in shown if re.fullmatch(r"[+-]\d+ places?", n["delta"])]
    assert ranks, [n["delta"] for n in shown]
    assert ranks[0]["delta"].startswith("-"), ranks[0]
    assert ranks[0]["tone"] == "down", ranks[0]  # an arrow down, in red


# --- the DTI outlook, the cards per indicator and year, a scenario against the baseline ------
@pytest.fixture(scope="module")
def engine(loaded_db: Path):
    """The model and the frames and cards of the baseline and ``plan_targets`` (2000 draws,
    seed 0: the page's own numbers)."""
    model = load_model(DuckDBStore(loaded_db))
    plan = {b.id: b for b in builtin_scenarios(model.dataset)}["plan_targets"]
    out = {"model": model}
    for name, scenario in (("baseline", BASELINE), ("plan", plan.applied(model)[0])):
        sim = model.simulate(scenario, 2000, 0)
        out[name] = {"frame": sim.frame(),
                     "cards": headline_targets(evaluate_targets(model, sim), model),
                     "scenario": scenario}
    return out


def test_the_outlook_years_are_the_first_year_ahead_and_2030(engine):
    assert outlook_years(engine["model"].today) == (2027, 2030)


@pytest.mark.parametrize("lang", LANGS)
def test_the_dti_score_and_rank_of_2027_and_2030_with_their_ranges(
        loaded_db, monkeypatch, engine, lang):
    model = engine["model"]
    at = open_briefing(loaded_db, monkeypatch, lang)
    assert not at.exception, [e.value for e in at.exception]
    shown = captions(at)
    for row in dti_outlook(engine["baseline"]["frame"], model, (2027, 2030)):
        score = metric(at, t("outlook.score", lang, year=row.year))
        rank = metric(at, t("outlook.rank", lang, year=row.year))
        assert score.value == fmt_outcome(row.score, OVERALL, row.year, model, lang)
        assert rank.value == fmt_outcome(row.rank, RANK, row.year, model, lang)
        assert rank.value.endswith("/34")
        assert not score.proto.delta and not rank.proto.delta  # no chip on the baseline
        ranges = " · ".join([
            t("outlook.score_range", lang,
              low=fmt_outcome(row.score_low, OVERALL, row.year, model, lang),
              high=fmt_outcome(row.score_high, OVERALL, row.year, model, lang)),
            t("outlook.rank_range", lang, best=row.rank_best, worst=row.rank_worst)])
        assert t("outlook.range", lang, ranges=ranges) in shown
    # no pillar rank is projected on today's data: said once on the first screen (the chart
    # of the ranks below says it again), with the published ones
    notes = [c.value for c in at.caption if t("outlook.pillars_published", lang, items="")[:12]
             in c.value]
    assert len(notes) == 1, notes
    assert notes[0].count(t("rank.pillars_thin", lang)) == 1
    assert t("outlook.pillar_item", lang, pillar=t("rank.pillar.digital_economy", lang),
             rank="9/63", year=2022) in notes[0]


@pytest.mark.parametrize("lang", LANGS)
def test_the_newest_published_rank_and_why_projected_ranks_differ_once(
        loaded_db, monkeypatch, lang):
    at = open_briefing(loaded_db, monkeypatch, lang)
    line = t("outlook.newest_rank", lang, province="Quảng Ninh", rank="12/63", year=2023,
             kind=t("outlook.inferred", lang), switch=2024, size=34)
    page = captions(at) + markdown_of(at) + "\n".join(str(i.value) for i in at.info)
    assert page.count(line) == 1, line


@pytest.mark.parametrize("lang", LANGS)
def test_one_card_per_indicator_and_year_each_target_marked(
        loaded_db, monkeypatch, engine, lang):
    model, cards = engine["model"], engine["baseline"]["cards"]
    at = open_briefing(loaded_db, monkeypatch, lang)
    groups = card_groups(cards, model.last_ended_year)
    assert len(groups) < len(cards)  # the two 2030 digital-economy targets share a card
    marks = [m.value for m in at.markdown if 'class="card-target"' in str(m.value)]
    assert len(marks) == len(groups)
    for group, mark in zip(groups, marks, strict=True):
        assert mark.count('class="card-target"') == len(group)
        for r in group.to_dict("records"):
            year = int(r["year"])
            assert f">{fmt_outcome(r['target'], r['indicator'], year, model, lang)}</b>" in mark
            assert t(f"status.{r['status']}", lang) in mark
    both = next(m for g, m in zip(groups, marks, strict=True) if len(g) == 2)
    assert "09-NQ/TU" in both  # where the 30% is stated


@pytest.mark.parametrize("lang", LANGS)
def test_a_scenario_shows_its_settings_beside_the_trend_and_each_difference(
        loaded_db, monkeypatch, engine, lang):
    model, base, plan = engine["model"], engine["baseline"], engine["plan"]
    at = open_briefing(loaded_db, monkeypatch, lang, {"s": "plan_targets"})
    assert not at.exception, [e.value for e in at.exception]
    shown = captions(at)
    cashless = model.levers["cashless"]
    trend = base["frame"].query("indicator == @cashless.indicator and year == 2027")
    setting = t("outlook.setting", lang, name=cashless.label_vi if lang == "vi" else
                cashless.label_en, year=2027,
                value=fmt_outcome(66.0, cashless.indicator, 2027, model, lang),
                trend=fmt_outcome(float(trend["value"].iloc[0]), cashless.indicator, 2027,
                                  model, lang))
    assert setting in shown, shown
    # the name's promise holds: above the trend, and the DTI of 2027 and 2030 above the baseline
    for s in lever_settings(model, plan["scenario"], base["frame"]):
        assert s.value > s.trend, s
    olds = {r.year: r for r in dti_outlook(base["frame"], model, (2027, 2030))}
    for row in dti_outlook(plan["frame"], model, (2027, 2030)):
        old = olds[row.year]
        assert row.score > old.score and row.rank <= old.rank
        score = metric(at, t("outlook.score", lang, year=row.year))
        assert score.proto.delta == fmt_change_between(row.score, old.score, OVERALL,
                                                       row.year, model, lang)
        rank = metric(at, t("outlook.rank", lang, year=row.year))
        assert rank.proto.delta == (fmt_change_between(row.rank, old.rank, RANK, row.year,
                                                       model, lang) or "")
    # each card's difference, as shown; none where the shown values agree (never a "0")
    card_metrics = [m for m in at.metric if " – " in m.label]  # the cards' names
    olds = {(int(r["year"]), r["indicator"]): r["projected"]
            for r in base["cards"].to_dict("records")}
    deltas = []
    for group, m in zip(card_groups(plan["cards"], model.last_ended_year), card_metrics,
                        strict=True):
        r = group.iloc[0]
        want = fmt_change_between(r["projected"], olds[(int(r["year"]), r["indicator"])],
                                  r["indicator"], int(r["year"]), model, lang)
        assert m.proto.delta == (want or ""), (m.label, m.proto.delta, want)
        deltas.append(m.proto.delta)
    assert any(deltas) and not any(d.strip("+-").startswith("0 ") or d == "0" for d in deltas)
    assert t("outlook.no_effect", lang) not in "\n".join(str(i.value) for i in at.info)


@pytest.mark.parametrize("lang", LANGS)
def test_a_scenario_without_effect_on_the_first_screen_says_so(loaded_db, monkeypatch, lang):
    """A higher threshold for "at risk" moves statuses, no number: one line says so, and no
    number has a change beside it."""
    at = open_briefing(loaded_db, monkeypatch, lang, {"a.status_at_risk_probability": "0.35"})
    assert not at.exception, [e.value for e in at.exception]
    infos = [str(i.value) for i in at.info]
    assert infos.count(t("outlook.no_effect", lang)) == 1, infos
    # after the published score and rank (whose chip is the change since the year before):
    # the outlook's 4, the summary, the 5 cards
    first_screen = at.metric[2:12]
    assert not any(m.proto.delta for m in first_screen)


def test_a_small_change_as_shown_is_shown_never_a_zero(loaded_db, monkeypatch, engine):
    """Online filing at 99.5% in 2030 (the trend's 99.48%) moves the 2030 score by one in the
    fourth decimal as shown: that +0.0001 is shown, the rest has no chip, and the no-effect
    line is absent."""
    model = engine["model"]
    base = {r.year: r for r in dti_outlook(engine["baseline"]["frame"], model, (2030,))}[2030]
    at = open_briefing(loaded_db, monkeypatch, "en", {"online_filing.2030": "99.5"})
    score = metric(at, t("outlook.score", "en", year=2030))
    assert score.proto.delta == fmt_change_between(
        float(score.value), base.score, OVERALL, 2030, model, "en") == "+0.0001"
    assert t("outlook.no_effect", "en") not in [str(i.value) for i in at.info]
    assert all(m.proto.delta != "0" and not m.proto.delta.startswith(("0 ", "+0 pp"))
               for m in at.metric)


def test_the_vietnamese_first_screen_has_no_english(loaded_db, monkeypatch):
    at = open_briefing(loaded_db, monkeypatch, "vi", {"s": "plan_targets"})
    words = re.compile(r"\b(range|rank|score|trend|baseline|chance|draws|Published|projected|"
                       r"estimate|Details|sources|This scenario)\b", re.IGNORECASE)
    shown = "\n".join([captions(at), markdown_of(at), *(m.label for m in at.metric),
                       *(str(m.proto.delta) for m in at.metric)])
    assert not words.findall(shown), words.findall(shown)


def test_once_2030_has_begun_the_outlook_is_2030_alone(loaded_db, monkeypatch):
    """No year is left to set: the horizon notice says so, and the DTI row has the published
    numbers and 2030 only."""
    monkeypatch.setenv("PLANNER_TODAY", "2030-06-01")
    at = open_briefing(loaded_db, monkeypatch, "en")
    assert not at.exception, [e.value for e in at.exception]
    assert t("horizon.under_way", "en", end=2030) in [str(i.value) for i in at.info]
    labels = [m.label for m in at.metric[:6]]
    assert t("outlook.score", "en", year=2030) in labels
    assert not any(str(y) in label for y in range(2026, 2030) for label in labels)
