"""The download menu, in a tiny script: one button per format, nothing built while drawing."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest


def menu_script(calls_path: str, lang: str, chromium: str) -> None:
    import os
    from pathlib import Path

    import pandas as pd
    import streamlit as st

    from ui.export_menu import csv_button, download_menu

    os.environ["PLANNER_CHROMIUM"] = chromium

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
def test_menu_draws_a_button_per_format_and_builds_nothing(calls, lang):
    at = AppTest.from_function(menu_script, args=(str(calls), lang, "/usr/bin/chromium"),
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


def test_without_chromium_the_image_buttons_are_disabled_with_a_message(calls):
    at = AppTest.from_function(menu_script, args=(str(calls), "vi", "/nonexistent/chromium"),
                               default_timeout=30)
    at.run()
    buttons = {b.key: b for b in at.get("download_button")}
    assert buttons["brief_png"].proto.disabled and buttons["brief_svg"].proto.disabled
    assert not buttons["brief_pdf"].proto.disabled
    assert any("Chromium" in c.value for c in at.caption)
    assert calls.read_text() == ""
