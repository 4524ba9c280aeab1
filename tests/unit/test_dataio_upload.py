"""Uploads to a checked dataset: every bad input named with its place, in both languages."""

from __future__ import annotations

import csv
import io
import stat
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from planner.dataio.archive import write_zip
from planner.dataio.canonical import content_version
from planner.dataio.limits import Limits
from planner.dataio.problems import PROBLEM_CODES, describe
from planner.dataio.upload import read_folder, read_upload
from planner.dataio.workbook import write_workbook
from planner.dataset import parse_files
from planner.problems import Problem
from tests.conftest import write_data_dir

NEW_ROW = (
    "online_filing_rate,Quảng Ninh,2023,year,70,percent,observed,mic_dti_2022,2024-01,đạt 70%,,\n"
)
HEADER = "indicator,geography,year,period,value,unit,kind,source,source_date,quote,note,conflict\n"


def encoded(files: dict[str, str]) -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in files.items()}


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: a letter it has whole, else the letter and its tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            out += unicodedata.normalize("NFD", ch).encode("cp1258", "ignore")
    return bytes(out)


def codes(upload) -> list[str]:
    return [p.code for p in upload.problems]


def only(upload, code: str) -> Problem:
    found = [p for p in upload.problems if p.code == code]
    assert len(found) == 1, upload.problems
    return found[0]


