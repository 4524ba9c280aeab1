"""What a lever move reruns while the results below the levers are out of sight
(``ui.results_near``), and the mark the scenarios page draws where they start."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from planner.i18n import LANGS, t
from ui.results_near import IN_VIEW_KEY, MARGIN_PX, NEAR_KEY, QUIET_MS, STALE_KEY

TIMEOUT = 30


def _rule() -> None:
    """A page of one call: ``after_move`` or ``when_near`` as the session asks, its answer kept."""
    import streamlit as st

    from ui.results_near import after_move, when_near

    if st.session_state.get("call") == "move":
        st.session_state["answer"] = after_move(["strip", "levers"], ["table", "charts"], "mark")
    else:
        st.session_state["answer"] = when_near(["table", "charts"], "mark")


def run_rule(call: str, **state) -> AppTest:
    at = AppTest.from_function(_rule, default_timeout=TIMEOUT)
    at.session_state["call"] = call
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    return at


def test_a_move_reruns_everything_while_nothing_said_otherwise():
    at = run_rule("move")
    assert at.session_state["answer"] == ["strip", "levers", "table", "charts"]
    assert STALE_KEY not in at.session_state  # nothing left for later


def test_a_move_leaves_the_results_out_of_sight_stale():
    at = run_rule("move", **{IN_VIEW_KEY: False})
    assert at.session_state["answer"] == ["strip", "levers", "mark"]
    assert at.session_state[STALE_KEY] is True


def test_stale_results_coming_near_are_rerun_once():
    at = run_rule("near", **{NEAR_KEY: {"near": True}, IN_VIEW_KEY: False, STALE_KEY: True})
    assert at.session_state["answer"] == ["mark", "table", "charts"]
    assert at.session_state[IN_VIEW_KEY] is True
    assert at.session_state[STALE_KEY] is False


@pytest.mark.parametrize("said, stale", [({"near": True}, False), ({"near": False}, True),
                                         ({"near": False}, False), (None, True)])
def test_nothing_is_rerun_unless_stale_results_come_near(said, stale):
    state = {STALE_KEY: stale, IN_VIEW_KEY: False}
    if said is not None:
        state[NEAR_KEY] = said
    at = run_rule("near", **state)
    near = said is None or said["near"]  # nothing said counts as near
    assert at.session_state["answer"] == (["mark", "table", "charts"] if near and stale else [])
    assert at.session_state[IN_VIEW_KEY] is near


def _marks(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.json) for e in at.get("bidi_component")
            if e.proto.component_name == "planner_results_near"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_planner_marks_where_its_results_start(shown, lang):
    """One mark, after the lever panel and the headline and before the targets table, told that
    the results are in view and fresh (a page's full run draws them all), its note in the
    page's language."""
    at = shown("planner", lang)
    assert _marks(at) == [{"near": True, "stale": False, "margin": MARGIN_PX, "quiet": QUIET_MS,
                           "note": t("planner.results_stale", lang)}]
    names = [e.proto.component_name for e in at.get("bidi_component")]
    mark = names.index("planner_results_near")
    assert names.index("planner_lever_panel") < mark < names.index("planner_table")
    assert names.index("planner_headline") < mark
