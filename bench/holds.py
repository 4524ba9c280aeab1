"""How long each store operation holds the database file.

DuckDB lets one process at a time hold a database file, so while one operation holds it every
other process waits. The hold of an operation is the time from opening its connection to
having closed it (opening included: the file is locked from then on); an operation that opens
several connections holds the file for their sum. The store records every hold
(``store.hold_times``); the bench reads them, on a new database in a temporary folder: the bundled data loaded, then
``BACKGROUND_SAVED`` saved scenarios each carrying the snapshot of a real save. One process,
no contention: the hold is the operation's own work, never a wait for another process.

For each operation the JSON gives the median, minimum and maximum hold over ``REPEAT`` calls,
the connections one call opens, the median time spent waiting for other holders (none here),
and the median wall time of the call: the hold plus the work
done with the file released, such as reading and validating the data files before a load.
``save_scenario`` is the whole save a person's click or ``scenario save`` makes: validate,
simulate, write.
"""

from __future__ import annotations

import csv
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.timing import summary
from planner.horizon import settable_years

REPEAT = 20
QUICK_REPEAT = 3
NEW_VERSIONS = 5
BACKGROUND_SAVED = 50


def scenario() -> dict:
    """What each save sets, in the years a scenario sets today (a bench runs before 2030)."""
    first, last = str(settable_years()[0]), str(settable_years()[-1])
    return {"levers": {"cashless": {first: 50, last: 75}, "ecommerce": {last: 70}}}


def _new_version(data_dir: Path, folder: Path, n: int) -> Path:
    """A copy of the data folder whose content (so whose version) differs by one title."""
    copy = folder / f"data-{n}"
    shutil.copytree(data_dir, copy)
    sources = copy / "sources.csv"
    with sources.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    # the title is free text: a suffix makes a new, equally valid version
    rows[-1][rows[0].index("title")] += f" (bench {n})"
    with sources.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return copy


def run(quick: bool = False) -> dict:
    """Measure the file hold of each store operation on a new temporary database.

    Parameters
    ----------
    quick : bool, optional
        ``QUICK_REPEAT`` calls per operation and one new dataset version (a check that the
        bench runs).

    Returns
    -------
    dict
        ``measured_by``, ``database`` (what the file holds), and
        ``operations``: per operation ``median_ms``, ``min_ms``, ``max_ms`` and ``runs`` of
        the hold, ``connections`` per call, ``waited_median_ms`` (waiting for other holders) and
        ``wall_median_ms``.
    """
    from planner.config import data_dir
    from planner.engine import load_model
    from planner.saved import hash_token, new_id, save_scenario
    from planner.store import DuckDBStore

    repeat = QUICK_REPEAT if quick else REPEAT
    background = QUICK_REPEAT if quick else BACKGROUND_SAVED
    versions = 1 if quick else NEW_VERSIONS
    source = data_dir()
    operations: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-holds-") as tmp:
        folder = Path(tmp)
        store = DuckDBStore(folder / "bench.duckdb")
        store.load_dataset(source)
        model = load_model(store)
        token_hash = hash_token("bench")

        def measure(name: str, calls: list[Callable[[], object]]) -> None:
            totals, waits, walls, connections = [], [], [], []
            for call in calls:
                store.hold_times.clear()
                t0 = time.perf_counter()
                call()
                walls.append((time.perf_counter() - t0) * 1000)
                holds = list(store.hold_times)  # the store records each hold of the file
                totals.append(sum(h.held for h in holds) * 1000)
                waits.append(sum(h.waited for h in holds) * 1000)
                connections.append(len(holds))
            operations[name] = {
                **summary(totals), "connections": max(connections),
                "waited_median_ms": round(statistics.median(waits), 3),
                "wall_median_ms": round(statistics.median(walls), 3)}

        saved, _ = save_scenario(store, model, scenario(), "bench")
        row = store.get_saved(saved.id)

        def insert() -> Callable[[], object]:
            new = {**row, "id": new_id(), "owner_token_hash": token_hash}
            ids.append(new["id"])
            return lambda: store.insert_saved(new)

        ids: list[str] = []
        for _ in range(background):
            insert()()
        background_ids = list(ids)
        ids.clear()

        measure("save_scenario", [lambda: save_scenario(store, model, scenario(), "bench")
                                  for _ in range(repeat)])
        measure("current_version", [store.current_version] * repeat)
        measure("dataset", [store.dataset] * repeat)
        measure("baseline", [store.baseline] * repeat)
        measure("sources", [store.sources] * repeat)
        measure("insert_saved", [insert() for _ in range(repeat)])
        measure("get_saved", [lambda i=i: store.get_saved(i) for i in background_ids[:repeat]])
        measure("list_saved", [store.list_saved] * repeat)
        measure("delete_saved", [lambda i=i: _expect(store.delete_saved(i, token_hash), True)
                                 for i in ids])
        measure("load_dataset_unchanged",
                [lambda: _expect(store.load_dataset(source).status, "unchanged")] * repeat)
        copies = [_new_version(source, folder, n) for n in range(versions)]
        measure("load_dataset_new_version",
                [lambda c=c: _expect(store.load_dataset(c).status, "loaded") for c in copies])
    return {"measured_by": "store.hold_times (open to close of the file, per operation)",
            "database": f"bundled data, then {background} saved scenarios (new file)",
            "operations": operations}


def _expect(got: object, wanted: object) -> None:
    """Stop the bench when an operation did not do what it was timed for."""
    if got != wanted:
        raise RuntimeError(f"expected {wanted!r} from the store, got {got!r}")
