"""The planner's lever as the browser benchmarks press it: the one place that knows the control.

A keypress is a keyboard step on one lever control of ``/planner`` (today a slider: focus it,
press ArrowRight); the time runs from the keydown reaching the page to the first animation
frame after the 2030 headline number changed. When the lever panel changes, :data:`PLANNER`
(what to focus, what number to watch) and :data:`STEP_KEY` change here, and every bench that
presses a lever (``bench.browser``, ``bench.sessions``) follows.
"""

from __future__ import annotations

PLANNER = {
    "path": "/planner?lang=vi",
    "slider": ".st-key-lever-cashless-2030 input[type=range]",
    "number": ".st-key-headline_dti_overall [data-testid=stMetricValue]",
}
"""The page, the lever control to focus and the number a keypress must change."""

STEP_KEY = "ArrowRight"
"""The key that moves the focused lever one step."""

STEPS_LEFT = 57
"""Steps from the lever's default (71.5 % in 2030) to its end (100 %, steps of 0.5): no bench
presses more often than this on one page."""

KEY_CLOCK = """() => {
  window.__bench = {t0: null};
  document.addEventListener('keydown', () => { window.__bench.t0 = performance.now(); }, true);
}"""
"""Installed once per page: remember when a key reaches the page."""

ARM = """([sel, old, timeout]) => {
  window.__bench.last = null;
  window.__bench.all = new MutationObserver(() => { window.__bench.last = performance.now(); });
  window.__bench.all.observe(document.body,
    {subtree: true, childList: true, characterData: true, attributes: true});
  window.__bench.done = new Promise((resolve, reject) => {
    const stop = setTimeout(() => { obs.disconnect(); reject(new Error('no change')); }, timeout);
    const check = () => {
      const e = document.querySelector(sel);
      if (e && e.innerText.trim() !== old && window.__bench.t0 !== null) {
        obs.disconnect();
        clearTimeout(stop);
        requestAnimationFrame(() => resolve(performance.now() - window.__bench.t0));
      }
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, {subtree: true, childList: true, characterData: true});
  });
}"""
"""Before a press: ``window.__bench.done``, a promise of the ms from keydown to the first frame
after the number changed; and ``window.__bench.last``, the time of the page's last change."""

SETTLED = """() => {
  window.__bench.all.disconnect();
  return window.__bench.last - window.__bench.t0;
}"""
"""After a press has settled: ms from keydown to the page's last change."""
