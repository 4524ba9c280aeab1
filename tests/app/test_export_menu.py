"""The download menu, in a tiny script: one button per format, nothing built while drawing."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest


def menu_script(calls_path: str, lang: str) -> None:
    from pathlib import Path

    import pandas as pd
    import streamlit as st

    from ui.export_menu import csv_button, download_menu


    def factory():
        with Path(calls_path).open("a") as f:
            f.write("bundle\n")
        raise AssertionError("the bundle must not be built while the page is drawn")

    def frame():
        with Path(calls_path).open("a") as f:
            f.write("frame\n")
        return pd.DataFrame({"a": [1]})

    st.slider("lever", 0, 100, 50, key="lever")
    download_menu(factory, lang, key="brief")
    csv_button(frame, lang, key="data_csv")


@pytest.fixture
def calls(tmp_path: Path) -> Path:
    path = tmp_path / "calls.txt"
    path.write_text("")
    return path


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_menu_draws_a_button_per_format_and_builds_nothing(calls, lang, monkeypatch):
    monkeypatch.setenv("PLANNER_CHROMIUM", "/usr/bin/chromium")  # restored after the test
    at = AppTest.from_function(menu_script, args=(str(calls), lang),
                               default_timeout=30)
    at.run()
    assert not at.exception
    buttons = at.get("download_button")
    keys = [b.key for b in buttons]
    assert keys == [f"brief_{f}" for f in ("pptx", "pdf", "xlsx", "png", "svg", "csv")] + [
        "data_csv"]
    labels = [b.label for b in buttons]
    if lang == "vi":
        assert labels[0] == "Trình chiếu (PowerPoint)" and labels[1] == "Báo cáo in (PDF, A4)"
    else:
        assert labels[0] == "Slides (PowerPoint)" and labels[2] == "Workbook (Excel)"
    # a lever move reruns the page: still nothing is built
    at.slider(key="lever").set_value(80).run()
    assert not at.exception
    assert calls.read_text() == ""


def test_without_chromium_the_image_buttons_are_disabled_with_a_message(calls, monkeypatch):
    monkeypatch.setenv("PLANNER_CHROMIUM", "/nonexistent/chromium")  # restored after the test
    at = AppTest.from_function(menu_script, args=(str(calls), "vi"),
                               default_timeout=30)
    at.run()
    buttons = {b.key: b for b in at.get("download_button")}
    assert buttons["brief_png"].proto.disabled and buttons["brief_svg"].proto.disabled
    assert not buttons["brief_pdf"].proto.disabled
    assert any("Chromium" in c.value for c in at.caption)
    assert calls.read_text() == ""


# ------------------------------------------------------------------ the menus on the pages
BUILDERS = ("from_model", "from_saved", "render", "frame_csv", "combined_outcomes_csv")
FORMAT_KEYS = ("pptx", "pdf", "xlsx", "png", "svg", "csv")


@pytest.fixture
def built(monkeypatch):
    """Every build a menu can make, recorded by name: the pages must make none while drawn."""
    import ui.export_menu as menu

    calls: list[str] = []

    def recorder(name: str, original):
        def spy(*args, **kwargs):
            calls.append(name)
            return original(*args, **kwargs)
        return spy

    for name in BUILDERS:
        monkeypatch.setattr(menu, name, recorder(name, getattr(menu, name)))
    return calls


@pytest.fixture(scope="module")
def page_db(loaded_db, tmp_path_factory):
    """A copy of the loaded database with one saved scenario; ``(path, saved id)``."""
    from planner import saved as sv
    from planner.engine import load_model
    from tests.saved_support import copy_db

    path = tmp_path_factory.mktemp("export_pages") / "planner.duckdb"
    store = copy_db(loaded_db, path)
    saved, _ = sv.save_scenario(store, load_model(store), {"levers": {"cashless": {"2027": 60}}},
                                "Kế hoạch <b>", "=HYPERLINK(\"http://x\")", "+cmd", "vi",
                                draws=300)
    return path, saved.id


def keys_of(at) -> list[str]:
    return [b.key for b in at.get("download_button")]


def menu_keys(prefix: str) -> list[str]:
    return [f"{prefix}_{f}" for f in FORMAT_KEYS]


def test_briefing_menu_is_drawn_and_builds_nothing(page_db, monkeypatch, built):
    from tests.app.saved_helpers import assert_clean, open_page

    at = open_page(page_db[0], monkeypatch, "app_pages/briefing.py", "vi")
    assert_clean(at)
    assert keys_of(at) == menu_keys("briefing_export")
    at.run()
    assert built == []


def test_planner_menu_is_redrawn_after_a_lever_move_and_builds_nothing(page_db, monkeypatch,
                                                                       built):
    from tests.app.saved_helpers import assert_clean, open_page, set_lever

    at = open_page(page_db[0], monkeypatch, "app_pages/planner_page.py", "vi")
    assert_clean(at)
    assert keys_of(at) == menu_keys("planner_export")
    set_lever(at, "lever.ecommerce.2030", 90.0)
    assert_clean(at)
    assert keys_of(at) == menu_keys("planner_export")
    assert built == []


def test_saved_scenario_page_has_its_menu_and_builds_nothing(page_db, monkeypatch, built):
    from tests.app.saved_helpers import assert_clean, open_page

    path, sid = page_db
    at = open_page(path, monkeypatch, "app_pages/saved.py", "vi", {"s": sid})
    assert_clean(at)
    assert menu_keys("saved_export") == [k for k in keys_of(at) if k.startswith("saved_export")]
    assert built == []


def test_compare_page_has_one_csv_and_a_menu_per_scenario(page_db, monkeypatch, built):
    from tests.app.saved_helpers import assert_clean, open_page

    path, sid = page_db
    at = open_page(path, monkeypatch, "app_pages/compare.py", "en",
                   {"c": f"baseline,plan_targets,{sid}"})
    assert_clean(at)
    keys = keys_of(at)
    assert keys[0] == "compare_export_csv"
    assert keys[1:] == [k for slot in "ABC" for k in menu_keys(f"compare_export_{slot}")]
    assert built == []


def test_data_page_csv_of_the_filtered_rows_builds_nothing(page_db, monkeypatch, built):
    from tests.app.saved_helpers import assert_clean, open_page

    at = open_page(page_db[0], monkeypatch, "app_pages/data_sources.py", "vi")
    assert_clean(at)
    assert "data_csv" in keys_of(at)
    at.text_input(key="data_search").set_value("DTI").run()
    assert "data_csv" in keys_of(at)
    assert built == []


# ------------------------------------------------------------------ what the menus build
def test_a_pages_export_holds_the_pages_numbers_and_a_saved_ones_note(page_db):
    """The factory of the briefing and planner menus: the frame and targets the page shows,
    the draws and seed it used, and for an opened saved scenario its note and author."""
    from planner.engine import load_model
    from planner.saved import get_scenario, snapshot_frames
    from planner.store import DuckDBStore
    from planner.targets import evaluate_targets
    from ui.export_menu import computation_bundle
    from ui.scenario_state import Computation, Opened

    path, sid = page_db
    store = DuckDBStore(path)
    model = load_model(store)
    saved = get_scenario(store, sid)
    scenario = model.validate(saved.scenario)
    sim = model.simulate(scenario, draws=saved.draws, seed=saved.seed)
    frame, targets = sim.frame(), evaluate_targets(model, sim)
    calc = Computation(model, scenario, saved.draws, saved.seed, Opened(
        sid, scenario.key(), saved.name, saved.name, "saved", saved.scenario,
        saved.dataset_version, saved.model_version, saved.draws, saved.seed, False, False))
    bundle = computation_bundle(calc, frame, targets, "vi", name=saved.name,
                                link="http://host/briefing?s=" + sid, store=store)()
    got = bundle.outcomes.merge(frame, on=["indicator", "year"], suffixes=("", "_page"))
    assert len(got) == len(frame) and (got["value"] == got["value_page"]).all()
    assert (got["p90"] == got["p90_page"]).all()
    assert (bundle.draws, bundle.seed) == (saved.draws, saved.seed)
    assert (bundle.name, bundle.note, bundle.author) == (saved.name, saved.note, saved.author)
    assert bundle.link == "http://host/briefing?s=" + sid
    stored, _ = snapshot_frames(saved.snapshot)  # as saved (stored to 10 decimals)
    assert sorted(bundle.outcomes["value"]) == pytest.approx(sorted(stored["value"]), abs=1e-8)
