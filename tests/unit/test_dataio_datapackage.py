"""data/datapackage.json: generated from the specs, and it agrees with the validators."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from frictionless import validate

from planner.dataio import datapackage
from planner.dataset import DataValidationError, read_data_dir

BAD_ROWS = {
    "unknown indicator": "nope_indicator,Quảng Ninh,2024,,0.5,index_0_1,observed,"
    "000_b19f354a6a4d82ea.txt,,,,\n",
    "kind not allowed": "dti_overall,Quảng Ninh,2025,,0.5,index_0_1,guess,"
    "000_b19f354a6a4d82ea.txt,,,,\n",
    "not a number": "dti_overall,Quảng Ninh,2025,,abc,index_0_1,observed,"
    "000_b19f354a6a4d82ea.txt,,,,\n",
    "year out of bounds": "dti_overall,Quảng Ninh,1800,,0.5,index_0_1,observed,"
    "000_b19f354a6a4d82ea.txt,,,,\n",
    "empty required cell": "dti_overall,,2025,,0.5,index_0_1,observed,"
    "000_b19f354a6a4d82ea.txt,,,,\n",
}


def test_committed_file_is_the_generated_one(data_dir: Path):
    committed = (data_dir / datapackage.FILENAME).read_text(encoding="utf-8")
    assert committed == datapackage.render(), "run: python -m planner.dataio.datapackage"


def test_check_option(tmp_path: Path, capsys):
    assert datapackage.main(["--data-dir", str(tmp_path), "--check"]) == 1
    assert datapackage.main(["--data-dir", str(tmp_path)]) == 0
    assert datapackage.main(["--data-dir", str(tmp_path), "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_frictionless_finds_the_data_valid(data_dir: Path):
    report = validate(str(data_dir / datapackage.FILENAME))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:5]


@pytest.mark.parametrize("what", sorted(BAD_ROWS))
def test_a_row_the_validators_reject_is_rejected_too(tmp_path: Path, data_dir: Path, what):
    folder = tmp_path / "data"
    shutil.copytree(data_dir, folder)
    with (folder / "observations.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(BAD_ROWS[what])
    with pytest.raises(DataValidationError):
        read_data_dir(folder)
    report = validate(str(folder / datapackage.FILENAME))
    assert not report.valid


def test_a_duplicate_key_is_rejected_by_both(tmp_path: Path, data_dir: Path):
    folder = tmp_path / "data"
    shutil.copytree(data_dir, folder)
    lines = (folder / "observations.csv").read_text(encoding="utf-8").splitlines()
    with (folder / "observations.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(lines[1] + "\n")
    with pytest.raises(DataValidationError, match="duplicate key"):
        read_data_dir(folder)
    errors = validate(str(folder / datapackage.FILENAME)).flatten(["type"])
    assert ["primary-key"] in errors
