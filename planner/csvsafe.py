"""The one CSV writer: every CSV file the planner writes opens in a spreadsheet as text.

A spreadsheet reads a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula (CSV injection: ``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``,
``-2+3+cmd|' /C calc'!A0``). Following the OWASP guidance, :func:`safe_cell` writes such a text
cell with one leading single quote, which makes it text; a cell that is a number (``-0.5``,
``+3``, ``1e-05``) stays a number. Every CSV the planner writes goes through this module: the
command line's CSV output (:func:`write_csv`, :func:`write_rows`), the exports and the data
page's download (:func:`csv_bytes`), and the data files of the dataset download
(:func:`safe_csv`). The other CSV text the planner makes is content, never a file for a person:
the canonical form of the data files (:mod:`planner.dataio.canonical`, stored and hashed) and
the files an upload is turned into before it is checked; the canonical files leave the planner
only through :func:`planner.dataio.archive.download_zip`.

The dataset download is also what editors upload again, so the quote must come off on the way
back: :func:`unquote_cell` removes exactly the one ``'`` that :func:`safe_cell` adds, and
``unquote_cell(safe_cell(text)) == text`` for every text. A text that itself begins with quotes
before a formula start (``'=x``) gets one more on the way out (``''=x``) and loses one on the way
in, so it too comes back as it was; ``'tiếp tục'`` (a quote before a letter) is never touched.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

QUOTE = "'"
"""What :func:`safe_cell` puts in front of a formula-like text."""

BOM_ENCODING = "utf-8-sig"
"""The encoding of downloaded CSV files: UTF-8 with a byte-order mark, so spreadsheet programs
read Vietnamese right."""

_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"  # -0.5, +3, 1e-05
    r"|[+-]?(?:[0-9][0-9.,\s]*)?[0-9](?:[.,][0-9]+)?%?"  # locale-formatted: -0,4, 1.234,5, 7,9%
)


def looks_numeric(text: str) -> bool:
    """Whether a text is a plain number (``-0.5``, ``1e-05``, ``+0,4``, ``1.234,5``, ``7,9%``)."""
    return bool(_NUMBER.fullmatch(text.strip()))


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would run a text cell as a formula.

    Parameters
    ----------
    text : str

    Returns
    -------
    bool
        True when ``text`` begins with one of :data:`FORMULA_STARTS` and is not a number.
    """
    return text.startswith(FORMULA_STARTS) and not looks_numeric(text)


def _quoted_formula(text: str) -> bool:
    """Whether ``text`` is a formula-like text behind zero or more quotes (``=x``, ``''-x``)."""
    return is_formula_like(text.lstrip(QUOTE))


def safe_cell(value: Any) -> Any:
    """Return a cell that a spreadsheet shows as text, never runs.

    Parameters
    ----------
    value : Any
        A cell. Only text is changed.

    Returns
    -------
    Any
        ``value``, with :data:`QUOTE` put in front when it is text that, without its leading
        quotes, begins with one of :data:`FORMULA_STARTS` and is not a number.
    """
    if isinstance(value, str) and _quoted_formula(value):
        return QUOTE + value
    return value


def unquote_cell(text: str) -> str:
    """Undo :func:`safe_cell` on a text cell read back from a CSV file.

    Parameters
    ----------
    text : str
        A cell of a text column.

    Returns
    -------
    str
        ``text`` without its first character when that is :data:`QUOTE` and the rest is what
        :func:`safe_cell` would have quoted; otherwise ``text`` as it is.
    """
    if text.startswith(QUOTE) and _quoted_formula(text[1:]):
        return text[1:]
    return text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` with every text cell and column name made safe (:func:`safe_cell`).

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        Numeric columns are unchanged.
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, out: TextIO) -> None:
    """Write a frame as CSV (header, no index, ``\\n`` line ends) with every cell safe.

    Parameters
    ----------
    frame : pandas.DataFrame
    out : text stream
    """
    safe_frame(frame).to_csv(out, index=False, lineterminator="\n")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as a CSV file to download: :func:`write_csv`, encoded :data:`BOM_ENCODING`.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    bytes
    """
    out = io.StringIO()
    write_csv(frame, out)
    return out.getvalue().encode(BOM_ENCODING)


def write_rows(rows: Iterable[Sequence[Any]], out: TextIO) -> None:
    """Write rows (the first is the header, if any) as CSV with every cell safe.

    Parameters
    ----------
    rows : iterable of sequence
        Cells: text, numbers, or None (an empty cell).
    out : text stream
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([safe_cell("" if cell is None else cell) for cell in row] for row in rows)


def safe_csv(content: bytes) -> bytes:
    """An existing CSV file (UTF-8, comma-separated) with every cell made safe.

    A file with nothing to quote comes back byte for byte; a file that is not UTF-8 CSV text
    comes back as it is.

    Parameters
    ----------
    content : bytes

    Returns
    -------
    bytes
        UTF-8 without a byte-order mark, ``\\n`` line ends, quoting only where CSV needs it.
    """
    try:
        text = content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error):
        return content
    if not any(_quoted_formula(cell) for row in rows for cell in row):
        return content
    out = io.StringIO()
    write_rows(rows, out)
    return out.getvalue().encode("utf-8")
