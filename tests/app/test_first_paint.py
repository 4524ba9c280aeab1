"""ui.paint: a page pauses once per session, after its key numbers, for the browser to draw them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from ui import paint
from ui.paint import FIRST_PAINT_PAUSE_S, PAUSE_ENV, pause_seconds


def _script() -> None:
    import streamlit as st

    from ui.paint import first_paint

    paused = [first_paint("a"), first_paint("a"), first_paint("b")]
    st.text(",".join(str(p) for p in paused))


@pytest.mark.parametrize(("value", "seconds"), [
    (None, FIRST_PAINT_PAUSE_S), ("0", 0.0), ("0.1", 0.1), ("-1", FIRST_PAINT_PAUSE_S),
    ("soon", FIRST_PAINT_PAUSE_S)])
def test_the_pause_is_the_default_unless_set_to_a_number(value, seconds, monkeypatch):
    if value is None:
        monkeypatch.delenv(PAUSE_ENV, raising=False)
    else:
        monkeypatch.setenv(PAUSE_ENV, value)
    assert pause_seconds() == seconds


def test_each_page_pauses_once_per_session(monkeypatch):
    pauses: list[float] = []
    monkeypatch.setattr(paint, "time", SimpleNamespace(sleep=pauses.append))
    monkeypatch.setenv(PAUSE_ENV, "0.2")
    at = AppTest.from_function(_script).run()
    assert at.text[0].value == "True,False,True"
    assert pauses == [0.2, 0.2]  # two pages, one pause each
    at.run()  # the same session again: no pause
    assert at.text[0].value == "False,False,False"
    assert pauses == [0.2, 0.2]
    monkeypatch.setenv(PAUSE_ENV, "0")
    assert AppTest.from_function(_script).run().text[0].value == "False,False,False"
    assert pauses == [0.2, 0.2]