def zipped(members: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def workbook(sheets: dict[str, list[list[object]]], first: str | None = "README") -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    if first:
        book.create_sheet(first).append(["Giải thích các cột"])
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheets_of(files: dict[str, str]) -> dict[str, list[list[object]]]:
    out = {}
    for name, text in files.items():
        out[name.removesuffix(".csv")] = list(csv.reader(io.StringIO(text)))
    return out


# ------------------------------------------------------------------------------- valid uploads
def test_folder_zip_and_workbook_of_the_same_files_give_one_version(tmp_path, small_files):
    folder = read_folder(write_data_dir(tmp_path / "d", small_files))
    assert folder.ok, folder.problems
    as_zip = read_upload(
        "data.zip", zipped({f"data/{n}": b for n, b in encoded(small_files).items()})
    )
    as_book = read_upload("data.xlsx", workbook(sheets_of(small_files)))
    assert as_zip.ok and as_book.ok, (as_zip.problems, as_book.problems)
    assert folder.version == as_zip.version == as_book.version
    assert folder.version == content_version(encoded(small_files))
    assert folder.files == as_zip.files == as_book.files


def test_bom_and_crlf_are_fine(small_files):
    files = {n: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode() for n, t in small_files.items()}
    upload = read_upload("data.zip", zipped(files))
    assert upload.ok, upload.problems
    assert upload.version == content_version(encoded(small_files))


def test_zip_ignores_readme_and_mac_folders(small_files):
    members = {n: b for n, b in encoded(small_files).items()}
    members["README.md"] = b"notes"
    members["__MACOSX/._units.csv"] = b"\x00\x05"
    members[".DS_Store"] = b"\x00"
    assert read_upload("data.zip", zipped(members)).ok


def test_csv_of_new_observations_is_added(small_files):
    current = parse_files(encoded(small_files))
    upload = read_upload("new.csv", (HEADER + NEW_ROW).encode(), current=current)
    assert upload.ok, upload.problems
    assert len(upload.dataset.observations) == len(current.observations) + 1
    assert upload.version != current.version


def test_csv_columns_may_come_in_any_order(small_files):
    current = parse_files(encoded(small_files))
    cols = HEADER.strip().split(",")
    cells = NEW_ROW.strip().split(",")
    order = list(reversed(range(len(cols))))
    text = ",".join(cols[i] for i in order) + "\n" + ",".join(cells[i] for i in order) + "\n"
    upload = read_upload("new.csv", text.encode(), current=current)
    assert upload.ok, upload.problems


def test_csv_needs_the_current_dataset():
    with pytest.raises(ValueError, match="current dataset"):
        read_upload("new.csv", (HEADER + NEW_ROW).encode())


# -------------------------------------------------------------------------------- bad inputs
def test_malformed_workbook():
    upload = read_upload("data.xlsx", b"PK\x03\x04 this is not a workbook")
    assert codes(upload) == ["bad_workbook"]
    broken = zipped({"[Content_Types].xml": b"<oops", "xl/workbook.xml": b"<nope/>"})
    assert codes(read_upload("data.xlsx", broken)) == ["bad_workbook"]


def test_old_xls_and_other_files_are_refused():
    assert codes(read_upload("data.xls", b"\xd0\xcf\x11\xe0")) == ["upload_type"]
    assert codes(read_upload("notes.pdf", b"%PDF-1.4")) == ["upload_type"]


def test_wrong_encoding_names_file_and_line(small_files):
    files = encoded(small_files)
    files["observations.csv"] = cp1258(small_files["observations.csv"])
    upload = read_upload("data.zip", zipped(files))
    problem = only(upload, "encoding")
    assert problem.field == "observations.csv"
    assert problem.row == 2  # the first line with a Vietnamese letter
    assert codes(upload) == ["encoding"]  # the validators do not repeat it
    assert "UTF-8" in describe(problem, "en") and "cp1258" in describe(problem, "vi")


def test_latin1_and_utf16_are_named(small_files):
    files = encoded(small_files)
    files["sources.csv"] = "id,kind,title,publisher,date,address\nx,seed,Café,,,\n".encode(
        "latin-1"
    )
    assert only(read_upload("d.zip", zipped(files)), "encoding").field == "sources.csv"
    files = encoded(small_files)
    files["units.csv"] = small_files["units.csv"].encode("utf-16")
    assert only(read_upload("d.zip", zipped(files)), "encoding_utf16").field == "units.csv"


@pytest.mark.parametrize(("delimiter", "shown"), [(";", ";"), ("\t", "Tab")])
def test_wrong_delimiter(small_files, delimiter, shown):
    files = encoded(small_files)
    files["levers.csv"] = small_files["levers.csv"].replace(",", delimiter).encode()
    upload = read_upload("d.zip", zipped(files))
    problem = only(upload, "delimiter")
    assert (problem.field, problem.row, problem.detail["delimiter"]) == ("levers.csv", 1, shown)
    assert codes(upload) == ["delimiter"]


def test_out_of_range_value(small_files):
    files = dict(small_files)
    files["observations.csv"] = files["observations.csv"].replace(",0.7024,", ",1.7024,")
    problem = only(read_upload("d.zip", zipped(encoded(files))), "out_of_range")
    assert (problem.field, problem.row, problem.column) == ("observations.csv", 3, "value")
    assert describe(problem, "vi").startswith("Tệp observations.csv, dòng 3, cột value: 1.7024")
    assert "outside the range of the unit index_0_1" in describe(problem, "en")


def test_unknown_indicator_and_source_are_both_listed(small_files):
    files = dict(small_files)
    files["observations.csv"] += (
        "dti_nonexistent,Quảng Ninh,2023,year,0.5,index_0_1,observed,mic_dti_2022,,,,\n"
        "dti_overall,Quảng Ninh,2023,year,0.5,index_0_1,observed,no_such_source,,,,\n"
    )
    upload = read_upload("d.zip", zipped(encoded(files)))
    refs = [
        (p.row, p.column, p.detail["value"], p.detail["target"])
        for p in upload.problems
        if p.code == "unknown_ref"
    ]
    assert refs == [
        (11, "indicator", "dti_nonexistent", "indicators.csv"),
        (12, "source", "no_such_source", "sources.csv"),
    ]


def test_duplicate_key(small_files):
    files = dict(small_files)
    row = small_files["observations.csv"].splitlines()[2]
    files["observations.csv"] += row + "\n"
    problem = only(read_upload("d.zip", zipped(encoded(files))), "duplicate_key")
    assert (problem.row, problem.detail["first_row"]) == (11, 3)
    assert "row 3" in describe(problem, "en") and "dòng 3" in describe(problem, "vi")


def test_over_large_file_and_upload(small_files):
    limits = Limits(max_file_size=200)
    upload = read_upload("d.zip", zipped(encoded(small_files)), limits=limits)
    large = sorted(p.field for p in upload.problems if p.code == "too_large")
    assert "observations.csv" in large and "units.csv" in large
    assert "MiB" in describe(upload.problems[0], "en")
    tiny = Limits(max_upload_size=100)
    assert codes(read_upload("d.zip", zipped(encoded(small_files)), limits=tiny)) == ["too_large"]


def test_zip_bomb_by_total_and_by_ratio(small_files):
    members = encoded(small_files)
    members["padding.txt"] = b"0" * (3 * 1024 * 1024)
    by_ratio = read_upload("d.zip", zipped(members), limits=Limits(max_ratio=50))
    assert codes(by_ratio) == ["zip_ratio"]
    by_total = read_upload("d.zip", zipped(members), limits=Limits(max_total_size=1024 * 1024))
    assert "zip_bomb" in codes(by_total)


def test_zip_with_paths_outside_its_folder(small_files):
    for bad in (
        "../evil.csv",
        "data/../../evil.csv",
        "/etc/evil.csv",
        "C:/evil.csv",
        "..\\evil.csv",
    ):
        members = encoded(small_files)
        members[bad] = b"x"
        upload = read_upload("d.zip", zipped(members))
        assert only(upload, "unsafe_path").detail["member"] == bad
        assert not upload.ok


def test_zip_with_symlink_nested_archive_and_too_many_members(small_files):
    members = encoded(small_files)
    members["link.csv"] = b"/etc/passwd"
    assert only(read_upload("d.zip", zipped(members, ("link.csv",))), "symlink")
    members = encoded(small_files)
    members["inner.zip"] = zipped({"a.csv": b"a"})
    members["hidden.csv.bak"] = zipped({"b.csv": b"b"})
    found = [
        p.detail["member"]
        for p in read_upload("d.zip", zipped(members)).problems
        if p.code == "nested_archive"
    ]
    assert found == ["inner.zip", "hidden.csv.bak"]
    many = read_upload("d.zip", zipped(encoded(small_files)), limits=Limits(max_members=3))
    assert codes(many) == ["too_many_members"]


def test_zip_with_files_in_two_folders(small_files):
    members = {f"a/{n}" if n < "m" else f"b/{n}": b for n, b in encoded(small_files).items()}
    assert only(read_upload("d.zip", zipped(members)), "several_folders")


def test_formula_cell_in_a_csv(small_files):
    files = dict(small_files)
    files["observations.csv"] = files["observations.csv"].replace(",0.7024,", ",=0.7+0.0024,")
    upload = read_upload("d.zip", zipped(encoded(files)))
    problem = only(upload, "formula")
    assert (problem.field, problem.row, problem.column) == ("observations.csv", 3, "value")
    assert codes(upload) == ["formula"]  # not also "not a number"


def test_formula_cell_in_a_workbook_names_the_sheet_row(small_files):
    sheets = sheets_of(small_files)
    sheets["observations"][2][4] = "=0.7+0.0024"  # openpyxl writes it as a formula
    upload = read_upload("d.xlsx", workbook(sheets))
    problem = only(upload, "formula")
    assert problem.detail["sheet"] == "observations"
    assert (problem.row, problem.column) == (3, "value")
    assert describe(problem, "en").startswith("Sheet observations, row 3, column value:")
    assert codes(upload) == ["formula"]


def test_workbook_rows_are_sheet_rows_even_after_blank_rows_and_line_breaks(small_files):
    sheets = sheets_of(small_files)
    obs = sheets["observations"]
    obs[1][9] = "a quote\nover two lines"
    obs.insert(2, [None] * len(obs[0]))  # a blank row 3
    obs[3][4] = 1.7  # row 4 of the sheet (dti_overall 2022): out of range
    problem = only(read_upload("d.xlsx", workbook(sheets)), "out_of_range")
    assert (problem.detail["sheet"], problem.row) == ("observations", 4)


def test_workbook_unknown_and_missing_sheets(small_files):
    sheets = sheets_of(small_files)
    sheets["Notes"] = [["anything"]]
    del sheets["links"]
    upload = read_upload("d.xlsx", workbook(sheets))
    assert only(upload, "unknown_sheet").detail["sheet"] == "Notes"
    assert only(upload, "missing_file").field == "links.csv"


def test_csv_rows_already_in_the_current_data_are_refused(small_files):
    current = parse_files(encoded(small_files))
    existing = small_files["observations.csv"].splitlines()[2] + "\n"
    text = HEADER + NEW_ROW + existing + NEW_ROW
    upload = read_upload("new.csv", text.encode(), current=current)
    assert codes(upload) == ["duplicate_current", "duplicate_key"]
    first, second = upload.problems
    assert (first.field, first.row) == ("new.csv", 3)
    assert (second.row, second.detail["first_row"]) == (4, 2)


def test_csv_problems_are_on_the_uploaded_file_and_line(small_files):
    current = parse_files(encoded(small_files))
    bad = NEW_ROW.replace(",70,", ",170,").replace("2023", "2024")
    upload = read_upload("new.csv", (HEADER + NEW_ROW + bad).encode(), current=current)
    problem = only(upload, "out_of_range")
    assert (problem.field, problem.row, problem.column) == ("new.csv", 3, "value")


def test_csv_with_other_columns_or_delimiter(small_files):
    current = parse_files(encoded(small_files))
    upload = read_upload("new.csv", b"id,value\nx,1\n", current=current)
    assert "missing_column" in codes(upload) and "unexpected_column" in codes(upload)
    semi = (HEADER + NEW_ROW).replace(",", ";").encode()
    assert codes(read_upload("new.csv", semi, current=current)) == ["delimiter"]


def test_every_problem_is_listed_not_just_the_first(small_files):
    files = dict(small_files)
    files["observations.csv"] = files["observations.csv"].replace(",0.7024,", ",abc,")
    files["levers.csv"] = files["levers.csv"].replace(",percent,0,100,", ",percent,0,170,")
    files["units.csv"] = files["units.csv"].replace(",4\n", ",=4\n", 1)
    del files["links.csv"]
    upload = read_upload("d.zip", zipped(encoded(files)))
    assert sorted(codes(upload)) == ["formula", "missing_file", "not_a_number", "out_of_range"]
    for problem in upload.problems:
        for lang in ("vi", "en"):
            text = describe(problem, lang)
            assert problem.field in text or problem.detail.get("sheet") in text


def test_folder_that_does_not_exist(tmp_path):
    assert codes(read_folder(tmp_path / "nope")) == ["no_data_files"]


def test_exported_workbook_reads_back(small_files):
    dataset = parse_files(encoded(small_files))
    upload = read_upload("export.xlsx", write_workbook(dataset, "en"))
    assert upload.ok, upload.problems
    assert upload.version == content_version(encoded(small_files))
    zipped_back = read_upload("export.zip", write_zip(upload.files))
    assert zipped_back.version == upload.version


def test_every_code_has_a_message_in_both_languages():
    from planner.i18n import load_catalogue

    catalogue = load_catalogue()
    for code in PROBLEM_CODES:
        assert f"dataio.problem.{code}" in catalogue


def test_real_data_folder_reads(data_dir: Path):
    upload = read_folder(data_dir)
    assert upload.ok, upload.problems[:3]


@pytest.mark.parametrize("kind", ["zip", "csv"])
def test_nul_bytes_are_named_with_their_place_not_taken_for_utf16(small_files, kind):
    text = HEADER + NEW_ROW + "dti_overall,Quảng Ninh,2024,year,0.5,index_0_1,observed,\x00x,,,,\n"
    if kind == "zip":
        files = encoded(small_files)
        files["observations.csv"] = text.encode()
        upload = read_upload("d.zip", zipped(files))
        field = "observations.csv"
    else:
        upload = read_upload("new.csv", text.encode(), current=parse_files(encoded(small_files)))
        field = "new.csv"
    problem = only(upload, "nul_bytes")
    first = text.encode().index(b"\x00") + 1
    assert (problem.field, problem.row, problem.detail["byte"]) == (field, 3, first)
    assert codes(upload) == ["nul_bytes"]
    assert "UTF-16" not in describe(problem, "en")
    assert describe(problem, "en").startswith(f"File {field}, row 3: The file holds NUL bytes")
    assert f"vị trí {first}" in describe(problem, "vi")


def test_a_real_utf16_csv_of_new_rows_is_named_utf16(small_files):
    upload = read_upload("new.csv", (HEADER + NEW_ROW).encode("utf-16"),
                         current=parse_files(encoded(small_files)))
    assert codes(upload) == ["encoding_utf16"]


def test_csv_problems_keep_their_line_after_a_quote_over_two_lines(small_files):
    current = parse_files(encoded(small_files))
    broken = NEW_ROW.replace("đạt 70%", '"đạt\n70%"')
    bad = NEW_ROW.replace(",70,", ",170,").replace("2023", "2024")
    upload = read_upload("new.csv", (HEADER + broken + bad).encode(), current=current)
    problem = only(upload, "out_of_range")
    assert (problem.field, problem.row, problem.column) == ("new.csv", 4, "value")
