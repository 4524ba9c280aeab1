"""``db upgrade`` and ``db status`` against data the model cannot fit and damaged files; the
database address of every command (``--db``, ``PLANNER_DB``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner import cli
from planner.config import REPO_ROOT
from planner.store import DuckDBStore


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_db_upgrade_refuses_data_the_model_cannot_fit(
    loaded_db: Path, data_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "planner.duckdb"
    shutil.copyfile(loaded_db, db)
    before = DuckDBStore(db).current_version()
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    observations = copy / "observations.csv"
    lines = observations.read_text(encoding="utf-8").splitlines(keepends=True)
    observations.write_text(
        "".join(line for line in lines if not line.startswith("online_filing_rate,")),
        encoding="utf-8", newline="")
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--db", str(db), "db", "upgrade", "--data-dir", str(copy)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert done.returncode == 1, done.stdout
    assert done.stdout == ""
    assert done.stderr.startswith("error: dataset ")
    assert "the model cannot be fitted on it: online_filing_rate: " in done.stderr
    assert f"The database keeps dataset {before}." in done.stderr
    assert DuckDBStore(db).current_version() == before
    assert len(DuckDBStore(db).dataset_versions()) == 1


@pytest.mark.parametrize("cut", ["half", "tail"])
@pytest.mark.parametrize("command", [["db", "status"], ["db", "upgrade"]])
def test_db_commands_on_a_truncated_file_fail_clearly(
    capsys: pytest.CaptureFixture[str], loaded_db: Path, tmp_path: Path, command: list[str],
    cut: str,
) -> None:
    """Cut to half the file, or all but its last 2 MiB (tables the commands used to skip)."""
    db = tmp_path / "cut.duckdb"
    shutil.copyfile(loaded_db, db)
    size = db.stat().st_size
    os.truncate(db, size // 2 if cut == "half" else size - 2 * 1024 * 1024)
    code, out, err = run(capsys, "--db", str(db), *command)
    assert code == 1
    assert out == ""
    assert err.startswith(f"error: the database {db} is damaged (")
    assert "restore it from a backup" in err


def test_db_status_on_a_sound_file_checks_it_and_passes(
    capsys: pytest.CaptureFixture[str], loaded_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "sound.duckdb"
    shutil.copyfile(loaded_db, db)
    code, out, err = run(capsys, "--db", str(db), "db", "status")
    assert (code, err) == (0, "")
    assert "current dataset: " in out


def test_a_postgresql_server_that_does_not_answer_is_one_line_without_the_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLANNER_DB", f"postgresql://planner:pw-9x@/planner?host={tmp_path}")
    code, out, err = run(capsys, "sources")
    assert (code, out) == (1, "")
    assert err.startswith(f"error: the database server of postgresql://planner@/planner?host="
                          f"{tmp_path} cannot be reached")
    assert err.count("\n") == 1 and "pw-9x" not in err


def test_a_bad_postgresql_address_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", "postgresql://planner:pw-9x@db:5x/planner", "sources")
    assert (code, out) == (1, "")
    assert err.startswith("error: the database address in PLANNER_DB (or --db) has the port")
    assert "pw-9x" not in err


def test_a_duckdb_address_in_planner_db_is_used(
    capsys: pytest.CaptureFixture[str], loaded_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_DB", f"duckdb://{loaded_db}")
    code, out, err = run(capsys, "db", "status")
    assert (code, err) == (0, "")
    assert f"database: {loaded_db}\n" in out
