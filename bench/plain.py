"""The plain pages: ``/s/<id>``'s first key number in a browser, and a crowd of readers.

One ``streamlit run app.py`` (on a copy of the database in a temporary folder, holding one
scenario saved for the bench) and one bare Streamlit app run side by side, as in
:mod:`bench.pages`:

* ``first_number``: in Chromium, each visit in a new browser context, from the navigation's
  start to the first animation frame after the page's first key number (``.key-number``, the
  published DTI score) shows; the bare app's first text measured in turn the same way. The
  first visit builds the page (``first_visit_ms``, not counted); later ones are served from
  the page kept in memory. ``ratio``: the page's median over the bare app's (goal at most
  :data:`GOAL_RATIO`).
* ``readers``: :data:`READERS` readers ask for the same ``/s/<id>`` at once (threads released
  together, each its own connection, ``Accept-Encoding: gzip`` as a browser sends), in
  :data:`ROUNDS` rounds; each answer's time from the request to its last byte. ``p95_ms``
  over all answers (goal at most :data:`GOAL_P95_MS`), and how many failed (must be 0).

Skipped, with the reason in the JSON, when Chromium or Playwright is missing (the readers are
measured all the same).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.pages import BARE_APP, BARE_TEXT, _visit
from bench.server import app_and_bare, missing_browser, open_browser
from bench.timing import summary

VISITS = 5
QUICK_VISITS = 1
READERS = 200
QUICK_READERS = 20
ROUNDS = 3
QUICK_ROUNDS = 1
GOAL_RATIO = 0.5
GOAL_P95_MS = 1000.0
KEY_NUMBER = ".key-number"
SETTLED_MS = 100.0
SETTLE_TIMEOUT_S = 180.0
REQUEST_TIMEOUT_S = 120
SETTINGS = {"levers": {"cashless": {"2027": 60}}}


def _database(folder: Path) -> tuple[Path, str]:
    """A copy of the configured database with one scenario saved on it: ``(path, id)``."""
    from planner.config import db_path
    from planner.engine import load_model
    from planner.saved import save_scenario
    from planner.store import DuckDBStore, open_store

    source = db_path()
    open_store(str(source)).current_version()  # a new database loads the bundled data first
    target = folder / "plain.duckdb"
    shutil.copyfile(source, target)
    wal = Path(str(source) + ".wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(target) + ".wal"))
    store = DuckDBStore(target)
    saved, _ = save_scenario(store, load_model(store), SETTINGS, "Bench plain page")
    return target, saved.id


def _read(url: str) -> tuple[float, int, int]:
    """One reader: ``(ms to the last byte, status, bytes)``."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:  # noqa: S310
        body = response.read()
        status = response.status
    return (time.perf_counter() - t0) * 1000, status, len(body)


def _settle(url: str) -> float:
    """Seconds until two answers in a row of ``url`` took under :data:`SETTLED_MS` (the app's
    start-up work done), at most :data:`SETTLE_TIMEOUT_S`."""
    t0 = time.monotonic()
    fast = 0
    while fast < 2 and time.monotonic() - t0 < SETTLE_TIMEOUT_S:
        ms, _, _ = _read(url)
        fast = fast + 1 if ms < SETTLED_MS else 0
        if fast < 2:
            time.sleep(0.5)
    return round(time.monotonic() - t0, 1)


def _together(start: threading.Barrier, url: str) -> tuple[float, int, int]:
    """A reader that asks once every reader of its round is ready."""
    start.wait()
    return _read(url)


def readers(url: str, count: int, rounds: int) -> dict[str, Any]:
    """``count`` readers of ``url`` at once, ``rounds`` times.

    Returns
    -------
    dict
        ``p50_ms``, ``p95_ms``, ``max_ms``, ``answers``, ``failed``, ``bytes`` (of one answer),
        ``goal_p95_ms``.
    """
    times: list[float] = []
    failed = 0
    size = 0
    for _ in range(rounds):
        start = threading.Barrier(count)
        with ThreadPoolExecutor(max_workers=count) as pool:
            futures = [pool.submit(_together, start, url) for _ in range(count)]
            for future in futures:
                try:
                    ms, status, size = future.result()
                except Exception:  # noqa: BLE001 - counted: a reader got no page
                    failed += 1
                    continue
                if status != 200:
                    failed += 1
                times.append(ms)
    ordered = sorted(times) or [float("nan")]
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1),
            "max_ms": round(max(ordered), 1), "answers": len(times), "failed": failed,
            "bytes": size, "readers": count, "rounds": rounds, "goal_p95_ms": GOAL_P95_MS}


def run(quick: bool = False) -> dict:
    """Measure ``/s/<id>``'s first key number beside the bare app, and the crowd of readers.

    Parameters
    ----------
    quick : bool, optional
        One visit each and :data:`QUICK_READERS` readers once (a check that the bench runs).

    Returns
    -------
    dict
        ``first_number`` (``plain``, ``bare``, ``first_visit_ms``, ``ratio``, ``goal_ratio``, or
        ``skipped``), ``settle_s`` (:func:`_settle`) and ``readers`` (:func:`readers`).
    """
    visits = QUICK_VISITS if quick else VISITS
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-plain-") as tmp:
        db, scenario_id = _database(Path(tmp))
        with app_and_bare(BARE_APP, "bench-plain-", db=db) as (app_url, bare_url):
            url = f"{app_url}/s/{scenario_id}"
            reason = missing_browser()
            if reason:
                out["first_number"] = {"skipped": reason}
                _read(url)  # the page built once, as a first visit would
                out["settle_s"] = _settle(url)
            else:
                times: dict[str, list[float]] = {"plain": [], "bare": []}
                with open_browser() as chromium:
                    _visit(chromium, bare_url + "/", BARE_TEXT)  # first visits: not counted
                    first = _visit(chromium, url, KEY_NUMBER)
                    out["settle_s"] = _settle(url)
                    for _ in range(visits):
                        times["bare"].append(_visit(chromium, bare_url + "/", BARE_TEXT))
                        times["plain"].append(_visit(chromium, url, KEY_NUMBER))
                plain, bare = summary(times["plain"], 1), summary(times["bare"], 1)
                out["first_number"] = {
                    "plain": plain, "bare": bare, "first_visit_ms": round(first, 1),
                    "ratio": round(plain["median_ms"] / bare["median_ms"], 2),
                    "goal_ratio": GOAL_RATIO}
            out["readers"] = readers(url, QUICK_READERS if quick else READERS,
                                     QUICK_ROUNDS if quick else ROUNDS)
    return out
