"""The problems of an upload: their codes, and their wording in Vietnamese and English.

An upload's :class:`planner.problems.Problem` names *where* (``field``: the data file,
``observations.csv``, or the uploaded file's own name; ``detail`` may add ``sheet``, ``row`` and
``column``), *what* (``code``, one of :data:`PROBLEM_CODES`) and the values the message needs
(the rest of ``detail``). The message itself is the catalogue entry ``dataio.problem.<code>``,
so pages show it in their language: :func:`describe`.

The validators of :mod:`planner.dataset` report :class:`planner.dataset.Issue` in English words;
:func:`problem_from_issue` recognises their wordings and gives each a code, so that they too can be
shown in both languages. A wording it does not recognise keeps its English text under the code
``invalid``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from planner.dataset import Issue
from planner.formatting import fmt_int, fmt_number
from planner.i18n import t
from planner.problems import Problem

PROBLEM_CODES: tuple[str, ...] = (
    # the upload as a whole
    "upload_type",
    "too_large",
    "no_data_files",
    "unknown_file",
    # archives (a zip, or the zip inside a workbook)
    "bad_zip",
    "unsafe_path",
    "symlink",
    "too_many_members",
    "zip_bomb",
    "zip_ratio",
    "nested_archive",
    "encrypted",
    "duplicate_member",
    "several_folders",
    # workbooks
    "bad_workbook",
    "unknown_sheet",
    # the text of a CSV file
    "encoding",
    "encoding_utf16",
    "nul_bytes",
    "delimiter",
    "formula",
    "not_csv",
    "empty_file",
    # the validators (planner.dataset)
    "missing_file",
    "missing_column",
    "unexpected_column",
    "duplicate_column",
    "cell_count",
    "required",
    "not_a_number",
    "not_whole",
    "not_bool",
    "not_allowed",
    "has_spaces",
    "bound",
    "out_of_range",
    "unknown_ref",
    "unit_mismatch",
    "duplicate_key",
    "duplicate_current",
    "invalid",
    # the model
    "model_fit",
)
"""Every code of an upload's problem; the catalogue has ``dataio.problem.<code>`` for each."""

SIZE_KEYS = frozenset({"size", "max_size"})
"""Detail keys holding a number of bytes (shown in MiB)."""


def _shown(key: str, value: Any, lang: str) -> str:
    if key in SIZE_KEYS and isinstance(value, int | float):
        return fmt_number(value / (1024 * 1024), lang, 1) + " MiB"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return fmt_int(value, lang)
    if isinstance(value, float):
        return fmt_number(value, lang, trim=True)
    return str(value)


def where(problem: Problem, lang: str) -> str:
    """The place of a problem in words: ``File observations.csv, row 12, column value``.

    Parameters
    ----------
    problem : Problem
        The problem.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
    """
    d = problem.detail
    parts = [
        t("dataio.where.sheet", lang, name=d["sheet"])
        if d.get("sheet")
        else t("dataio.where.file", lang, name=problem.field)
    ]
    if d.get("row") is not None:
        parts.append(t("dataio.where.row", lang, row=_shown("row", d["row"], lang)))
    if d.get("column"):
        parts.append(t("dataio.where.column", lang, column=d["column"]))
    return ", ".join(parts)


def describe(problem: Problem, lang: str) -> str:
    """The problem in the reader's language, with its place first.

    Parameters
    ----------
    problem : Problem
        The problem.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        For example ``Tệp observations.csv, dòng 12, cột value: 1,7 nằm ngoài khoảng …``.
    """
    values = {k: _shown(k, v, lang) for k, v in problem.detail.items()}
    text = t(f"dataio.problem.{problem.code}", lang, **values)
    return f"{where(problem, lang)}: {text}"


