"""32 ``scenario save`` processes at once on one database (16 on PostgreSQL), while a reader
reads as the app does: every save succeeds (writers wait their turn, first come first served, however long the line)
and none is lost. How long the last writer waits is measured by ``make bench``
(``store_writers``), not asserted here.

The processes run the command line's entry point from a preloaded fork server, so the test
measures the database's contention rather than 32 interpreters importing pandas (which on two
cores takes a minute or more by itself).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest

from planner.store import Store
from tests.reliability.cli_processes import run_at_once, without_wait_notices

pytestmark = pytest.mark.reliability

WRITERS = {"duckdb": 32, "postgresql": 16}
"""Writers at once on each backend: the file's line is tested at length; on PostgreSQL, whose
server orders the writers itself, fewer keep CI short (each process fits the model)."""
TIMEOUT = 600.0
"""Seconds to wait for every writer to report (a hang, not a speed, fails the test)."""


def test_many_writers_and_a_reader(loaded_address: str, store_backend: str,
                                  open_stores: Callable[..., Store]) -> None:
    writers = WRITERS[store_backend]
    reader = open_stores(loaded_address)
    before = reader.count_saved()
    reader_errors: list[str] = []
    reads = 0
    stop = threading.Event()

    def read_like_the_app() -> None:
        nonlocal reads
        while not stop.is_set():
            try:
                version = reader.current_version()
                reader.dataset(version)
                rows = reader.list_saved(limit=20)
                reader.count_saved()
                if rows:
                    reader.get_saved(rows[0]["id"])
                reads += 1
            except Exception as exc:  # every failure is counted
                reader_errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.05)

    thread = threading.Thread(target=read_like_the_app, daemon=True)
    commands = [["--db", loaded_address, "scenario", "save", "--name", f"writer {i}",
                 "--set", f"online_filing@2030={60 + i / 10}", "--draws", "500", "--seed", str(i)]
                for i in range(writers)]
    started = time.monotonic()
    thread.start()
    try:
        results = run_at_once(commands, timeout=TIMEOUT)
    finally:
        stop.set()
        thread.join(timeout=60)
    elapsed = time.monotonic() - started
    failures = [(argv[-1], code, err) for argv, code, _, err in results
                if code != 0 or without_wait_notices(err)]
    assert failures == [], failures
    assert reader_errors == [], reader_errors[:5]
    ids = {json.loads(out)["id"] for _, _, out, _ in results}
    assert len(ids) == writers
    saved = {row["id"] for row in reader.list_saved(limit=100)}
    assert ids <= saved, f"lost saves: {sorted(ids - saved)}"
    assert reader.count_saved() == before + writers
    holds = sorted(h.held for h in reader.hold_times)
    waits = sorted(h.waited for h in reader.hold_times)
    print(f"{writers} writers + reader: {elapsed:.1f} s, {reads} app reads; reader held the "
          f"file median {holds[len(holds) // 2] * 1000:.0f} ms, max {holds[-1] * 1000:.0f} ms; "
          f"waited median {waits[len(waits) // 2] * 1000:.0f} ms, max {waits[-1] * 1000:.0f} ms")
