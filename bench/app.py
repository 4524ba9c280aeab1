"""Script time of the scenarios page after a lever change (Streamlit AppTest, real database).

Medians, each over ``REPEAT`` lever moves to values not seen before (so the Monte Carlo
of each scenario is computed, not read from the cache):

* ``fragment_rerun``: the rerun a lever's release causes in the browser, which runs only the
  page's fragments (the headline, the lever panel and the results below; the rest of the
  controls are outside them). AppTest has no public way to rerun fragments, so the rerun
  request names them as the server's would. The lever's value is set in the session as the
  lever panel's callback sets it (AppTest cannot drive the custom component); that callback,
  which asks for those same fragment reruns, is not run, so this is the script's own work.
* ``full_rerun``: the whole app script (router, sidebar, page) after the same change, an
  upper bound.
* ``back_to_earlier_value``: the fragment rerun when a lever returns to a value already seen
  (the simulation comes from ``st.cache_data``).

Times are of the script run itself (``ScriptRunner._run_script``); the compiled scripts are
shared between runs, as the server keeps them (AppTest recompiles on every run otherwise).
``wall_ms`` adds AppTest's own polling. AppTest's warning "missing ScriptRunContext", logged
each time this thread sets the session state, is dropped.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.timing import summary

REPO = Path(__file__).resolve().parents[1]
PAGE = "app_pages/planner_page.py"
LEVER_KEY = "lever.cashless.2030"
REPEAT = 20
QUICK_REPEAT = 2
GOAL_MS = 50.0
NO_CONTEXT_WARNING = "missing ScriptRunContext"


def _drop_no_context_warning(record: logging.LogRecord) -> bool:
    return NO_CONTEXT_WARNING not in record.getMessage()


@contextlib.contextmanager
def _instrumented() -> Iterator[dict[str, Any]]:
    """Time each script run, share compiled scripts, and let a rerun target one fragment."""
    import streamlit.testing.v1.app_test as app_test
    import streamlit.testing.v1.local_script_runner as local_runner
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.runtime.scriptrunner_utils import script_run_context

    state: dict[str, Any] = {"times": [], "fragment": None}
    shared = ScriptCache()
    saved = (app_test.ScriptCache, local_runner.RerunData, script_runner.ScriptRunner._run_script)
    rerun_data = local_runner.RerunData
    run_script = script_runner.ScriptRunner._run_script

    def timed(self, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return run_script(self, *args, **kwargs)
        finally:
            state["times"].append((time.perf_counter() - t0) * 1000)

    def with_fragment(**kwargs):
        if state["fragment"]:
            kwargs["fragment_id_queue"] = list(state["fragment"])
        return rerun_data(**kwargs)

    app_test.ScriptCache = lambda: shared
    local_runner.RerunData = with_fragment
    script_runner.ScriptRunner._run_script = timed
    logging.getLogger(script_run_context.__name__).addFilter(_drop_no_context_warning)
    try:
        yield state
    finally:
        app_test.ScriptCache, local_runner.RerunData = saved[0], saved[1]
        script_runner.ScriptRunner._run_script = saved[2]
        logging.getLogger(script_run_context.__name__).removeFilter(_drop_no_context_warning)


def run(quick: bool = False) -> dict:
    """Time one scenarios-page rerun after a lever change.

    Parameters
    ----------
    quick : bool, optional
        ``QUICK_REPEAT`` moves per median instead of ``REPEAT`` (a check that the bench runs).

    Returns
    -------
    dict
        ``fragment_rerun``, ``full_rerun`` and ``back_to_earlier_value`` (each with
        ``median_ms``, ``min_ms``, ``max_ms``, ``runs``; the first with ``goal_ms``), and
        ``wall_ms`` of AppTest's ``run()`` for the fragment reruns.
    """
    from streamlit.testing.v1 import AppTest

    from planner.config import db_path

    os.environ.setdefault("PLANNER_DB", str(db_path()))
    repeat = QUICK_REPEAT if quick else REPEAT
    out: dict[str, Any] = {"page": PAGE, "lever": LEVER_KEY}
    with _instrumented() as state:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        at.query_params["lang"] = "vi"
        at.run()
        at.switch_page(PAGE).run()
        if at.exception:
            return {"error": [e.value for e in at.exception]}
        start = float(at.session_state[LEVER_KEY])
        values = [start + 0.5 * (i + 1) for i in range(2 * repeat + 2)]

        def move(value: float) -> float:
            at.session_state[LEVER_KEY] = value
            t0 = time.perf_counter()
            at.run()
            return (time.perf_counter() - t0) * 1000

        for v in values[:2]:  # warm up
            move(v)
        # the whole script, new values
        n0 = len(state["times"])
        for v in values[2:2 + repeat]:
            move(v)
        full = state["times"][n0:]
        fragments = list(getattr(at, "_fragment_storage", None)._fragments)  # noqa: SLF001
        if not fragments:
            out["fragment_rerun"] = {"skipped": "the page has no fragment"}
        else:
            state["fragment"] = fragments  # a lever move reruns the page's fragments by name
            n0 = len(state["times"])
            walls = [move(v) for v in values[2 + repeat:2 + 2 * repeat]]
            out["fragment_rerun"] = {**summary(state["times"][n0:]), "goal_ms": GOAL_MS}
            out["wall_ms"] = summary(walls)
            n0 = len(state["times"])
            for v in values[2 + repeat:2 + 2 * repeat]:
                move(v)
            out["back_to_earlier_value"] = summary(state["times"][n0:])
            from ui.headline_strip import STRIP_COMPONENT  # imported with the app's runtime

            shown = [json.loads(e.proto.json) for e in at.get("bidi_component")
                     if e.proto.component_name == STRIP_COMPONENT]
            if not shown or not shown[0]["rows"]:
                out["error"] = "the fragment rerun showed no headline"
        out["full_rerun"] = summary(full)
        if at.exception:
            out["error"] = [e.value for e in at.exception]
    return out


if __name__ == "__main__":  # pragma: no cover - manual use
    print(json.dumps(run(), indent=2))
