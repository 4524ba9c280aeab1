"""Shared helpers for the data-update tests: an edited workbook, a CSV of new observations."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

import openpyxl

from planner.dataio.workbook import write_workbook
from planner.dataset import Dataset
from planner.validation import FILE_SPECS

OBSERVATION_COLUMNS: tuple[str, ...] = FILE_SPECS["observations"].columns

NEW_DTI = 0.7512
"""The overall DTI of a new year, as an editor would add it (2023, not in the data)."""

NEW_DTI_ROW: dict[str, object] = {
    "indicator": "dti_overall", "geography": "Quảng Ninh", "year": 2023, "period": "",
    "value": NEW_DTI, "unit": "index_0_1", "kind": "observed",
    "source": "000_b19f354a6a4d82ea.txt", "source_date": "2024-07",
    "quote": "điểm số DTI năm 2023 đạt 0,7512", "note_vi": "", "note_en": "", "conflict": "",
}


def workbook_with(dataset: Dataset, rows: Sequence[Mapping[str, object]] = (NEW_DTI_ROW,),
                  lang: str = "vi") -> bytes:
    """The dataset's workbook, as downloaded, with observation rows appended to its sheet."""
    return append_rows(write_workbook(dataset, lang), rows)


def append_rows(workbook: bytes, rows: Sequence[Mapping[str, object]] = (NEW_DTI_ROW,)) -> bytes:
    """A workbook with observation rows appended to its ``observations`` sheet."""
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book["observations"]
    header = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def observations_csv(rows: Sequence[Mapping[str, object]] = (NEW_DTI_ROW,)) -> bytes:
    """A CSV of new observation rows only, as ``db import`` and the page take it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(OBSERVATION_COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
