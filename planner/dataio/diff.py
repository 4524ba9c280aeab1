"""Rows added, changed and removed between two datasets, by file and by indicator.

Rows are matched by their file's key (:attr:`planner.validation.FileSpec.key`, for observations
``indicator, geography, year, period, kind, source``) and compared by their canonical cell text
(:func:`planner.dataio.canonical.cell_text`), so ``100`` and ``100.0`` are the same value and
row order does not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.dataio.canonical import cell_text
from planner.dataset import Dataset
from planner.validation import FILE_SPECS

STATES = ("added", "changed", "removed")


@dataclass(frozen=True)
class RowChange:
    """One row added, changed or removed.

    Attributes
    ----------
    file : str
        The frame name (``observations``).
    state : str
        ``added``, ``changed`` or ``removed``.
    key : dict of str to str
        The row's key columns.
    before, after : dict of str to str, or None
        The whole row before and after (text cells); None where it does not exist.
    columns : tuple of str
        The columns whose value changed (every column for an added or removed row).
    """

    file: str
    state: str
    key: dict[str, str]
    before: dict[str, str] | None
    after: dict[str, str] | None
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Counts:
    """How many rows were added, changed and removed."""

    added: int = 0
    changed: int = 0
    removed: int = 0

    def plus(self, state: str) -> Counts:
        """These counts with one more row in ``state``."""
        values = {s: getattr(self, s) for s in STATES}
        values[state] += 1
        return Counts(**values)

    @property
    def total(self) -> int:
        """All rows that differ."""
        return self.added + self.changed + self.removed


@dataclass(frozen=True)
class DatasetDiff:
    """The differences between two datasets.

    Attributes
    ----------
    old_version, new_version : str
        The two dataset versions.
    changes : tuple of RowChange
        Every row that differs, by file in loading order, then by key.
    by_file : dict of str to Counts
        Counts per frame name (every file, also those without a change).
    by_indicator : dict of str to Counts
        Counts of the observations per indicator (only indicators with a change).
    """

    old_version: str
    new_version: str
    changes: tuple[RowChange, ...]
    by_file: dict[str, Counts] = field(default_factory=dict)
    by_indicator: dict[str, Counts] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Whether the two datasets hold the same rows."""
        return not self.changes


def _rows(dataset: Dataset, name: str) -> dict[tuple[str, ...], dict[str, str]]:
    spec = FILE_SPECS[name]
    frame = dataset.frames()[name]
    records = frame.to_dict("records")
    out = {}
    for record in records:
        row = {c: cell_text(record[c], spec.dtypes[c]) for c in spec.columns}
        out[tuple(row[c] for c in spec.key)] = row
    return out


def diff_datasets(old: Dataset, new: Dataset) -> DatasetDiff:
    """Compare two datasets row by row.

    Parameters
    ----------
    old : planner.dataset.Dataset
        The dataset before (for example the current one).
    new : planner.dataset.Dataset
        The dataset after (for example an upload).

    Returns
    -------
    DatasetDiff
    """
    changes: list[RowChange] = []
    by_file: dict[str, Counts] = {}
    by_indicator: dict[str, Counts] = {}
    for name, spec in FILE_SPECS.items():
        before, after = _rows(old, name), _rows(new, name)
        counts = Counts()
        for key in sorted(set(before) | set(after)):
            a, b = before.get(key), after.get(key)
            if a == b:
                continue
            if a is None:
                state, columns = "added", spec.columns
            elif b is None:
                state, columns = "removed", spec.columns
            else:
                state = "changed"
                columns = tuple(c for c in spec.columns if a[c] != b[c])
            row = b if b is not None else a
            assert row is not None
            changes.append(
                RowChange(name, state, dict(zip(spec.key, key, strict=True)), a, b, tuple(columns))
            )
            counts = counts.plus(state)
            if name == "observations":
                indicator = row["indicator"]
                by_indicator[indicator] = by_indicator.get(indicator, Counts()).plus(state)
        by_file[name] = counts
    return DatasetDiff(
        old.version, new.version, tuple(changes), by_file, dict(sorted(by_indicator.items()))
    )
