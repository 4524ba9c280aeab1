"""The canonical bytes of the data files, and the content version computed from them.

A spreadsheet saving the same content again changes bytes that carry no meaning: a byte-order
mark, CRLF line ends, quoting, a missing or extra final newline, the order of rows, ``100`` written
``100.0`` or ``TRUE`` for ``true``. The canonical form removes all of them, so that the same
content always has the same version:

- UTF-8 without a byte-order mark, ``\\n`` line ends (also inside cells), one final newline,
  quotes only where CSV needs them;
- the columns in the order of the file's specification (:mod:`planner.validation`);
- every cell stripped and in Unicode NFC (as the validators read it), numbers of number columns
  in their shortest form (``100``, ``0.7024``), booleans ``true``/``false``; empty rows dropped;
- rows sorted by the file's key, except in the files of :data:`ORDERED_FILES`, whose row order
  the app uses.

:func:`content_version` is :func:`hash_files` of the canonical files. Bytes that are not UTF-8
text, or a file that is not a data file, are kept as they are. This module reads only the files'
specifications (:mod:`planner.validation`): :mod:`planner.dataset` builds on it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import pandas as pd

from planner.validation import FILE_SPECS, current_header

ORDERED_FILES: frozenset[str] = frozenset(
    {"indicators", "assumptions", "levers", "models", "links", "scenarios"}
)
"""Files whose row order is content: the app lists their rows in file order, and the simulation
draws its random numbers in the order of models, links and levers. The rows of the other files
(units, sources, observations) are sorted by their key."""

class HasFrames(Protocol):
    """A dataset (:class:`planner.dataset.Dataset`): a frame per data file."""

    def frames(self) -> Mapping[str, pd.DataFrame]:
        """The frames by file name without ``.csv``."""
        ...


TRUE_TEXTS = frozenset({"true", "t", "yes", "y", "1", "on"})
FALSE_TEXTS = frozenset({"false", "f", "no", "n", "0", "off"})


def number_text(value: float) -> str:
    """A number in its shortest canonical text: whole numbers without a decimal point.

    Parameters
    ----------
    value : float
        A finite number.

    Returns
    -------
    str
        ``"100"``, ``"0.7024"``, ``"-3"``, ``"1e-05"``.
    """
    value = float(value)
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def cell_text(value: Any, dtype: str) -> str:
    """The canonical text of one cell of a column of a given dtype.

    Parameters
    ----------
    value : Any
        The cell: text as read from a file, or a value of a dataset frame or a workbook cell.
    dtype : str
        The column's dtype in :attr:`planner.validation.FileSpec.dtypes` (``str``, ``float64``,
        ``int64``, ``Int64``, ``bool``).

    Returns
    -------
    str
        ``""`` for a missing value; text that does not read as the column's type is only
        stripped and NFC-normalised (the validators report it).
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if dtype == "bool":
        text = _plain(value).lower()
        if text in TRUE_TEXTS:
            return "true"
        if text in FALSE_TEXTS:
            return "false"
        return _plain(value)
    if dtype in ("float64", "int64", "Int64"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return _plain(value)
        return number_text(number) if math.isfinite(number) else _plain(value)
    return _plain(value)


def _plain(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()


def write_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Serialise rows as canonical CSV bytes (UTF-8, ``\\n``, minimal quoting).

    Parameters
    ----------
    header : sequence of str
        The column names.
    rows : iterable of sequence of str
        The rows, already in their final order.

    Returns
    -------
    bytes
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _ordered_rows(name: str, header: Sequence[str], rows: list[list[str]]) -> list[list[str]]:
    """Rows sorted by the file's key (then whole), unless the file's order is content."""
    if name in ORDERED_FILES:
        return rows
    positions = [header.index(column) for column in FILE_SPECS[name].key]
    return sorted(rows, key=lambda row: ([row[i] for i in positions], row))


def canonical_csv(filename: str, content: bytes) -> bytes:
    """The canonical bytes of one data file.

    Parameters
    ----------
    filename : str
        The file name (``observations.csv``).
    content : bytes
        The file's bytes.

    Returns
    -------
    bytes
        The canonical form (see the module); ``content`` itself when it is not UTF-8 CSV text or
        its header does not hold exactly the file's columns (a file written before a column
        was renamed or added is read in today's columns: ``validation.current_header``).
    """
    name = filename.removesuffix(".csv")
    try:
        text = content.decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error):
        return content
    spec = FILE_SPECS.get(name) if filename.endswith(".csv") else None
    if spec is None or not table:
        return content
    header, absent = current_header(name, [_plain(cell).lstrip("\ufeff") for cell in table[0]])
    columns = list(spec.columns)
    if sorted(header + absent) != sorted(columns):
        return content
    where = [header.index(column) if column in header else None for column in columns]
    rows = []
    for cells in table[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            return content
        rows.append(
            ["" if i is None else cell_text(cells[i], spec.dtypes[c])
             for i, c in zip(where, columns, strict=True)]
        )
    return write_csv(columns, _ordered_rows(name, columns, rows))


def canonical_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The canonical bytes of every file.

    Parameters
    ----------
    files : mapping of str to bytes
        File name to content.

    Returns
    -------
    dict of str to bytes
        The same names, sorted, with canonical contents.
    """
    return {name: canonical_csv(name, files[name]) for name in sorted(files)}


def hash_files(files: Mapping[str, bytes]) -> str:
    """Return the dataset version of a set of files.

    Parameters
    ----------
    files : mapping of str to bytes
        File name to content.

    Returns
    -------
    str
        The first 16 hex digits of the SHA-256 over, for every file in sorted name order, the
        UTF-8 name, a NUL byte, the size in bytes as decimal digits, a NUL byte and the content.
    """
    digest = hashlib.sha256()
    for name in sorted(files):
        content = files[name]
        digest.update(name.encode("utf-8") + b"\0" + str(len(content)).encode("ascii") + b"\0")
        digest.update(content)
    return digest.hexdigest()[:16]


def content_version(files: Mapping[str, bytes]) -> str:
    """The dataset version of a set of files: the hash of their canonical content.

    Parameters
    ----------
    files : mapping of str to bytes
        File name to content.

    Returns
    -------
    str
        16 hex digits: :func:`hash_files` of :func:`canonical_files`.
    """
    return hash_files(canonical_files(files))


def frame_csv(name: str, frame: pd.DataFrame) -> bytes:
    """The canonical bytes of one frame of a dataset.

    Parameters
    ----------
    name : str
        The frame name (``observations``).
    frame : pandas.DataFrame
        The frame, with the file's columns.

    Returns
    -------
    bytes
    """
    spec = FILE_SPECS[name]
    columns = list(spec.columns)
    data = [frame[column].tolist() for column in columns]
    rows = [
        [
            cell_text(value, spec.dtypes[column])
            for value, column in zip(values, columns, strict=True)
        ]
        for values in zip(*data, strict=True)
    ]
    return write_csv(columns, _ordered_rows(name, columns, rows))


def dataset_files(dataset: HasFrames) -> dict[str, bytes]:
    """The canonical data files of a dataset (for example the current one, read from a store).

    Parameters
    ----------
    dataset : planner.dataset.Dataset
        The dataset.

    Returns
    -------
    dict of str to bytes
        ``<name>.csv`` to canonical bytes, sorted by name; :func:`content_version` of it equals
        that of the files the dataset was read from.
    """
    files = {
        FILE_SPECS[name].filename: frame_csv(name, frame)
        for name, frame in dataset.frames().items()
    }
    return dict(sorted(files.items()))
