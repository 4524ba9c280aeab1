"""``make bench-load``: many browser sessions moving levers at once, one process against two.

For each setup, one ``streamlit run app.py`` (``one_process``) and two behind nginx as
``make replicas`` runs them (``two_replicas``), :data:`COUNTS` sessions open the planner at once
and each presses its lever :data:`MOVES` times (:mod:`bench.sessions`: every session on
settings of its own). Reported for each count: the keypress-to-2030-number latency (median and
95th percentile, ms) and its ratio to the same setup's single session and to a bare
Streamlit app's single session (one slider, one number), the CPU and memory the server spent,
and how long the page took to open. The goal (:data:`GOAL_RATIO`): with two replicas, 20
sessions keep the 95th percentile within 3× a single session's. The bare app runs first,
through the same counts (``bare``, with the same ratios to its own single session): what this
machine and this way of pressing give a page that costs its server and its browser next to
nothing.

There every session presses again as soon as its page has drawn the step before, a press about
every 1.3 s: far busier than planners at work, and on this bench the sessions' pages are drawn
on the same cores as the servers. Each setup then runs the sessions of :data:`PACED` again at
the paces of the README's sizing: a workshop (:data:`WORKSHOP_PACE_S`, each planner a press
every 3 s) and planners at work (:data:`AT_WORK_PACE_S`, every 10 s), their first presses
spread over one pace; reported as ``paced`` beside ``levels``, with the same ratios to the
single session.

``--quick`` runs 1 and 2 sessions, 2 presses each: a check that the bench runs. Skipped with
the reason in the JSON when Chromium or Playwright is missing; the two-replica setup alone when
nginx is.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bench.browser import BARE, BARE_APP
from bench.server import chromium, missing_browser
from bench.sessions import (
    bare_app,
    chromium_browser,
    level,
    log_folder,
    one_process,
    two_replicas,
    warm,
)

COUNTS = (1, 5, 10, 20)
QUICK_COUNTS = (1, 2)
MOVES = int(os.environ.get("BENCH_LOAD_MOVES", "8"))
QUICK_MOVES = 2
GOAL_RATIO = 3.0
WORKSHOP_PACE_S = 3.0
"""Seconds between a session's presses at a workshop, where every planner moves a lever every
3 s (the README, "Sizing a briefing day")."""
AT_WORK_PACE_S = 10.0
"""Seconds between a session's presses of planners at work, reading the numbers between moves
(the README, "Sizing a briefing day")."""
PACED = ((10, WORKSHOP_PACE_S), (20, WORKSHOP_PACE_S), (20, AT_WORK_PACE_S))
"""The paced levels: (sessions, seconds between a session's presses)."""
QUICK_PACED = ((2, WORKSHOP_PACE_S),)


def plan(counts: tuple[int, ...], paced: tuple[tuple[int, float], ...]
         ) -> list[tuple[int, float | None, int]]:
    """The levels one setup runs, in order: ``(sessions, pace or None, first session's
    number)``, the back-to-back ``counts`` then ``paced``.

    Every session of a setup is on settings of its own: session ``k`` opens with
    :data:`bench.sessions.SPREAD_PARAM` at ``SPREAD_FIRST + k * SPREAD_STEP``, numbered from 0
    in each setup (its processes are new, their caches empty). Every such value is kept within
    the lever's plausible range (``data/levers.csv``): past its bounds the page refuses a value,
    and the sessions would share the default settings (the cache measured instead of a new
    simulation a move).
    """
    out: list[tuple[int, float | None, int]] = []
    first = 0
    for n, pace in [(n, None) for n in counts] + list(paced):
        out.append((n, pace, first))
        first += n
    return out


def ratios(levels: list[dict], bare: dict, single: dict | None = None) -> None:
    """Add to each level its latency over one session's (``single``, a level; the first of
    ``levels`` by default) and the bare app's."""
    single = (single or levels[0])["move"]
    for entry in levels:
        move = entry["move"]
        entry["p95_over_single_p95"] = round(move["p95_ms"] / single["p95_ms"], 2)
        entry["median_over_single_median"] = round(move["median_ms"] / single["median_ms"], 2)
        entry["median_over_bare_median"] = round(move["median_ms"] / bare["median_ms"], 2)


async def measure(counts: tuple[int, ...], moves: int, setups: tuple = (one_process, two_replicas),
                  paced: tuple[tuple[int, float], ...] = PACED) -> dict:
    """Run the bare app through ``counts``, then each setup through ``counts``, then through
    ``paced`` (sessions, pace); see the module."""
    from deploy.replicas import NGINX_HINT, nginx_binary

    out: dict = {"counts": list(counts), "moves_per_session": moves,
                 "paced": [list(x) for x in paced],
                 "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    with log_folder("bench-load-") as tmp:
        folder = Path(tmp)
        async with chromium_browser() as browser:
            with bare_app(BARE_APP, folder) as bare:
                await warm(browser, bare, BARE)
                bare_levels = [await level(browser, bare, n, max(moves, 5) if n == 1 else moves,
                                           0, BARE) for n in counts]
            bare_single = bare_levels[0]["move"]
            ratios(bare_levels, bare_single)
            out["bare"] = {"levels": bare_levels}
            for setup in setups:
                if setup is two_replicas and nginx_binary() is None:
                    out["two_replicas"] = {"skipped": f"nginx is not installed ({NGINX_HINT})"}
                    continue
                with setup(folder) as server:
                    result: dict = {"warm_up_open_ms": await warm(browser, server)}
                    done = [await level(browser, server, n, moves, first, pace=pace)
                            for n, pace, first in plan(counts, paced)]
                    levels, slow = done[:len(counts)], done[len(counts):]
                    ratios(levels, bare_single)
                    result["levels"] = levels
                    ratios(slow, bare_single, single=levels[0])
                    result["paced"] = slow
                    out[server.name] = result
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    out["goal_p95_over_single_p95"] = GOAL_RATIO
    out["browser"] = chromium()
    return out


def run(quick: bool = False) -> dict:
    """Measure; see the module.

    Parameters
    ----------
    quick : bool, optional
        1 and 2 sessions, 2 presses each (a check that the bench runs).

    Returns
    -------
    dict
        ``bare`` (its ``levels`` as a setup's, with their ratios to its single session), then
        per setup (``one_process``, ``two_replicas``) its ``levels``: for each count of
        sessions ``open``, ``move`` and ``memory`` (:func:`bench.sessions.level`) and the
        latency ratios, and ``paced``, the same at the paces of :data:`PACED`; or ``skipped``.
    """
    reason = missing_browser()
    if reason:
        return {"skipped": reason}
    return asyncio.run(measure(QUICK_COUNTS if quick else COUNTS,
                               QUICK_MOVES if quick else MOVES,
                               paced=QUICK_PACED if quick else PACED))
