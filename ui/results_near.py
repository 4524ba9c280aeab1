"""Whether a page's results below the fold are near the view: a move brings up to date what is
in sight, and the rest once it comes near.

On the scenarios page a lever move used to rerun everything the settings change: the headline,
the lever panel, and below the levers the targets table, the register, goal seek, the save form
and the open tab's charts. While a planner steps a lever near the top of the page, those below
are out of sight, and redrawing them was most of a move's cost to the server and the browser.
A small component (``st.components.v2``, ``near/near.js``) sits where the results start and
tells the server, as its state ``near``, whether that place is within :data:`MARGIN_PX` of the
view's bottom edge (or above it): after scrolling, a resize, a drawing or a person's input,
once the page has been still for :data:`QUIET_MS`, and only when the answer changes. The page keeps the answer in :data:`IN_VIEW_KEY`; a move leaves the
results for later while it is ``False`` and marks them stale (:data:`STALE_KEY`), and the
component then shows a note saying so (printed too). When they come near, the component's
callback reruns them. A session that has not said (a test's, a browser without scripts) counts
as in view: every move redraws everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import streamlit as st

from planner.i18n import t

NEAR_KEY = "planner.results_near"
"""The component's key (its state ``near`` is what the browser last said)."""
IN_VIEW_KEY = "planner.results_in_view"
"""Whether the results are near the view, as the page last heard (``True`` until it hears);
a test sets it to ``False`` to act as a browser scrolled to the levers."""
STALE_KEY = "planner.results_stale"
"""Whether a move has changed the settings since the results were drawn."""
MARGIN_PX = 200
"""How far below the view's bottom edge the results count as near, in CSS pixels: a redraw
(about half a second) starts while a person scrolls the last of this towards them."""
QUIET_MS = 250
"""How long the page must be still (no scroll, resize, drawing or input) before the browser
sends a changed answer: Streamlit sends the widget changes of one moment as one message that
reruns only the first change's fragment, so an answer sent with a click (an expander opened,
a tab chosen) would leave that click's fragment as it was."""

_HERE = Path(__file__).parent / "near"
_COMPONENT = st.components.v2.component(
    "planner_results_near",
    css=(_HERE / "near.css").read_text(encoding="utf-8"),
    js=(_HERE / "near.js").read_text(encoding="utf-8"),
)


def in_view() -> bool:
    """Whether the results are near the view (:data:`IN_VIEW_KEY`, ``True`` until told)."""
    return st.session_state.get(IN_VIEW_KEY, True) is not False


def stale() -> bool:
    """Whether a move has left the results for later (:data:`STALE_KEY`)."""
    return bool(st.session_state.get(STALE_KEY, False))


def mark_stale() -> None:
    """A move left the results as they were."""
    st.session_state[STALE_KEY] = True


def mark_fresh() -> None:
    """The results are drawn for the current settings (a page's full run, or their rerun)."""
    st.session_state[STALE_KEY] = False


def heard() -> bool:
    """In the component's callback: keep what it said (:data:`IN_VIEW_KEY`) and return it."""
    state = st.session_state.get(NEAR_KEY)
    near = state.get("near") if state is not None else None
    st.session_state[IN_VIEW_KEY] = near is not False
    return in_view()


def after_move(always: Sequence[str], below: Sequence[str], mark: str) -> list[str]:
    """The fragments a change of the settings reruns.

    Parameters
    ----------
    always : sequence of str
        Those in view whatever the scroll (the headline, the lever panel).
    below : sequence of str
        Those below the levers: rerun while they are near the view (:func:`in_view`); else
        left for later and marked stale (:func:`stale`).
    mark : str
        The fragment of :func:`results_mark`, rerun when the results are left (its note).

    Returns
    -------
    list of str
    """
    if in_view():
        return [*always, *below]
    mark_stale()
    return [*always, mark]


def when_near(below: Sequence[str], mark: str) -> list[str]:
    """In the component's callback: keep what it said (:func:`heard`); once the results are
    near and stale, the fragments to rerun now (``mark`` and ``below``, and they count as
    fresh), else none."""
    if heard() and stale():
        mark_fresh()
        return [mark, *below]
    return []


def results_mark(lang: str, on_change: Callable[[], None]) -> None:
    """Mount the component (:data:`NEAR_KEY`) where the results start.

    Parameters
    ----------
    lang : str
        The note's language.
    on_change : callable
        Runs when the browser's answer changes; it calls :func:`when_near`.
    """
    _COMPONENT(key=NEAR_KEY, data={"near": in_view(), "stale": stale(), "margin": MARGIN_PX,
                                   "quiet": QUIET_MS, "note": t("planner.results_stale", lang)},
               on_near_change=on_change, height="content")
