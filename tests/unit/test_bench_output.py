"""``python -m bench`` prints its JSON alone: nothing else on standard output or error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench  # -m "not bench" leaves these out of a quick run

REPO = Path(__file__).resolve().parents[2]
QUICK_SUITES = ("engine", "app", "store_holds")
"""Every suite but the browser ones and ``store_writers`` (32 processes) (AppTest's warnings
and DuckDB's exit lines came from these); those run in ``make bench``."""


def _bench(db: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PLANNER_DB=str(db))
    return subprocess.run([sys.executable, "-m", "bench", *argv], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def test_quick_bench_prints_json_alone(loaded_db: Path) -> None:
    done = _bench(loaded_db, "--quick", "--only", *QUICK_SUITES)
    assert done.stderr == ""
    assert done.returncode == 0
    doc = json.loads(done.stdout)
    assert set(QUICK_SUITES) <= set(doc)
    assert all("error" not in doc[name] for name in QUICK_SUITES)
    assert doc["app"]["fragment_rerun"]["runs"] >= 1
    holds = doc["store_holds"]["operations"]
    for op in ("current_version", "dataset", "baseline", "sources", "insert_saved", "get_saved",
               "list_saved", "delete_saved", "load_dataset_unchanged",
               "load_dataset_new_version"):
        assert holds[op]["median_ms"] > 0, op
        assert holds[op]["connections"] >= 1, op


def test_a_failing_suite_says_so_and_exits_non_zero(tmp_path: Path) -> None:
    broken = tmp_path / "planner.duckdb"
    broken.write_bytes(b"not a database")
    done = _bench(broken, "--quick", "--only", "engine")
    assert done.returncode == 1
    assert "engine" in json.loads(done.stdout)
    assert json.loads(done.stdout)["engine"]["error"]
    assert done.stderr.strip()
