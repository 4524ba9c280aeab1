"""The first screen first: a short pause after a page's key numbers on a session's first visit.

A new browser loads each kind of element's code on first use. Sent in one burst, the key
numbers wait on screen until the heavy elements below them (charts, data grids, whose code is
megabytes) are loaded too, since the browser draws the page's new elements together. Pausing
once, right after the key numbers, lets the browser draw them first; the rest follows the pause.
Later runs of the same page in the session (a lever move, a filter) do not pause: the browser
has the code by then.
"""

from __future__ import annotations

import os
import time

import streamlit as st

FIRST_PAINT_PAUSE_S = 0.25
"""Seconds to pause on a session's first run of a page. Measured with ``make bench`` (pages):
enough for a new browser to fetch and draw a metric before the heavy code arrives."""
PAUSE_ENV = "PLANNER_FIRST_PAINT_PAUSE"
"""Environment variable overriding the pause, in seconds (``0`` turns it off)."""


def pause_seconds() -> float:
    """The pause: :data:`PAUSE_ENV` when set to a number of at least 0, else the default."""
    try:
        value = float(os.environ.get(PAUSE_ENV, FIRST_PAINT_PAUSE_S))
    except ValueError:
        return FIRST_PAINT_PAUSE_S
    return value if value >= 0 else FIRST_PAINT_PAUSE_S


def first_paint(page: str) -> bool:
    """Pause after a page's key numbers, on the session's first run of that page only.

    Parameters
    ----------
    page : str
        The page's address (``briefing``, ``planner``, …): each page pauses once per session.

    Returns
    -------
    bool
        Whether it paused.
    """
    key = f"_first_paint.{page}"
    if st.session_state.get(key):
        return False
    st.session_state[key] = True
    seconds = pause_seconds()
    if seconds:
        time.sleep(seconds)
    return bool(seconds)
