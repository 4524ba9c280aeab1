"""The baseline dataset: reading and validating ``data/*.csv``, and its content version.

:func:`read_data_dir` reads every data file, checks every row with the models of
:mod:`planner.validation` and the references between files, and returns a :class:`Dataset`.
Any problem raises :class:`DataValidationError`, whose message names the file, the line (as
numbered in the file, the header being line 1), the column and the problem.

A valid dataset's frames are built from the canonical form of its files
(:func:`planner.dataio.canonical.canonical_files`) and its version is the hash of that form, so
the same content saved again by a spreadsheet (a byte-order mark, CRLF line ends, reordered rows
of units, sources or observations, ``100.0`` for ``100``) is the same dataset version.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
from pydantic import BaseModel, ValidationError

from planner.dataio.canonical import canonical_files, content_version, hash_files
from planner.validation import (
    FILE_SPECS,
    AssumptionRow,
    FileSpec,
    IndicatorRow,
    LeverRow,
    LinkRow,
    ModelRow,
    ObservationRow,
    current_header,
)

FILE_NAMES: tuple[str, ...] = tuple(FILE_SPECS)
"""The frame names of the data files, in loading order."""

SOURCE_SEPARATOR = ";"
"""Separates the ids of a ``source`` cell that cites several sources (``assumptions.csv``)."""

MAX_LISTED_ISSUES = 20
"""How many problems a :class:`DataValidationError` message lists."""


class Issue(NamedTuple):
    """One problem found in the data files.

    Attributes
    ----------
    file : str
        The file name, for example ``observations.csv``.
    row : int or None
        The line number in the file (the header is line 1), or None for a whole-file problem.
    column : str or None
        The column, or None when the problem is not about one column.
    problem : str
        What is wrong, in plain words.
    """

    file: str
    row: int | None
    column: str | None
    problem: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"line {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.problem}"


class DataValidationError(ValueError):
    """The data files are not valid; nothing was loaded.

    Parameters
    ----------
    issues : iterable of Issue
        Every problem found, in the order found (at least one).

    Attributes
    ----------
    issues : list of Issue
        Every problem found.
    file, row, column, problem
        The fields of the first problem.
    """

    def __init__(self, issues: Iterable[Issue]):
        self.issues = list(issues)
        if not self.issues:
            raise ValueError("DataValidationError needs at least one issue")
        first = self.issues[0]
        self.file, self.row, self.column, self.problem = first
        lines = [str(issue) for issue in self.issues[:MAX_LISTED_ISSUES]]
        if len(self.issues) > 1:
            lines[0] += f" (and {len(self.issues) - 1} more problem(s))"
        rest = len(self.issues) - MAX_LISTED_ISSUES
        if rest > 0:
            lines.append(f"... and {rest} more")
        super().__init__("\n  ".join(lines))


@dataclass(frozen=True)
class Dataset:
    """One version of the baseline dataset: a frame per data file and the content hash.

    Attributes
    ----------
    units, sources, indicators, observations, assumptions, levers, models, links, scenarios
        pandas.DataFrame
        One frame per file, with exactly the file's columns (:mod:`planner.validation`), in the
        order of the canonical files (units, sources and observations by key; the other files
        in file order). Empty optional text cells are ``""``; empty optional numbers are missing (NaN or
        ``<NA>``). ``scenarios.settings`` is JSON text.
    version : str
        The dataset version: :func:`planner.dataio.canonical.content_version` of the files it
        was read from (a version stored before versions were content hashes keeps its old id).
    """

    units: pd.DataFrame
    sources: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    assumptions: pd.DataFrame
    levers: pd.DataFrame
    models: pd.DataFrame
    links: pd.DataFrame
    scenarios: pd.DataFrame
    version: str

    def frames(self) -> dict[str, pd.DataFrame]:
        """Return the frames by file name (without ``.csv``), in loading order.

        Returns
        -------
        dict of str to pandas.DataFrame
        """
        return {name: getattr(self, name) for name in FILE_NAMES}

    def row_counts(self) -> dict[str, int]:
        """Return the number of rows of every frame.

        Returns
        -------
        dict of str to int
        """
        return {name: len(frame) for name, frame in self.frames().items()}


assert [f.name for f in fields(Dataset)] == [*FILE_NAMES, "version"]


def source_ids(cell: str) -> list[str]:
    """Return the source ids a ``source`` cell cites: one id, or several joined by ``;``.

    Parameters
    ----------
    cell : str
        The cell, for example ``"baomoi_qn_de_2024; baomoi_vn_de_2024"``.

    Returns
    -------
    list of str
        The ids in order, stripped; empty for an empty cell.
    """
    return [part.strip() for part in cell.split(SOURCE_SEPARATOR) if part.strip()]


def read_files(path: str | Path) -> dict[str, bytes]:
    """Read the bytes of every ``*.csv`` file directly in a folder.

    Parameters
    ----------
    path : str or pathlib.Path
        The data folder.

    Returns
    -------
    dict of str to bytes
        File name to content, sorted by file name.

    Raises
    ------
    DataValidationError
        When the folder does not exist.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise DataValidationError([Issue(str(folder), None, None, "data folder not found")])
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv")) if p.is_file()}


