"""Publishing new dataset versions with real processes: several editors at once, and a
publish killed with SIGKILL (in the middle of its write transaction, and at random moments).

After each: the database opens and passes its integrity check, every stored version reads back
whole (its content hashes to its id), the current version is one that was committed, and the
publish log is a chain (each entry's previous version is the entry before's version).
"""

from __future__ import annotations

import os
import random
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.dataio.canonical import content_version, dataset_files
from planner.store import Store
from tests.reliability import publish_workers
from tests.reliability.cli_processes import (
    Printing,
    run_at_once,
    start_printing,
    without_wait_notices,
)
from tests.reliability.publish_workers import nudged
from tests.update_support import NEW_DTI_ROW, observations_csv

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

TIMEOUT = 120.0
EDITORS = 4
ROUNDS = {"duckdb": 4, "postgresql": 2}
"""Publishers killed at random moments, one after the other (fewer on PostgreSQL, as for the
killed writer of ``test_sigkill.py``)."""


def check_whole(store: Store, committed: set[str]) -> None:
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


EDITOR_KEYS: tuple[tuple[str, int], ...] = tuple(
    (indicator, year) for year in (2023, 2024)
    for indicator in ("dti_overall", "dti_digital_government", "dti_digital_economy",
                      "dti_digital_society"))
"""The observation each editor adds (its own key, so no two editors' rows collide)."""


def editor_row(i: int) -> dict[str, object]:
    indicator, year = EDITOR_KEYS[i]
    return {**NEW_DTI_ROW, "indicator": indicator, "year": year, "value": 0.74 + i / 100}


def publish_race(store: Store, address: str, folder: Path, editors: int) -> dict[str, list[int]]:
    """``editors`` processes run ``db import`` of a CSV with one new row each, at once.

    Returns the editors whose import was published and those refused; fails when an editor
    was told its row was published but the current version lacks it (a silent loss), or when
    an import failed any other way than the refusal saying another editor published first.
    """
    first = store.current_version()
    commands = []
    for i in range(editors):
        path = folder / f"editor{i}.csv"
        path.write_bytes(observations_csv([editor_row(i)]))
        commands.append(["--db", address, "db", "import", str(path),
                         "--author", f"editor {i}", "--note", f"row {i}"])
    results = run_at_once(commands, TIMEOUT)
    published, refused, published_versions = [], [], set()
    for argv, code, out, err in results:
        i = int(argv[argv.index("--author") + 1].split()[1])
        if code == 0:
            published.append(i)
            published_versions.add(out.split()[1].rstrip(":"))
        else:
            err = without_wait_notices(err)
            assert code == 1 and err.startswith("error: another editor"), (i, code, out, err)
            assert err.count("\n") == 1, f"the refusal is not one line: {err!r}"
            assert "nothing was changed" in err and "run the import again" in err, err
            refused.append(i)
    assert published, "no editor published"
    current = store.baseline()
    for i in range(editors):
        row = editor_row(i)
        present = ((current["indicator"] == row["indicator"]) & (current["year"] == row["year"])
                   & (current["value"].round(4) == round(float(row["value"]), 4))).any()
        if i in published:
            assert present, f"editor {i} was told its row was published, but it is lost"
        else:
            assert not present
    check_whole(store, published_versions | {first})
    log = store.publish_log()[:len(published)]
    assert {e["author"] for e in log} == {f"editor {i}" for i in published}
    assert log[-1]["previous_version"] == first
    return {"published": sorted(published), "refused": sorted(refused)}


@pytest.mark.parametrize("editors", [EDITORS])
def test_editors_publishing_at_once_lose_no_row(
    tmp_path: Path, loaded_address: str, open_stores: Callable[..., Store], editors: int
) -> None:
    store = open_stores(loaded_address)
    outcome = publish_race(store, loaded_address, tmp_path, editors)
    print(f"{editors} editors at once: {outcome}")


def start(address: str, mode: str) -> Printing:
    """Start a publishing worker (``loop`` or ``stall`` of ``publish_workers.py``) in a process
    of its own, from the preloaded fork server."""
    return start_printing(getattr(publish_workers, mode), address)


def next_line(worker: Printing) -> str:
    line = worker.lines.get(timeout=TIMEOUT)
    if line is None:
        raise AssertionError(f"worker stopped: {worker.stderr()}")
    return line


def kill(worker: Printing) -> None:
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join(timeout=TIMEOUT)
    assert worker.process.exitcode == -signal.SIGKILL


def test_a_publish_killed_in_its_write_leaves_the_previous_version(
    loaded_address: str, open_stores: Callable[..., Store]
) -> None:
    store = open_stores(loaded_address)
    before = (store.current_version(), store.dataset_versions(), store.publish_log())
    worker = start(loaded_address, "stall")
    line = next_line(worker)
    assert line.startswith("writing "), line
    half = line.split()[1]
    kill(worker)
    assert (store.current_version(), store.dataset_versions(), store.publish_log()) == before
    check_whole(store, {before[0]})
    # the same publish succeeds afterwards, whole
    report = store.publish(nudged(store.dataset(), 1), "again", check=None, base=before[0])
    assert report.version == half and report.status == "loaded"
    check_whole(store, {before[0], half})


def test_publishes_killed_at_random_moments_leave_a_sound_database(
    loaded_address: str, store_backend: str, open_stores: Callable[..., Store]
) -> None:
    store = open_stores(loaded_address)
    committed = {store.current_version()}
    rng = random.Random(20261127)
    for round_no in range(ROUNDS[store_backend]):
        worker = start(loaded_address, "loop")
        assert next_line(worker) == "ready\n"
        wanted = 2 + round_no  # commits to see before the kill
        seen = 0
        while True:
            line = next_line(worker)
            if line.startswith("published"):
                committed.add(line.split()[2])
                seen += 1
            elif line.startswith("fitted") and seen >= wanted:
                threading.Event().wait(rng.uniform(0.0, 0.06))  # into the write, or past it
                break
        kill(worker)
        while (line := worker.lines.get(timeout=TIMEOUT)) is not None:  # committed before the kill
            if line.startswith("published") and line.endswith("\n"):
                committed.add(line.split()[2])
        check_whole(store, committed)
        assert store.current_version() in {v["version"] for v in store.dataset_versions()}
    # it takes a new publish afterwards
    current = store.dataset()
    assert store.publish(nudged(current, 3999), "after", check=None,
                         base=current.version).changed
