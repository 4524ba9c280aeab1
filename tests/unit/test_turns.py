"""Turns on a DuckDB file, first come first served (``planner.store.turns``): the order asked,
waiting past the timeout while the line moves, a killed waiter or holder blocking nobody, and
the notice of a long wait (printed by the command line).

Each test holds the turn itself (``store.connect()``) and lets the others in when the fact it
checks is there: a waiter is in line when its ticket is in ``<file>.queue/``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from planner import config
from planner.store import DatabaseLockedError, DuckDBStore
from planner.store import turns as turns_module

WAIT = 60.0
"""Seconds a test waits for a fact before failing (far more than it takes)."""


@pytest.fixture
def small_db(tmp_db_path: Path, small_data_dir: Path) -> DuckDBStore:
    store = DuckDBStore(tmp_db_path)
    store.load_dataset(small_data_dir, check=None)
    return store


def tickets(store: DuckDBStore) -> list[str]:
    """The tickets in the database's line, oldest first."""
    folder = store.path.with_name(store.path.name + ".queue")
    return sorted(p.name for p in folder.glob("t-*")) if folder.exists() else []


def wait_for(fact: Callable[[], bool], what: str) -> None:
    """Wait until ``fact()`` holds (polled), failing after :data:`WAIT` seconds."""
    deadline = time.monotonic() + WAIT
    while not fact():
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen within {WAIT:g} s: {what}")
        time.sleep(0.01)


@contextmanager
def holding(store: DuckDBStore) -> Iterator[threading.Event]:
    """Hold the turn in a thread until the yielded event is set (or the block ends)."""
    release, held = threading.Event(), threading.Event()

    def hold() -> None:
        with store.connect():
            held.set()
            release.wait(WAIT)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert held.wait(WAIT)
    try:
        yield release
    finally:
        release.set()
        thread.join(WAIT)


def test_turns_are_taken_in_the_order_asked(small_db: DuckDBStore) -> None:
    order: list[int] = []
    threads = []

    def take_turn(i: int) -> None:
        with DuckDBStore(small_db.path).connect():
            order.append(i)  # inside the turn: the order of the turns themselves

    with holding(small_db) as release:
        for i in range(6):  # each joins the line after the one before is in it
            threads.append(threading.Thread(target=take_turn, args=(i,)))
            threads[-1].start()
            wait_for(lambda n=i + 2: len(tickets(small_db)) == n, f"waiter {i} in line")
        release.set()
        for thread in threads:
            thread.join(WAIT)
    assert order == list(range(6))
    assert tickets(small_db) == []  # everyone left the line


def test_a_waiter_waits_past_the_timeout_while_the_line_moves(small_db: DuckDBStore) -> None:
    """Three holders ahead keep the file for 1.5 s each; the waiter's timeout is 3 s."""
    releases = []
    holders = []
    got: list[str] = []

    def hold(release: threading.Event) -> None:
        with DuckDBStore(small_db.path, lock_timeout=WAIT).connect():
            release.wait(WAIT)

    with holding(small_db) as first:
        for i in range(3):
            releases.append(threading.Event())
            holders.append(threading.Thread(target=hold, args=(releases[-1],)))
            holders[-1].start()
            wait_for(lambda n=i + 2: len(tickets(small_db)) == n, f"holder {i} in line")
        waiter = threading.Thread(target=lambda: got.append(
            DuckDBStore(small_db.path, lock_timeout=3.0).current_version()))
        waiter.start()
        wait_for(lambda: len(tickets(small_db)) == 5, "the waiter in line")
        first.set()
        for release in releases:  # the line moves every 1.5 s: 4.5 s in all, past 3 s
            time.sleep(1.5)
            release.set()
        waiter.join(WAIT)
    for holder in holders:
        holder.join(WAIT)
    assert got == [small_db.current_version()]