def dataset_hash(path: str | Path) -> str:
    """Return the dataset version of a data folder (the content version of its ``*.csv`` files).

    Parameters
    ----------
    path : str or pathlib.Path
        The data folder.

    Returns
    -------
    str
        16 hex digits; see :func:`planner.dataio.canonical.content_version`.
    """
    return content_version(read_files(path))


def file_hashes(files: Mapping[str, bytes]) -> dict[str, str]:
    """Return the full SHA-256 hex digest of every file.

    Parameters
    ----------
    files : mapping of str to bytes
        File name to content.

    Returns
    -------
    dict of str to str
    """
    return {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)}


def read_data_dir(path: str | Path) -> Dataset:
    """Read and validate the data files of a folder.

    Parameters
    ----------
    path : str or pathlib.Path
        The data folder, holding ``units.csv``, ``sources.csv``, ``indicators.csv``,
        ``observations.csv``, ``assumptions.csv``, ``levers.csv``, ``models.csv``, ``links.csv``
        and ``scenarios.csv``.

    Returns
    -------
    Dataset
        Every frame, and the content hash of the files as ``version``.

    Raises
    ------
    DataValidationError
        When a file is missing or any row is invalid; the message names file, line and column.
    """
    files = read_files(path)
    return parse_files(files)


def parse_files(files: Mapping[str, bytes]) -> Dataset:
    """Validate the contents of the data files and build a :class:`Dataset`.

    Parameters
    ----------
    files : mapping of str to bytes
        File name to content, as returned by :func:`read_files`.

    Returns
    -------
    Dataset
        Frames built from the canonical form of the files (rows of units, sources and
        observations in key order); ``version`` is the hash of that form
        (:func:`planner.dataio.canonical.content_version`).

    Raises
    ------
    DataValidationError
        When a file is missing or any row is invalid; lines are those of ``files``.
    """
    parsed = _parse_all(files)
    canonical = canonical_files(files)
    if canonical != dict(sorted(files.items())):
        parsed = _parse_all(canonical)  # the same content, so valid too
    frames = {name: rows_to_frame(name, [row for _, row in rows]) for name, rows in parsed.items()}
    return Dataset(**frames, version=hash_files(canonical))


def _parse_all(files: Mapping[str, bytes]) -> dict[str, list[tuple[int, BaseModel]]]:
    """Parse and check every data file: the rows of each, or DataValidationError."""
    issues: list[Issue] = []
    parsed: dict[str, list[tuple[int, BaseModel]]] = {}
    missing: set[str] = set()
    failed: dict[str, set[str]] = {}
    for spec in FILE_SPECS.values():
        if spec.filename not in files:
            issues.append(Issue(spec.filename, None, None, "file is missing from the data folder"))
            parsed[spec.name] = []
            missing.add(spec.name)
            continue
        rows, file_issues, failed_ids = _parse_file(spec, files[spec.filename])
        issues.extend(file_issues)
        parsed[spec.name] = rows
        if failed_ids is None:
            missing.add(spec.name)  # unreadable: references to it are not checked
        else:
            failed[spec.name] = failed_ids
    issues.extend(_check_keys(parsed))
    issues.extend(_check_references(parsed, missing, failed))
    if issues:
        order = {FILE_SPECS[name].filename: i for i, name in enumerate(FILE_NAMES)}
        issues.sort(key=lambda issue: (order.get(issue.file, -1), issue.row or 0))
        raise DataValidationError(issues)
    return parsed


def rows_to_frame(name: str, rows: Iterable[BaseModel | Mapping[str, Any]]) -> pd.DataFrame:
    """Build the frame of one data file with its canonical columns and dtypes.

    Parameters
    ----------
    name : str
        The frame name (``observations``).
    rows : iterable of row models or mappings
        The rows, in order.

    Returns
    -------
    pandas.DataFrame
        Exactly the file's columns; text columns use ``""`` for empty cells.
    """
    spec = FILE_SPECS[name]
    records = [row.model_dump() if isinstance(row, BaseModel) else dict(row) for row in rows]
    frame = pd.DataFrame.from_records(records, columns=list(spec.columns))
    return conform_frame(name, frame)


