"""What every backend of :class:`~planner.store.base.Store` does the same way: loading,
publishing and rolling back a dataset version through the backend's own ``_switch``, and a few
reads that only differ in their SQL's connection.

A backend inherits :class:`SharedFlow` (a :class:`~planner.store.base.Store`) and provides
``_hold`` (a connection held for an operation), ``_read``, ``_has_version``, ``_base_moved``,
``_switch``, ``_check_tables`` and ``_search_clause``, and the attributes ``address`` and
``_seed_problem``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from planner.dataio.canonical import content_version, dataset_files
from planner.dataset import Dataset, parse_files, read_files
from planner.store.base import (
    MAX_AUTHOR_LENGTH,
    MAX_NOTE_LENGTH,
    DatasetCheck,
    LoadReport,
    NoDatasetError,
    Store,
    UnknownVersionError,
    fit_check,
    publish_text,
)


class SharedFlow(Store):
    """The methods of :class:`~planner.store.base.Store` written once for every backend (still
    abstract: a backend provides the rest)."""

    def check_integrity(self) -> None:
        with self._hold("check_integrity") as conn:
            self._check_tables(conn)

    def load_dataset(self, data_dir: str | Path, check: DatasetCheck | None = fit_check,
                     author: str = "", note: str = "") -> LoadReport:
        return self._load(data_dir, check, only_if_empty=False, author=author, note=note)

    def _load(self, data_dir: str | Path | None, check: DatasetCheck | None,
              only_if_empty: bool, author: str = "", note: str = "") -> LoadReport:
        """:meth:`load_dataset`; with ``only_if_empty``, nothing happens once any is current."""
        data = parse_files(read_files(data_dir))
        return self._switch(data, check, "load", author, note, only_if_empty=only_if_empty,
                            operation="load_dataset")

    def publish(self, dataset: Dataset, author: str, note: str = "",
                check: DatasetCheck | None = fit_check, *, base: str | None) -> LoadReport:
        version = content_version(dataset_files(dataset))
        if version != dataset.version:
            dataset = replace(dataset, version=version)
        return self._switch(dataset, check, "publish", author, note, base=base,
                            operation="publish")

    def make_current(self, version: str, author: str, note: str = "",
                     check: DatasetCheck | None = fit_check, *, base: str | None
                     ) -> LoadReport:
        author = publish_text(author, MAX_AUTHOR_LENGTH, "author")
        note = publish_text(note, MAX_NOTE_LENGTH, "note")
        with self._hold("make_current.read") as conn:
            self._resolve(conn, version)  # UnknownVersionError
            current = self._current(conn)
            if current == version:
                return LoadReport(version, "unchanged", version)
            if current != base:
                raise self._base_moved(conn, current, base, "rollback")
        return self._switch(self.dataset(version), check, "rollback", author, note, base=base,
                            operation="make_current")

    @staticmethod
    def _current(conn) -> str | None:
        """The current dataset version, or ``None`` before any is loaded."""
        row = conn.execute(
            "SELECT version FROM dataset_versions WHERE is_current "
            "ORDER BY loaded_at DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def _resolve(self, conn, version: str | None) -> str:
        """``version`` if the store holds it, or the current one for ``None``.

        Raises
        ------
        NoDatasetError
            ``None`` asked before any version is loaded.
        UnknownVersionError
            ``version`` is not in the store.
        """
        if version is None:
            current = self._current(conn)
            if current is None:
                why = f" ({self._seed_problem})" if self._seed_problem else ""
                raise NoDatasetError(
                    f"no dataset is loaded in {self.address}{why}; "
                    "run `python -m planner db upgrade`")
            return current
        if not self._has_version(conn, version):
            raise UnknownVersionError(f"dataset version {version!r} is not in {self.address}")
        return version

    def current_version(self) -> str:
        return self._read("current_version", lambda conn: self._resolve(conn, None))

    def count_saved(self, search: str | None = None) -> int:
        where, params = self._search_clause(search)
        with self._hold("count_saved") as conn:
            found = conn.execute(
                f"SELECT count(*) FROM saved_scenarios {where}",  # noqa: S608 - fixed text
                params,
            ).fetchone()
        return int(found[0]) if found else 0
