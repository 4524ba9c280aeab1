"""Publishing new dataset versions with real processes: several editors at once, and a
publish killed with SIGKILL (in the middle of its write transaction, and at random moments).

After each: the database opens and passes its integrity check, every stored version reads back
whole (its content hashes to its id), the current version is one that was committed, and the
publish log is a chain (each entry's previous version is the entry before's version).
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from planner.config import REPO_ROOT
from planner.dataio.canonical import content_version, dataset_files
from planner.store import DuckDBStore
from tests.reliability.cli_processes import run_at_once
from tests.reliability.publish_workers import nudged
from tests.saved_support import copy_db
from tests.update_support import NEW_DTI_ROW, observations_csv

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

TIMEOUT = 120.0
EDITORS = 4
ROUNDS = 4


def check_whole(store: DuckDBStore, committed: set[str]) -> None:
    """The database opens and is sound; versions, current version and log agree."""
    store.check_integrity()
    versions = store.dataset_versions()
    ids = [v["version"] for v in versions]
    assert len(ids) == len(set(ids))
    assert committed <= set(ids), f"committed versions lost: {committed - set(ids)}"
    for v in versions:
        data = store.dataset(v["version"])
        assert data.row_counts() == v["row_counts"]
        assert content_version(dataset_files(data)) == v["version"], "a version is partial"
    log = store.publish_log()
    current = store.current_version()
    assert [v["version"] for v in versions if v["is_current"]] == [current]
    if log:
        assert log[0]["version"] == current
        seqs = [e["seq"] for e in log]
        assert seqs == list(range(seqs[0], seqs[0] - len(seqs), -1))
        for newer, older in zip(log, log[1:], strict=False):
            assert newer["previous_version"] == older["version"]


def test_editors_publishing_at_once_all_get_their_versions(
    loaded_db: Path, data_dir: Path, tmp_path: Path
) -> None:
    store = copy_db(loaded_db, tmp_path / "editors.duckdb")
    first = store.current_version()
    commands = []
    # each editor adds a row of its own (another key): a CSV of new rows never overwrites
    keys = [("dti_overall", 2023), ("dti_overall", 2024), ("dti_overall", 2025),
            ("dti_digital_government", 2023)]
    for i in range(EDITORS):
        indicator, year = keys[i]
        row = {**NEW_DTI_ROW, "indicator": indicator, "year": year, "value": 0.74 + i / 100}
        path = tmp_path / f"editor{i}.csv"
        path.write_bytes(observations_csv([row]))
        commands.append(["--db", str(store.path), "db", "import", str(path),
                         "--author", f"editor {i}", "--note", f"2023 DTI {i}"])
    results = run_at_once(commands, TIMEOUT)
    failed = [(code, err) for _, code, _, err in results if code != 0]
    assert not failed, failed
    published = {out.split()[1].rstrip(":") for _, _, out, _ in results}
    assert len(published) == EDITORS and first not in published
    check_whole(store, published | {first})
    log = store.publish_log()[:EDITORS]
    assert {e["version"] for e in log} == published
    assert {e["author"] for e in log} == {f"editor {i}" for i in range(EDITORS)}
    assert log[-1]["previous_version"] == first


def start(db: Path, mode: str) -> tuple[subprocess.Popen, queue.Queue]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.publish_workers", mode, str(db)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return proc, lines


def next_line(proc: subprocess.Popen, lines: queue.Queue) -> str:
    line = lines.get(timeout=TIMEOUT)
    if line is None:
        raise AssertionError(f"worker stopped: {proc.stderr.read() if proc.stderr else ''}")
    return line


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGKILL
    if proc.stderr is not None:
        proc.stderr.close()


def test_a_publish_killed_in_its_write_leaves_the_previous_version(
    loaded_db: Path, tmp_path: Path
) -> None:
    store = copy_db(loaded_db, tmp_path / "stalled.duckdb")
    before = (store.current_version(), store.dataset_versions(), store.publish_log())
    proc, lines = start(store.path, "stall")
    line = next_line(proc, lines)
    assert line.startswith("writing "), line
    half = line.split()[1]
    kill(proc)
    assert (store.current_version(), store.dataset_versions(), store.publish_log()) == before
    check_whole(store, {before[0]})
    # the same publish succeeds afterwards, whole
    report = store.publish(nudged(store.dataset(), 1), "again", check=None)
    assert report.version == half and report.status == "loaded"
    check_whole(store, {before[0], half})


def test_publishes_killed_at_random_moments_leave_a_sound_database(
    loaded_db: Path, tmp_path: Path
) -> None:
    store = copy_db(loaded_db, tmp_path / "killed.duckdb")
    committed = {store.current_version()}
    rng = random.Random(20261127)
    for round_no in range(ROUNDS):
        proc, lines = start(store.path, "loop")
        assert next_line(proc, lines) == "ready\n"
        wanted = 2 + round_no  # commits to see before the kill
        seen = 0
        while True:
            line = next_line(proc, lines)
            if line.startswith("published"):
                committed.add(line.split()[2])
                seen += 1
            elif line.startswith("fitted") and seen >= wanted:
                threading.Event().wait(rng.uniform(0.0, 0.06))  # into the write, or past it
                break
        kill(proc)
        while (line := lines.get(timeout=TIMEOUT)) is not None:  # committed before the kill
            if line.startswith("published") and line.endswith("\n"):
                committed.add(line.split()[2])
        check_whole(store, committed)
        assert store.current_version() in {v["version"] for v in store.dataset_versions()}
    # it takes a new publish afterwards
    assert store.publish(nudged(store.dataset(), 3999), "after", check=None).changed
