"""``?s=<saved id>`` on the scenarios and briefing pages shows exactly the saved numbers.

A scenario is saved, then the data changes (a new dataset version whose digital economy grows
faster). Opening its link on either page must compute it on the pinned dataset version with its
draws and seed, say so, and offer the comparison; moving a lever then continues on the current
data. A value saved between two steps of a lever's grid is still computed exactly. A scenario
saved with another model version says that the numbers are today's model on the saved data.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner import saved as sv
from planner.engine import load_model
from planner.i18n import LANGS, label, t
from planner.projection import MODEL_VERSION
from planner.scenario import ScenarioError
from planner.store import DuckDBStore
from planner.usertext import escape_markdown
from planner.views import lever_views
from tests.app.html_tables import table_with
from tests.app.saved_helpers import (
    PLANNER_HEADLINE,
    assert_clean,
    expected_text,
    lever_value,
    move,
    open_app,
    planner_headline,
    unit_decimals,
)
from tests.saved_support import changed_data_dir, copy_db

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
PLANNER = "app_pages/planner_page.py"
TIMEOUT = 120
DE = "digital_economy_share_grdp"
CARD_KEYS = {"observed": "card.observed", "estimate": "card.estimate",
             "projection": "briefing.scenario.card_label"}
# 87.3 lies between two steps (0.5) of the online-filing control
SETTINGS = {"levers": {"online_filing": {"2027": 87.3}, "cashless": {"2030": 80}},
            "overrides": {}}


@pytest.fixture(scope="module")
def pinned(loaded_db: Path, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A database copy with one saved scenario, then a new dataset version loaded over it;
    built once for the module's tests, which only read it (a test that writes takes
    ``pinned_copy``)."""
    tmp_path = tmp_path_factory.mktemp("pinned")
    path = tmp_path / "planner.duckdb"
    store = copy_db(loaded_db, path)
    old_model = load_model(store)
    saved, _ = sv.save_scenario(store, old_model, SETTINGS, "Thanh toán số 2030", "", "", "vi")
    store.load_dataset(changed_data_dir(data_dir, tmp_path / "data2", "de_share_growth_pp",
                                        value="1.5"))
    current = load_model(store)
    assert current.version != saved.dataset_version
    indicators = store.dataset().indicators
    labels = {lang: {str(r["id"]): label(r, lang) for _, r in indicators.iterrows()}
              for lang in LANGS}
    return {"path": path, "store": store, "saved": saved, "current": current,
            "labels": labels, "units": unit_decimals(path)}


@pytest.fixture
def pinned_copy(pinned: dict, tmp_path: Path) -> dict:
    """``pinned`` on a private copy of its database, for a test that writes to it."""
    path = tmp_path / "planner.duckdb"
    return {**pinned, "path": path, "store": copy_db(pinned["path"], path)}


def saved_text(snap: dict, indicator: str, year: int, units: dict, lang: str,
               field: str = "value") -> str:
    found = [r for r in snap[("outcomes" if field == "value" else "targets")]
             if r["indicator"] == indicator and r["year"] == year]
    row = found[0]
    return expected_text(row[field], indicator, row["unit"], units)[lang]


def current_snapshot(pinned: dict) -> dict:
    """The same settings on the current data (what a recomputation would show)."""
    model = pinned["current"]
    return sv.snapshot(model, model.validate(SETTINGS))


def info_text(at: AppTest) -> str:
    return " ".join(str(i.value) for i in at.info)


