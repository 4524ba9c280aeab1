"""In a real browser: time from a lever keypress to the new 2030 number on screen.

The real app (scenarios page; its lever and number in :mod:`bench.lever`) and a bare
Streamlit app (one slider, one metric computed from it) run side by side on free loopback ports, in the same Chromium. For each, the slider is
focused and ArrowRight pressed; the time runs from the keydown event reaching the page to the
first animation frame after the shown number changed (both measured in the page with
``performance.now()``). The two apps are measured alternately, ``REPEAT`` times each, every
press moving to a value not seen before. Printed: both medians and their ratio (goal 1.2),
and for each app the time from the keydown to the page's last change (any DOM mutation) within
``SETTLE_WAIT`` seconds: when everything the rerun redraws is drawn.

Skipped, with the reason in the JSON, when Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import time

from bench.lever import ARM, KEY_CLOCK, PLANNER, SETTLED, STEP_KEY
from bench.server import app_and_bare, chromium, missing_browser, open_browser
from bench.timing import summary

REPEAT = int(os.environ.get("BENCH_BROWSER_REPEAT", "25"))
QUICK_REPEAT = 3
WARMUP = 2
GOAL_RATIO = 1.2
PRESS_TIMEOUT_MS = 30_000
SETTLE_WAIT = 0.6

BARE = {
    "path": "/",
    "slider": ".st-key-bare input[type=range]",
    "number": "[data-testid=stMetricValue]",
}
BARE_APP = '''import streamlit as st

value = st.slider("Value", 0, 100, 10, key="bare")
st.metric("Result", f"{value * 0.0123:.4f}")
'''


def _open(browser, url: str, target: dict[str, str]):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    page.goto(url + target["path"], wait_until="domcontentloaded")
    page.locator(target["number"]).first.wait_for(state="visible")
    page.locator(target["slider"]).first.wait_for(state="attached")
    page.evaluate(KEY_CLOCK)
    page.locator(target["slider"]).first.focus()
    return page


def _press(page, target: dict[str, str]) -> tuple[float, float]:
    """One ArrowRight: ms to the new number, and ms to the page's last change (everything the
    rerun redraws: tables, charts), read after ``SETTLE_WAIT`` seconds of waiting."""
    old = page.locator(target["number"]).first.inner_text().strip()
    page.evaluate(ARM, [target["number"], old, PRESS_TIMEOUT_MS])
    page.keyboard.press(STEP_KEY)
    ms = float(page.evaluate("window.__bench.done"))
    time.sleep(SETTLE_WAIT)  # let the rerun finish before the next press
    return ms, float(page.evaluate(SETTLED))


def run(quick: bool = False) -> dict:
    """Measure both apps in one Chromium and return the medians and their ratio.

    Parameters
    ----------
    quick : bool, optional
        Press ``QUICK_REPEAT`` times instead of ``REPEAT`` (a check that the bench runs).

    Returns
    -------
    dict
        ``planner_keypress_to_2030_number`` and ``bare_keypress_to_number`` (``median_ms``,
        ``min_ms``, ``max_ms``, ``runs``), ``ratio`` (planner median / bare median) and
        ``goal_ratio``; ``planner_keypress_to_page_settled`` and
        ``bare_keypress_to_page_settled``: to the page's last change after the press (the
        whole rerun drawn); or ``skipped`` with the reason.
    """
    reason = missing_browser()
    if reason:
        return {"skipped": reason}
    repeat = QUICK_REPEAT if quick else REPEAT
    with (app_and_bare(BARE_APP, "bench-browser-") as (app_url, bare_url),
          open_browser() as opened):
        planner = _open(opened, app_url, PLANNER)
        bare = _open(opened, bare_url, BARE)
        for _ in range(WARMUP):
            _press(bare, BARE)
            _press(planner, PLANNER)
        times: dict[str, list[float]] = {k: [] for k in (
            "planner", "bare", "planner_settled", "bare_settled")}
        for _ in range(repeat):  # alternate, so drift affects both alike
            for name, page, target in (("bare", bare, BARE), ("planner", planner, PLANNER)):
                number, settled = _press(page, target)
                times[name].append(number)
                times[f"{name}_settled"].append(settled)
    planner_ms = summary(times["planner"], 1)
    bare_ms = summary(times["bare"], 1)
    return {
        "planner_keypress_to_2030_number": planner_ms,
        "bare_keypress_to_number": bare_ms,
        "ratio": round(planner_ms["median_ms"] / bare_ms["median_ms"], 2),
        "goal_ratio": GOAL_RATIO,
        "planner_keypress_to_page_settled": summary(times["planner_settled"], 1),
        "bare_keypress_to_page_settled": summary(times["bare_settled"], 1),
        "browser": chromium(),
    }
