"""Checks of the raw text of one CSV file, before its rows are validated.

A spreadsheet saving a CSV file can get it wrong in ways the row validators would report
confusingly: a Windows code page instead of UTF-8 (cp1258 or latin-1), UTF-16 ("Unicode text",
told by its byte-order mark), NUL bytes (a binary file, not text), a semicolon or a tab as the
delimiter (the usual list separator where the decimal mark is a comma), or a formula. :func:`check_csv` names each. A byte-order mark and CRLF line ends are fine.

Formulas are judged per column. A number or true/false column takes values only: a cell
starting with ``=`` there is a formula and refused (``-2`` and ``+3`` are numbers; other text is
"not a number"). A text column (a quote, a note, a label) keeps any text as typed, ``=``, ``+``,
``-`` and ``@`` in front included: it is data, shown as text on every page, and every CSV the
planner writes quotes it (:mod:`planner.csvsafe`). :func:`unquote_text` takes that quote off a
CSV upload again, so a downloaded zip uploaded unchanged is the same dataset version.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass

from planner.csvsafe import QUOTE, unquote_cell
from planner.dataio.limits import DEFAULT_LIMITS, Limits
from planner.problems import Problem
from planner.validation import FILE_SPECS, RENAMED_COLUMNS

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
"""The byte-order marks of UTF-16 ("Unicode text"), little- and big-endian."""

DELIMITER_NAMES = {";": ";", "\t": "Tab", "|": "|"}
"""The wrong delimiters recognised, and how a message shows each."""

SHOWN_CHARS = 60
"""How much of a formula a message shows."""


@dataclass(frozen=True)
class TextCheck:
    """What :func:`check_csv` found.

    Attributes
    ----------
    problems : tuple of Problem
        Every problem, in the order of the file.
    readable : bool
        False when the rows cannot be read at all (too large, not UTF-8, wrong delimiter): the
        row validators would only repeat the problem in other words.
    formula_cells : frozenset of (int, str)
        ``(line, column)`` of every formula cell, whose validation messages say the same again.
    """

    problems: tuple[Problem, ...]
    readable: bool
    formula_cells: frozenset[tuple[int, str]] = frozenset()


def text_columns(filename: str) -> frozenset[str]:
    """The text columns of a data file, under today's names and the old ones still read.

    Parameters
    ----------
    filename : str
        The data file's name (``observations.csv``).

    Returns
    -------
    frozenset of str
        Columns of dtype ``str`` in :data:`planner.validation.FILE_SPECS`; empty for a name
        that is not a data file.
    """
    spec = FILE_SPECS.get(filename.removesuffix(".csv"))
    if spec is None:
        return frozenset()
    text = {column for column, dtype in spec.dtypes.items() if dtype == "str"}
    text |= {old for old, new in RENAMED_COLUMNS.get(spec.name, {}).items() if new in text}
    return frozenset(text)


def unquote_text(content: bytes, columns: Collection[str]) -> bytes:
    """A CSV upload with the quote :mod:`planner.csvsafe` writes taken off its text cells.

    Parameters
    ----------
    content : bytes
        The CSV file as uploaded (a member of a zip, a file of a folder, a CSV of new rows).
    columns : collection of str
        Its text columns (:func:`text_columns`); cells of other columns are kept as they are.

    Returns
    -------
    bytes
        ``content`` with :func:`planner.csvsafe.unquote_cell` applied to every cell of
        ``columns``, its lines where they were (line ends become ``\\n``); ``content`` itself
        when no cell changes or the text is not plain UTF-8 CSV (:func:`check_csv` says why, at
        the place in the file as uploaded).
    """
    if QUOTE.encode() not in content or b"\x00" in content:
        return content
    try:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""),
                               strict=True))
    except (UnicodeDecodeError, csv.Error):
        return content
    if not rows:
        return content
    header = [cell.strip() for cell in rows[0]]
    where = [i for i, column in enumerate(header) if column in columns]
    changed = False
    for row in rows[1:]:
        for i in where:
            if i < len(row) and (plain := unquote_cell(row[i].strip())) != row[i].strip():
                row[i] = plain
                changed = True
    if not changed:
        return content
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def is_formula(text: str) -> bool:
    """Whether a cell's text is a spreadsheet formula (it starts with ``=``).

    Parameters
    ----------
    text : str
        The cell.

    Returns
    -------
    bool
    """
    return text.lstrip().startswith("=")


def _wrong_delimiter(header: str) -> str | None:
    """The delimiter a header line uses when it is not a comma, else None."""
    if "," in header:
        return None
    counts = {d: header.count(d) for d in DELIMITER_NAMES}
    found = max(counts, key=lambda d: counts[d])
    return found if counts[found] else None


def check_csv(name: str, content: bytes, limits: Limits = DEFAULT_LIMITS,
              text_only: Collection[str] = ()) -> TextCheck:
    """Check the text of one CSV data file.

    Parameters
    ----------
    name : str
        The file name, the ``field`` of every problem.
    content : bytes
        The file's bytes.
    limits : Limits, optional
        ``max_file_size`` applies.
    text_only : collection of str, optional
        The file's text columns (:func:`text_columns`), where a formula-like text is kept;
        in every other column a cell starting with ``=`` is a ``formula`` problem.

    Returns
    -------
    TextCheck
        ``too_large``, ``encoding_utf16`` (a UTF-16 byte-order mark), ``nul_bytes`` (a NUL byte:
        not a text file; the ``row`` and ``byte``, from 1, of the first), ``encoding`` (with the
        ``row`` of the first byte that is not UTF-8), ``delimiter`` (the file cannot be read)
        and ``formula`` (every such cell, with row and column).
    """
    if len(content) > limits.max_file_size:
        detail = {"size": len(content), "max_size": limits.max_file_size}
        return TextCheck((Problem(name, "too_large", detail),), readable=False)
    if content.startswith(UTF16_BOMS):
        return TextCheck((Problem(name, "encoding_utf16", {}),), readable=False)
    nul = content.find(b"\x00")
    if nul >= 0:
        detail = {"row": content[:nul].count(b"\n") + 1, "byte": nul + 1}
        return TextCheck((Problem(name, "nul_bytes", detail),), readable=False)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return TextCheck((Problem(name, "encoding", {"row": line}),), readable=False)
    header_line = text.split("\n", 1)[0].rstrip("\r")
    delimiter = _wrong_delimiter(header_line)
    if delimiter is not None:
        detail = {"row": 1, "delimiter": DELIMITER_NAMES[delimiter]}
        return TextCheck((Problem(name, "delimiter", detail),), readable=False)
    problems: list[Problem] = []
    cells: set[tuple[int, str]] = set()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [cell.strip() for cell in next(reader, [])]
        last_line = reader.line_num
        for row in reader:
            line = last_line + 1
            last_line = reader.line_num
            for i, cell in enumerate(row):
                column = header[i] if i < len(header) else f"#{i + 1}"
                if column not in text_only and is_formula(cell):
                    cells.add((line, column))
                    detail = {"row": line, "column": column, "value": cell.strip()[:SHOWN_CHARS]}
                    problems.append(Problem(name, "formula", detail))
    except csv.Error:
        pass  # the row validators report a CSV that does not parse, with its line
    return TextCheck(tuple(problems), readable=True, formula_cells=frozenset(cells))