@pytest.mark.parametrize("lang", LANGS)
def test_planner_link_shows_the_saved_numbers_on_the_pinned_version(pinned, monkeypatch, lang):
    saved, units, labels = pinned["saved"], pinned["units"], pinned["labels"]
    at = open_app(pinned["path"], monkeypatch, lang, {"s": saved.id}, PLANNER)
    shown = planner_headline(at, labels, lang)
    for ind in PLANNER_HEADLINE:
        assert shown[ind] == saved_text(saved.snapshot, ind, 2030, units, lang), ind
    # the test can fail: on the current data the digital economy's share differs
    now = current_snapshot(pinned)
    assert shown[DE] != saved_text(now, DE, 2030, units, lang)
    # the table's 2027 online-filing row is the exact 87.3 saved, not the control's 87.5
    df = table_with(at, t("planner.table.outcome", lang))
    filing = df[(df[t("planner.table.outcome", lang)] == labels[lang]["online_filing_rate"])
                & (df[t("planner.table.year", lang)] == "2027")]
    projected = set(filing[t("planner.table.projected", lang)])
    assert projected == {saved_text(saved.snapshot, "online_filing_rate", 2027, units, lang)}
    assert lever_value(at, "lever.online_filing.2027") == 87.5
    # it says which version it is computed on and offers the comparison with the current data
    info = info_text(at)
    assert saved.dataset_version in info and pinned["current"].version in info
    assert f"saved?s={saved.id}" in info
    # the address still carries just the saved id
    assert at.query_params["s"] == saved.id
    assert not [k for k in at.query_params if "." in k]


def test_planner_lever_move_continues_on_the_current_data(pinned, monkeypatch):
    saved, units, labels = pinned["saved"], pinned["units"], pinned["labels"]
    at = move(open_app(pinned["path"], monkeypatch, "en", {"s": saved.id}, PLANNER),
              "lever.ecommerce.2030", 90.0)
    assert saved.dataset_version not in info_text(at)
    assert "s" not in at.query_params and at.query_params["ecommerce.2030"] == "90"
    model = pinned["current"]
    moved = {"levers": {"online_filing": {"2027": 87.5}, "cashless": {"2030": 80},
                        "ecommerce": {"2030": 90}}, "overrides": {}}
    expected = sv.snapshot(model, model.validate(moved))
    shown = planner_headline(at, labels, "en")
    assert shown[DE] == saved_text(expected, DE, 2030, units, "en")
    # moving it back returns to the saved scenario, computed as saved again
    default = next(lv for lv in lever_views(model) if lv.id == "ecommerce").default[2030]
    move(at, "lever.ecommerce.2030", default)
    assert at.query_params.get("s") == saved.id
    assert planner_headline(at, labels, "en")[DE] == saved_text(saved.snapshot, DE, 2030,
                                                                units, "en")


@pytest.mark.parametrize("lang", LANGS)
def test_briefing_link_shows_the_saved_numbers_on_the_pinned_version(pinned, monkeypatch, lang):
    saved, units, labels = pinned["saved"], pinned["units"], pinned["labels"]
    at = open_app(pinned["path"], monkeypatch, lang, {"s": saved.id})
    assert t("briefing.scenario.heading", lang, name=saved.name) in [h.value for h in at.header]
    cards = {m.label: m.value for m in at.metric}
    checked = 0
    for row in saved.snapshot["targets"]:
        if row["year"] not in (2025, 2030) or row["indicator"] not in PLANNER_HEADLINE:
            continue
        name = t(CARD_KEYS[row["basis"]], lang, label=labels[lang][row["indicator"]],
                 year=row["year"])
        assert cards[name] == saved_text(saved.snapshot, row["indicator"], row["year"], units,
                                         lang, field="projected"), name
        checked += 1
    assert checked >= 3  # the digital economy 2025 and both 2030 targets, at least
    name = t("briefing.scenario.card_label", lang, label=labels[lang][DE], year=2030)
    assert cards[name] != saved_text(current_snapshot(pinned), DE, 2030, units, lang,
                                     field="projected")
    info = info_text(at)
    assert saved.dataset_version in info and f"saved?s={saved.id}" in info


