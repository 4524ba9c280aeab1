"""CSV output a spreadsheet opens as text: user text never runs as a formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.cli import main
from planner.csvsafe import FORMULA_STARTS, safe_cell, write_csv
from tests.saved_support import copy_db

ATTACKS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3+cmd|' /C calc'!A0",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_text_becomes_text(text) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-0.5", "+3", "1e-05", "-7", -0.5, 3, 0.004, None, "Hạ Long",
                                   "<b>x</b>", "a=b", ""])
def test_numbers_and_plain_text_stay_as_they_are(value) -> None:
    assert safe_cell(value) == value


@given(st.text(max_size=20))
def test_no_safe_cell_starts_a_formula(text) -> None:
    out = safe_cell(text)
    assert not out.startswith(FORMULA_STARTS) or out == text and float(text) == float(text)


def test_write_csv_keeps_numbers_and_quotes_text() -> None:
    frame = pd.DataFrame({"name": ["=1+1", "ok"], "value": [-0.5, 2.0], "note": ["-x", "-1.5"]})
    buf = io.StringIO()
    write_csv(frame, buf)
    assert buf.getvalue() == "name,value,note\n'=1+1,-0.5,'-x\nok,2.0,-1.5\n"


@pytest.fixture
def db(loaded_db: Path, tmp_path: Path) -> Path:
    """A private copy of the loaded database; its path."""
    return copy_db(loaded_db, tmp_path / "csv.duckdb").path


def run(capsys, db, *args):
    code = main(["--db", str(db), *args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1)"])
def test_scenario_list_and_show_write_names_as_text(capsys, db, name) -> None:
    saved = json.loads(run(capsys, db, "scenario", "save", "--name", name, "--note=-note",
                           "--set", "online_filing@2027=90", "--draws", "10"))
    rows = list(csv.DictReader(io.StringIO(run(capsys, db, "scenario", "list"))))
    assert rows[0]["name"] == "'" + name
    shown = run(capsys, db, "scenario", "show", saved["id"])
    meta, _, rest = shown.partition("\n# outcomes\n")
    fields = dict(csv.reader(io.StringIO(meta)))
    assert fields["name"] == "'" + name and fields["note"] == "'-note"
    assert fields["draws"] == "10"
    outcomes = list(csv.DictReader(io.StringIO(rest.partition("\n# targets\n")[0])))
    # numbers stay numbers, negative ones included
    assert all(not r["value"].startswith("'") for r in outcomes)
    # JSON keeps the name exactly as saved
    doc = json.loads(run(capsys, db, "scenario", "show", saved["id"], "--format", "json"))
    assert doc["name"] == name


def test_baseline_csv_has_no_formula_cells(capsys, db) -> None:
    out = run(capsys, db, "baseline")
    for row in csv.reader(io.StringIO(out)):
        for cell in row:
            assert not cell.startswith(("=", "@", "\t", "\r")), cell
            if cell.startswith(("+", "-")):
                float(cell)
