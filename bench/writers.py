"""How long writers wait for their turn when many save at once.

``WRITERS`` processes each do what ``python -m planner scenario save`` does (read the current
dataset, fit the model, simulate, insert the saved scenario), all starting at the same moment on
one new database in a temporary folder, while one more process reads as the app's pages do.
The processes come from a fork server that imported the planner once, so the measure is the
database's line rather than 32 interpreters importing pandas. Each writer sums the time it
spent waiting for turns (``store.hold_times``); the JSON gives the longest wait (the writer
served last: the 32nd in line), the median, the longest whole save, the longest single hold of
the file, and how many failed, which must be none: writers wait their turn, first come first
served, and never give up because others are busy. ``PLANNER_LOCK_TIMEOUT`` applies, as for the
command line.
"""

from __future__ import annotations

import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

WRITERS = 32
QUICK_WRITERS = 4
DRAWS = 500
TIMEOUT = 600.0
"""Seconds the bench waits for every writer before it reports the missing ones as failed."""

PRELOAD = ["bench.writers", "planner.engine", "planner.saved", "planner.store"]


def _store(path: str) -> Any:
    """A store on the bench's database with the command line's lock timeout."""
    from planner.config import lock_timeout
    from planner.store import LOCK_TIMEOUT, DuckDBStore

    return DuckDBStore(path, lock_timeout=lock_timeout() or LOCK_TIMEOUT)


def _writer(path: str, i: int, start_at: float, results: Any) -> None:
    """One writer: wait for ``start_at`` (``time.time()``), save, put what happened on
    ``results``: ``(i, error or None, seconds waited, seconds in all, longest hold)``."""
    from planner.engine import load_model
    from planner.saved import save_scenario

    time.sleep(max(0.0, start_at - time.time()))
    started = time.monotonic()
    store = _store(path)
    try:
        model = load_model(store)
        save_scenario(store, model, {"levers": {"online_filing": {"2030": 60 + i / 10}}},
                      f"writer {i}", draws=DRAWS, seed=i)
        error = None
    except Exception as exc:  # noqa: BLE001 - counted as a failure in the JSON
        error = f"{type(exc).__name__}: {exc}"
    waited = sum(h.waited for h in store.hold_times)
    held = max((h.held for h in store.hold_times), default=0.0)
    results.put((i, error, waited, time.monotonic() - started, held))


def _reader(path: str, start_at: float, stop: Any, results: Any) -> None:
    """Read as the app's pages do until ``stop`` is set; put ``(reads, errors, longest
    wait)`` on ``results``."""
    time.sleep(max(0.0, start_at - time.time()))
    store = _store(path)
    reads, errors = 0, []
    while not stop.is_set():
        try:
            store.dataset(store.current_version())
            store.list_saved(limit=20)
            store.count_saved()
            reads += 1
        except Exception as exc:  # noqa: BLE001 - counted in the JSON
            errors.append(f"{type(exc).__name__}: {exc}")
        stop.wait(0.05)
    results.put((reads, errors, max((h.waited for h in store.hold_times), default=0.0)))


def run(quick: bool = False) -> dict:
    """Start the writers at once on a new database; report their waits.

    Parameters
    ----------
    quick : bool, optional
        ``QUICK_WRITERS`` writers instead of ``WRITERS`` (a check that the bench runs).

    Returns
    -------
    dict
        ``writers``; ``failed`` (0 expected) and the first ``errors``; ``waited_max_s`` (the
        longest total wait for turns, the last writer served), ``waited_median_s``,
        ``save_max_s`` (the slowest whole save) and ``elapsed_s`` (first start to last end).
    """
    from planner.config import data_dir
    from planner.store import DuckDBStore

    writers = QUICK_WRITERS if quick else WRITERS
    with tempfile.TemporaryDirectory(prefix="bench-writers-") as tmp:
        path = Path(tmp) / "writers.duckdb"
        DuckDBStore(path).load_dataset(data_dir())
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        results, read_results, stop = context.Queue(), context.Queue(), context.Event()
        start_at = time.time() + 1.0 + 0.05 * writers
        processes = [context.Process(target=_writer, args=(str(path), i, start_at, results))
                     for i in range(writers)]
        reader = context.Process(target=_reader, args=(str(path), start_at, stop, read_results))
        for process in [reader, *processes]:
            process.start()
        deadline = time.monotonic() + TIMEOUT
        done: list[tuple[int, str | None, float, float, float]] = []
        try:
            for _ in processes:
                done.append(results.get(timeout=max(1.0, deadline - time.monotonic())))
        except Exception:  # noqa: BLE001 - a writer that never reported is a failure
            pass
        elapsed = time.time() - start_at
        stop.set()
        reads, read_errors, read_wait = read_results.get(timeout=TIMEOUT)
        for process in [reader, *processes]:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
        saved = DuckDBStore(path).count_saved()
    errors = [error for _, error, *_ in done if error]
    errors += [f"writer never reported within {TIMEOUT:g} s"] * (writers - len(done))
    waits = [waited for _, error, waited, _, _ in done if error is None] or [0.0]
    saves = [seconds for _, error, _, seconds, _ in done if error is None] or [0.0]
    holds = [held for *_, held in done] or [0.0]
    out: dict[str, Any] = {
        "writers": writers, "failed": len(errors), "saved": saved,
        "waited_max_s": round(max(waits), 3), "waited_median_s": round(statistics.median(waits), 3),
        "save_max_s": round(max(saves), 3), "hold_max_s": round(max(holds), 3),
        "elapsed_s": round(elapsed, 3), "reader_reads": reads,
        "reader_failed": len(read_errors), "reader_waited_max_s": round(read_wait, 3),
        "measured_by": "store.hold_times: seconds each writer waited for its turns"}
    failures = errors + read_errors
    if failures:  # gave up because others were busy: a failure of the bench
        out["error"] = (f"{len(errors)} of {writers} writers and {len(read_errors)} reads "
                        f"failed, first: {failures[0]}")
    return out
