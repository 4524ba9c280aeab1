"""Checks of the raw text of one CSV file, before its rows are validated.

A spreadsheet saving a CSV file can get it wrong in ways the row validators would report
confusingly: a Windows code page instead of UTF-8 (cp1258 or latin-1), UTF-16 ("Unicode text"),
a semicolon or a tab as the delimiter (the usual list separator where the decimal mark is a comma),
or a formula. :func:`check_csv` names each. A byte-order mark and CRLF line ends are fine.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from planner.dataio.limits import DEFAULT_LIMITS, Limits
from planner.problems import Problem

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


def check_csv(name: str, content: bytes, limits: Limits = DEFAULT_LIMITS) -> TextCheck:
    """Check the text of one CSV data file.

    Parameters
    ----------
    name : str
        The file name, the ``field`` of every problem.
    content : bytes
        The file's bytes.
    limits : Limits, optional
        ``max_file_size`` applies.

    Returns
    -------
    TextCheck
        ``too_large``, ``encoding_utf16``, ``encoding`` (with the ``row`` of the first bad
        byte), ``delimiter`` (the file cannot be read) and ``formula`` (every such cell, with row
        and column).
    """
    if len(content) > limits.max_file_size:
        detail = {"size": len(content), "max_size": limits.max_file_size}
        return TextCheck((Problem(name, "too_large", detail),), readable=False)
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return TextCheck((Problem(name, "encoding_utf16", {}),), readable=False)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return TextCheck((Problem(name, "encoding", {"row": line}),), readable=False)
    if "\x00" in text:
        return TextCheck((Problem(name, "encoding_utf16", {}),), readable=False)
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
                if is_formula(cell):
                    column = header[i] if i < len(header) else f"#{i + 1}"
                    cells.add((line, column))
                    detail = {"row": line, "column": column, "value": cell.strip()[:SHOWN_CHARS]}
                    problems.append(Problem(name, "formula", detail))
    except csv.Error:
        pass  # the row validators report a CSV that does not parse, with its line
    return TextCheck(tuple(problems), readable=True, formula_cells=frozenset(cells))
