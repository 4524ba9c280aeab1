"""In a real browser: a lever's keypress and drag against a bare app's slider.

The real app (scenarios page) and a bare Streamlit app (one slider, one metric computed from
it) run side by side on free loopback ports, in the same Chromium. On the planner the slider is
the lever panel's cashless 2030 and the number its 2030 overall DTI (computed in the browser,
:mod:`ui.lever_panel`; both in the component's shadow root, which the page scripts here look
into). Measured:

* keypress: the slider focused and ArrowRight pressed; the time from the keydown reaching the
  page to the first animation frame after the shown number changed (both with
  ``performance.now()``), and to the page's last change (any DOM mutation) within
  ``SETTLE_WAIT`` seconds; the apps alternately, ``REPEAT`` times each (goal: ratio 1.0);
* drag: the mouse down on the slider, moved across it in ``DRAG_MOVES`` steps over
  ``DRAG_SECONDS`` (one move a frame), then released: how many times the number changed before
  the release (goal: 20 on the planner; Streamlit's own slider sends its value on release, so
  the bare app's number changes only after it), and the time from the release to the page's
  last change within ``RELEASE_WAIT`` seconds (goal 300 ms on a quiet machine), ``DRAGS`` times
  each.

Skipped, with the reason in the JSON, when Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import time

from bench.lever import ARM, KEY_CLOCK, PLANNER, SETTLED
from bench.server import app_and_bare, chromium, missing_browser, open_browser
from bench.timing import summary

REPEAT = int(os.environ.get("BENCH_BROWSER_REPEAT", "25"))
QUICK_REPEAT = 3
WARMUP = 2
GOAL_RATIO = 1.0
PRESS_TIMEOUT_MS = 30_000
SETTLE_WAIT = 0.6
DRAGS = int(os.environ.get("BENCH_BROWSER_DRAGS", "5"))
QUICK_DRAGS = 1
DRAG_SECONDS = 1.0
DRAG_MOVES = 60
RELEASE_WAIT = 2.0
GOAL_DRAG_CHANGES = 20
GOAL_RELEASE_MS = 300

BARE = {
    "path": "/",
    "slider": ".st-key-bare input[type=range]",
    "number": "[data-testid=stMetricValue]",
}
BARE_APP = '''import streamlit as st

value = st.slider("Value", 0, 100, 10, key="bare")
st.metric("Result", f"{value * 0.0123:.4f}")
'''



# Before a drag: count the shown number's changes, and watch the page's last change.
_ARM_DRAG = """([sel]) => {
  const b = window.__bench;
  const roots = b.roots();
  b.last = null;
  b.up = null;
  b.changes = 0;
  b.changesAfterUp = 0;
  let shown = (b.find(roots, sel) || {textContent: ''}).textContent.trim();
  b.all = b.watch(roots, () => {
    const t = performance.now();
    if (b.up !== null && t >= b.up) b.last = t;  // the last change after the release only
    const e = b.find(roots, sel);
    const now = e ? e.textContent.trim() : '';
    if (now !== shown) {
      shown = now;
      if (b.up === null) b.changes += 1; else b.changesAfterUp += 1;
    }
  }, true);
}"""

# After a drag has settled: the number's changes before the release, and ms from the release
# to the page's last change after it (0 when nothing changed after it: a change during the drag
# made the bare app's time negative before).
_DRAGGED = """() => {
  const b = window.__bench;
  b.all.disconnect();
  return [b.changes, b.changesAfterUp, b.last === null || b.up === null ? 0 : b.last - b.up];
}"""


def _open(browser, url: str, target: dict[str, str]):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    page.goto(url + target["path"], wait_until="domcontentloaded")
    page.locator(target["number"]).first.wait_for(state="visible")
    page.locator(target["slider"]).first.wait_for(state="attached")
    page.wait_for_function("() => document.querySelector("
                           "'[data-testid=stApp][data-test-script-state=notRunning]')")
    page.evaluate(KEY_CLOCK)
    page.locator(target["slider"]).first.focus()
    return page




def _press(page, target: dict[str, str]) -> tuple[float, float]:
    """One ArrowRight: ms to the new number, and ms to the page's last change (everything the
    rerun redraws: tables, charts), read after ``SETTLE_WAIT`` seconds of waiting."""
    old = page.locator(target["number"]).first.inner_text().strip()
    page.evaluate(ARM, [target["number"], old, PRESS_TIMEOUT_MS])
    page.keyboard.press("ArrowRight")
    ms = float(page.evaluate("window.__bench.done"))
    time.sleep(SETTLE_WAIT)  # let the rerun finish before the next press
    return ms, float(page.evaluate(SETTLED))


def _drag(page, target: dict[str, str], forward: bool) -> tuple[int, int, float]:
    """One drag across the slider over ``DRAG_SECONDS``, then the release: the number's changes
    before and after the release, and ms from the release to the page's last change."""
    slider = page.locator(target["slider"]).first
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    xs = [box["x"] + box["width"] * (0.15 + 0.7 * i / DRAG_MOVES) for i in range(DRAG_MOVES + 1)]
    if not forward:
        xs.reverse()
    page.mouse.move(xs[0], y)
    page.evaluate(_ARM_DRAG, [target["number"]])
    page.mouse.down()
    pause = DRAG_SECONDS / DRAG_MOVES
    for x in xs[1:]:
        page.mouse.move(x, y)
        time.sleep(pause)
    page.mouse.up()
    time.sleep(RELEASE_WAIT)  # let the rerun finish
    before, after, release_ms = page.evaluate(_DRAGGED)
    return int(before), int(after), float(release_ms)


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
        whole rerun drawn); ``planner_changes_during_drag`` and ``bare_changes_during_drag``
        (``median``, ``min``, ``max``, ``runs``: the number's changes during a drag, before
        the release) with ``goal_changes_during_drag``; ``planner_release_to_page_settled``
        and ``bare_release_to_page_settled`` with ``goal_release_ms``; or ``skipped`` with the
        reason.
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
        drags: dict[str, list] = {k: [] for k in ("planner", "bare")}
        for i in range(QUICK_DRAGS if quick else DRAGS):
            for name, page, target in (("bare", bare, BARE), ("planner", planner, PLANNER)):
                drags[name].append(_drag(page, target, forward=i % 2 == 0))
    planner_ms = summary(times["planner"], 1)
    bare_ms = summary(times["bare"], 1)
    return {
        "planner_keypress_to_2030_number": planner_ms,
        "bare_keypress_to_number": bare_ms,
        "ratio": round(planner_ms["median_ms"] / bare_ms["median_ms"], 2),
        "goal_ratio": GOAL_RATIO,
        "planner_keypress_to_page_settled": summary(times["planner_settled"], 1),
        "bare_keypress_to_page_settled": summary(times["bare_settled"], 1),
        "planner_changes_during_drag": _counts([d[0] for d in drags["planner"]]),
        "bare_changes_during_drag": _counts([d[0] for d in drags["bare"]]),
        "goal_changes_during_drag": GOAL_DRAG_CHANGES,
        "planner_release_to_page_settled": summary([d[2] for d in drags["planner"]], 1),
        "bare_release_to_page_settled": summary([d[2] for d in drags["bare"]], 1),
        "goal_release_ms": GOAL_RELEASE_MS,
        "browser": chromium(),
    }


def _counts(values: list[int]) -> dict:
    """Median, least and most of whole counts, and how many."""
    ordered = sorted(values)
    return {"median": ordered[len(ordered) // 2], "min": ordered[0], "max": ordered[-1],
            "runs": len(ordered)}
