"""The ``export`` command: through a parser built here with its ``register``, and once through
the real entry point (``python -m planner export``) in a subprocess."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator

import openpyxl
import pandas as pd
import pytest

from planner import saved as sv
from planner.config import REPO_ROOT
from planner.engine import load_model
from planner.export import cli
from planner.export.images import available
from tests.fit_cache import one_fit_per_dataset
from tests.needs import missing
from tests.saved_support import copy_db


@pytest.fixture(scope="module", autouse=True)
def one_fit() -> Iterator[None]:
    """Each dataset's model fitted once a day for this module's commands (``tests/fit_cache.py``)."""
    with one_fit_per_dataset():
        yield


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="planner")
    parser.add_argument("--db")
    cli.register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(list(argv))


@pytest.fixture
def db(loaded_db, tmp_path):
    copy_db(loaded_db, tmp_path / "copy.duckdb")
    return str(tmp_path / "copy.duckdb")


def test_export_xlsx_with_set(db, tmp_path, capsys):
    out = tmp_path / "b.xlsx"
    args = parse("--db", db, "export", "--format", "xlsx", "--set", "cashless@2027=60",
                 "--lang", "en", "--out", str(out))
    assert args.func(args) == 0
    assert str(out) in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    settings = list(book["Settings"].iter_rows(min_row=2, values_only=True))
    assert settings[0][2:4] == (2027, 60)


def test_export_csv_of_a_saved_scenario_is_its_snapshot(db, tmp_path):
    from planner.store import DuckDBStore

    store = DuckDBStore(db)
    saved, _ = sv.save_scenario(store, load_model(store), {}, "=cmd|' /C calc'!A0", draws=200)
    out = tmp_path / "o.csv"
    args = parse("--db", db, "export", "--format", "csv", "--scenario", saved.id,
                 "--out", str(out))
    cli.run(args)
    frame = pd.read_csv(out, encoding="utf-8-sig")
    stored, _ = sv.snapshot_frames(saved.snapshot)
    got = frame.set_index(["indicator", "year"])["value"].sort_index()
    want = stored.set_index(["indicator", "year"])["value"].sort_index()
    assert got.index.equals(want.index)
    assert got.tolist() == pytest.approx(want.tolist(), rel=1e-12)
    assert set(frame["scenario"]) == {"'=cmd|' /C calc'!A0"}


def test_bad_input_raises_and_writes_nothing(db, tmp_path):
    out = tmp_path / "x.pdf"
    with pytest.raises(cli.ExportError, match="invalid scenario:\n.*nope"):
        cli.run(parse("--db", db, "export", "--format", "pdf", "--set", "nope@2027=1",
                      "--out", str(out)))
    # the years that have begun cannot be set: 2025 is in the past on 2026-11-27
    with pytest.raises(cli.ExportError, match="2027, 2030"):
        cli.run(parse("--db", db, "export", "--format", "pdf", "--set", "cashless@2025=60",
                      "--out", str(out)))
    with pytest.raises(cli.ExportError, match="cannot take --set"):
        cli.run(parse("--db", db, "export", "--format", "pdf", "--scenario", "baseline",
                      "--set", "cashless@2027=60", "--out", str(out)))
    with pytest.raises(cli.ExportError, match="zzzz"):
        cli.run(parse("--db", db, "export", "--format", "pdf", "--scenario", "zzzz",
                      "--out", str(out)))
    with pytest.raises(cli.ExportError, match="--indicator goes with"):
        cli.run(parse("--db", db, "export", "--format", "pdf", "--indicator", "dti_overall",
                      "--out", str(out)))
    assert not out.exists()
    with pytest.raises(SystemExit):
        parse("export", "--format", "docx", "--out", str(out))


def test_export_one_chart_and_a_zip_of_charts(db, tmp_path):
    if not available():
        missing("Chromium for chart images", "apt-get install chromium; .ci/run installs it")
    one = tmp_path / "de.svg"
    cli.run(parse("--db", db, "export", "--format", "svg", "--indicator",
                  "digital_economy_share_grdp", "--out", str(one)))
    svg = one.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Tỷ trọng kinh tế số trong GRDP" in svg
    many = tmp_path / "charts.zip"
    cli.run(parse("--db", db, "export", "--format", "png", "--out", str(many)))
    with zipfile.ZipFile(io.BytesIO(many.read_bytes())) as zf:
        names = zf.namelist()
        # every outcome (no pillar rank on these data: their evidence is too thin)
        assert "dti_overall.png" in names and len(names) == 10
        assert "dti_digital_society_rank.png" not in names
        assert zf.read("dti_overall.png").startswith(b"\x89PNG")


def test_help_names_the_years_that_can_be_set(capsys):
    with pytest.raises(SystemExit):
        parse("export", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "2027 or 2030" in text and "2025" not in text


def test_python_m_planner_export_through_the_real_entry_point(db, tmp_path):
    """``python -m planner export``: listed in the help, writes a workbook, and a bad setting
    is one line on stderr with exit code 1 and no file."""
    env = {**os.environ, "PLANNER_DB": db, "PYTHONIOENCODING": "utf-8"}
    env.pop("PLANNER_DEBUG", None)

    def planner(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "planner", *argv], cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=180,
                              check=False)

    out = tmp_path / "brief.xlsx"
    done = planner("export", "--format", "xlsx", "--set", "cashless@2027=60", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["Thông tin", "Kết quả"]
    assert list(book["Thiết lập"].iter_rows(min_row=2, values_only=True))[0][2:4] == (2027, 60)
    bad = tmp_path / "bad.pdf"
    failed = planner("export", "--format", "pdf", "--set", "cashless@2025=60", "--out", str(bad))
    assert failed.returncode == 1 and failed.stdout == ""
    assert failed.stderr.startswith("error: invalid scenario:") and "Traceback" not in failed.stderr
    assert not bad.exists()
