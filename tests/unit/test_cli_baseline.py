"""The command line: db upgrade/status, baseline, sources, errors and command registration."""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner import cli
from planner.cli import CommandError, data
from planner.config import REPO_ROOT
from planner.dataset import read_data_dir
from planner.migrations import latest_version
from planner.store import BASELINE_COLUMNS, DuckDBStore
from tests.fit_cache import one_fit_per_dataset


@pytest.fixture(scope="module", autouse=True)
def one_fit() -> Iterator[None]:
    """Each dataset's model fitted once a day for this module's commands (``tests/fit_cache.py``)."""
    with one_fit_per_dataset():
        yield


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_db_path: Path, small_data_dir: Path) -> str:
    """A database loaded with the small dataset (the model does not cover it: no check)."""
    DuckDBStore(tmp_db_path).load_dataset(small_data_dir, check=None)
    return str(tmp_db_path)


# -- db -----------------------------------------------------------------------------------------


def test_db_upgrade_loads_then_reports_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_db_path: Path, data_dir: Path
) -> None:
    code, out, err = run(capsys, "--db", str(tmp_db_path), "db", "upgrade", "--data-dir", str(data_dir))
    version = DuckDBStore(tmp_db_path).current_version()
    rows = sum(read_data_dir(data_dir).row_counts().values())
    assert (code, err) == (0, "")
    assert "applied migration(s) 1" in out
    assert f"dataset {version}: loaded ({rows} rows)" in out
    code, out, err = run(capsys, "--db", str(tmp_db_path), "db", "upgrade", "--data-dir", str(data_dir))
    assert (code, out, err) == (0, f"dataset {version}: unchanged\n", "")


def test_db_upgrade_with_bad_data_names_file_line_and_column(
    capsys: pytest.CaptureFixture[str], db: str, small_data_dir: Path
) -> None:
    path = small_data_dir / "observations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("0.7024", "abc"), encoding="utf-8")
    before = DuckDBStore(db).current_version()
    code, out, err = run(capsys, "--db", db, "db", "upgrade", "--data-dir", str(small_data_dir))
    assert code == 1
    assert out == ""
    assert err == "error: observations.csv, line 3, column value: 'abc' is not a number\n"
    assert DuckDBStore(db).current_version() == before


def test_db_status_shows_versions(capsys: pytest.CaptureFixture[str], db: str, small_data_dir: Path) -> None:
    version = DuckDBStore(db).current_version()
    code, out, err = run(capsys, "--db", db, "db", "status", "--data-dir", str(small_data_dir))
    assert (code, err) == (0, "")
    assert f"schema version: {latest_version()}\n" in out
    assert f"current dataset: {version}" in out
    assert "loaded and current" in out
    assert "observations=9" in out


# -- baseline -----------------------------------------------------------------------------------


