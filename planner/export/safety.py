"""User text and data quotes stay plain text in every export.

A scenario's name, note and author, and the quotes of the data, are shown verbatim, never as
markup, a formula or a link:

* spreadsheets and CSV: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is read as a formula by Excel, LibreOffice and Google Sheets; such a cell gets a
  leading apostrophe (:func:`csv_cell`), unless it is a number (``-3``, ``+0,4``). The XLSX
  writer writes every text with ``write_string`` in a workbook opened with
  ``strings_to_formulas`` and ``strings_to_urls`` off, so no quoting is needed there;
* the PDF: text reaches Typst as JSON data (``sys.inputs``), never as source, so ``#``, ``*``,
  ``<``, ``$`` and ``@`` are letters (:func:`typst_escape` is there for text that must go into
  Typst source);
* the PowerPoint: plain runs, no hyperlinks.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_NUMBER = re.compile(r"^[+-]?(\d[\d.,\s]*)?\d([.,]\d+)?%?$|^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$")
_TYPST_SPECIAL = re.compile(r"([\\#*_`$<>@=\-+/\[\]~\"'])")


def looks_numeric(text: str) -> bool:
    """Whether a text is a plain number (``-3``, ``+0,4``, ``1.234,5``, ``7,9%``)."""
    return bool(_NUMBER.match(text.strip())) if text.strip() else False


def csv_cell(value: Any) -> Any:
    """A value safe for a spreadsheet cell: text that would be a formula gets a leading ``'``.

    Parameters
    ----------
    value : Any
        A cell. Numbers and missing values pass unchanged.

    Returns
    -------
    Any
        ``value``, or ``"'" + value`` for a text starting with one of :data:`FORMULA_STARTS`
        that is not a number.
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_STARTS) and not looks_numeric(value):
        return "'" + value
    return value


def typst_escape(text: str) -> str:
    """Escape text for Typst markup (every markup character gets a backslash).

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    return _TYPST_SPECIAL.sub(r"\\\1", str(text))
