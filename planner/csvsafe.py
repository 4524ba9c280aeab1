"""CSV that a spreadsheet opens as text: no cell of user text runs as a formula.

A spreadsheet reads a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula (CSV injection: ``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``). Following the OWASP
guidance, :func:`safe_cell` writes such a text cell with a leading single quote, which makes it
text; a cell that is a number (``-0.5``, ``+3``, ``1e-05``) stays a number. Every CSV the
command line prints, and every export, goes through :func:`write_csv`.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"  # -0.5, +3, 1e-05
    r"|[+-]?(?:[0-9][0-9.,\s]*)?[0-9](?:[.,][0-9]+)?%?"  # locale-formatted: -0,4, 1.234,5, 7,9%
)


def looks_numeric(text: str) -> bool:
    """Whether a text is a plain number (``-0.5``, ``1e-05``, ``+0,4``, ``1.234,5``, ``7,9%``)."""
    return bool(_NUMBER.fullmatch(text.strip()))


def safe_cell(value: Any) -> Any:
    """Return a cell that a spreadsheet shows as text, never runs.

    Parameters
    ----------
    value : Any
        A cell. Only text is changed.

    Returns
    -------
    Any
        ``value``, with ``'`` put in front when it is text beginning with one of
        :data:`FORMULA_STARTS` and is not a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not looks_numeric(value):
        return "'" + value
    return value


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
