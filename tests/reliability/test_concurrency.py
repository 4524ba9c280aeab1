"""Concurrent saves on one database (a DuckDB file, a PostgreSQL database): 8 processes (and 8
threads) × 20 saves (12 on PostgreSQL), none lost.

The workers first open the store and fit the model, then wait for each other and start saving
at the same moment, so every worker's saves are made while the others are saving too (not
only where their start-ups, seconds apart on a busy machine, happen to overlap)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from planner import saved as sv
from planner.engine import load_model
from planner.store import SAVED_COLUMNS, Store
from tests.reliability.cli_processes import server
from tests.reliability.workers import XSS, name_for, save_many, settings_for

pytestmark = pytest.mark.reliability

WORKERS = 8
SAVES = {"duckdb": 20, "postgresql": 12}
"""Saves per worker on each backend, all workers saving at once: the file's turns are tested at
length (160 saves taking turns); on PostgreSQL, whose server orders the writers itself, fewer
keep CI short (the time goes to simulating)."""
DRAWS = 200
TIMEOUT = 600.0
"""Seconds to wait for every worker to report (a hang, not a speed, fails the test)."""


def check_all_intact(store: Store, results: list[tuple[str, int, int, str]], saves: int,
                     model=None) -> None:
    """Every saved id is there once, its digest matches, its content is what was saved."""
    ids = [r[0] for r in results]
    assert len(ids) == len(set(ids)) == WORKERS * saves
    assert store.count_saved() == WORKERS * saves
    listed: list[str] = []
    while len(listed) < WORKERS * saves:
        rows, total = sv.list_scenarios(store, limit=sv.PAGE_MAX, offset=len(listed))
        assert total == WORKERS * saves and rows
        listed.extend(r.id for r in rows)
    assert sorted(listed) == sorted(ids)
    with store.connect() as con:  # every row in one read
        rows = {r[0]: dict(zip(SAVED_COLUMNS, r, strict=True)) for r in con.execute(
            f"SELECT {', '.join(SAVED_COLUMNS)} FROM saved_scenarios").fetchall()}
    assert len(rows) == WORKERS * saves
    for sid, worker, i, token in results:
        row = rows[sid]
        saved = sv.SavedScenario.from_row(row)  # recomputes and checks the digest
        assert saved.name == name_for(worker, i)
        assert saved.note == f"note {worker}/{i}\n{XSS}"
        assert saved.scenario.levers == {"online_filing": {2027: 50 + worker + i / 100}}
        assert saved.seed == i and saved.draws == DRAWS
        assert sv.token_matches(token, row["owner_token_hash"])
    if model is not None:  # a few recomputed: exactly the snapshot
        for sid, *_ in results[:: len(results) // 4]:
            saved = sv.get_scenario(store, sid)
            assert sv.recompute(store, saved, model_loader=lambda v: model) == saved.snapshot


def test_eight_processes_each_saving_many(loaded_address: str, store_backend: str,
                                         open_stores: Callable[..., Store]) -> None:
    store = open_stores(loaded_address)
    saves = SAVES[store_backend]
    context = server()  # processes of their own, forked from a server with planner imported
    ready, reports = context.Barrier(WORKERS), context.Queue()
    processes = [context.Process(target=save_many,
                                 args=(loaded_address, w, saves, DRAWS, ready, reports))
                 for w in range(WORKERS)]
    start = time.perf_counter()
    for process in processes:
        process.start()
    deadline = time.monotonic() + TIMEOUT
    parts = dict(reports.get(timeout=max(1.0, deadline - time.monotonic())) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    elapsed = time.perf_counter() - start
    print(f"{WORKERS} processes x {saves} saves: {elapsed:.1f} s")
    failed = {w: part for w, part in parts.items() if isinstance(part, str)}
    assert not failed, failed
    assert [p.exitcode for p in processes] == [0] * WORKERS
    results = [r for w in sorted(parts) for r in parts[w]]
    check_all_intact(store, results, saves, load_model(store))


def test_eight_threads_each_saving_many(loaded_address: str, store_backend: str,
                                       open_stores: Callable[..., Store]) -> None:
    store = open_stores(loaded_address)
    saves = SAVES[store_backend]
    model = load_model(store)  # one model shared by every thread, as in the app
    ready = threading.Barrier(WORKERS)  # every thread starts saving at the same moment

    def work(worker: int) -> list[tuple[str, int, int, str]]:
        ready.wait(timeout=TIMEOUT)
        out = []
        for i in range(saves):
            saved, token = sv.save_scenario(store, model, settings_for(worker, i),
                                            name_for(worker, i), note=f"note {worker}/{i}\n{XSS}",
                                            draws=DRAWS, seed=i)
            out.append((saved.id, worker, i, token))
        return out

    with ThreadPoolExecutor(WORKERS) as pool:
        parts = list(pool.map(work, range(WORKERS)))
    check_all_intact(store, [r for part in parts for r in part], saves, model)
