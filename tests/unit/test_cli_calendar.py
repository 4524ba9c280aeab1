"""The command line on any day from 2026 to 2036 (a real database, the real data): levers,
project, scenario and backtest work on each day; once no year is left to set, a setting is
refused in words and ``levers`` says so; a scenario saved before still shows and exports."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from planner.cli import main
from planner.horizon import TODAY_ENV, settable_years
from tests.fit_cache import one_fit_per_dataset


@pytest.fixture(scope="module", autouse=True)
def one_fit() -> Iterator[None]:
    """Each dataset's model fitted once a day for this module's commands (``tests/fit_cache.py``)."""
    with one_fit_per_dataset():
        yield

REPO = Path(__file__).resolve().parents[2]

DAYS = ("2026-12-31", "2027-01-01", "2029-12-31", "2030-01-01", "2030-12-31", "2031-01-01",
        "2033-07-15", "2036-12-31")
"""Year boundaries around the horizon's end and days long after it."""


@pytest.fixture(scope="module")
def db(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's database (these tests save scenarios into it)."""
    path = tmp_path_factory.mktemp("cli_calendar") / "planner.duckdb"
    shutil.copyfile(loaded_db, path)
    return path


def run(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def old_saved(db: Path) -> str:
    """A scenario saved on 2026-11-27, setting 2027 and 2030: its id."""
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
        patch.setenv(TODAY_ENV, "2026-11-27")
        code = main(["--db", str(db), "scenario", "save", "--name", "saved in 2026",
                     "--set", "cashless@2027=60", "--set", "ecommerce@2030=70",
                     "--draws", "200"])
    assert code == 0
    return json.loads(out.getvalue())["id"]


@pytest.mark.parametrize("day", DAYS)
def test_levers_and_project_work_on_the_day(capsys, db, day, monkeypatch):
    monkeypatch.setenv(TODAY_ENV, day)
    code, out, err = run(capsys, db, "levers", "--format", "json")
    assert code == 0, err
    levers = json.loads(out)
    years = list(settable_years())
    assert all(lv["settable_years"] == years for lv in levers)
    assert all(f"baseline_{y}" in lv for lv in levers for y in years)
    if years:
        assert "no year is left" not in err
    else:
        assert "no year is left to set" in err  # said in words, not just an empty list
    code, out, err = run(capsys, db, "project", "--format", "json", "--draws", "200")
    assert code == 0, err
    doc = json.loads(out)
    ended = int(day[:4]) - 1
    rows = {(r["indicator"], r["year"]): r for r in doc["outcomes"]}
    assert rows["dti_overall", 2030]["basis"] == ("estimate" if ended >= 2030 else "projection")
    for target in doc["targets"]:
        if target["year"] <= ended:  # an ended year's target is never "on track"
            assert target["status"] not in ("on_track", "at_risk", "off_track")


@pytest.mark.parametrize("day", ["2030-01-01", "2031-01-01", "2036-12-31"])
def test_a_setting_once_no_year_is_left_is_refused_in_words(capsys, db, day, monkeypatch):
    """Before: "(only  can be set)", an empty list of years."""
    monkeypatch.setenv(TODAY_ENV, day)
    code, out, err = run(capsys, db, "project", "--set", "online_filing@2030=90")
    assert code == 1 and out == ""
    assert "2030 cannot be set: the plan's last year (2030) has begun, so no year is left to set" in err
    assert "only  can" not in err and "()" not in err
    code, out, _ = run(capsys, db, "project", "--help")
    assert "none is left: 2030, the plan's last year, has begun" in " ".join(out.split())


@pytest.mark.parametrize("day", ["2027-01-01", "2030-06-01", "2036-12-31"])
def test_scenarios_and_backtest_on_the_day(capsys, db, old_saved, day, monkeypatch, tmp_path):
    monkeypatch.setenv(TODAY_ENV, day)
    code, out, err = run(capsys, db, "scenario", "save", "--name", f"saved on {day}",
                         "--draws", "200")
    assert code == 0, err
    new_id = json.loads(out)["id"]
    for sid in (old_saved, new_id, "plan_targets"):
        code, out, err = run(capsys, db, "scenario", "show", sid, "--format", "json")
        assert code == 0, err
        assert json.loads(out)["outcomes"]
    code, out, err = run(capsys, db, "scenario", "list", "--format", "json")
    assert code == 0, err
    assert {old_saved, new_id} <= {r["id"] for r in json.loads(out)["scenarios"]}
    code, out, err = run(capsys, db, "backtest", "--format", "json")
    assert code == 0 and json.loads(out), err
    book = tmp_path / "old.xlsx"
    code, _, err = run(capsys, db, "export", "--format", "xlsx", "--scenario", old_saved,
                       "--lang", "en", "--out", str(book))
    assert code == 0, err
    sheets = openpyxl.load_workbook(book)
    rows = sheets["Settings"].iter_rows(min_row=2, values_only=True)
    # the settings exactly as saved, the ended years included: (year, value)
    assert {(r[2], r[3]) for r in rows} >= {(2027, 60), (2030, 70)}


def test_the_command_line_starts_on_a_day_after_the_horizon() -> None:
    """A fresh process on 2031-01-01 (no module may fix the date when imported): the help
    lists the commands and a setting is refused in words."""
    env = {**os.environ, TODAY_ENV: "2031-01-01"}
    done = subprocess.run([sys.executable, "-m", "planner", "project", "--help"], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "none is left: 2030" in " ".join(done.stdout.split())


@pytest.mark.parametrize("day", ["2030-06-01", "2031-01-01"])
def test_exports_on_the_day_headline_the_years_of_the_day(db, day, monkeypatch):
    """The slides, paper, workbook and CSV of the baseline are made on the day, their
    headline targets those of the day's headline years (2030's at least)."""
    from planner.engine import load_model
    from planner.export import render
    from planner.export.bundle import from_model
    from planner.horizon import headline_years
    from planner.scenario import BASELINE
    from planner.store import DuckDBStore

    monkeypatch.setenv(TODAY_ENV, day)
    model = load_model(DuckDBStore(db))
    bundle = from_model(model, BASELINE, "en", draws=200)
    assert bundle.exported_on.isoformat() == day
    assert bundle.headline_years() == headline_years() and 2030 in bundle.headline_years()
    assert set(bundle.headline_targets()["year"]) == {2030}
    for fmt in ("pptx", "pdf", "xlsx", "csv"):
        assert render(bundle, fmt), fmt
