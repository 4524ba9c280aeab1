"""Several processes start at once on a new database (a DuckDB file, an empty PostgreSQL
database): the schema is made and the bundled data loaded once, and every one of them gets the
data."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from planner.dataset import read_data_dir
from planner.migrations import latest_version
from planner.store import Store
from tests.reliability.cli_processes import run_at_once, without_wait_notices

pytestmark = pytest.mark.reliability

PROCESSES = 8


def test_processes_starting_together_on_a_new_database_load_the_data_once(
    new_database: Callable[[str | None], str], open_stores: Callable[..., Store], data_dir: Path,
    store_backend: str, tmp_path: Path
) -> None:
    address = (str(tmp_path / "new" / "planner.duckdb") if store_backend == "duckdb"
               else new_database(None))  # a file in a folder not made yet
    commands = [["--db", address, "baseline", "--indicator", "dti_overall"]
                for _ in range(PROCESSES)]
    results = run_at_once(commands, timeout=100)
    assert [(code, without_wait_notices(err)) for _, code, _, err in results] == [
        (0, "")] * PROCESSES
    expected = read_data_dir(data_dir)
    frames = [pd.read_csv(io.StringIO(out), keep_default_na=False) for _, _, out, _ in results]
    for frame in frames:
        assert len(frame) == (expected.observations["indicator"] == "dti_overall").sum()
    store = open_stores(address)
    versions = store.dataset_versions()
    assert [v["version"] for v in versions] == [expected.version]
    assert [e["action"] for e in store.publish_log()] == ["load"]
    with store.connect() as con:
        applied = con.execute("SELECT version FROM schema_migrations").fetchall()
    assert sorted(v for (v,) in applied) == list(range(1, latest_version() + 1))
