"""The dataset as one Excel workbook: writing it for editors, and reading an edited one back.

:func:`write_workbook` writes a first sheet explaining every file's columns (from
:mod:`planner.dataio.schema`) and one sheet per data file, named after the file without
``.csv``. Text cells are written as strings (never formulas or links), numbers as numbers.

:func:`read_workbook` reads an edited workbook (openpyxl, read-only) into CSV text per data file,
with the sheet row of every CSV line, so problems can be shown on the sheet and row the editor
sees. The archive behind the workbook is checked first (:func:`planner.dataio.archive.
check_container`), a first sheet that is not a data sheet is taken for the explanation and
ignored, and every formula cell is a problem; so is a text starting with ``=`` in a number or
true/false column (a text column keeps it, see :mod:`planner.dataio.csvtext`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import openpyxl
import xlsxwriter

from planner.dataio.archive import check_container
from planner.dataio.canonical import cell_text, number_text
from planner.dataio.csvtext import is_formula, text_columns
from planner.dataio.limits import DEFAULT_LIMITS, Limits
from planner.dataio.schema import Column, file_columns
from planner.dataset import Dataset
from planner.i18n import t
from planner.problems import Problem
from planner.validation import FILE_SPECS

README_COLUMNS = ("file", "column", "type", "required", "allowed", "key", "refers_to")
"""The columns of the explanation sheet (catalogue ``dataio.readme.<name>``)."""


@dataclass(frozen=True)
class SheetFile:
    """One data sheet of a workbook, as CSV.

    Attributes
    ----------
    sheet : str
        The sheet's name as written in the workbook.
    content : bytes
        The sheet as UTF-8 CSV text (header on line 1).
    rows : dict of int to int
        CSV line (header = 1) to sheet row, for the lines that start a row.
    """

    sheet: str
    content: bytes
    rows: dict[int, int]


# ------------------------------------------------------------------------------------ writing
def _allowed(column: Column, lang: str) -> str:
    # bounds as the data files write numbers (years read 2100, not 2.100)
    if column.enum:
        return ", ".join(column.enum)
    bounds = []
    if column.minimum is not None:
        bounds.append(f">= {number_text(column.minimum)}")
    if column.exclusive_minimum is not None:
        bounds.append(f"> {number_text(column.exclusive_minimum)}")
    if column.maximum is not None:
        bounds.append(f"<= {number_text(column.maximum)}")
    if column.pattern == r"\S+":
        bounds.append(t("dataio.readme.no_spaces", lang))
    return "; ".join(bounds)


def readme_rows(lang: str) -> list[list[str]]:
    """The rows of the explanation sheet: one per column of every data file.

    Parameters
    ----------
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    list of list of str
        ``file, column, type, required, allowed values or bounds, key, refers to``.
    """
    yes, no = t("dataio.readme.yes", lang), t("dataio.readme.no", lang)
    rows = []
    for name in FILE_SPECS:
        for column in file_columns(name):
            rows.append(
                [
                    name,
                    column.name,
                    t(f"dataio.type.{column.type}", lang),
                    yes if column.required else no,
                    _allowed(column, lang),
                    yes if column.in_key else "",
                    f"{column.refers_to}.id" if column.refers_to else "",
                ]
            )
    return rows


def write_workbook(dataset: Dataset, lang: str = "vi") -> bytes:
    """The dataset as one ``.xlsx`` workbook.

    Parameters
    ----------
    dataset : planner.dataset.Dataset
        The dataset (for example the current one).
    lang : str, optional
        Language of the explanation sheet (its name is ``Giải thích`` or ``README``).

    Returns
    -------
    bytes
        The workbook: the explanation sheet, then one sheet per data file, in loading order.
    """
    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(buffer, options) as book:
        bold = book.add_format({"bold": True})
        text = book.add_format({"num_format": "@"})
        readme = book.add_worksheet(t("dataio.readme.sheet", lang))
        readme.write_string(0, 0, t("dataio.readme.intro", lang, version=dataset.version), bold)
        for j, key in enumerate(README_COLUMNS):
            readme.write_string(2, j, t(f"dataio.readme.{key}", lang), bold)
        for i, row in enumerate(readme_rows(lang), start=3):
            for j, cell in enumerate(row):
                if cell:
                    readme.write_string(i, j, cell)
        readme.set_column(0, 1, 22)
        readme.set_column(2, 6, 16)
        for name, frame in dataset.frames().items():
            sheet = book.add_worksheet(name)
            spec = FILE_SPECS[name]
            for j, column in enumerate(spec.columns):
                sheet.write_string(0, j, column, bold)
                dtype = spec.dtypes[column]
                sheet.set_column(j, j, 14, text if dtype == "str" else None)
                for i, value in enumerate(frame[column].tolist(), start=1):
                    _write_cell(sheet, i, j, value, dtype)
            sheet.freeze_panes(1, 0)
    return buffer.getvalue()


def _write_cell(sheet: Any, i: int, j: int, value: Any, dtype: str) -> None:
    shown = cell_text(value, dtype)
    if shown == "":
        return
    if dtype == "bool":
        sheet.write_boolean(i, j, shown == "true")
    elif dtype in ("float64", "int64", "Int64"):
        sheet.write_number(i, j, float(value))
    else:
        sheet.write_string(i, j, shown)


# ------------------------------------------------------------------------------------ reading
def sheet_cell_text(value: Any) -> str:
    """The text of a cell as openpyxl reads it.

    Parameters
    ----------
    value : Any
        ``None``, a bool, a number, a date or time, or text.

    Returns
    -------
    str
        ``""`` for an empty cell, ``true``/``false``, a number's shortest text, a date as
        ``YYYY-MM-DD`` (with the time when it has one), text as it is.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def sheet_name_to_file(sheet: str) -> str | None:
    """The data file a sheet holds (``Observations`` or ``observations.csv`` → ``observations``).

    Parameters
    ----------
    sheet : str
        The sheet's name.

    Returns
    -------
    str or None
        The frame name, or None when the sheet is not a data sheet.
    """
    name = sheet.strip().lower().removesuffix(".csv")
    return name if name in FILE_SPECS else None


