"""The exported workbook: an explanation sheet first, text as text, never formulas or links."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import openpyxl

from planner.dataio.workbook import readme_rows, write_workbook
from planner.dataset import parse_files
from planner.validation import FILE_SPECS


def test_sheets_and_cell_types(small_files):
    # text a spreadsheet would take for a formula or a link stays text (the validators would
    # reject the formula: it is put in the frame directly)
    dataset = parse_files({n: t.encode() for n, t in small_files.items()})
    sources = dataset.sources.copy()
    sources.loc[2, "title"] = '=HYPERLINK("https://x")'
    sources.loc[1, "address"] = "https://example.org/dti-2022"
    dataset = dataclasses.replace(dataset, sources=sources)
    data = write_workbook(dataset, "vi")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Giải thích", *FILE_SPECS]
    src = book["sources"]
    assert src["C4"].value == '=HYPERLINK("https://x")' and src["C4"].data_type == "s"
    assert src["F3"].hyperlink is None and src["F3"].data_type == "s"
    obs = book["observations"]
    # observations come in key order: digital_economy_share_grdp 2025 first
    assert obs["C2"].data_type == "n" and obs["E2"].value == 20
    assert obs["D2"].data_type == "s"
    ind = book["indicators"]
    assert ind["F2"].value is True
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_explanation_rows_cover_every_column():
    rows = readme_rows("en")
    assert len(rows) == sum(len(spec.columns) for spec in FILE_SPECS.values())
    kind = next(r for r in rows if r[:2] == ["observations", "kind"])
    assert kind[2:] == ["text", "yes", "observed, derived, target, external, assumption", "yes", ""]
    year = next(r for r in rows if r[:2] == ["observations", "year"])
    assert year[2] == "whole number" and year[4] == ">= 1900; <= 2100"
    assert next(r for r in rows if r[:2] == ["observations", "source"])[6] == "sources.id"
    vi = readme_rows("vi")
    assert next(r for r in vi if r[:2] == ["observations", "year"])[2] == "số nguyên"