def conform_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame the canonical columns, order and dtypes of one data file.

    Parameters
    ----------
    name : str
        The frame name (``observations``).
    frame : pandas.DataFrame
        Holds at least the file's columns; other columns are dropped.

    Returns
    -------
    pandas.DataFrame
        A new frame with a fresh RangeIndex.
    """
    spec = FILE_SPECS[name]
    out = frame.loc[:, list(spec.columns)].reset_index(drop=True)
    for column, dtype in spec.dtypes.items():
        if dtype == "str":
            out[column] = out[column].fillna("").astype("str")
        else:
            out[column] = out[column].astype(dtype)
    return out


def _parse_file(
    spec: FileSpec, content: bytes
) -> tuple[list[tuple[int, BaseModel]], list[Issue], set[str] | None]:
    """Parse one file into (line, row model) pairs, the problems found and the ids of bad rows.

    The ids of rows that failed are returned so that references to them are not reported a
    second time as unknown ids; None instead means the file could not be read at all.
    """
    name = spec.filename
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return [], [Issue(name, line, None, "is not valid UTF-8 text")], None

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    issues: list[Issue] = []
    rows: list[tuple[int, BaseModel]] = []
    failed_ids: set[str] = set()
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [Issue(name, 1, None, f"is not valid CSV ({exc})")], None
    if header is None:
        return [], [Issue(name, None, None, "file is empty (no header row)")], None
    header, absent = current_header(spec.name, [cell.strip().lstrip("\ufeff") for cell in header])
    expected = tuple(c for c in spec.columns if c not in absent)
    for column in expected:
        if column not in header:
            issues.append(Issue(name, 1, column, "column is missing from the header"))
    seen: set[str] = set()
    for column in header:
        if column not in expected:
            issues.append(Issue(name, 1, column or "(empty)", "unexpected column"))
        elif column in seen:
            issues.append(Issue(name, 1, column, "column appears twice in the header"))
        seen.add(column)
    if issues:
        return [], issues, None

    last_line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            issues.append(Issue(name, last_line + 1, None, f"is not valid CSV ({exc})"))
            break
        line = last_line + 1
        last_line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            column = header[len(cells)] if len(cells) < len(header) else None
            issues.append(
                Issue(name, line, column, f"row has {len(cells)} cells, the header has {len(header)}")
            )
            continue
        record = dict(zip(header, cells, strict=True))
        try:
            rows.append((line, spec.model.model_validate(record)))
        except ValidationError as exc:
            issues.extend(_issues_from_validation(name, line, record, exc))
            failed_ids.add(unicodedata.normalize("NFC", record.get("id", "").strip()))
    return rows, issues, failed_ids


def _issues_from_validation(
    name: str, line: int, record: Mapping[str, str], exc: ValidationError
) -> list[Issue]:
    """Translate pydantic's errors into plain-worded issues naming the column."""
    issues = []
    for error in exc.errors(include_url=False):
        ctx = error.get("ctx") or {}
        kind = error["type"]
        column = str(error["loc"][0]) if error["loc"] else ctx.get("column")
        raw = record.get(column, error.get("input")) if column else error.get("input")
        shown = repr(raw.strip() if isinstance(raw, str) else raw)
        if kind == "missing":
            problem = "is empty (a value is required)"
        elif kind in ("float_parsing", "float_type"):
            problem = f"{shown} is not a number"
        elif kind == "finite_number":
            problem = f"{shown} is not a finite number"
        elif kind in ("int_parsing", "int_type", "int_from_float"):
            problem = f"{shown} is not a whole number"
        elif kind in ("bool_parsing", "bool_type"):
            problem = f"{shown} is not true or false"
        elif kind == "literal_error":
            problem = f"{shown} is not one of {ctx.get('expected')}"
        elif kind == "string_pattern_mismatch":
            problem = f"{shown} must not contain spaces"
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            bound = {
                "greater_than_equal": ">=",
                "greater_than": ">",
                "less_than_equal": "<=",
                "less_than": "<",
            }[kind]
            limit = next(iter(ctx.values()), "")
            problem = f"{shown} must be {bound} {limit}"
        elif kind == "row_error":
            problem = str(ctx.get("message", error["msg"]))
        elif kind == "value_error":
            problem = str(ctx.get("error", error["msg"]))
            if column and not problem.startswith("'"):
                problem = f"{shown} {problem}"
        else:
            problem = f"{shown}: {error['msg']}"
        issues.append(Issue(name, line, column, problem))
    return issues


