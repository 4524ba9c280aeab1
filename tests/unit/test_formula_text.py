"""Formula-like text in data: kept as typed in text columns, written as text in every CSV,
refused in number columns, and the dataset download uploaded unchanged is the same version."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.csvsafe import QUOTE, safe_cell, safe_csv, unquote_cell
from planner.dataio.archive import download_zip
from planner.dataio.canonical import dataset_files
from planner.dataio.csvtext import text_columns, unquote_text
from planner.dataio.diff import diff_datasets
from planner.dataio.upload import read_folder, read_upload
from planner.dataio.workbook import write_workbook
from planner.dataset import parse_files
from planner.store import DuckDBStore
from tests.update_support import NEW_DTI_ROW, observations_csv

PAYLOADS = ("@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "+cmd|' /C calc'!A0")
"""What a spreadsheet would run, as an attacker would type it in a quote or a note."""


def encoded(files: dict[str, str]) -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in files.items()}


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_payload_rows(small_files: dict[str, str], payload: str) -> dict[str, str]:
    """The small dataset with one more observation holding ``payload`` in its quote and note
    (the small files' ``note`` is read as ``note_en``)."""
    files = dict(small_files)
    row = ("online_filing_rate,Quảng Ninh,2023,,70,percent,observed,mic_dti_2022,2024-01,"
           + ",".join(_csv_cell(payload) for _ in range(2)) + ",\n")
    files["observations.csv"] += row
    return files


def _csv_cell(text: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([text])
    return out.getvalue()


def stored_texts(upload, column: str) -> set[str]:
    return set(upload.dataset.observations[column].dropna())


# ------------------------------------------------------------------------------ the writer
@given(st.text(max_size=30))
def test_a_quoted_cell_reads_back_as_it_was(text: str) -> None:
    assert unquote_cell(safe_cell(text)) == text


@pytest.mark.parametrize(("text", "written"), [
    ("=x", "'=x"), ("'=x", "''=x"), ("''-x", "'''-x"), ("'-2", "'-2"), ("-2", "-2"),
    ("'tiếp tục giữ vững'", "'tiếp tục giữ vững'"), ("'", "'"), ("", "")])
def test_quotes_before_a_formula_get_one_more(text: str, written: str) -> None:
    assert safe_cell(text) == written
    assert unquote_cell(written) == text


def test_a_csv_file_with_nothing_to_quote_is_kept_byte_for_byte() -> None:
    content = b'id,quote\nx,"a, b"\ny,\'tiep tuc\'\n'
    assert safe_csv(content) is content
    quoted = safe_csv(content + b"z,-2+3+cmd\n")
    assert quoted.endswith(b"z,'-2+3+cmd\n") and quoted.startswith(content)


# ------------------------------------------------------------------------------ uploads
@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_zip_keeps_formula_text_in_text_columns_as_typed(small_files, payload: str) -> None:
    upload = read_upload("d.zip", zipped(encoded(with_payload_rows(small_files, payload))))
    assert upload.ok, upload.problems
    for column in ("quote", "note_en"):
        assert payload in stored_texts(upload, column)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_csv_of_new_rows_keeps_formula_text_in_text_columns(small_files, payload) -> None:
    current = parse_files(encoded(small_files))
    rows = [{**NEW_DTI_ROW, "indicator": "online_filing_rate", "value": 70, "unit": "percent",
             "source": "mic_dti_2022", "quote": payload, "note_vi": payload, "note_en": payload}]
    upload = read_upload("new.csv", observations_csv(rows), current=current)
    assert upload.ok, upload.problems
    assert payload in stored_texts(upload, "quote") and payload in stored_texts(upload, "note_en")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_workbook_keeps_formula_text_in_text_columns(store: DuckDBStore, payload) -> None:
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(store.dataset())))
    sheet = book["observations"]
    header = [c.value for c in sheet[1]]
    row = {**NEW_DTI_ROW, "quote": payload, "note_vi": payload, "note_en": payload}
    sheet.append([row.get(c, "") for c in header])
    out = io.BytesIO()
    book.save(out)
    upload = read_upload("d.xlsx", out.getvalue())
    assert upload.ok, upload.problems
    assert payload in stored_texts(upload, "quote") and payload in stored_texts(upload, "note_vi")


