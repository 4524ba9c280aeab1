"""In a real browser: time from navigation to the briefing's first title and first number.

A fresh ``streamlit run app.py`` is started; as soon as it answers its health check, Chromium
opens the briefing (cold: the server's first visit, which pays for the app's first run), then
opens it ``WARM_VISITS`` more times, each in a new browser context (a new session on a warm
server). A bare Streamlit app (a title and a metric) is measured the same way in the same run,
as the floor Streamlit itself sets. Servers run one at a time, bare and planner alternately,
``COLD_RUNS`` times each.

Times run from the navigation's start (the page's ``performance.timeOrigin``) to the first
animation frame after the element is in the page with visible text: the page title (``h1``)
and the first metric value (``stMetricValue``), watched from the document's start by a
mutation observer; and to the frame after the page's last change (``settled``: everything
drawn), after which the page stays unchanged for ``QUIET_MS`` before the next visit starts.
Reported in milliseconds: medians over the runs, and the ratios of the planner's first number
to the bare app's first text (its title), cold and warm.

Skipped, with the reason in the JSON, when Chromium or Playwright is missing.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.server import (
    REPO,
    missing_browser,
    open_browser,
    server_env,
    start,
    stop,
    write_bare_app,
)
from bench.timing import summary

COLD_RUNS = 3
WARM_VISITS = 2
QUICK_COLD_RUNS = 1
QUICK_WARM_VISITS = 1
VISIT_TIMEOUT_MS = 120_000
QUIET_MS = 1_000
SETTLE_TIMEOUT_MS = 60_000
PLANNER_PATH = "/briefing?lang=vi"
BARE_APP = '''import streamlit as st

st.title("Bare")
st.metric("Result", "0.1234")
'''
MARKS = {"title": "h1", "number": "[data-testid=stMetricValue]"}

# Runs at the document's start: note when each mark first shows text, and when the page last
# changed; each at the next animation frame.
_WATCH = """(() => {
  const marks = __MARKS__;
  const seen = {};
  window.__firstPaint = seen;
  const shown = (sel) => Array.from(document.querySelectorAll(sel)).some(
    (e) => e.innerText && e.innerText.trim() && e.getBoundingClientRect().height > 0);
  const check = () => {
    for (const [name, sel] of Object.entries(marks)) {
      if (!(name in seen) && shown(sel)) {
        seen[name] = null;
        requestAnimationFrame(() => { seen[name] = performance.now(); });
      }
    }
    if (Object.keys(seen).length === Object.keys(marks).length) obs.disconnect();
  };
  const obs = new MutationObserver(check);
  obs.observe(document, {subtree: true, childList: true, characterData: true});
  window.__lastChange = 0;
  const changed = () => { window.__lastChange = performance.now(); };
  new MutationObserver(() => requestAnimationFrame(changed)).observe(document,
    {subtree: true, childList: true, characterData: true, attributes: true});
})();""".replace("__MARKS__", json.dumps(MARKS))

_DONE = """(n) => window.__firstPaint && Object.values(window.__firstPaint)
  .filter((t) => t !== null).length === n"""
_QUIET = "(ms) => performance.now() - window.__lastChange > ms"


def _visit(browser, url: str) -> dict[str, float]:
    """Open ``url`` in a new context; ms from navigation to each mark and to ``settled``.

    The visit ends when the page has not changed for ``QUIET_MS`` (its script has finished),
    so that the next visit finds an idle server; ``settled`` is the time of the last change,
    left out when the page is still changing after ``SETTLE_TIMEOUT_MS``.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        context.add_init_script(script=_WATCH)
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=VISIT_TIMEOUT_MS)
        page.wait_for_function(_DONE, arg=len(MARKS), timeout=VISIT_TIMEOUT_MS)
        times = {name: float(ms) for name, ms in page.evaluate("window.__firstPaint").items()}
        try:
            page.wait_for_function(_QUIET, arg=QUIET_MS, polling=100,
                                   timeout=SETTLE_TIMEOUT_MS)
            times["settled"] = float(page.evaluate("window.__lastChange"))
        except PlaywrightTimeout:
            pass
        return times
    finally:
        context.close()


def run(quick: bool = False) -> dict:
    """Measure the planner's briefing and a bare app, cold and warm, in one Chromium.

    Parameters
    ----------
    quick : bool, optional
        One cold run and one warm visit each (a check that the bench runs).

    Returns
    -------
    dict
        ``planner_cold``, ``planner_warm``, ``bare_cold``, ``bare_warm``: each with
        ``title``, ``number`` and ``settled`` (``median_ms``, ``min_ms``, ``max_ms``,
        ``runs``);
        ``ratio_cold`` and ``ratio_warm``: the planner's first-number median over the bare
        app's first-text median; ``server_start`` per app (``streamlit run`` to a healthy
        server); ``page``; or ``skipped`` with the reason.
    """
    reason = missing_browser()
    if reason:
        return {"skipped": reason}
    cold_runs = QUICK_COLD_RUNS if quick else COLD_RUNS
    warm_visits = QUICK_WARM_VISITS if quick else WARM_VISITS
    env = server_env()
    times: dict[str, list[float]] = {}

    def note(key: str, ms: float) -> None:
        times.setdefault(key, []).append(ms)

    with tempfile.TemporaryDirectory(prefix="bench-first-") as tmp, open_browser() as chromium:
        tmpdir = Path(tmp)
        apps = (("bare", write_bare_app(tmpdir, BARE_APP), "/"),
                ("planner", REPO / "app.py", PLANNER_PATH))
        for _ in range(cold_runs):
            for name, script, path in apps:
                t0 = _now()
                process, url = start(script, env, tmpdir / f"{name}.log")
                try:
                    note(f"{name}_server_start", _now() - t0)
                    for mark, ms in _visit(chromium, url + path).items():
                        note(f"{name}_cold_{mark}", ms)
                    for _ in range(warm_visits):
                        for mark, ms in _visit(chromium, url + path).items():
                            note(f"{name}_warm_{mark}", ms)
                finally:
                    stop(process)
    out: dict[str, Any] = {"page": PLANNER_PATH}
    for name in ("planner", "bare"):
        for state in ("cold", "warm"):
            out[f"{name}_{state}"] = {mark: summary(times[f"{name}_{state}_{mark}"], 1)
                                      for mark in (*MARKS, "settled")
                                      if times.get(f"{name}_{state}_{mark}")}
    for state in ("cold", "warm"):
        planner = out[f"planner_{state}"]["number"]["median_ms"]
        bare = out[f"bare_{state}"]["title"]["median_ms"]
        out[f"ratio_{state}"] = round(planner / bare, 2)
    out["server_start"] = {name: summary(times[f"{name}_server_start"], 1)
                           for name in ("planner", "bare")}
    return out


def _now() -> float:
    return time.perf_counter() * 1000
