"""What a lever move and a page open cost the server, with 1, 5 and 10 sessions at once.

One ``streamlit run app.py`` with its work counts served (``PLANNER_WORK_COUNTS=1``); after a
first, unmeasured visit, :data:`COUNTS` sessions open the planner at once and each presses its
lever :data:`MOVES` times (:func:`bench.sessions.level`, every session on settings of its own).
For each count: per page open and per move the server's CPU time, the fits, simulations,
projections and contributions it computed, the script runs and the bytes the page received
over its websocket; the latency; the server's resident memory and its growth per session.
``docs/DESIGN.md`` ("Cost per session") has the numbers.

``--quick``: 1 and 2 sessions, 2 presses each.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bench.server import chromium, missing_browser
from bench.sessions import chromium_browser, level, log_folder, one_process, warm

COUNTS = (1, 5, 10)
QUICK_COUNTS = (1, 2)
MOVES = int(os.environ.get("BENCH_PROFILE_MOVES", "6"))
QUICK_MOVES = 2


async def measure(counts: tuple[int, ...], moves: int) -> dict:
    """Open, press and count for each number of sessions; see the module."""
    out: dict = {"counts": list(counts), "moves_per_session": moves,
                 "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    with log_folder("bench-profile-") as tmp:
        async with chromium_browser() as browser:
            with one_process(Path(tmp)) as server:
                out["first_open_ms"] = await warm(browser, server)
                first, levels = 0, []
                for n in counts:
                    levels.append(await level(browser, server, n, moves, first))
                    first += n
                out["levels"] = levels
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    out["browser"] = chromium()
    return out


def run(quick: bool = False) -> dict:
    """Profile; see the module.

    Parameters
    ----------
    quick : bool, optional
        1 and 2 sessions, 2 presses each.

    Returns
    -------
    dict
        ``first_open_ms`` and ``levels`` (:func:`bench.sessions.level` for each count), or
        ``skipped`` with the reason.
    """
    reason = missing_browser()
    if reason:
        return {"skipped": reason}
    return asyncio.run(measure(QUICK_COUNTS if quick else COUNTS,
                               QUICK_MOVES if quick else MOVES))
