"""An upload (a folder, a zip, a workbook or a CSV of new observations) to a validated dataset.

Nothing here touches a database: :func:`read_upload` and :func:`read_folder` return an
:class:`Upload` holding either the new dataset (with its canonical files and content version) or
every problem found, each with its file or sheet, row and column. The steps:

1. the upload is unpacked into data files: :mod:`~planner.dataio.archive` for a zip,
   :mod:`~planner.dataio.workbook` for a workbook, :func:`merge_observations` for a CSV of new
   observation rows (added to the current dataset's files; a row whose key is already there is a
   problem, not an update);
2. the quote the planner's CSV writer puts before a formula-like text is taken off the text
   cells of a CSV file (:func:`planner.dataio.csvtext.unquote_text`; not of a workbook, whose
   cells are typed), then the text of every data file is checked
   (:func:`planner.dataio.csvtext.check_csv`: encoding, delimiter, formulas in number columns);
3. the files are validated whole by :func:`planner.dataset.parse_files`, and its issues are put
   back on the sheet and row, or the uploaded file and line, the editor knows;
4. when nothing is wrong, the dataset is built from the canonical files
   (:func:`planner.dataio.canonical.canonical_files`), so equal content gives equal frames and
   version.

Whether the model can be fitted on the new dataset is checked by
:func:`planner.dataio.preview.check_fit`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planner.dataio.archive import read_zip
from planner.dataio.canonical import (
    canonical_files,
    cell_text,
    dataset_files,
    hash_files,
    write_csv,
)
from planner.dataio.csvtext import check_csv, text_columns, unquote_text
from planner.dataio.limits import DEFAULT_LIMITS, Limits
from planner.dataio.problems import problem_from_issue, relocate
from planner.dataio.workbook import read_workbook
from planner.dataset import Dataset, DataValidationError, parse_files
from planner.problems import Problem
from planner.validation import FILE_SPECS, current_header

KINDS = ("folder", "zip", "xlsx", "csv")
"""What an upload can be."""

DATA_FILES: tuple[str, ...] = tuple(spec.filename for spec in FILE_SPECS.values())
"""The data file names, in loading order."""

UNREADABLE = b"\xff"
"""Stands for a data file whose text could not be read, so that the validators skip the
references to it instead of reporting it missing; its own issues are dropped."""


@dataclass(frozen=True)
class Origin:
    """Where the lines of a data file built from an upload come from.

    Attributes
    ----------
    field : str
        The name to show (the data file, or the uploaded CSV file).
    sheet : str or None
        The workbook sheet the file was read from.
    lines : dict of int to int, or None
        Line of the built file to row (or line) of the upload; None when they are equal.
    """

    field: str
    sheet: str | None = None
    lines: dict[int, int] | None = None

    def place(self, problem: Problem) -> Problem:
        """The problem moved to this origin's name, sheet and rows."""
        extra = {"sheet": self.sheet} if self.sheet else {}
        return relocate(problem, self.field, self.lines, **extra)