def test_saved_with_another_model_version_says_so(loaded_db, tmp_path, monkeypatch):
    """Another model's numbers cannot be computed again: the page shows the stored ones, says
    the model changed and compares with today's model (tests/app/test_frozen_snapshots.py)."""
    store = copy_db(loaded_db, tmp_path / "planner.duckdb")
    model = load_model(store)
    with monkeypatch.context() as mp:
        mp.setattr(sv.service, "MODEL_VERSION", "0.9")
        mp.setattr(sv.snapshots, "MODEL_VERSION", "0.9")
        saved, _ = sv.save_scenario(store, model, SETTINGS, "Old model", "", "", "en")
    assert saved.model_version == "0.9"
    at = open_app(tmp_path / "planner.duckdb", monkeypatch, "en", {"s": saved.id}, PLANNER)
    info = info_text(at)
    assert t("snapshot.notice", "en", name="Old model", saved="0.9",
             current=MODEL_VERSION) in info
    assert t("saved.current.heading", "en") in [e.label for e in at.expander]
    # same data: nothing says the dataset changed
    assert t("planner.opened_pinned", "en", name="x", saved="", current="", link="")[:20] \
        not in info


def test_same_data_same_numbers_and_a_plain_caption(loaded_db, tmp_path, monkeypatch):
    path = tmp_path / "planner.duckdb"
    store = copy_db(loaded_db, path)
    model = load_model(store)
    saved, _ = sv.save_scenario(store, model, SETTINGS, "Plain", "", "", "en")
    at = open_app(path, monkeypatch, "en", {"s": saved.id}, PLANNER)
    assert not at.info
    assert t("planner.opened", "en", name="Plain") in [c.value for c in at.caption]
    labels = {"en": {str(r["id"]): label(r, "en")
                     for _, r in DuckDBStore(path).dataset().indicators.iterrows()}}
    shown = planner_headline(at, labels, "en")
    units = unit_decimals(path)
    for ind in PLANNER_HEADLINE:
        assert shown[ind] == saved_text(saved.snapshot, ind, 2030, units, "en")


def test_saving_a_pinned_scenario_saves_it_on_the_current_data(pinned_copy, monkeypatch):
    pinned = pinned_copy
    saved = pinned["saved"]
    at = open_app(pinned["path"], monkeypatch, "en", {"s": saved.id}, PLANNER)
    at.session_state["planner.save_panel"] = True
    at.run()
    note = t("saved.form.on_current_data", "en", current=pinned["current"].version)
    assert note in [c.value for c in at.caption]
    box = next(w for w in at.text_input if w.label == t("saved.form.name", "en"))
    box.input("Copy on new data")
    next(b for b in at.button if b.label == t("saved.form.submit", "en")).click().run()
    assert_clean(at)
    rows, total = sv.list_scenarios(pinned["store"], search="Copy on new data")
    assert total == 1
    copy = sv.get_scenario(pinned["store"], rows[0].id)
    assert copy.dataset_version == pinned["current"].version
    assert copy.settings == saved.settings  # the exact 87.3, not the control's 87.5


# saved with an assumption value the next dataset version no longer allows
MISFIT = {"levers": {"cashless": {"2030": 80}}, "overrides": {"cashless_logit_growth": 0.35}}


