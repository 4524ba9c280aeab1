"""Publishing code run in other processes by ``test_publish.py`` (started from the preloaded
fork server, ``cli_processes.start_printing``; or by hand, ``python -m`` this module).

``loop ADDRESS``: publish a new version forever (the current overall DTI of 2022 nudged by a step
each time), printing ``fitted <i>`` when the check passed (the write comes next) and
``published <i> <version>`` after each commit.

``stall ADDRESS``: publish one new version, but stop for a minute inside the write transaction,
after most tables were written, printing ``writing <version>`` there.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

import pandas as pd

from planner.dataset import Dataset
from planner.store import open_store


def nudged(dataset: Dataset, i: int) -> Dataset:
    """The dataset with Quảng Ninh's observed 2022 overall DTI changed by ``i`` ten-thousandths."""
    obs = dataset.observations.copy()
    row = ((obs["indicator"] == "dti_overall") & (obs["geography"] == "Quảng Ninh")
           & (obs["year"] == 2022) & (obs["kind"] == "observed"))
    assert row.sum() == 1
    obs.loc[row, "value"] = round(0.5 + (i % 4000) / 10_000, 4)
    return replace(dataset, observations=pd.DataFrame(obs))


def loop(db: str) -> None:
    store = open_store(db, seed=False, lock_timeout=60)
    base = store.dataset()
    current = base.version
    print("ready", flush=True)
    i = 0
    while True:
        n = i

        def check(dataset: Dataset, n: int = n) -> None:
            print(f"fitted {n}", flush=True)

        report = store.publish(nudged(base, i), f"loop {i}", f"note {i}", check=check,
                               base=current)
        print(f"published {i} {report.version}", flush=True)
        current = report.version
        i += 1


def stall(db: str) -> None:
    store = open_store(db, seed=False, lock_timeout=60)
    backend = type(store)
    original = backend._insert_frame

    def slow(con, name: str, frame: pd.DataFrame, version: str) -> None:  # type: ignore[no-untyped-def]
        if name == "links":  # after units .. levers and models were written
            print(f"writing {version}", flush=True)
            time.sleep(60)
        original(con, name, frame, version)

    backend._insert_frame = staticmethod(slow)  # type: ignore[method-assign]
    current = store.dataset()
    store.publish(nudged(current, 1), "stalled", check=None, base=current.version)


if __name__ == "__main__":
    {"loop": loop, "stall": stall}[sys.argv[1]](sys.argv[2])
