"""Several processes start at once on a new database file: the schema is made and the bundled
data loaded once, and every one of them gets the data."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from planner.dataset import read_data_dir
from planner.store import DuckDBStore
from tests.reliability.cli_processes import run_at_once, without_wait_notices

pytestmark = pytest.mark.reliability

PROCESSES = 8


def test_processes_starting_together_on_a_new_file_load_the_data_once(
    tmp_path: Path, data_dir: Path
) -> None:
    path = tmp_path / "new" / "planner.duckdb"
    commands = [["--db", str(path), "baseline", "--indicator", "dti_overall"]
                for _ in range(PROCESSES)]
    results = run_at_once(commands, timeout=100)
    assert [(code, without_wait_notices(err)) for _, code, _, err in results] == [
        (0, "")] * PROCESSES
    expected = read_data_dir(data_dir)
    frames = [pd.read_csv(io.StringIO(out), keep_default_na=False) for _, _, out, _ in results]
    for frame in frames:
        assert len(frame) == (expected.observations["indicator"] == "dti_overall").sum()
    versions = DuckDBStore(path).dataset_versions()
    assert [v["version"] for v in versions] == [expected.version]