@dataclass(frozen=True)
class Upload:
    """What an upload holds once read and checked.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    name : str
        The uploaded file's (or folder's) name.
    problems : tuple of Problem
        Every problem found; empty when the upload is a valid dataset.
    dataset : planner.dataset.Dataset or None
        The new dataset, built from the canonical files; None when there is a problem.
    files : dict of str to bytes
        The canonical data files of the new dataset (what a store keeps); empty when there is a
        problem.
    """

    kind: str
    name: str
    problems: tuple[Problem, ...]
    dataset: Dataset | None = None
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the upload is a valid dataset."""
        return not self.problems and self.dataset is not None

    @property
    def version(self) -> str | None:
        """The content version of the new dataset, or None when there is a problem."""
        return self.dataset.version if self.ok and self.dataset is not None else None


def _dedupe(problems: Sequence[Problem]) -> list[Problem]:
    seen: set[tuple] = set()
    out = []
    for p in problems:
        key = (p.field, p.code, p.detail.get("sheet"), p.row, p.column, p.detail.get("member"))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def check_files(
    kind: str,
    name: str,
    files: Mapping[str, bytes],
    origins: Mapping[str, Origin] | None = None,
    problems: Sequence[Problem] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> Upload:
    """Check a complete set of data files and build the dataset when nothing is wrong.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    name : str
        The upload's name.
    files : mapping of str to bytes
        Data file name to content, as unpacked from the upload.
    origins : mapping of str to Origin, optional
        Where each file's lines come from (default: the file itself).
    problems : sequence of Problem, optional
        Problems found while unpacking, listed first.
    limits : Limits, optional
        ``max_file_size`` applies to every file.

    Returns
    -------
    Upload
    """
    origins = dict(origins or {})
    found = list(problems)
    for filename in sorted(set(files) - set(DATA_FILES)):
        origin = origins.get(filename, Origin(filename))
        found.append(
            origin.place(Problem(filename, "unknown_file", {"expected": ", ".join(DATA_FILES)}))
        )
    readable: dict[str, bytes] = {}
    skipped: set[str] = set()
    formula_cells: dict[str, frozenset] = {}
    for filename in DATA_FILES:
        if filename not in files:
            continue
        origin = origins.get(filename, Origin(filename))
        check = check_csv(filename, files[filename], limits, text_columns(filename))
        found.extend(origin.place(p) for p in check.problems)
        formula_cells[filename] = check.formula_cells
        if check.readable:
            readable[filename] = files[filename]
        else:
            readable[filename] = UNREADABLE
            skipped.add(filename)
    try:
        parse_files(readable)
    except DataValidationError as exc:
        for issue in exc.issues:
            if issue.file in skipped or (issue.row, issue.column) in formula_cells.get(
                issue.file, ()
            ):
                continue
            origin = origins.get(issue.file, Origin(issue.file))
            found.append(origin.place(problem_from_issue(issue)))
    found = _dedupe(found)
    if found:
        return Upload(kind, name, tuple(found))
    canonical = canonical_files({filename: files[filename] for filename in DATA_FILES})
    dataset = parse_files(canonical)
    assert dataset.version == hash_files(canonical)
    return Upload(kind, name, (), dataset, canonical)


def read_folder(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Upload:
    """Read and check the data files of a folder (every ``*.csv`` directly in it).

    Parameters
    ----------
    path : str or pathlib.Path
        The folder.
    limits : Limits, optional
        ``max_file_size`` applies; a larger file is not read.

    Returns
    -------
    Upload
    """
    folder = Path(path)
    if not folder.is_dir():
        return Upload("folder", str(folder), (Problem(str(folder), "no_data_files", {}),))
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for item in sorted(folder.glob("*.csv")):
        if not item.is_file():
            continue
        size = item.stat().st_size
        if size > limits.max_file_size:
            detail = {"size": size, "max_size": limits.max_file_size}
            problems.append(Problem(item.name, "too_large", detail))
            files[item.name] = UNREADABLE
            continue
        files[item.name] = unquote_text(item.read_bytes(), text_columns(item.name))
    if not files:
        return Upload("folder", folder.name, (Problem(folder.name, "no_data_files", {}),))
    return check_files("folder", folder.name, files, problems=problems, limits=limits)


def upload_kind(name: str, content: bytes) -> str | None:
    """The kind of an uploaded file, from its name and its first bytes.

    Parameters
    ----------
    name : str
        The file's name.
    content : bytes
        Its bytes.

    Returns
    -------
    str or None
        ``zip``, ``xlsx`` or ``csv``; None for anything else (an old ``.xls`` workbook too).
    """
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".zip":
        return "zip"
    if suffix in (".csv", ".txt"):
        return "csv"
    if content.startswith(b"PK\x03\x04"):
        return "xlsx" if b"[Content_Types].xml" in content[:4096] else "zip"
    return None


def merge_observations(
    current: Mapping[str, bytes], name: str, content: bytes, limits: Limits = DEFAULT_LIMITS
) -> tuple[dict[str, bytes], dict[str, Origin], list[Problem]]:
    """Add the rows of a CSV of new observations to the current dataset's files.

    Parameters
    ----------
    current : mapping of str to bytes
        The current dataset's files (for example :func:`planner.dataio.canonical.dataset_files`).
    name : str
        The uploaded CSV file's name.
    content : bytes
        Its bytes: a header with the columns of ``observations.csv`` (in any order) and rows.
    limits : Limits, optional
        ``max_file_size`` applies to the upload.

    Returns
    -------
    files : dict of str to bytes
        The current files with the new rows after the current observations.
    origins : dict of str to Origin
        ``observations.csv`` → the uploaded file and its lines.
    problems : list of Problem
        Text problems of the upload, missing or unexpected columns, and ``duplicate_current`` (a
        row whose key is already in the current observations) or ``duplicate_key`` (a key twice
        in the upload); such rows are not added.
    """
    spec = FILE_SPECS["observations"]
    columns = list(spec.columns)
    check = check_csv(name, content, limits)
    problems = [p for p in check.problems if p.code != "formula"]  # found again once merged
    content = unquote_text(content, text_columns(spec.filename))
    if not check.readable:
        return dict(current), {}, problems
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    header, absent = current_header("observations", [cell.strip() for cell in table[0]] if table
                                    else [])
    for column in columns:
        if column not in header and column not in absent:
            problems.append(Problem(name, "missing_column", {"row": 1, "column": column}))
    for column in header:
        if column not in columns:
            problems.append(Problem(name, "unexpected_column", {"row": 1, "column": column or "-"}))
    if problems or not table:
        return dict(current), {}, problems or [Problem(name, "empty_file", {})]

    base = current["observations.csv"].decode("utf-8-sig")
    base_rows = list(csv.reader(io.StringIO(base, newline="")))
    base_header, _ = current_header("observations", base_rows[0])

    def key_of(cells: Mapping[str, str]) -> tuple[str, ...]:
        return tuple(cell_text(cells.get(c, ""), spec.dtypes[c]) for c in spec.key)

    known = {key_of(dict(zip(base_header, row, strict=False))) for row in base_rows[1:] if row}
    line_of_key: dict[tuple[str, ...], int] = {}
    new_rows: list[list[str]] = []
    new_lines: list[int] = []
    key_column = "+".join(spec.key)
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    next(reader)
    last = reader.line_num
    for cells in reader:
        line, last = last + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        record = dict(zip(header, cells, strict=False))
        key = key_of(record)
        shown = ", ".join(f"{c}={v}" for c, v in zip(spec.key, key, strict=True))
        if key in known:
            detail = {"row": line, "column": key_column, "row_key": shown}
            problems.append(Problem(name, "duplicate_current", detail))
            continue
        if key in line_of_key:
            detail = {
                "row": line,
                "column": key_column,
                "row_key": shown,
                "first_row": line_of_key[key],
            }
            problems.append(Problem(name, "duplicate_key", detail))
            continue
        line_of_key[key] = line
        # a row of the wrong length goes in as it is, for the validators to report
        new_rows.append([record.get(c, "") for c in columns] if len(cells) == len(header) else cells)
        new_lines.append(line)
    merged_rows = [
        [dict(zip(base_header, row, strict=False)).get(c, "") for c in columns]
        for row in base_rows[1:]
        if row
    ]
    merged = write_csv(columns, merged_rows)
    lines: dict[int, int] = {}
    at = merged.count(b"\n") + 1
    extra = io.StringIO()
    writer = csv.writer(extra, lineterminator="\n")
    for row, line in zip(new_rows, new_lines, strict=True):
        lines[at] = line
        writer.writerow(row)
        at += 1 + sum(str(cell).count("\n") for cell in row)  # a cell's line breaks stay in it
    files = dict(current)
    files["observations.csv"] = merged + extra.getvalue().encode("utf-8")
    return files, {"observations.csv": Origin(name, None, lines)}, problems


def read_upload(
    name: str,
    content: bytes,
    current: Dataset | Mapping[str, bytes] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Upload:
    """Read and check an uploaded file: a zip, an ``.xlsx`` workbook, or a CSV of new observations.

    Parameters
    ----------
    name : str
        The uploaded file's name (its suffix tells the kind).
    content : bytes
        Its bytes.
    current : Dataset or mapping of str to bytes, optional
        The current dataset (or its files); required for a CSV of new observations.
    limits : Limits, optional
        The size limits.

    Returns
    -------
    Upload
        The new dataset, or every problem found.

    Raises
    ------
    ValueError
        When a CSV is uploaded and ``current`` is not given.
    """
    kind = upload_kind(name, content)
    if kind is None:
        return Upload("unknown", name, (Problem(name, "upload_type", {"name": name}),))
    if len(content) > limits.max_upload_size:
        detail = {"size": len(content), "max_size": limits.max_upload_size}
        return Upload(kind, name, (Problem(name, "too_large", detail),))
    if kind == "zip":
        files, problems = read_zip(content, name, limits)
        if not files and not problems:
            problems = [Problem(name, "no_data_files", {})]
        if not files:
            return Upload(kind, name, tuple(problems))
        files = {member: unquote_text(data, text_columns(member)) for member, data in files.items()}
        return check_files(kind, name, files, problems=problems, limits=limits)
    if kind == "xlsx":
        sheets, problems = read_workbook(content, name, limits)
        if not sheets:
            return Upload(kind, name, tuple(problems or [Problem(name, "no_data_files", {})]))
        files = {filename: sheet.content for filename, sheet in sheets.items()}
        origins = {
            filename: Origin(filename, sheet.sheet, sheet.rows)
            for filename, sheet in sheets.items()
        }
        return check_files(kind, name, files, origins, problems, limits)
    if current is None:
        raise ValueError("a CSV of new observations needs the current dataset")
    base = dataset_files(current) if isinstance(current, Dataset) else dict(current)
    files, origins, problems = merge_observations(base, name, content, limits)
    if any(
        p.code
        in (
            "too_large",
            "encoding",
            "encoding_utf16",
            "nul_bytes",
            "delimiter",
            "missing_column",
            "unexpected_column",
            "empty_file",
        )
        for p in problems
    ):
        return Upload(kind, name, tuple(problems))
    return check_files(kind, name, files, origins, problems, limits)
