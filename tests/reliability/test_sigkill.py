"""A writer killed with SIGKILL while saving: the database (a DuckDB file, a PostgreSQL database)
opens, every committed save is intact."""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Callable

import pytest

from planner import saved as sv
from planner.engine import load_model
from planner.store import SAVED_COLUMNS, Store
from tests.reliability import workers
from tests.reliability.cli_processes import start_printing
from tests.reliability.workers import XSS, name_for

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

ROUNDS = {"duckdb": 4, "postgresql": 2}
"""Writers started and killed one after the other on the same database (fewer on PostgreSQL,
where the server, not the writer, keeps the data whole; each writer's start costs CI seconds)."""

TIMEOUT = 60.0


def all_rows(store: Store) -> dict[str, dict]:
    """Every saved row, by id, in one read."""
    with store.connect() as con:
        return {r[0]: dict(zip(SAVED_COLUMNS, r, strict=True)) for r in con.execute(
            f"SELECT {', '.join(SAVED_COLUMNS)} FROM saved_scenarios").fetchall()}


def run_writer_and_kill(address: str, kill_after: int, delay: float) -> list[tuple[str, int]]:
    """Start a writer, read ``kill_after`` committed ids, wait ``delay`` s, SIGKILL it.

    The writer is a process of its own, started from the preloaded fork server
    (``cli_processes.start_printing``). Returns every ``(id, i)`` it printed, including lines
    still in the pipe at the kill.
    """
    writer = start_printing(workers.writer, address, 1)
    proc, lines = writer.process, writer.lines
    printed: list[tuple[str, int]] = []
    try:
        first = lines.get(timeout=TIMEOUT)
        assert first == "ready\n", f"writer failed to start: {writer.stderr(timeout=1)}"
        while len(printed) < kill_after:
            line = lines.get(timeout=TIMEOUT)
            assert line is not None, f"writer stopped: {writer.stderr()}"
            sid, i = line.split()
            printed.append((sid, int(i)))
        time.sleep(delay)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(timeout=TIMEOUT)
    while True:  # ids printed before the kill but not read yet were committed too
        line = lines.get(timeout=TIMEOUT)
        if line is None:
            break
        if not line.endswith("\n"):  # cut by the kill while being written: not a report
            continue
        sid, i = line.split()
        printed.append((sid, int(i)))
    assert proc.exitcode == -signal.SIGKILL
    return printed


def test_a_killed_writer_leaves_every_committed_save_intact(
    loaded_address: str, store_backend: str, open_stores: Callable[..., Store]
) -> None:
    store = open_stores(loaded_address)
    rng = random.Random(20250701)
    printed: list[tuple[str, int]] = []
    for round_no in range(ROUNDS[store_backend]):
        printed += run_writer_and_kill(loaded_address, kill_after=5 + 3 * round_no,
                                       delay=rng.uniform(0.0, 0.05))
        # the file opens; every printed id is there and intact; every row is intact
        rows = all_rows(store)
        assert len({sid for sid, _ in printed}) == len(printed)
        missing = [sid for sid, _ in printed if sid not in rows]
        assert not missing, f"committed saves lost after kill {round_no + 1}: {missing}"
        # at most one save per kill committed without having been printed
        assert len(printed) <= len(rows) <= len(printed) + round_no + 1
        for row in rows.values():
            sv.SavedScenario.from_row(row)  # digest check
        for sid, i in printed:
            saved = sv.SavedScenario.from_row(rows[sid])
            assert saved.name == name_for(0, i) and saved.note == f"note 0/{i}\n{XSS}"
    # and it accepts a new save, which reads back intact
    model = load_model(store)
    saved, _ = sv.save_scenario(store, model, {}, "after the kills", draws=10)
    assert sv.get_scenario(store, saved.id) == saved
    assert store.count_saved() >= len(printed) + 1
