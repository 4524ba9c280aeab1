"""In a real browser: each page's warm load time to its first key number, against a bare app.

One ``streamlit run app.py`` and one bare Streamlit app (a title and a metric) run side by
side; each page is opened once first (the server's first visit to it), then every page and
the bare app are opened in turn, ``VISITS`` times each, each visit in a new browser context (a
new session on a warm server). Times run from the navigation's start to the first animation
frame after the page's first key number shows (``KEY_NUMBERS``; for the bare app its title),
watched from the document's start by a mutation observer; the next visit starts once the page
has been still for ``QUIET_MS``. Reported in milliseconds: medians over the visits, and each
page's median over the bare app's (goal at most ``GOAL_RATIO``).

Skipped, with the reason in the JSON, when Chromium or Playwright is missing.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from bench.server import app_and_bare, missing_browser, open_browser
from bench.timing import summary
from ui.paint import KEY_MARKS

VISITS = 5
QUICK_VISITS = 1
GOAL_RATIO = 1.5
VISIT_TIMEOUT_MS = 120_000
QUIET_MS = 1_000
SETTLE_TIMEOUT_MS = 60_000
LANG = "vi"
KEY_NUMBERS: dict[str, str] = KEY_MARKS
"""Each page's first key number: the element whose first showing ends the measurement."""
BARE_TEXT = "h1"
BARE_APP = '''import streamlit as st

st.title("Bare")
st.metric("Result", "0.1234")
'''

# Runs at the document's start: note when the mark first shows (text, or a drawn table's
# canvas) and when the page last changed; each at the next animation frame.
_WATCH = """(() => {
  const mark = __MARK__;
  window.__shown = null;
  window.__lastChange = 0;
  const shown = () => Array.from(document.querySelectorAll(mark)).some((e) =>
    e.getBoundingClientRect().height > 0
    && ((e.innerText && e.innerText.trim()) || e.querySelector('canvas')));
  const obs = new MutationObserver(() => {
    if (window.__shown === null && shown()) {
      window.__shown = -1;
      obs.disconnect();
      requestAnimationFrame(() => { window.__shown = performance.now(); });
    }
  });
  obs.observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
  new MutationObserver(() => requestAnimationFrame(() => {
    window.__lastChange = performance.now();
  })).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
})();"""
_DONE = "() => window.__shown !== null && window.__shown >= 0"
_QUIET = "(ms) => performance.now() - window.__lastChange > ms"


def _visit(browser, url: str, mark: str) -> float:
    """Open ``url`` in a new context; ms from navigation to the mark's first showing.

    The visit ends once the page has not changed for ``QUIET_MS`` (or after
    ``SETTLE_TIMEOUT_MS``), so that the next visit finds an idle server.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        context.add_init_script(script=_WATCH.replace("__MARK__", json.dumps(mark)))
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=VISIT_TIMEOUT_MS)
        page.wait_for_function(_DONE, timeout=VISIT_TIMEOUT_MS, polling=50)
        ms = float(page.evaluate("window.__shown"))
        with contextlib.suppress(PlaywrightTimeout):  # still changing: go on all the same
            page.wait_for_function(_QUIET, arg=QUIET_MS, polling=100, timeout=SETTLE_TIMEOUT_MS)
        return ms
    finally:
        context.close()


def run(quick: bool = False) -> dict:
    """Measure each page's warm load to its first key number, and the bare app's first text.

    Parameters
    ----------
    quick : bool, optional
        One visit each (a check that the bench runs).

    Returns
    -------
    dict
        ``bare``: the bare app's first text; ``pages``: per page ``first_number`` (``median_ms``,
        ``min_ms``, ``max_ms``, ``runs``) and ``ratio`` (its median over the bare app's);
        ``worst_ratio``, ``goal_ratio``, ``lang``; or ``skipped`` with the reason.
    """
    reason = missing_browser()
    if reason:
        return {"skipped": reason}
    visits = QUICK_VISITS if quick else VISITS
    times: dict[str, list[float]] = {name: [] for name in (*KEY_NUMBERS, "bare")}
    with (app_and_bare(BARE_APP, "bench-pages-") as (app_url, bare_url),
          open_browser() as chromium):
        _visit(chromium, bare_url + "/", BARE_TEXT)  # first visits: not counted
        for name, mark in KEY_NUMBERS.items():
            _visit(chromium, f"{app_url}/{name}?lang={LANG}", mark)
        for _ in range(visits):  # in turn, so drift affects all alike
            for name, mark in KEY_NUMBERS.items():
                times["bare"].append(_visit(chromium, bare_url + "/", BARE_TEXT))
                times[name].append(_visit(chromium, f"{app_url}/{name}?lang={LANG}", mark))
    bare = summary(times["bare"], 1)
    pages: dict[str, Any] = {}
    for name in KEY_NUMBERS:
        first = summary(times[name], 1)
        pages[name] = {"first_number": first,
                       "ratio": round(first["median_ms"] / bare["median_ms"], 2)}
    return {
        "bare": bare,
        "pages": pages,
        "worst_ratio": max(p["ratio"] for p in pages.values()),
        "goal_ratio": GOAL_RATIO,
        "lang": LANG,
    }