def _sheet_to_csv(worksheet: Any, sheet: str, field: str) -> tuple[SheetFile, list[Problem]]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    rows: dict[int, int] = {}
    problems: list[Problem] = []
    header: list[str] = []
    text_only = text_columns(field)
    line = 1
    for number, cells in enumerate(worksheet.iter_rows(), start=1):
        texts = []
        for j, cell in enumerate(cells):
            value = getattr(cell, "value", None)
            text = sheet_cell_text(value)
            column = header[j] if j < len(header) else f"#{j + 1}"
            typed = column not in text_only and is_formula(text)
            if getattr(cell, "data_type", None) == "f" or typed:
                detail = {"sheet": sheet, "row": number, "column": column, "value": text[:60]}
                problems.append(Problem(field, "formula", detail))
            texts.append(text)
        while texts and texts[-1] == "":
            texts.pop()
        if number == 1:
            header = [text.strip() for text in texts]
        elif not texts:
            continue
        elif len(texts) < len(header):
            texts += [""] * (len(header) - len(texts))
        rows[line] = number
        writer.writerow(texts)
        line += 1 + sum(text.count("\n") for text in texts)  # a cell's line breaks stay in it
    return SheetFile(sheet, out.getvalue().encode("utf-8"), rows), problems


def read_workbook(
    content: bytes, field: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[dict[str, SheetFile], list[Problem]]:
    """Read the data sheets of an uploaded workbook.

    Parameters
    ----------
    content : bytes
        The ``.xlsx`` file's bytes.
    field : str
        The uploaded file's name, the ``field`` of every problem.
    limits : Limits, optional
        The size limits (the workbook is a zip archive).

    Returns
    -------
    sheets : dict of str to SheetFile
        Data file name (``observations.csv``) to its sheet as CSV.
    problems : list of Problem
        ``bad_zip``/``bad_workbook``, the archive's problems, ``unknown_sheet`` (a sheet other
        than the first that names no data file) and ``formula`` (every formula cell).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError) as exc:
        return {}, [Problem(field, "bad_workbook", {"reason": str(exc)})]
    with archive:
        problems = check_container(archive, field, limits)
    if problems:
        return {}, problems
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        return {}, [Problem(field, "bad_workbook", {"reason": f"{type(exc).__name__}: {exc}"})]
    sheets: dict[str, SheetFile] = {}
    expected = ", ".join(FILE_SPECS)
    try:
        for index, sheet in enumerate(book.sheetnames):
            name = sheet_name_to_file(sheet)
            if name is None:
                if index > 0:
                    detail = {"sheet": sheet, "expected": expected}
                    problems.append(Problem(field, "unknown_sheet", detail))
                continue
            filename = FILE_SPECS[name].filename
            if filename in sheets:
                detail = {"sheet": sheet, "expected": expected}
                problems.append(Problem(field, "unknown_sheet", detail))
                continue
            found, cell_problems = _sheet_to_csv(book[sheet], sheet, filename)
            sheets[filename] = found
            problems.extend(cell_problems)
    except Exception as exc:  # a broken sheet's XML fails while it is read
        return {}, [Problem(field, "bad_workbook", {"reason": f"{type(exc).__name__}: {exc}"})]
    finally:
        book.close()
    return sheets, problems
