"""Reading and validating the data files (planner.dataset, planner.validation)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from planner.dataio.canonical import canonical_csv, hash_files
from planner.dataset import (
    FILE_NAMES,
    MAX_LISTED_ISSUES,
    Dataset,
    DataValidationError,
    dataset_hash,
    read_data_dir,
    source_ids,
)
from planner.validation import FILE_SPECS

REPO = Path(__file__).resolve().parents[2]


def edit(folder: Path, name: str, old: str, new: str) -> None:
    """Replace one exact piece of text in a data file (it must occur once)."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8", newline="")


def append(folder: Path, name: str, line: str) -> int:
    """Append a row to a data file and return its line number."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8", newline="")
    return text.count("\n") + 1


def validation_error(folder: Path) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        read_data_dir(folder)
    return info.value


# -- a valid folder ---------------------------------------------------------------------------


def test_small_dataset_reads_every_file(small_data_dir: Path) -> None:
    data = read_data_dir(small_data_dir)
    assert isinstance(data, Dataset)
    assert data.row_counts() == {
        "units": 6,
        "sources": 3,
        "indicators": 4,
        "observations": 9,
        "assumptions": 2,
        "levers": 1,
        "models": 2,
        "links": 1,
        "scenarios": 1,
    }
    for name, frame in data.frames().items():
        assert tuple(frame.columns) == FILE_SPECS[name].columns


def test_frames_have_canonical_dtypes_and_empty_text_is_empty_string(small_data_dir: Path) -> None:
    data = read_data_dir(small_data_dir)
    obs = data.observations
    assert obs["year"].dtype == "int64"
    assert obs["value"].dtype == "float64"
    assert obs["note_en"].isna().sum() == 0
    assert (obs["note_en"] == "").sum() == 8
    assert (obs["note_vi"] == "").all()  # a file written before note_vi existed
    units = data.units.set_index("id")
    assert pd.isna(units.loc["elasticity", "min"])
    assert units.loc["percent", "max"] == 100.0
    assert data.indicators["higher_is_better"].dtype == bool
    assert data.indicators.set_index("id").loc["dti_overall_rank", "higher_is_better"] == False  # noqa: E712
    models = data.models.set_index("indicator")
    assert models["anchor_year"].dtype == "Int64"
    assert pd.isna(models.loc["dti_overall", "anchor_year"])
    assert models.loc["digital_economy_share_grdp", "anchor_year"] == 2022


def test_rows_come_in_canonical_order_and_keep_quoted_commas(small_data_dir: Path) -> None:
    data = read_data_dir(small_data_dir)
    obs = data.observations
    keys = list(zip(obs["indicator"], obs["geography"], obs["year"].astype(str), strict=True))
    assert keys == sorted(keys)  # observations by key, whatever the file's order
    first = obs[(obs["indicator"] == "dti_overall") & (obs["year"] == 2021)]
    assert first["quote"].tolist() == ["DTI năm 2021 đạt 0,6512"]
    assert data.models["indicator"].tolist() == ["dti_overall", "digital_economy_share_grdp"]
    assert json.loads(data.scenarios.iloc[0]["settings"]) == {"levers": {}}


def test_rank_indicator_accepts_both_rank_units(small_data_dir: Path) -> None:
    obs = read_data_dir(small_data_dir).observations
    ranks = obs[obs["indicator"] == "dti_overall_rank"]
    assert set(ranks["unit"]) == {"rank_of_63", "rank_of_34"}


def test_text_is_normalised_to_nfc_and_stripped(small_data_dir: Path) -> None:
    decomposed = "Qua\u0309ng Ninh"  # "Quảng Ninh" with a combining hook above
    edit(
        small_data_dir,
        "observations.csv",
        "dti_overall,Quảng Ninh,2021",
        f"dti_overall, {decomposed} ,2021",
    )
    obs = read_data_dir(small_data_dir).observations
    row = obs[(obs["indicator"] == "dti_overall") & (obs["year"] == 2021)]
    assert row["geography"].tolist() == ["Quảng Ninh"]


def test_byte_order_mark_and_crlf_line_ends_are_accepted(small_data_dir: Path) -> None:
    path = small_data_dir / "units.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert len(read_data_dir(small_data_dir).units) == 6


def test_blank_lines_are_skipped_but_counted(small_data_dir: Path) -> None:
    append(small_data_dir, "observations.csv", "")
    line = append(small_data_dir, "observations.csv", "nope,Quảng Ninh,2022,year,1,percent,observed,mic_dti_2022,,,,")
    error = validation_error(small_data_dir)
    assert (error.file, error.row, error.column) == ("observations.csv", line, "indicator")


# -- the content hash -------------------------------------------------------------------------


def test_version_is_the_content_hash(small_data_dir: Path) -> None:
    version = dataset_hash(small_data_dir)
    assert len(version) == 16
    int(version, 16)
    assert read_data_dir(small_data_dir).version == version


def test_hash_definition(small_data_dir: Path) -> None:
    digest = hashlib.sha256()
    for path in sorted(small_data_dir.glob("*.csv")):
        content = canonical_csv(path.name, path.read_bytes())
        digest.update(path.name.encode() + b"\0" + str(len(content)).encode() + b"\0" + content)
    assert dataset_hash(small_data_dir) == digest.hexdigest()[:16]


def test_a_spreadsheet_resave_is_the_same_version(small_data_dir: Path) -> None:
    """A byte-order mark, CRLF line ends and reordered observations change no version."""
    before = read_data_dir(small_data_dir)
    path = small_data_dir / "observations.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    resaved = "\r\n".join([header, *reversed(rows)]) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + resaved.encode("utf-8"))
    after = read_data_dir(small_data_dir)
    assert after.version == before.version == dataset_hash(small_data_dir)
    pd.testing.assert_frame_equal(after.observations, before.observations)


def test_hash_is_stable_and_ignores_timestamps_and_other_files(small_data_dir: Path) -> None:
    before = dataset_hash(small_data_dir)
    (small_data_dir / "README.md").write_text("notes", encoding="utf-8")
    path = small_data_dir / "units.csv"
    path.write_bytes(path.read_bytes())  # new modification time, same bytes
    assert dataset_hash(small_data_dir) == before


def test_hash_changes_when_a_file_changes(small_data_dir: Path) -> None:
    before = dataset_hash(small_data_dir)
    edit(small_data_dir, "observations.csv", "0.7024", "0.7025")
    after = dataset_hash(small_data_dir)
    assert after != before
    edit(small_data_dir, "observations.csv", "0.7025", "0.7024")
    assert dataset_hash(small_data_dir) == before


def test_hash_changes_when_a_csv_file_is_added_or_renamed(small_data_dir: Path) -> None:
    before = dataset_hash(small_data_dir)
    (small_data_dir / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    assert dataset_hash(small_data_dir) != before
    (small_data_dir / "extra.csv").rename(small_data_dir / "other.csv")
    assert dataset_hash(small_data_dir) not in (before, hash_files({"extra.csv": b"a\n1\n"}))


def test_hash_separates_file_boundaries() -> None:
    assert hash_files({"a.csv": b"xy", "b.csv": b""}) != hash_files({"a.csv": b"x", "b.csv": b"y"})


# -- each kind of bad row ---------------------------------------------------------------------

BAD_ROWS = [
    pytest.param(
        "observations.csv",
        "dti_overall,Quảng Ninh,2022,year,0.7024",
        "dti_overal,Quảng Ninh,2022,year,0.7024",
        3,
        "indicator",
        "'dti_overal' is not an indicator in indicators.csv",
        id="unknown-indicator",
    ),
    pytest.param(
        "observations.csv",
        "3,rank_of_63,observed,mic_dti_2022,",
        "3,rank_of_63,observed,,",
        4,
        "source",
        "is empty",
        id="missing-source",
    ),
    pytest.param(
        "observations.csv",
        "3,rank_of_63,observed,mic_dti_2022,",
        "3,rank_of_63,observed,mic_dti_2099,",
        4,
        "source",
        "'mic_dti_2099' is not a source in sources.csv",
        id="unknown-source",
    ),
    pytest.param(
        "observations.csv",
        "0.7024,index_0_1",
        "1.7024,index_0_1",
        3,
        "value",
        "1.7024 is outside the range of unit index_0_1 (0 to 1)",
        id="value-out-of-range",
    ),
    pytest.param(
        "observations.csv",
        "2022,year,60,percent",
        "2022,year,220,percent",
        6,
        "value",
        "220 is outside the range of unit percent (0 to 100)",
        id="percent-out-of-range",
    ),
    pytest.param(
        "observations.csv",
        "2022,year,3,rank_of_63",
        "2022,year,64,rank_of_63",
        4,
        "value",
        "64 is outside the range of unit rank_of_63 (1 to 63)",
        id="rank-out-of-range",
    ),
    pytest.param(
        "observations.csv",
        "0.7024,index_0_1",
        "abc,index_0_1",
        3,
        "value",
        "'abc' is not a number",
        id="malformed-number",
    ),
    pytest.param(
        "observations.csv",
        "0.7024,index_0_1",
        '"0,7024",index_0_1',
        3,
        "value",
        "'0,7024' is not a number",
        id="decimal-comma",
    ),
    pytest.param(
        "observations.csv",
        "0.7024,index_0_1",
        "nan,index_0_1",
        3,
        "value",
        "'nan' is not a finite number",
        id="nan",
    ),
    pytest.param(
        "observations.csv",
        "dti_overall,Quảng Ninh,2022,year,0.7024",
        "dti_overall,Quảng Ninh,2022.5,year,0.7024",
        3,
        "year",
        "'2022.5' is not a whole number",
        id="malformed-year",
    ),
    pytest.param(
        "observations.csv",
        "dti_overall,Quảng Ninh,2022,year,0.7024",
        "dti_overall,Quảng Ninh,2022,year,0.7024,,",
        3,
        None,
        "row has 14 cells, the header has 12",
        id="too-many-cells",
    ),
    pytest.param(
        "observations.csv",
        "3,rank_of_63,observed",
        "3,rank_of_63,measured",
        4,
        "kind",
        "'measured' is not one of",
        id="unknown-kind",
    ),
    pytest.param(
        "observations.csv",
        "2022,year,3,rank_of_63",
        "2022,year,3,percent",
        4,
        "unit",
        "'percent' differs from the unit of indicator dti_overall_rank ('rank_of_63')",
        id="unit-differs-from-indicator",
    ),
    pytest.param(
        "observations.csv",
        "2022,year,3,rank_of_63",
        "2022,year,3,rank_of_10",
        4,
        "unit",
        "'rank_of_10' is not a unit in units.csv",
        id="unknown-unit",
    ),
    pytest.param(
        "observations.csv",
        "2022 value minus the stated increase of 5",
        "",
        8,
        "note_vi",
        "a derived value must write its formula in note_vi or note_en",
        id="derived-without-formula",
    ),
    pytest.param(
        "units.csv",
        "percent,Phần trăm,Percent,0,100,1",
        "percent,Phần trăm,Percent,100,0,1",
        3,
        "max",
        "max 0 is not above min 100",
        id="unit-min-above-max",
    ),
    pytest.param(
        "sources.csv",
        "unused_source,external",
        "unused_source,website",
        4,
        "kind",
        "'website' is not one of",
        id="unknown-source-kind",
    ),
    pytest.param(
        "indicators.csv",
        "percent,digital_government,true",
        "percent,digital_government,sometimes",
        4,
        "higher_is_better",
        "'sometimes' is not true or false",
        id="bad-boolean",
    ),
    pytest.param(
        "indicators.csv",
        "percent,digital_economy,true",
        "percent,economy,true",
        5,
        "pillar",
        "'economy' is not one of",
        id="unknown-pillar",
    ),
    pytest.param(
        "indicators.csv",
        "dti_overall,Chỉ số DTI tổng thể",
        "dti overall,Chỉ số DTI tổng thể",
        2,
        "id",
        "'dti overall' must not contain spaces",
        id="id-with-space",
    ),
    pytest.param(
        "assumptions.csv",
        "0.002,elasticity,0.001,0.004",
        "0.005,elasticity,0.001,0.004",
        2,
        "value",
        "value 0.005 is outside low 0.001 .. high 0.004",
        id="assumption-outside-its-range",
    ),
    pytest.param(
        "assumptions.csv",
        "Seed states about 1.5 points a year",
        "",
        3,
        "rationale_vi",
        "a rationale is required (rationale_vi or rationale_en)",
        id="assumption-without-rationale",
    ),
    pytest.param(
        "assumptions.csv",
        "1.5,pp_per_year",
        "1.5,points",
        3,
        "unit",
        "'points' is not a unit in units.csv",
        id="assumption-unknown-unit",
    ),
    pytest.param(
        "levers.csv",
        "online_filing_rate,online_filing_rate,Tỷ",
        "online_filing_rate,filing,Tỷ",
        2,
        "indicator",
        "'filing' is not an indicator in indicators.csv",
        id="lever-unknown-indicator",
    ),
    pytest.param(
        "levers.csv",
        "percent,0,100,1",
        "percent,50,50,1",
        2,
        "max",
        "max 50 is not above min 50",
        id="lever-min-not-below-max",
    ),
    pytest.param(
        "models.csv",
        "dti_overall,logit_linear",
        "dti_overall,cubic",
        2,
        "method",
        "'cubic' is not one of",
        id="unknown-method",
    ),
    pytest.param(
        "models.csv",
        "linear_growth,,,de_growth,2022",
        "linear_growth,,,de_speed,2022",
        3,
        "growth_assumption",
        "'de_speed' is not an assumption in assumptions.csv",
        id="model-unknown-assumption",
    ),
    pytest.param(
        "models.csv",
        "linear_growth,,,de_growth,2022",
        "linear_growth,,,,2022",
        3,
        "growth_assumption",
        "method linear_growth needs a growth_assumption",
        id="growth-method-without-growth",
    ),
    pytest.param(
        "models.csv",
        "dti_overall,logit_linear",
        "dti_score,logit_linear",
        2,
        "indicator",
        "'dti_score' is not an indicator in indicators.csv",
        id="model-unknown-indicator",
    ),
    pytest.param(
        "links.csv",
        "dti_overall,online_filing_rate,elasticity_dti_filing",
        "dti_overall,cashless,elasticity_dti_filing",
        2,
        "lever",
        "'cashless' is not a lever in levers.csv",
        id="link-unknown-lever",
    ),
    pytest.param(
        "links.csv",
        "dti_overall,online_filing_rate,elasticity_dti_filing",
        "dti_total,online_filing_rate,elasticity_dti_filing",
        2,
        "outcome",
        "'dti_total' is not an indicator in indicators.csv",
        id="link-unknown-outcome",
    ),
    pytest.param(
        "links.csv",
        "dti_overall,online_filing_rate,elasticity_dti_filing",
        "dti_overall,online_filing_rate,elasticity_x",
        2,
        "assumption",
        "'elasticity_x' is not an assumption in assumptions.csv",
        id="link-unknown-assumption",
    ),
    pytest.param(
        "scenarios.csv",
        '"{""levers"": {}}"',
        '"{""levers"": {}"',
        2,
        "settings",
        "is not valid JSON",
        id="bad-json",
    ),
    pytest.param(
        "scenarios.csv",
        '"{""levers"": {}}"',
        '"[1, 2]"',
        2,
        "settings",
        "must be a JSON object",
        id="json-not-an-object",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "line", "column", "fragment"), BAD_ROWS)
def test_bad_row_is_rejected_naming_file_line_and_column(
    small_data_dir: Path,
    file: str,
    old: str,
    new: str,
    line: int,
    column: str | None,
    fragment: str,
) -> None:
    edit(small_data_dir, file, old, new)
    error = validation_error(small_data_dir)
    assert (error.file, error.row, error.column) == (file, line, column)
    assert fragment in error.problem
    message = str(error).splitlines()[0]
    assert message.startswith(f"{file}, line {line}")
    if column is not None:
        assert f"column {column}: " in message


def test_malformed_number_message_reads_plainly(small_data_dir: Path) -> None:
    edit(small_data_dir, "observations.csv", "0.7024,index_0_1", "abc,index_0_1")
    assert str(validation_error(small_data_dir)) == (
        "observations.csv, line 3, column value: 'abc' is not a number"
    )


def test_duplicate_observation_key_names_both_lines(small_data_dir: Path) -> None:
    line = append(
        small_data_dir,
        "observations.csv",
        "dti_overall,Quảng Ninh,2022,year,0.71,index_0_1,observed,mic_dti_2022,,,,",
    )
    error = validation_error(small_data_dir)
    assert (error.file, error.row) == ("observations.csv", line)
    assert error.column == "indicator+geography+year+period+kind+source"
    assert "first on line 3" in error.problem
    assert "indicator='dti_overall'" in error.problem


def test_same_key_from_another_source_is_not_a_duplicate(small_data_dir: Path) -> None:
    append(
        small_data_dir,
        "observations.csv",
        "dti_overall,Quảng Ninh,2022,year,0.71,index_0_1,observed,000_b19f354a6a4d82ea.txt,,,,dti_2022",
    )
    assert len(read_data_dir(small_data_dir).observations) == 10


@pytest.mark.parametrize(
    ("file", "row", "column"),
    [
        ("units.csv", "percent,Phần trăm khác,Percent,0,100,1", "id"),
        ("sources.csv", "mic_dti_2022,external,Again,,,", "id"),
        ("indicators.csv", "dti_overall,a,b,index_0_1,overall,true,,,,", "id"),
        ("assumptions.csv", "de_growth,1,pp_per_year,0,2,a,b,c,", "id"),
        ("levers.csv", "online_filing_rate,online_filing_rate,a,b,percent,0,100,1", "id"),
        ("models.csv", "dti_overall,linear,,,,", "indicator"),
        ("links.csv", "dti_overall,online_filing_rate,elasticity_dti_filing", "outcome+lever"),
        ("scenarios.csv", "baseline,a,b,,,{}", "id"),
    ],
)
def test_duplicate_ids_are_rejected(small_data_dir: Path, file: str, row: str, column: str) -> None:
    line = append(small_data_dir, file, row)
    error = validation_error(small_data_dir)
    assert (error.file, error.row, error.column) == (file, line, column)
    assert "duplicate" in error.problem


@pytest.mark.parametrize("name", FILE_NAMES)
def test_missing_file_is_named(small_data_dir: Path, name: str) -> None:
    (small_data_dir / f"{name}.csv").unlink()
    error = validation_error(small_data_dir)
    assert error.file == f"{name}.csv"
    assert error.row is None
    assert str(error).startswith(f"{name}.csv: file is missing")
    assert len(error.issues) == 1, "references to a missing file are not reported again"


def test_missing_folder_is_named(tmp_path: Path) -> None:
    error = validation_error(tmp_path / "nowhere")
    assert "nowhere" in str(error)
    assert "not found" in str(error)


def test_missing_and_unexpected_columns_are_named(small_data_dir: Path) -> None:
    edit(small_data_dir, "sources.csv", "id,kind,title,publisher,date,address", "id,kind,name,publisher,date,address")
    error = validation_error(small_data_dir)
    assert [(i.file, i.row, i.column) for i in error.issues] == [
        ("sources.csv", 1, "title"),
        ("sources.csv", 1, "name"),
    ]
    assert "column is missing" in error.issues[0].problem
    assert "unexpected column" in error.issues[1].problem


def test_line_numbers_count_lines_inside_quoted_cells(small_data_dir: Path) -> None:
    edit(small_data_dir, "observations.csv", '"DTI năm 2021 đạt 0,6512"', '"DTI năm 2021\nđạt 0,6512"')
    edit(small_data_dir, "observations.csv", "0.7024,index_0_1", "x,index_0_1")
    error = validation_error(small_data_dir)
    assert error.row == 4  # the first data row spans lines 2 and 3


def test_invalid_utf8_is_reported(small_data_dir: Path) -> None:
    path = small_data_dir / "sources.csv"
    path.write_bytes(path.read_bytes() + b"bad,seed,\xff\xfe,,,\n")
    error = validation_error(small_data_dir)
    assert (error.file, error.row) == ("sources.csv", 5)
    assert "UTF-8" in error.problem


def test_every_problem_is_collected_in_file_order(small_data_dir: Path) -> None:
    edit(small_data_dir, "scenarios.csv", '"{""levers"": {}}"', "{oops")
    edit(small_data_dir, "observations.csv", "0.7024,index_0_1", "abc,index_0_1")
    edit(small_data_dir, "units.csv", "percent,Phần trăm,Percent,0,100,1", "percent,Phần trăm,Percent,0,100,x")
    error = validation_error(small_data_dir)
    assert [(i.file, i.row, i.column) for i in error.issues] == [
        ("units.csv", 3, "decimals"),
        ("observations.csv", 3, "value"),
        ("scenarios.csv", 2, "settings"),
    ]
    lines = str(error).splitlines()
    assert lines[0].startswith("units.csv, line 3, column decimals:")
    assert lines[0].endswith("(and 2 more problem(s))")
    assert len(lines) == 3


def test_message_lists_at_most_the_first_problems(small_data_dir: Path) -> None:
    for year in range(2000, 2000 + MAX_LISTED_ISSUES + 5):
        append(small_data_dir, "observations.csv", f"nope,Quảng Ninh,{year},year,1,percent,observed,mic_dti_2022,,,,")
    error = validation_error(small_data_dir)
    assert len(error.issues) == MAX_LISTED_ISSUES + 5
    lines = str(error).splitlines()
    assert len(lines) == MAX_LISTED_ISSUES + 1
    assert lines[-1].strip() == "... and 5 more"


def test_data_validation_error_is_a_value_error(small_data_dir: Path) -> None:
    edit(small_data_dir, "observations.csv", "0.7024,index_0_1", "abc,index_0_1")
    with pytest.raises(ValueError, match="observations.csv, line 3, column value"):
        read_data_dir(small_data_dir)


def test_real_data_folder_is_valid_when_complete(data_dir: Path) -> None:
    missing = [f"{name}.csv" for name in FILE_NAMES if not (data_dir / f"{name}.csv").exists()]
    if missing:
        pytest.skip(f"data/ is not complete yet: {', '.join(missing)}")
    data = read_data_dir(data_dir)
    assert data.version == dataset_hash(data_dir)
    assert len(data.observations) > 0


# -- sources cited by every file ------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "ids"),
    [("", []), ("a", ["a"]), (" a ; b;c ", ["a", "b", "c"]), ("a;;b", ["a", "b"])],
)
def test_source_cells_cite_one_or_several_ids(cell: str, ids: list[str]) -> None:
    assert source_ids(cell) == ids


def test_an_assumption_citing_an_unknown_source_names_file_line_and_column(
    small_data_dir: Path,
) -> None:
    edit(small_data_dir, "assumptions.csv", ",000_b19f354a6a4d82ea.txt\n",
         ",000_b19f354a6a4d82ea.txt; vov_cashless_2024\n")
    error = validation_error(small_data_dir)
    assert (error.file, error.row, error.column) == ("assumptions.csv", 3, "source")
    assert str(error) == (
        "assumptions.csv, line 3, column source: 'vov_cashless_2024' is not a source in sources.csv")


def test_every_file_with_a_source_column_is_checked(small_data_dir: Path) -> None:
    checked = [name for name, spec in FILE_SPECS.items()
               if "source" in spec.columns and name != "sources"]
    assert checked == ["observations", "assumptions", "levers"]
    edit(small_data_dir, "observations.csv", "3,rank_of_63,observed,mic_dti_2022,",
         "3,rank_of_63,observed,nowhere_2022,")
    edit(small_data_dir, "assumptions.csv", ",000_b19f354a6a4d82ea.txt\n", ",nowhere_2023\n")
    error = validation_error(small_data_dir)
    assert [(i.file, i.column, i.problem) for i in error.issues] == [
        ("observations.csv", "source", "'nowhere_2022' is not a source in sources.csv"),
        ("assumptions.csv", "source", "'nowhere_2023' is not a source in sources.csv"),
    ]


def test_every_source_the_real_data_cites_is_listed(data_dir: Path) -> None:
    data = read_data_dir(data_dir)
    listed = set(data.sources["id"])
    for name in ("observations", "assumptions", "levers"):
        cited = {s for cell in getattr(data, name)["source"] for s in source_ids(cell)}
        assert cited <= listed, f"{name} cites {sorted(cited - listed)}"


# --- both languages in the real data ---------------------------------------------------------

ENGLISH_NUMBER = re.compile(r"(?<![\d.,])(?:\d+\.(?:\d{1,2}|\d{4,})|[1-9]\d{0,2}(?:,\d{3})+)(?![\d.,])")
"""A number in English notation (a decimal point, or commas grouping thousands)."""
DOTTED_NAME = re.compile(r"\S*(?:_|/|[A-Za-z]\.[A-Za-z])\S*")


def test_every_note_and_rationale_of_the_real_data_is_in_both_languages():
    data = read_data_dir(REPO / "data")
    obs, ass = data.observations, data.assumptions
    assert ((obs["note_en"] != "") == (obs["note_vi"] != "")).all()
    assert (ass["rationale_vi"] != "").all() and (ass["rationale_en"] != "").all()
    # the English stays as the model reads it (qualifiers, UNCERTAIN, derived target)
    assert obs["note_en"].str.contains("qualifier 'gần'").any()
    assert obs["note_vi"].str.startswith("CHƯA CHẮC CHẮN").sum() == (
        obs["note_en"].str.startswith("UNCERTAIN").sum()) == 1


def test_vietnamese_texts_of_the_real_data_write_numbers_the_vietnamese_way():
    data = read_data_dir(REPO / "data")
    texts = [*data.observations["note_vi"], *data.assumptions["rationale_vi"]]
    wrong = {x: ENGLISH_NUMBER.findall(DOTTED_NAME.sub(" ", x)) for x in texts}
    assert {x: w for x, w in wrong.items() if w} == {}
    assert any("0,7024" in x for x in texts) and any("802.000" in x for x in texts)


def test_a_file_from_before_the_vietnamese_columns_is_read(small_data_dir: Path) -> None:
    """``note`` and ``rationale`` (English) are read as note_en and rationale_en."""
    header = (small_data_dir / "observations.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",")[-2] == "note" and "note_vi" not in header
    data = read_data_dir(small_data_dir)
    assert (data.observations["note_en"] != "").any()
    assert (data.assumptions["rationale_en"] != "").all()
    assert (data.assumptions["rationale_vi"] == "").all()
