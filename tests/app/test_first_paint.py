"""ui.paint: a page pauses once per session, after its key numbers, until the browser has drawn
them (or the longest pause has passed)."""

from __future__ import annotations

import threading

import pytest
from streamlit.testing.v1 import AppTest

from ui.paint import FIRST_PAINT_PAUSE_S, PAUSE_ENV, PaintSignals, pause_seconds


def _script() -> None:
    import streamlit as st

    from ui.paint import first_paint

    paused = [first_paint("a"), first_paint("a"), first_paint("planner")]
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
    monkeypatch.setenv(PAUSE_ENV, "0.01")  # nobody signals here: each pause runs its course
    at = AppTest.from_function(_script).run()
    assert at.text[0].value == "True,False,True"
    at.run()  # the same session again: no pause
    assert at.text[0].value == "False,False,False"
    monkeypatch.setenv(PAUSE_ENV, "0")
    assert AppTest.from_function(_script).run().text[0].value == "False,False,False"


def test_a_signal_ends_the_pause_and_only_its_own():
    signals = PaintSignals()
    first, second = signals.open(), signals.open()
    assert not signals.signal("unknown-token")
    woken = threading.Event()

    def wait_first() -> None:
        if signals.wait(first, 60.0):
            woken.set()

    waiter = threading.Thread(target=wait_first)
    waiter.start()
    assert signals.signal(first)
    waiter.join(timeout=60.0)
    assert woken.is_set()
    assert not signals.wait(second, 0.01)  # not signalled: the pause ran its course
    assert not signals.signal(first) and not signals.signal(second)  # both forgotten