def _check_keys(parsed: Mapping[str, list[tuple[int, BaseModel]]]) -> list[Issue]:
    """Report rows whose key repeats an earlier row of the same file."""
    issues = []
    for name, rows in parsed.items():
        spec = FILE_SPECS[name]
        first_line: dict[tuple[Any, ...], int] = {}
        for line, row in rows:
            key = tuple(getattr(row, column) for column in spec.key)
            if key in first_line:
                if len(spec.key) == 1:
                    column = spec.key[0]
                    problem = f"duplicate {column} {key[0]!r} (first on line {first_line[key]})"
                else:
                    column = "+".join(spec.key)
                    shown = ", ".join(f"{c}={v!r}" for c, v in zip(spec.key, key, strict=True))
                    problem = f"duplicate key ({shown}), first on line {first_line[key]}"
                issues.append(Issue(spec.filename, line, column, problem))
            else:
                first_line[key] = line
    return issues


class _Anything:
    """Stands for the ids of a missing file: every id is accepted, none has a row."""

    def __contains__(self, item: object) -> bool:
        return True

    def get(self, key: object, default: Any = None) -> Any:
        return default


def _check_references(
    parsed: Mapping[str, list[tuple[int, BaseModel]]],
    missing: set[str],
    failed: Mapping[str, set[str]],
) -> list[Issue]:
    """Check ids that refer to other files, units and value ranges."""

    def ids(name: str) -> Any:
        # A missing file is reported once; references to it are not checked.
        if name in missing:
            return _Anything()
        known_ids: dict[str, Any] = dict.fromkeys(failed.get(name, ()))  # reported already
        known_ids.update({row.id: row for _, row in parsed[name]})  # type: ignore[attr-defined]
        return known_ids

    units = ids("units")
    sources = ids("sources")
    indicators = ids("indicators")
    assumptions = ids("assumptions")
    levers = ids("levers")
    issues: list[Issue] = []

    def known(file: str, line: int, column: str, value: str, ids: Any, where: str) -> bool:
        if value in ids:
            return True
        issues.append(Issue(file, line, column, f"{value!r} is not {where}"))
        return False

    def in_range(file: str, line: int, column: str, value: float, unit_id: str) -> None:
        unit = units.get(unit_id)
        if unit is not None and not math.isnan(value) and not unit.contains(value):
            issues.append(
                Issue(
                    file,
                    line,
                    column,
                    f"{value:g} is outside the range of unit {unit_id} ({unit.range_text()})",
                )
            )

    for line, row in parsed["indicators"]:
        assert isinstance(row, IndicatorRow)
        known("indicators.csv", line, "unit", row.unit, units, "a unit in units.csv")

    for line, row in parsed["observations"]:
        assert isinstance(row, ObservationRow)
        file = "observations.csv"
        indicator = indicators.get(row.indicator)
        known(file, line, "indicator", row.indicator, indicators, "an indicator in indicators.csv")
        unit_known = known(file, line, "unit", row.unit, units, "a unit in units.csv")
        if indicator is not None and unit_known and row.unit != indicator.unit:
            both_ranks = row.unit.startswith("rank_of_") and indicator.unit.startswith("rank_of_")
            if not both_ranks:
                issues.append(
                    Issue(
                        file,
                        line,
                        "unit",
                        f"{row.unit!r} differs from the unit of indicator {row.indicator} "
                        f"({indicator.unit!r})",
                    )
                )
        in_range(file, line, "value", row.value, row.unit)

    for name, spec in FILE_SPECS.items():  # every file with a source column cites sources.csv
        if name == "sources" or "source" not in spec.columns:
            continue
        for line, row in parsed[name]:
            for source in source_ids(row.source):  # type: ignore[attr-defined]
                known(spec.filename, line, "source", source, sources, "a source in sources.csv")

    for line, row in parsed["assumptions"]:
        assert isinstance(row, AssumptionRow)
        file = "assumptions.csv"
        if known(file, line, "unit", row.unit, units, "a unit in units.csv"):
            for column in ("value", "low", "high"):
                in_range(file, line, column, getattr(row, column), row.unit)

    for line, row in parsed["levers"]:
        assert isinstance(row, LeverRow)
        file = "levers.csv"
        known(file, line, "indicator", row.indicator, indicators, "an indicator in indicators.csv")
        if known(file, line, "unit", row.unit, units, "a unit in units.csv"):
            for column in ("min", "max"):
                in_range(file, line, column, getattr(row, column), row.unit)

    for line, row in parsed["models"]:
        assert isinstance(row, ModelRow)
        file = "models.csv"
        known(file, line, "indicator", row.indicator, indicators, "an indicator in indicators.csv")
        for column in ("level_assumption", "growth_assumption"):
            value = getattr(row, column)
            if value:
                known(file, line, column, value, assumptions, "an assumption in assumptions.csv")

    for line, row in parsed["links"]:
        assert isinstance(row, LinkRow)
        file = "links.csv"
        known(file, line, "outcome", row.outcome, indicators, "an indicator in indicators.csv")
        known(file, line, "lever", row.lever, levers, "a lever in levers.csv")
        known(file, line, "assumption", row.assumption, assumptions, "an assumption in assumptions.csv")

    return issues
