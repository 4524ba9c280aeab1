"""Saving from the scenarios page: the saved snapshot holds exactly the numbers the page shows."""

from __future__ import annotations

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.i18n import t
from planner.saved import list_scenarios, open_scenario
from planner.store import DuckDBStore

REPO = Path(__file__).resolve().parents[2]


def test_save_from_planner_page(loaded_db: Path, tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(loaded_db, db)
    monkeypatch.setenv("PLANNER_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["cashless.2025"] = "60"
    at.run()
    at.switch_page("app_pages/planner_page.py").run()
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
    assert opened.scenario.levers == {"cashless": {2025: 60.0}}
    outcome = {(o["indicator"], o["year"]): o for o in opened.snapshot["outcomes"]}
    assert outcome[("cashless_adoption", 2025)]["value"] == 60.0
    # the name is shown as text, never as markdown/HTML
    assert not any(name in m.value for m in at.markdown)
