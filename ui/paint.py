"""The first screen first: a pause after a page's key numbers, until the browser has drawn them.

A new browser loads each kind of element's code on first use and draws the page's new elements
together. Sent in one burst, the key numbers wait on screen until the heavy elements below them
(charts, data grids, whose code is megabytes) are loaded and laid out too. So on a session's
first visit to a page the script pauses right after the key numbers, and the rest follows the
pause.

The pause ends when the browser says it has drawn them: a small component (``st.components.v2``,
no visible part) sent with the key numbers watches for the page's key element
(:data:`KEY_MARKS`) and, once it is on screen, posts to the server's :data:`ROUTE`
(:func:`paint_route`, served through ``st.App``), which wakes the waiting script
(:class:`PaintSignals`). A browser that never says so (scripts off, an old browser) costs at
most :data:`FIRST_PAINT_PAUSE_S`. Later runs of the same page in the session (a lever move, a
filter) do not pause: the browser has the code by then.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable

import streamlit as st

FIRST_PAINT_PAUSE_S = 1.0
"""The longest pause, in seconds, on a session's first run of a page: how long the script waits
for a browser that does not say it has drawn the key numbers."""
PAUSE_ENV = "PLANNER_FIRST_PAINT_PAUSE"
"""Environment variable overriding :data:`FIRST_PAINT_PAUSE_S` (``0`` turns the pause off)."""
ROUTE = "/paint/{token}"
"""Where the browser posts that it has drawn a page's key numbers (``token``: the pause's)."""
KEY_MARKS: dict[str, str] = {
    "briefing": "[data-testid=stMetricValue]",
    "planner": "[data-testid=headline-dti_overall-2030]",
    "saved": "[class*='st-key-builtin_'] [data-testid=stMarkdownContainer]",
    "compare": ".st-key-static_compare_table table",
    "data": ".st-key-static_data_table table",
    "update": ".st-key-static_update_versions table",
}
"""Each page's first key number: the element (a CSS selector) the pause waits for."""
SIGNAL_KEY = "paint_signal"
"""Key prefix of the component that reports the drawing (hidden by ``layout.css``)."""

# Runs in the page: once the key element shows text (or a drawn table), looked for once a frame,
# two animation frames later (it is painted), post the token; give up after a while (the server
# stops waiting).
_SIGNAL_JS = """
export default function (component) {
  const { data } = component;
  if (!data || window['__paint_' + data.token]) return;
  window['__paint_' + data.token] = true;
  // the mark may sit in a component's shadow root (the planner's headline): look in each
  const roots = () => [document].concat(Array.from(document.querySelectorAll('*'))
    .filter((e) => e.shadowRoot).map((e) => e.shadowRoot));
  const shown = () => roots().some((r) => Array.from(r.querySelectorAll(data.mark)).some((e) =>
    e.getBoundingClientRect().height > 0
    && ((e.innerText && e.innerText.trim()) || e.querySelector('canvas'))));
  // look once a frame (a shadow root's changes reach no observer of the document); once shown,
  // two frames later it is painted: post the token
  let done = false;
  const look = () => {
    if (done) return;
    if (!shown()) { requestAnimationFrame(look); return; }
    done = true;
    requestAnimationFrame(() => requestAnimationFrame(() => {
      fetch(data.url, { method: 'POST', keepalive: true }).catch(() => {});
    }));
  };
  setTimeout(() => { done = true; }, 10000);
  look();
}
"""


class PaintSignals:
    """The pauses waiting for a browser's word, each under a token of its own.

    One per server (:func:`paint_signals`), shared by the sessions' script threads (which wait)
    and the server's route (which signals). Tokens are random: a post with an unknown or old
    token does nothing.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[str, threading.Event] = {}

    def open(self) -> str:
        """A new token to wait on.

        Returns
        -------
        str
        """
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._waiting[token] = threading.Event()
        return token

    def wait(self, token: str, seconds: float) -> bool:
        """Wait until ``token`` is signalled or ``seconds`` pass, then forget the token.

        Parameters
        ----------
        token : str
            From :meth:`open`.
        seconds : float
            The longest wait.

        Returns
        -------
        bool
            Whether the browser signalled in time.
        """
        with self._lock:
            event = self._waiting.get(token)
        if event is None:
            return False
        try:
            return event.wait(seconds)
        finally:
            with self._lock:
                self._waiting.pop(token, None)

    def signal(self, token: str) -> bool:
        """Wake the pause waiting on ``token``.

        Parameters
        ----------
        token : str
            As posted by the browser.

        Returns
        -------
        bool
            Whether a pause was waiting on it.
        """
        with self._lock:
            event = self._waiting.get(token)
        if event is None:
            return False
        event.set()
        return True


@st.cache_resource(show_spinner=False)
def paint_signals() -> PaintSignals:
    """The server's :class:`PaintSignals` (one per process)."""
    return PaintSignals()


def paint_route() -> Callable:
    """The Starlette endpoint of :data:`ROUTE`: wakes the pause, answers 204 with no body.

    Returns
    -------
    callable
        An ``async`` endpoint (it only sets an event) for ``starlette.routing.Route``.
    """
    from starlette.responses import Response

    async def endpoint(request) -> Response:
        paint_signals().signal(str(request.path_params.get("token", "")))
        return Response(status_code=204)

    return endpoint


def pause_seconds() -> float:
    """The longest pause: :data:`PAUSE_ENV` when set to a number of at least 0, else the default."""
    try:
        value = float(os.environ.get(PAUSE_ENV, FIRST_PAINT_PAUSE_S))
    except ValueError:
        return FIRST_PAINT_PAUSE_S
    return value if value >= 0 else FIRST_PAINT_PAUSE_S


def _key(page: str) -> str:
    return f"_first_paint.{page}"


def first_visit(page: str) -> bool:
    """Whether this run is the session's first of the page (:func:`first_paint` not yet called).

    Parameters
    ----------
    page : str
        The page's address.

    Returns
    -------
    bool
    """
    return not st.session_state.get(_key(page))


@st.cache_resource(show_spinner=False)
def _signal_component() -> Callable:
    return st.components.v2.component("planner_paint_signal", js=_SIGNAL_JS)


def first_paint(page: str) -> bool:
    """Pause after a page's key numbers until the browser has drawn them (first run only).

    Parameters
    ----------
    page : str
        The page's address (``briefing``, ``planner``, …): each page pauses once per session.
        A page with an entry in :data:`KEY_MARKS` waits for the browser's word (at most
        :func:`pause_seconds`); another waits the whole pause.

    Returns
    -------
    bool
        Whether it paused.
    """
    if not first_visit(page):
        return False
    st.session_state[_key(page)] = True
    seconds = pause_seconds()
    if not seconds:
        return False
    signals = paint_signals()
    token = signals.open()
    mark = KEY_MARKS.get(page)
    if mark is not None:
        _signal_component()(key=f"{SIGNAL_KEY}_{page}",
                            data={"token": token, "mark": mark,
                                  "url": ROUTE.format(token=token)})
    signals.wait(token, seconds)
    return True