def test_baseline_csv(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, err = run(capsys, "--db", db, "baseline")
    assert (code, err) == (0, "")
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert tuple(frame.columns) == BASELINE_COLUMNS
    assert len(frame) == 9
    assert "DTI năm 2021 đạt 0,6512" in set(frame["quote"])
    assert out.splitlines()[0] == ",".join(BASELINE_COLUMNS)


def test_baseline_json(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, err = run(capsys, "--db", db, "baseline", "--format", "json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert isinstance(rows, list) and len(rows) == 9
    assert all(list(row) == list(BASELINE_COLUMNS) for row in rows)
    first = rows[0]
    assert isinstance(first["year"], int)
    assert isinstance(first["value"], float)
    assert "Quảng Ninh" in out, "JSON keeps Vietnamese text readable"


def test_baseline_for_one_indicator(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, _ = run(capsys, "--db", db, "baseline", "--indicator", "dti_overall_rank", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["indicator"], r["year"], r["unit"]) for r in rows] == [
        ("dti_overall_rank", 2022, "rank_of_63"),
        ("dti_overall_rank", 2025, "rank_of_34"),
    ]


def test_baseline_unknown_indicator_is_an_error(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, err = run(capsys, "--db", db, "baseline", "--indicator", "nope")
    assert code != 0
    assert out == ""
    assert err.startswith("error: unknown indicator 'nope'")
    assert len(err.splitlines()) == 1


def test_baseline_of_an_older_version(capsys: pytest.CaptureFixture[str], db: str, small_data_dir: Path) -> None:
    old = DuckDBStore(db).current_version()
    path = small_data_dir / "observations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("0.7024", "0.7031"), encoding="utf-8")
    DuckDBStore(db).load_dataset(small_data_dir, check=None)
    _, out, _ = run(capsys, "--db", db, "baseline", "--indicator", "dti_overall", "--dataset-version", old)
    assert "0.7024" in out and "0.7031" not in out
    code, _, err = run(capsys, "--db", db, "baseline", "--dataset-version", "feedfeedfeedfeed")
    assert code == 1
    assert "dataset version 'feedfeedfeedfeed' is not in" in err


def test_baseline_on_a_new_database_loads_the_bundled_data_first(
    capsys: pytest.CaptureFixture[str], tmp_db_path: Path, data_dir: Path
) -> None:
    code, out, err = run(capsys, "--db", str(tmp_db_path), "baseline")
    assert (code, err) == (0, "")
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert len(frame) == len(read_data_dir(data_dir).observations)
    assert DuckDBStore(tmp_db_path).current_version() == read_data_dir(data_dir).version


def test_baseline_on_a_new_database_without_bundled_data_says_why(
    capsys: pytest.CaptureFixture[str], tmp_db_path: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "nowhere"))
    code, out, err = run(capsys, "--db", str(tmp_db_path), "baseline")
    assert (code, out) == (1, "")
    assert "no dataset is loaded" in err
    assert "could not be loaded" in err and "data folder not found" in err
    assert "python -m planner db upgrade" in err


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, err = run(capsys, "--db", db, "baseline", "--format", "xml")
    assert code == 2
    assert out == ""
    assert "invalid choice: 'xml'" in err
    assert run(capsys)[0] == 2
    assert run(capsys, "frobnicate")[0] == 2


# -- sources ------------------------------------------------------------------------------------


def test_sources_csv_counts(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, err = run(capsys, "--db", db, "sources")
    assert (code, err) == (0, "")
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert list(frame.columns) == ["id", "kind", "title", "publisher", "date", "address", "n_values"]
    assert dict(zip(frame["id"], frame["n_values"], strict=True)) == {
        "000_b19f354a6a4d82ea.txt": 5,
        "mic_dti_2022": 4,
        "unused_source": 0,
    }


def test_sources_json(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, _ = run(capsys, "--db", db, "sources", "--format", "json")
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["mic_dti_2022"]["n_values"] == 4
    assert rows["mic_dti_2022"]["publisher"] == "Bộ Thông tin và Truyền thông"


def test_json_turns_missing_values_into_null() -> None:
    frame = pd.DataFrame(
        {
            "a": [1.5, np.nan],
            "b": pd.array([1, None], dtype="Int64"),
            "c": ["x", None],
            "d": np.array([3, 4], dtype="int64"),
        }
    )
    out = io.StringIO()
    cli.write_frame(frame, "json", out)
    assert json.loads(out.getvalue()) == [
        {"a": 1.5, "b": 1, "c": "x", "d": 3},
        {"a": None, "b": None, "c": None, "d": 4},
    ]
    assert "NaN" not in out.getvalue()


# -- the environment and a real process ---------------------------------------------------------


def _python_m_planner(*argv: str, db: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLANNER_DB": db, "PYTHONIOENCODING": "utf-8"}
    env.pop("PLANNER_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "planner", *argv],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_python_m_planner_uses_planner_db(db: str) -> None:
    done = _python_m_planner("baseline", "--indicator", "dti_overall", db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ",".join(BASELINE_COLUMNS)
    assert len(done.stdout.splitlines()) == 1 + 3


def test_python_m_planner_errors_without_traceback(db: str) -> None:
    done = _python_m_planner("baseline", "--indicator", "nope", db=db)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"error: unknown indicator 'nope' (not in dataset {DuckDBStore(db).current_version()})\n"
    assert "Traceback" not in done.stderr


# -- registering commands -----------------------------------------------------------------------


def test_every_command_group_is_registered(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    listed = out.split("positional arguments:")[1].split("options:")[0]
    commands = {line.split()[0] for line in listed.splitlines()[2:] if line.strip()}
    assert commands == {"levers", "project", "goalseek", "backtest", "scenario", "db",
                        "baseline", "sources", "export"}


def test_command_groups_are_imported_by_name_not_loaded_dynamically() -> None:
    cli_main = importlib.import_module("planner.cli.main")  # the module, not cli.main

    source = Path(cli_main.__file__).read_text(encoding="utf-8")
    assert "importlib" not in source and "__import__" not in source
    assert cli.build_parser().parse_args(["sources"]).func is data.run_sources


def test_a_command_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_main = importlib.import_module("planner.cli.main")  # the module, not cli.main

    def run_hello(args):
        if args.name == "bad":
            raise CommandError("no greeting for bad")
        print("hello", args.name)
        return 0

    def register(subparsers):
        parser = subparsers.add_parser("hello", help="say hello")
        parser.add_argument("name")
        parser.set_defaults(func=run_hello)

    monkeypatch.setattr(cli_main, "COMMAND_GROUPS", (*cli_main.COMMAND_GROUPS, register))
    assert run(capsys, "hello", "Hạ Long") == (0, "hello Hạ Long\n", "")
    assert run(capsys, "hello", "bad") == (1, "", "error: no greeting for bad\n")


def test_an_unexpected_failure_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    def boom(self: DuckDBStore, version: str | None = None) -> pd.DataFrame:
        raise ZeroDivisionError("division by zero")

    monkeypatch.delenv("PLANNER_DEBUG", raising=False)
    monkeypatch.setattr(DuckDBStore, "sources", boom)
    assert run(capsys, "--db", db, "sources") == (1, "", "error: unexpected ZeroDivisionError: division by zero\n")