def test_a_number_column_takes_signed_numbers_and_refuses_the_rest(small_files) -> None:
    files = dict(small_files)
    files["units.csv"] = files["units.csv"].replace(
        "elasticity,Độ co giãn,Elasticity,,,3", "elasticity,Độ co giãn,Elasticity,-2,+3,3")
    upload = read_upload("d.zip", zipped(encoded(files)))
    assert upload.ok, upload.problems
    units = upload.dataset.units.set_index("id")
    assert (units.loc["elasticity", "min"], units.loc["elasticity", "max"]) == (-2, 3)
    for payload, code in ((PAYLOADS[1], "not_a_number"), (PAYLOADS[2], "not_a_number"),
                          ("=1+1", "formula")):
        files["units.csv"] = small_files["units.csv"].replace(
            "elasticity,Độ co giãn,Elasticity,,,3", f"elasticity,Độ co giãn,Elasticity,{_csv_cell(payload)},,3")
        bad = read_upload("d.zip", zipped(encoded(files)))
        assert [(p.field, p.code, p.row, p.column) for p in bad.problems] == [
            ("units.csv", code, 6, "min")], bad.problems


def test_a_workbook_refuses_a_formula_anywhere_and_equals_text_in_a_number_column(
        store: DuckDBStore) -> None:
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(store.dataset())))
    sheet = book["observations"]
    header = [c.value for c in sheet[1]]
    sheet.append([{**NEW_DTI_ROW, "quote": "=1+1"}.get(c, "") for c in header])  # a formula
    sheet.append([{**NEW_DTI_ROW, "year": 2024}.get(c, "") for c in header])
    sheet.cell(sheet.max_row, header.index("value") + 1).value = "=0.7"
    sheet.cell(sheet.max_row, header.index("value") + 1).data_type = "s"  # text, not a formula
    out = io.BytesIO()
    book.save(out)
    upload = read_upload("d.xlsx", out.getvalue())
    assert sorted((p.code, p.detail["sheet"], p.column) for p in upload.problems) == [
        ("formula", "observations", "quote"), ("formula", "observations", "value")]


def test_a_leading_quote_typed_before_a_formula_start_is_taken_off(small_files) -> None:
    current = parse_files(encoded(small_files))
    rows = [{**NEW_DTI_ROW, "indicator": "online_filing_rate", "value": 70, "unit": "percent",
             "source": "mic_dti_2022", "quote": "'-x", "note_vi": "''=y", "note_en": "'z'"}]
    upload = read_upload("new.csv", observations_csv(rows), current=current)
    assert upload.ok, upload.problems
    added = upload.dataset.observations.query("indicator == 'online_filing_rate' and year == 2023")
    assert added[["quote", "note_vi", "note_en"]].values.tolist() == [["-x", "'=y", "'z'"]]


def test_unquote_touches_only_text_columns() -> None:
    content = b"indicator,value,quote\na,'-2,'-x\n"
    assert unquote_text(content, text_columns("observations.csv")) == b"indicator,value,quote\na,'-2,-x\n"
    assert "value" not in text_columns("observations.csv")
    assert {"quote", "note_vi", "note_en", "note"} <= text_columns("observations.csv")


# ------------------------------------------------------------------------------ round trip
def test_the_dataset_zip_opens_as_text_and_uploads_to_the_same_version(small_files) -> None:
    files = with_payload_rows(small_files, PAYLOADS[0])
    files["observations.csv"] += with_payload_rows({"observations.csv": ""}, "''=y")[
        "observations.csv"].replace("2023", "2024")
    dataset = read_upload("d.zip", zipped(encoded(files))).dataset
    assert dataset is not None
    archive = download_zip(dataset_files(dataset))
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        text = z.read("observations.csv").decode("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert QUOTE + PAYLOADS[0] in cells and "''=y" in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
    again = read_upload("again.zip", archive)
    assert again.ok, again.problems
    assert again.version == dataset.version
    assert diff_datasets(dataset, again.dataset).empty


def test_the_real_dataset_zip_uploads_to_the_same_version(store: DuckDBStore) -> None:
    dataset = store.dataset()
    again = read_upload("planner-data.zip", download_zip(dataset_files(dataset)))
    assert again.ok, again.problems
    assert again.version == dataset.version


def test_the_dataset_zip_unpacked_into_a_folder_imports_to_the_same_version(small_files,
                                                                            tmp_path) -> None:
    dataset = read_upload("d.zip", zipped(encoded(with_payload_rows(small_files, PAYLOADS[2]))))
    assert dataset.ok, dataset.problems
    with zipfile.ZipFile(io.BytesIO(download_zip(dataset_files(dataset.dataset)))) as z:
        z.extractall(tmp_path / "unpacked")
    again = read_folder(tmp_path / "unpacked")
    assert again.ok, again.problems
    assert again.version == dataset.version
    assert PAYLOADS[2] in stored_texts(again, "quote")
