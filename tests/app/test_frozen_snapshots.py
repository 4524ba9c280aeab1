"""A scenario saved under model 1.0 with a 2025 setting keeps its word on every page.

Today (2026-11-27) 2025 has ended and the model is version 2.0, so the scenario cannot be
computed again as saved. Opened on ``/planner?s=``, ``/briefing?s=`` and ``/saved?s=`` it shows
exactly its stored snapshot (numbers no computation gives: the stored 2030 DTI is set to
0.9123), says the model changed since, and compares with today's model, naming the 2025
setting that no longer applies.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner import saved as sv
from planner.engine import load_model
from planner.i18n import LANGS, label, t
from planner.projection import MODEL_VERSION
from planner.store import DuckDBStore
from tests.app.opening import open_on
from tests.app.saved_helpers import (
    SAVED_PAGE,
    TIMEOUT,
    assert_clean,
    lever_value,
    open_page,
    planner_strip,
    set_lever,
)
from tests.saved_support import copy_db
from ui.link_messages import problem_text

PLANNER = "app_pages/planner_page.py"
BRIEFING = "app_pages/briefing.py"
STORED_DTI_2030 = 0.9123
"""The stored 2030 overall DTI, which no computation of these settings gives."""
OLD_SETTINGS = {"levers": {"cashless": {"2025": 50, "2030": 70}}, "overrides": {}}


@pytest.fixture(scope="module")
def old(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A database copy holding a row as a model 1.0 save in 2025 would have left it."""
    path = tmp_path_factory.mktemp("frozen") / "planner.duckdb"
    store = copy_db(loaded_db, path)
    model = load_model(store)
    base, _ = sv.save_scenario(store, model, {"levers": {"cashless": {"2030": 70}}}, "new", "",
                               "", "vi")
    row = dict(store.get_saved(base.id))
    snap = json.loads(row["snapshot"]) if isinstance(row["snapshot"], str) else row["snapshot"]
    for r in snap["outcomes"]:
        if r["indicator"] == "dti_overall" and r["year"] == 2030:
            r["value"] = STORED_DTI_2030
    snap["model_version"] = "1.0"
    row.update(id=sv.new_id(), name="Kế hoạch cũ", model_version="1.0",
               settings=sv.canonical_json(OLD_SETTINGS), snapshot=sv.canonical_json(snap))
    row["digest"] = sv.payload_digest(row)
    store.insert_saved(row)
    indicators = DuckDBStore(path).dataset().indicators
    labels = {lang: {str(r["id"]): label(r, lang) for _, r in indicators.iterrows()}
              for lang in LANGS}
    return {"path": path, "id": row["id"], "labels": labels}


def open_link(old: dict, monkeypatch, page: str, lang: str):
    """The app opened from ``?s=<id>`` (the session's first run reads the link), on ``page``
    (the saved page reads its own ``s`` when opened, as :func:`open_page` does)."""
    if page == SAVED_PAGE:
        return open_page(old["path"], monkeypatch, page, lang, {"s": old["id"]})
    monkeypatch.setenv("PLANNER_DB", str(old["path"]))
    at = open_on(page, lang, {"s": old["id"]}, TIMEOUT)
    return at


def stored_metric(old: dict, lang: str) -> str:
    return t("saved.headline.metric", lang, label=old["labels"][lang]["dti_overall"], year=2030)


def ended_problem(old: dict, lang: str) -> str:
    """The words of the one setting that no longer applies, as today's model reports it."""
    store = DuckDBStore(old["path"])
    found = sv.compare_with_current(store, sv.get_scenario(store, old["id"]),
                                    load_model(store)).problems
    assert [(p.field, p.code) for p in found] == [("levers.cashless.2025", "year_ended")]
    return problem_text(found[0], lang)


@pytest.mark.parametrize("page", [PLANNER, BRIEFING, SAVED_PAGE])
@pytest.mark.parametrize("lang", LANGS)
def test_an_old_scenario_opens_with_its_stored_numbers(old, monkeypatch, page, lang):
    at = open_link(old, monkeypatch, page, lang)
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    stored = "0,9123" if lang == "vi" else "0.9123"
    assert metrics[stored_metric(old, lang)] == stored
    texts = " ".join(str(e.value) for kind in ("info", "markdown", "caption")
                     for e in getattr(at, kind))
    # the model changed since; today's model is compared, naming the 2025 setting
    if page == SAVED_PAGE:
        assert t("saved.detail.model_changed", lang, saved="1.0") in texts
    else:
        assert t("snapshot.notice", lang, name="Kế hoạch cũ", saved="1.0",
                 current=MODEL_VERSION) in texts
        # no recomputation is shown as the scenario's numbers: no headline beside the levers
        assert planner_strip(at) is None
        assert not [m for m in at.metric if m.label == t(
            "planner.metric_value", lang, label=old["labels"][lang]["dti_overall"], year=2030)]
    assert ended_problem(old, lang) in texts
    assert "2.025" not in texts and "2,025" not in texts  # a year, not a number
    assert at.query_params["s"] == old["id"]


def test_a_lever_move_then_computes_with_todays_model(old, monkeypatch):
    at = open_link(old, monkeypatch, PLANNER, "en")
    # the controls show the nearest allowed settings: cashless 70% in 2030, 2025 left out
    assert lever_value(at, "lever.cashless.2030") == 70.0
    set_lever(at, "lever.ecommerce.2030", 90.0)
    assert_clean(at)
    assert "s" not in at.query_params
    assert at.query_params["cashless.2030"] == "70" and at.query_params["ecommerce.2030"] == "90"
    assert not [i for i in at.info if "1.0" in str(i.value)]

