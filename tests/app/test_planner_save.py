"""Saving from the scenarios page: the saved snapshot holds exactly the numbers the page shows."""

from __future__ import annotations

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.i18n import t
from planner.saved import list_scenarios, open_scenario
from planner.store import DuckDBStore
from tests.app.opening import open_on
from tests.app.saved_helpers import set_lever

REPO = Path(__file__).resolve().parents[2]


def _copy_without_saves(loaded_db: Path, tmp_path: Path) -> Path:
    """A copy of the session's database with no saved scenario (other tests of a worker may
    have saved into ``loaded_db``)."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(loaded_db, db)
    store = DuckDBStore(db)
    with store.connect() as con:
        con.execute("DELETE FROM saved_scenarios")
    assert list_scenarios(store)[1] == 0
    return db


def test_save_from_planner_page(loaded_db: Path, tmp_path: Path, monkeypatch) -> None:
    db = _copy_without_saves(loaded_db, tmp_path)
    monkeypatch.setenv("PLANNER_DB", str(db))
    at = open_on("app_pages/planner_page.py", "en", {"cashless.2027": "60"})
    assert not at.exception
    # the save form is drawn only once its panel is open
    assert not [w for w in at.text_input if w.label == t("saved.form.name", "en")]
    at.session_state["planner.save_panel"] = True
    at.run()
    name = "<img src=x onerror=alert(1)>"
    box = next(w for w in at.text_input if w.label == t("saved.form.name", "en"))
    box.input(name)
    button = next(b for b in at.button if b.label == t("saved.form.submit", "en"))
    button.click().run()
    assert not at.exception
    store = DuckDBStore(db)
    rows, total = list_scenarios(store)
    assert total == 1 and rows[0].name == name
    opened = open_scenario(store, rows[0].id)
    assert opened.scenario.levers == {"cashless": {2027: 60.0}}
    outcome = {(o["indicator"], o["year"]): o for o in opened.snapshot["outcomes"]}
    assert outcome[("cashless_adoption", 2027)]["value"] == 60.0
    # the name is shown as text, never as markdown/HTML
    assert not any(name in m.value for m in at.markdown)


def _open_planner_with_form(db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("PLANNER_DB", str(db))
    at = open_on("app_pages/planner_page.py", "en")
    at.session_state["planner.save_panel"] = True
    return at.run()


def _fill(at: AppTest, name: str) -> None:
    box = next(w for w in at.text_input if w.label == t("saved.form.name", "en"))
    box.input(name)


def _submit(at: AppTest):
    return next(b for b in at.button if b.label == t("saved.form.submit", "en")).click()


def _confirmed_ids(at: AppTest) -> list[str]:
    """Ids shown by a save confirmation (the code block under "saved.form.id")."""
    if not any(s.value == t("saved.form.done", "en") for s in at.success):
        return []
    store_ids = {str(c.value) for c in at.get("code")}
    return sorted(i for i in store_ids if len(i) == 16 and "/" not in i)


def test_every_click_on_save_is_answered(loaded_db: Path, tmp_path: Path, monkeypatch) -> None:
    db = _copy_without_saves(loaded_db, tmp_path)
    store = DuckDBStore(db)
    at = _open_planner_with_form(db, monkeypatch)
    _fill(at, "first")
    _submit(at).run()
    first = [r.id for r in list_scenarios(store)[0]]
    assert _confirmed_ids(at) == first
    # the settings change: the confirmation seen is about the settings before: it no longer
    # reads as one, and its id and token stay under "saved before the settings changed"
    set_lever(at, "lever.cashless.2030", 80.0)
    assert not at.exception and _confirmed_ids(at) == []
    assert [i.value for i in at.info if i.value == t("notice.save.earlier", "en")]
    assert first[0] in {str(c.value) for c in at.get("code")}
    # a click whose run stops before the form is drawn again (here: the panel closes in the
    # same run, as when a lever move interrupts the drawing) still saves ...
    _fill(at, "second")
    _submit(at)
    at.session_state["planner.save_panel"] = False
    at.run()
    rows, total = list_scenarios(store)
    assert total == 2, "the click was lost"
    second = next(r.id for r in rows if r.name == "second")
    # ... and the next run that draws the form names the new id
    at.session_state["planner.save_panel"] = True
    at.run()
    assert _confirmed_ids(at) == [second]
    # a save that fails says why, and the old confirmation is gone
    _fill(at, "")
    _submit(at).run()
    assert not at.exception
    assert _confirmed_ids(at) == [] and at.error, [s.value for s in at.success]
    assert second not in {str(c.value) for c in at.get("code")}
    assert list_scenarios(store)[1] == 2


def test_a_save_written_by_an_overtaken_run_is_shown_once_in(loaded_db: Path, tmp_path: Path,
                                                             monkeypatch) -> None:
    """A run that draws while another run's save is still being written says "saving"; once
    the outcome is in, the page shows it as a new confirmation with its id."""
    db = _copy_without_saves(loaded_db, tmp_path)
    at = _open_planner_with_form(db, monkeypatch)
    _fill(at, "first")
    _submit(at).run()
    saved_id = _confirmed_ids(at)[0]
    box = at.session_state["planner.save.result"]
    outcome = dict(box)
    box.clear()
    box["pending"] = True  # as the saving run leaves it while it writes
    at.run()
    assert not at.exception
    assert [c.value for c in at.caption if c.value == t("saved.form.saving", "en")]
    assert _confirmed_ids(at) == []
    box.clear()
    box.update(outcome, shown=False)  # the saving run is done
    at.run()
    assert not at.exception
    assert not [c.value for c in at.caption if c.value == t("saved.form.saving", "en")]
    assert _confirmed_ids(at) == [saved_id]