@pytest.fixture(scope="module")
def misfit(loaded_db: Path, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A scenario saved with ``cashless_logit_growth`` 0.35; the new data allows up to 0.3.
    Built once for the module's tests, which only read it."""
    tmp_path = tmp_path_factory.mktemp("misfit")
    path = tmp_path / "planner.duckdb"
    store = copy_db(loaded_db, path)
    saved, _ = sv.save_scenario(store, load_model(store), MISFIT, "Nhanh hơn", "", "", "vi")
    store.load_dataset(changed_data_dir(data_dir, tmp_path / "data2", "cashless_logit_growth",
                                        high="0.3"))
    current = load_model(store)
    with pytest.raises(ScenarioError):  # the premise: not valid on the current data
        current.validate(MISFIT)
    indicators = store.dataset().indicators
    labels = {lang: {str(r["id"]): label(r, lang) for _, r in indicators.iterrows()}
              for lang in LANGS}
    row = current.dataset.assumptions.set_index("id").loc["cashless_logit_growth"]
    return {"path": path, "saved": saved, "current": current, "labels": labels,
            "units": unit_decimals(path),
            "assumption": {lang: label(row, lang) for lang in LANGS}}


@pytest.mark.parametrize("lang", LANGS)
def test_settings_the_current_data_no_longer_allows_still_open_as_saved(misfit, monkeypatch,
                                                                        lang):
    saved, units, labels = misfit["saved"], misfit["units"], misfit["labels"]
    at = open_app(misfit["path"], monkeypatch, lang, {"s": saved.id}, PLANNER)
    # not reported as an unknown id: the saved numbers, on the pinned version
    unknown = t("planner.url.unknown_id", lang, value=saved.id, param="s")
    assert unknown not in [w.value for w in at.warning]
    shown = planner_headline(at, labels, lang)
    for ind in PLANNER_HEADLINE:
        assert shown[ind] == saved_text(saved.snapshot, ind, 2030, units, lang), ind
    # the warning names the setting; the control holds the nearest allowed value
    warnings = " ".join(str(w.value) for w in at.warning)
    num = {"vi": ("0,35", "0,05", "0,3"), "en": ("0.35", "0.05", "0.3")}[lang]
    moved = t("planner.misfit.moved", lang, name=escape_markdown(misfit["assumption"][lang]),
              saved=num[0],
              now=num[2], low=num[1], high=num[2])
    assert moved in warnings
    assert at.session_state["planner.assumption_values"]["cashless_logit_growth"] == 0.3
    assert at.query_params["s"] == saved.id
    # the briefing shows the same saved numbers
    at.switch_page("app_pages/briefing.py").run()
    assert_clean(at)
    cards = {m.label: m.value for m in at.metric}
    name = t("briefing.scenario.card_label", lang, label=labels[lang][DE], year=2030)
    assert cards[name] == saved_text(saved.snapshot, DE, 2030, units, lang, field="projected")


def test_a_lever_move_then_uses_the_nearest_allowed_values(misfit, monkeypatch):
    saved, units, labels = misfit["saved"], misfit["units"], misfit["labels"]
    at = move(open_app(misfit["path"], monkeypatch, "en", {"s": saved.id}, PLANNER),
              "lever.ecommerce.2030", 90.0)
    assert "s" not in at.query_params
    assert at.query_params["a.cashless_logit_growth"] == "0.3"
    model = misfit["current"]
    moved = {"levers": {"cashless": {"2030": 80}, "ecommerce": {"2030": 90}},
             "overrides": {"cashless_logit_growth": 0.3}}
    expected = sv.snapshot(model, model.validate(moved))
    assert planner_headline(at, labels, "en")[DE] == saved_text(expected, DE, 2030, units, "en")


QUOTE_35 = "tỷ trọng kinh tế số chiếm khoảng 35% GRDP"


def revised_target_data(src: Path, dst: Path) -> Path:
    """A copy of the data where seed 004's "about 35%" 2030 target reads 33% instead."""
    shutil.copytree(src, dst)
    path = dst / "observations.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    hits = [r for r in rows if r["quote"] == QUOTE_35]
    assert len(hits) == 1
    hits[0].update(value="33", quote=QUOTE_35.replace("35%", "33%"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return dst


def test_briefing_target_sources_come_from_the_pinned_version(loaded_db, data_dir, tmp_path,
                                                              monkeypatch):
    path = tmp_path / "planner.duckdb"
    store = copy_db(loaded_db, path)
    saved, _ = sv.save_scenario(store, load_model(store), SETTINGS, "Mục tiêu 35%", "", "", "vi")
    store.load_dataset(revised_target_data(data_dir, tmp_path / "data2"))
    assert load_model(store).version != saved.dataset_version
    at = open_app(path, monkeypatch, "vi", {"s": saved.id})
    # the saved 35% target has its card, and its popover quotes the source of that version
    targets = {(r["year"], r["target"]) for r in saved.snapshot["targets"]
               if r["indicator"] == DE}
    assert (2030, 35.0) in targets
    shown = " ".join(str(m.value) for m in at.markdown)
    assert QUOTE_35 in shown
