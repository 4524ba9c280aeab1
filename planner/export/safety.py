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

from planner.csvsafe import FORMULA_STARTS, looks_numeric, safe_cell

__all__ = ["FORMULA_STARTS", "csv_cell", "looks_numeric", "typst_escape"]

_TYPST_SPECIAL = re.compile(r"([\\#*_`$<>@=\-+/\[\]~\"'])")

csv_cell = safe_cell
"""A value safe for a spreadsheet cell (:func:`planner.csvsafe.safe_cell`)."""


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
