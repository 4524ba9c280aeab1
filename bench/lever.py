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
    "slider": "[data-testid=lever-cashless-2030]",
    "number": "[data-testid=preview-dti_overall-2030]",
}
"""The page, the lever control to focus (the lever panel's cashless 2030, in the component's
shadow root) and the number a keypress must change: the panel's 2030 overall DTI, computed in
the browser (:mod:`ui.lever_panel`)."""

CONFIRMED = dict(PLANNER, number="[data-testid=headline-dti_overall-2030]")
"""The same lever, watching the server's number (the headline strip's 2030 overall DTI): what
a keypress costs the server, for the benches that load it (``bench.sessions``, ``bench.api``).
It includes the panel's wait for the last key step (``ui.lever_panel``)."""

STEP_KEY = "ArrowRight"
"""The key that moves the focused lever one step."""

STEPS_LEFT = 57
"""Steps from the lever's default (71.5 % in 2030) to its end (100 %, steps of 0.5): no bench
presses more often than this on one page."""

# Installed once per page: remember when a key reaches the page and when the mouse is
# released; find a selector in the document or any open shadow root; watch them all.
KEY_CLOCK = """() => {
  window.__bench = {t0: null, up: null};
  document.addEventListener('keydown', () => { window.__bench.t0 = performance.now(); }, true);
  document.addEventListener('pointerup', () => { window.__bench.up = performance.now(); }, true);
  window.__bench.roots = () => {
    const out = [document];
    for (const e of document.querySelectorAll('*')) if (e.shadowRoot) out.push(e.shadowRoot);
    return out;
  };
  window.__bench.find = (roots, sel) => {
    for (const r of roots) { const e = r.querySelector(sel); if (e) return e; }
    return null;
  };
  window.__bench.watch = (roots, fn, attributes) => {
    const obs = new MutationObserver(fn);
    for (const r of roots) {
      obs.observe(r === document ? document.body : r,
        {subtree: true, childList: true, characterData: true, attributes});
    }
    return obs;
  };
}"""
"""Installed once per page: remember when a key reaches the page and when the mouse is released;
find a selector in the document or any open shadow root; watch them all."""

# Before a press: a promise resolving with the ms from keydown to the first frame after the
# number changed; and the time of the page's last change (any mutation), for the settle time.
ARM = """([sel, old, timeout]) => {
  const b = window.__bench;
  const roots = b.roots();
  b.last = null;
  b.all = b.watch(roots, () => { b.last = performance.now(); }, true);
  b.done = new Promise((resolve, reject) => {
    const stop = setTimeout(() => { obs.disconnect(); reject(new Error('no change')); }, timeout);
    const check = () => {
      const e = b.find(roots, sel);
      if (e && e.textContent.trim() !== old && b.t0 !== null) {
        obs.disconnect();
        clearTimeout(stop);
        requestAnimationFrame(() => resolve(performance.now() - b.t0));
      }
    };
    const obs = b.watch(roots, check, false);
  });
}"""
"""Before a press: ``window.__bench.done``, a promise of the ms from keydown to the first frame
after the number changed; and ``window.__bench.last``, the time of the page's last change."""

# After a press has settled: ms from keydown to the page's last change.
SETTLED = """() => {
  window.__bench.all.disconnect();
  return window.__bench.last - window.__bench.t0;
}"""
"""After a press has settled: ms from keydown to the page's last change."""