def _unquote(text: str) -> str:
    """The value inside a Python repr (``'abc'`` → ``abc``); other text as it is."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


_PATTERNS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (code, re.compile(pattern, re.DOTALL), names)
    for code, pattern, names in (
        ("missing_file", r"file is missing from the data folder", ()),
        ("encoding", r"is not valid UTF-8 text", ()),
        ("not_csv", r"is not valid CSV \((?P<reason>.*)\)", ("reason",)),
        ("empty_file", r"file is empty \(no header row\)", ()),
        ("missing_column", r"column is missing from the header", ()),
        ("unexpected_column", r"unexpected column", ()),
        ("duplicate_column", r"column appears twice in the header", ()),
        ("cell_count", r"row has (?P<cells>\d+) cells, the header has (?P<expected>\d+)", ()),
        ("required", r"is empty \(a value is required\)", ()),
        ("not_a_number", r"(?P<value>.*) is not a (?:finite )?number", ("value",)),
        ("not_whole", r"(?P<value>.*) is not a whole number", ("value",)),
        ("not_bool", r"(?P<value>.*) is not true or false", ("value",)),
        ("not_allowed", r"(?P<value>.*) is not one of (?P<allowed>.*)", ("value",)),
        ("has_spaces", r"(?P<value>.*) must not contain spaces", ("value",)),
        ("bound", r"(?P<value>.*) must be (?P<bound>>=|>|<=|<) (?P<limit>.*)", ("value",)),
        (
            "duplicate_key",
            r"duplicate \w+ (?P<row_key>.*) \(first on line (?P<first_row>\d+)\)",
            ("row_key",),
        ),
        (
            "duplicate_key",
            r"duplicate key \((?P<row_key>.*)\), first on line (?P<first_row>\d+)",
            (),
        ),
        (
            "unknown_ref",
            r"(?P<value>.*) is not an? \w+ in (?P<target>\w+\.csv)",
            ("value",),
        ),
        (
            "out_of_range",
            r"(?P<value>\S+) is outside the range of unit (?P<unit>\S+) \((?P<range>.*)\)",
            (),
        ),
        (
            "unit_mismatch",
            r"(?P<value>.*) differs from the unit of indicator (?P<indicator>\S+) "
            r"\((?P<expected>.*)\)",
            ("value", "expected"),
        ),
    )
)


def problem_from_issue(issue: Issue) -> Problem:
    """Give an issue of the validators a code and the values of its message.

    Parameters
    ----------
    issue : planner.dataset.Issue
        A problem found by :func:`planner.dataset.parse_files`.

    Returns
    -------
    Problem
        ``field`` is the file; ``detail`` has ``row`` and ``column`` when the issue has them,
        and the values its wording holds (``first_row`` of a duplicate is an int). An
        unrecognised wording gives the code ``invalid`` with the English text as ``problem``.
    """
    place: dict[str, Any] = {}
    if issue.row is not None:
        place["row"] = issue.row
    if issue.column is not None:
        place["column"] = issue.column
    for code, pattern, quoted in _PATTERNS:
        match = pattern.fullmatch(issue.problem)
        if match is None:
            continue
        values: dict[str, Any] = dict(match.groupdict())
        for name in quoted:
            values[name] = _unquote(values[name])
        for name in ("first_row", "cells", "expected"):
            if name in values and str(values[name]).isdigit():
                values[name] = int(values[name])
        return Problem(issue.file, code, {**place, **values})
    return Problem(issue.file, "invalid", {**place, "problem": issue.problem})


def relocate(
    problem: Problem, field: str, lines: Mapping[int, int] | None = None, **extra: Any
) -> Problem:
    """Move a problem found in a rewritten file back to the place the editor knows.

    Parameters
    ----------
    problem : Problem
        A problem on a file built from an upload (a sheet written as CSV, observations merged
        onto the current ones).
    field : str
        The name to show (the uploaded file's name, or the data file's).
    lines : mapping of int to int, optional
        Line of the rewritten file to row of the upload; lines not in it are kept.
    **extra
        Detail to add, such as ``sheet``.

    Returns
    -------
    Problem
    """
    detail = dict(problem.detail)
    for key in ("row", "first_row"):
        if lines is not None and detail.get(key) in lines:
            detail[key] = lines[detail[key]]
    detail.update(extra)
    return Problem(field, problem.code, detail)
