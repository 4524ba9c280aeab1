"""Presentation mode and the paper's stamp in AppTest: from the link, kept, left; the script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.i18n import t
from ui.layout_css import (
    ENTER_KEY,
    EXIT_KEY,
    PAPER_WIDTH,
    page_script,
    parse_present,
    stylesheet,
)

APP = Path(__file__).resolve().parents[2] / "app.py"


def _open(loaded_db: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("PLANNER_DB", str(loaded_db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _param(at: AppTest, key: str) -> str | None:
    """The link's parameter: AppTest holds a list before a run and a string after one."""
    value = at.query_params.get(key)
    return value[-1] if isinstance(value, list) else value


def _button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


@pytest.mark.parametrize(("value", "on"), [("1", True), ("true", True), (["0", "1"], True),
                                           ("0", False), ("", False), ("yes please", False),
                                           ([], False), (None, False)])
def test_parse_present(value, on):
    assert parse_present(value) is on


def test_the_script_holds_both_stylesheets_and_no_angle_bracket():
    for present in (False, True):
        script = page_script(present)
        body = script.removeprefix("<script>").removesuffix("</script>")
        # Streamlit empties an st.html whose script holds a "<"
        assert "<" not in body
        assert "@page { size: A4; margin: 8mm; }" in body
        assert "@media print" in body
        assert ("scroll-snap-type" in body) is present
    assert "stSidebar" in stylesheet("layout") and "stSidebar" in stylesheet("present")
    assert PAPER_WIDTH == 733  # (210 - 2 × 8) mm at 96 px an inch


def test_a_present_link_turns_the_mode_on_and_keeps_it(loaded_db, monkeypatch):
    at = _open(loaded_db, monkeypatch, lang="en", present="1")
    assert not at.exception
    assert at.session_state["present"] is True
    assert _param(at, "present") == "1"
    exit_button = _button(at, f"{EXIT_KEY}_button")
    assert exit_button.label == t("layout.present.exit", "en")

    at.switch_page("app_pages/data_sources.py").run()
    assert _param(at, "present") == "1"  # kept across pages, like the language
    assert _param(at, "lang") == "en"

    _button(at, f"{EXIT_KEY}_button").click().run()
    assert at.session_state["present"] is False
    assert "present" not in at.query_params
    assert not [b for b in at.button if b.key == f"{EXIT_KEY}_button"]


def test_the_sidebar_button_turns_the_mode_on(loaded_db, monkeypatch):
    at = _open(loaded_db, monkeypatch, lang="vi")
    assert "present" not in at.query_params
    enter = _button(at, f"{ENTER_KEY}_button")
    assert enter.label == t("layout.present.enter", "vi")
    enter.click().run()
    assert at.session_state["present"] is True
    assert _param(at, "present") == "1"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_stamp_names_the_version_and_its_day(loaded_db, monkeypatch, lang):
    at = _open(loaded_db, monkeypatch, lang=lang)
    stamp = [c.value for c in at.caption if c.value.startswith(t("layout.stamp", lang, date="",
                                                                    version="")[:8])]
    assert len(stamp) == 1, [c.value for c in at.caption]
    assert re.search(r"[0-9a-f]{16}", stamp[0])
    date = r"\d{1,2}/\d{1,2}/\d{4}" if lang == "vi" else r"[A-Z][a-z]{2} \d{1,2}, \d{4}"
    assert re.search(date, stamp[0]), stamp[0]