def test_a_holder_that_keeps_the_file_past_the_timeout_gives_a_clear_error(
    small_db: DuckDBStore,
) -> None:
    with holding(small_db), pytest.raises(DatabaseLockedError, match="for 0.5 s"):
        DuckDBStore(small_db.path, lock_timeout=0.5).current_version()
    assert tickets(small_db) == []


def test_a_long_wait_is_told_how_many_are_ahead(small_db: DuckDBStore,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turns_module, "NOTICE_AFTER", 0.0)
    monkeypatch.setattr(turns_module, "NOTICE_EVERY", 0.05)
    told: list[tuple[int, float]] = []
    waiter = DuckDBStore(small_db.path, wait_notice=lambda ahead, waited: told.append(
        (ahead, waited)))
    with holding(small_db) as release:
        thread = threading.Thread(target=waiter.current_version)
        thread.start()
        wait_for(lambda: len(told) >= 2, "two notices")
        release.set()
        thread.join(WAIT)
    assert {ahead for ahead, _ in told} == {1}
    assert told[1][1] >= told[0][1] >= 0


HOLD_OR_WAIT = """
import sys, time
from planner.store import DuckDBStore
store = DuckDBStore(sys.argv[1], lock_timeout=600)
if sys.argv[2] == "hold":
    with store.connect():
        print("holding", flush=True)
        time.sleep(600)
else:
    print("asking", flush=True)
    store.current_version()
"""


def start(store: DuckDBStore, mode: str) -> subprocess.Popen:
    """A process that holds the turn, or waits in line for it, until killed."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD_OR_WAIT, str(store.path), mode],
                            cwd=config.REPO_ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline() in ("holding\n", "asking\n")
    return proc


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(WAIT)
    if proc.stdout is not None:
        proc.stdout.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_a_killed_waiter_blocks_nobody(small_db: DuckDBStore) -> None:
    got: list[str] = []
    with holding(small_db) as release:
        killed = start(small_db, "wait")
        wait_for(lambda: len(tickets(small_db)) == 2, "the waiter in line")
        kill(killed)
        holder, dead = tickets(small_db)  # its ticket stays, unlocked
        after = threading.Thread(target=lambda: got.append(
            DuckDBStore(small_db.path, lock_timeout=600).current_version()))
        after.start()
        # the next in line removes the dead ticket and waits behind the holder only
        wait_for(lambda: (len(tickets(small_db)) == 2 and dead not in tickets(small_db)),
                 "the next waiter in line, the dead ticket removed")
        assert tickets(small_db)[0] == holder
        release.set()
        after.join(WAIT)  # would take 600 s if the dead ticket held the line
    assert got == [small_db.current_version()]
    assert tickets(small_db) == []


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_a_killed_holder_blocks_nobody(small_db: DuckDBStore) -> None:
    holder = start(small_db, "hold")
    got: list[str] = []
    waiter = threading.Thread(target=lambda: got.append(
        DuckDBStore(small_db.path, lock_timeout=600).current_version()))
    waiter.start()
    wait_for(lambda: len(tickets(small_db)) == 2, "the waiter in line")
    kill(holder)
    waiter.join(WAIT)
    assert got == [small_db.current_version()]
    assert tickets(small_db) == []


def test_the_command_line_says_it_is_waiting_and_keeps_waiting(small_db: DuckDBStore) -> None:
    with holding(small_db) as release:
        proc = subprocess.Popen(
            [sys.executable, "-m", "planner", "--db", str(small_db.path), "baseline",
             "--indicator", "dti_overall"],
            cwd=config.REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PLANNER_LOCK_TIMEOUT": "600"})
        assert proc.stderr is not None
        line = proc.stderr.readline()  # after NOTICE_AFTER seconds in line
        release.set()
        out, err = proc.communicate(timeout=WAIT)
    assert line.startswith("waiting for the database: 1 ahead ("), line + err
    assert proc.returncode == 0, err
    assert out.count("dti_overall") == 3
