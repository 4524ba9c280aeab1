"""The storage interface of the planner: :class:`Store`, its errors and what it reports.

A backend (an embedded DuckDB file, or a shared PostgreSQL database) implements :class:`Store`; everything else in the
planner speaks only to this interface. Implementations inherit the method docstrings written
here and do not repeat them.
"""

from __future__ import annotations

import abc
import unicodedata
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Literal, NamedTuple

import pandas as pd

from planner.dataset import Dataset
from planner.validation import FILE_SPECS

BASELINE_COLUMNS: tuple[str, ...] = FILE_SPECS["observations"].columns
"""The columns of :meth:`Store.baseline`."""

SAVED_COLUMNS: tuple[str, ...] = (
    "id",
    "parent_id",
    "name",
    "note",
    "author",
    "settings",
    "lang",
    "dataset_version",
    "model_version",
    "draws",
    "seed",
    "snapshot",
    "digest",
    "owner_token_hash",
    "created_at",
)
"""The columns of a saved scenario, as :meth:`Store.insert_saved` takes them."""

SAVED_SUMMARY_COLUMNS: tuple[str, ...] = (
    "id",
    "parent_id",
    "name",
    "note",
    "author",
    "lang",
    "dataset_version",
    "model_version",
    "created_at",
)
"""The columns :meth:`Store.list_saved` returns (no settings, snapshot or hashes)."""

LIKE_ESCAPE = "\\"
"""The escape character of the ``ILIKE`` patterns built by :func:`like_pattern`."""

LOCK_TIMEOUT = 60.0
"""Seconds the database may stay with one holder before an operation waiting for it gives up.

Operations take turns first come, first served, and wait as long as the line ahead of them
moves (waiting beats failing); only a holder that keeps the database this long (a stuck
process, a program that takes no turns) makes the others give up."""

HOLD_HISTORY = 10_000
"""How many :class:`HoldTime` records a store keeps (the oldest are dropped)."""

PUBLISH_ACTIONS: tuple[str, ...] = ("load", "publish", "rollback")
"""What made a version current: a data folder loaded (``db upgrade``), a new dataset published
(the editors' page, ``db import``), or a stored version made current again (``db use``)."""

PUBLISH_LOG_COLUMNS: tuple[str, ...] = (
    "seq", "version", "previous_version", "action", "author", "note", "published_at")
"""The columns of :meth:`Store.publish_log`."""

MAX_AUTHOR_LENGTH = 100
"""Characters of a publish's author name."""

MAX_NOTE_LENGTH = 2000
"""Characters of a publish's note."""


# -- errors ------------------------------------------------------------------------------------


class StoreError(Exception):
    """A problem with the database or a request to it.

    Every subclass has a ``code``; the catalogue key ``db.error.<code>`` is its text for people,
    its fields filled from :attr:`details`.
    """

    code: ClassVar[str] = "store"

    @property
    def details(self) -> dict[str, Any]:
        """The values the text ``db.error.<code>`` names (none for most errors)."""
        return {}


class DatabaseLockedError(StoreError):
    """Another process kept the database busy for longer than the timeout."""

    code = "locked"


class DatabaseReadOnlyError(StoreError):
    """A write was asked of a database that can only be read."""

    code = "read_only"


class DatabaseCorruptError(StoreError):
    """The database file is damaged (truncated, or a block fails its checksum)."""

    code = "corrupt"


class DiskFullError(StoreError):
    """The disk holding the database is full; nothing was written."""

    code = "disk_full"


class DatabaseUnreachableError(StoreError):
    """The database server cannot be reached (stopped, restarting, or the network is down).

    Nothing was changed by the operation that failed, except possibly a write whose commit was
    under way when the connection was lost: it is either wholly there or wholly absent. The
    store reconnects by itself once the server answers again.
    """

    code = "unreachable"


class BackendUnavailableError(StoreError):
    """The database address names a kind of store this version cannot open."""

    code = "unavailable"


class NoDatasetError(StoreError):
    """No dataset has been loaded into the database yet."""

    code = "no_dataset"


class UnfittableDatasetError(StoreError):
    """The model cannot be fitted on a data folder, so it was not made current."""

    code = "unfittable"


class UnknownVersionError(StoreError, KeyError):
    """The requested dataset version is not in the database."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown dataset version"


class UnknownIndicatorError(StoreError, KeyError):
    """The requested indicator is not in the dataset."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown indicator"


class SavedNotFoundError(StoreError, KeyError):
    """No saved scenario has the requested id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown saved scenario"


class StaleDatasetError(StoreError):
    """A scenario was computed on a dataset version that is no longer the current one."""


class BaseMovedError(StoreError):
    """A publish or rollback was prepared on a version that is no longer the current one.

    Another editor made a version current in the meantime; nothing was changed, so their
    version stays current. :attr:`details` names it: ``version`` (now current), ``base`` (what
    the refused change was built on; None for an empty database), and ``author`` and ``time``
    of the publish that made ``version`` current (empty and None when not recorded).
    """

    code = "base_moved"

    def __init__(self, message: str, *, version: str, base: str | None, author: str = "",
                 time: datetime | None = None):
        super().__init__(message)
        self.version = version
        self.base = base
        self.author = author
        self.time = time

    @property
    def details(self) -> dict[str, Any]:
        return {"version": self.version, "base": self.base, "author": self.author,
                "time": self.time}


class PublishTextError(StoreError, ValueError):
    """A publish's author or note is too long."""

    code = "publish_text"


# -- values ------------------------------------------------------------------------------------


def like_pattern(text: str) -> str:
    """Return the ``ILIKE`` pattern matching ``text`` anywhere, wildcards in it taken literally.

    Parameters
    ----------
    text : str
        The substring searched for; ``%``, ``_`` and the escape character are escaped.

    Returns
    -------
    str
        ``%<escaped text>%``, to be used with ``ESCAPE`` :data:`LIKE_ESCAPE`.
    """
    escaped = (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


def publish_text(text: str | None, limit: int, what: str) -> str:
    """The author or note of a publish as stored: NFC, trimmed, at most ``limit`` characters.

    Parameters
    ----------
    text : str or None
        As given (None is empty).
    limit : int
        The most characters allowed.
    what : str
        ``author`` or ``note``, for the message.

    Returns
    -------
    str

    Raises
    ------
    PublishTextError
        When the text is longer than ``limit``.
    """
    clean = unicodedata.normalize("NFC", text or "").strip()
    if len(clean) > limit:
        raise PublishTextError(f"the {what} is {len(clean)} characters long; at most {limit}")
    return clean


@dataclass(frozen=True)
class LoadReport:
    """What :meth:`Store.load_dataset` did.

    Attributes
    ----------
    version : str
        The dataset version of the data folder, now the current one.
    status : {"loaded", "switched", "unchanged"}
        ``loaded``: a new version was inserted; ``switched``: the version was already stored and
        became current again; ``unchanged``: it was already the current version.
    previous_version : str or None
        The current version before the call.
    row_counts : dict of str to int
        Rows per data file of ``version``.
    published_at : datetime.datetime or None
        When the version became current (naive UTC, as in :meth:`Store.publish_log`); None
        when nothing changed.
    """

    version: str
    status: Literal["loaded", "switched", "unchanged"]
    previous_version: str | None
    row_counts: dict[str, int] = field(default_factory=dict)
    published_at: datetime | None = None

    @property
    def changed(self) -> bool:
        """Whether the current dataset version changed."""
        return self.status != "unchanged"

    def describe(self) -> str:
        """Return one line saying what happened.

        Returns
        -------
        str
        """
        total = sum(self.row_counts.values())
        if self.status == "loaded":
            return f"dataset {self.version}: loaded ({total} rows), now current"
        if self.status == "switched":
            return (f"dataset {self.version}: already stored, made current again "
                    f"(was {self.previous_version})")
        return f"dataset {self.version}: unchanged"


class HoldTime(NamedTuple):
    """How long one operation held the database.

    Attributes
    ----------
    operation : str
        The store method (``insert_saved``) or step (``load_dataset.write``).
    held : float
        Seconds from opening the database to having closed it.
    waited : float
        Seconds spent waiting for other holders before that.
    """

    operation: str
    held: float
    waited: float


WaitNotice = Callable[[int, float], None]
"""Told ``(operations ahead, seconds waited)`` while an operation waits long for its turn."""

DatasetCheck = Callable[[Dataset], object]
"""A function given a parsed dataset that raises when the dataset must not become current."""


def fit_check(dataset: Dataset) -> object:
    """Fit the planner model on a dataset: the default check of :meth:`Store.load_dataset`.

    Parameters
    ----------
    dataset : planner.dataset.Dataset

    Returns
    -------
    planner.projection.PlannerResults
        The fitted model.

    Raises
    ------
    planner.engine.ModelFitError
        Naming what the model lacks.
    """
    from planner.engine import fit_dataset  # the model is heavy: import it when a load needs it

    return fit_dataset(dataset)


# -- the interface -----------------------------------------------------------------------------


class Store(abc.ABC):
    """The storage interface of the planner (on a DuckDB file or a PostgreSQL database).

    Every method opens the database, does its work and lets go before returning; slow work
    (validating, fitting, simulating) happens while the database is released.

    Attributes
    ----------
    address : str
        Where the database is, for messages: the file's path, or the server address without
        its password.
    hold_times : collections.deque of HoldTime
        The most recent :data:`HOLD_HISTORY` operations and how long each held the database.
    seed_dir : pathlib.Path or None
        The data folder loaded as the first dataset version when a read finds the database
        empty (see :func:`planner.store.open_store`); None loads nothing by itself.
    wait_notice : callable or None
        Told ``(operations ahead, seconds waited)`` every few seconds while an operation waits
        long for its turn (the command line prints it); None tells nobody.
    """

    address: str
    hold_times: deque[HoldTime]
    seed_dir: Path | None
    wait_notice: WaitNotice | None

    @abc.abstractmethod
    def migrate(self) -> list[int]:
        """Bring the schema up to date (idempotent).

        Returns
        -------
        list of int
            The migration versions applied now (empty when already up to date).

        Raises
        ------
        DatabaseReadOnlyError
            When migrations are due and the database cannot be written.
        """

    @abc.abstractmethod
    def schema_version(self) -> int:
        """Return the highest migration version applied.

        Returns
        -------
        int
        """

    @abc.abstractmethod
    def check_integrity(self) -> None:
        """Read every table in full, so that damage anywhere in the database shows.

        Raises
        ------
        DatabaseCorruptError
            Naming what could not be read.
        """

    @abc.abstractmethod
    def load_dataset(self, data_dir: str | Path, check: DatasetCheck | None = fit_check,
                     author: str = "", note: str = "") -> LoadReport:
        """Validate a data folder, check the model fits it, and make it the current version.

        Validation and the check run with the database released; the database is first
        checked whole (:meth:`check_integrity`), and the new version is written, made current
        and recorded in the publish log (action ``load``) in one short transaction. A version
        already stored is only made current again. A load is the operator's ``db upgrade``: it
        replaces whatever is current, with no base version (see :meth:`publish`).

        Parameters
        ----------
        data_dir : str or pathlib.Path
            The folder of the data files.
        check : callable or None, optional
            Given the parsed :class:`~planner.dataset.Dataset`, raises when the version must
            not become current; by default :func:`fit_check` fits the model. None skips it.
        author, note : str, optional
            Recorded with the version and in the publish log (see :func:`publish_text`).

        Returns
        -------
        LoadReport

        Raises
        ------
        planner.dataset.DataValidationError
            When any file or row is invalid; the database is left as it was.
        UnfittableDatasetError
            When ``check`` fails; the message says what the model lacks and the database keeps
            its current version.
        DatabaseCorruptError
            When the database is damaged; nothing is written.
        StoreError
            When writing fails; the transaction is rolled back.
        """

    @abc.abstractmethod
    def publish(self, dataset: Dataset, author: str, note: str = "",
                check: DatasetCheck | None = fit_check, *, base: str | None) -> LoadReport:
        """Make a validated dataset the current version, recorded in the publish log.

        As :meth:`load_dataset`, for a dataset already read and checked (an upload,
        :func:`planner.dataio.upload.read_upload`), under the rule of the base version: the
        publish goes through only if ``base`` is still the current version when it commits.
        Its version is the hash of its canonical content, whatever ``dataset.version`` says;
        the check runs with the database released; the version's rows, the switch of the
        current version and the log entry (action ``publish``; who, when, note, previous
        version) are one transaction, so a process killed during a publish leaves the previous
        version current, and of two publishes built on the same version one is made current
        and the other refused, never silently overwritten.

        Parameters
        ----------
        dataset : planner.dataset.Dataset
            The new dataset.
        author : str
            Who publishes (see :func:`publish_text`).
        note : str, optional
            Why.
        check : callable or None, optional
            As for :meth:`load_dataset`.
        base : str or None
            The version the dataset was built on or checked against: the current version when
            the editor downloaded it, added rows to it or read its preview (None: the database
            held no dataset). The one rule of every change of the current version made by
            people: it is refused with :class:`BaseMovedError` unless ``base`` is the current
            version at the moment of the switch.

        Returns
        -------
        LoadReport
            ``loaded`` (a new version), ``switched`` (the content was stored already and is
            current again) or ``unchanged`` (it is the current version, whatever ``base``;
            nothing is recorded). ``previous_version`` is ``base``.

        Raises
        ------
        BaseMovedError
            When another version than ``base`` is current; nothing was written. Check the data
            again against the new current version (for rows added to ``base``: add them to the
            new version) and publish on it.
        UnfittableDatasetError
            When ``check`` fails; the current version stays.
        PublishTextError
            When the author or note is too long.
        DatabaseReadOnlyError, DatabaseCorruptError, StoreError
            As for :meth:`load_dataset`; nothing is written.
        """

    @abc.abstractmethod
    def make_current(self, version: str, author: str, note: str = "",
                     check: DatasetCheck | None = fit_check, *, base: str | None
                     ) -> LoadReport:
        """Make a stored version current again: a rollback, recorded as a publish.

        Parameters
        ----------
        version : str
            A stored dataset version.
        author, note : str
            Recorded in the publish log (action ``rollback``).
        check : callable or None, optional
            Given the stored dataset, raises when it must not become current (the model may
            have changed since it was stored); :func:`fit_check` by default.
        base : str or None
            The version that was current when the rollback was chosen; as for
            :meth:`publish`, the rollback is refused unless it is still current, so that a
            rollback chosen while looking at one version never undoes a publish made since.

        Returns
        -------
        LoadReport
            ``switched``, or ``unchanged`` when it is the current version already.

        Raises
        ------
        BaseMovedError
            When another version than ``base`` is current; nothing was written.
        UnknownVersionError
            When ``version`` is not stored.
        UnfittableDatasetError
            When ``check`` fails; the current version stays.
        """

    @abc.abstractmethod
    def publish_log(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Return every change of the current version, newest first.

        Parameters
        ----------
        limit : int, optional
            At most this many entries.

        Returns
        -------
        list of dict
            The columns of :data:`PUBLISH_LOG_COLUMNS`: ``seq`` (1, 2, ...), ``version``,
            ``previous_version`` (None for the first), ``action`` (one of
            :data:`PUBLISH_ACTIONS`), ``author``, ``note``, ``published_at`` (naive UTC).
        """

    @abc.abstractmethod
    def current_version(self) -> str:
        """Return the current dataset version.

        Returns
        -------
        str

        Raises
        ------
        NoDatasetError
            When no dataset was loaded (and none could be loaded from :attr:`seed_dir`).
        """

    @abc.abstractmethod
    def dataset_versions(self) -> list[dict[str, Any]]:
        """Return every stored dataset version, oldest first.

        Returns
        -------
        list of dict
            Keys ``version``, ``loaded_at`` (UTC datetime), ``file_hashes``, ``row_counts``,
            ``is_current``, and ``author`` and ``note`` of the publish that stored it (empty
            for versions stored before the publish log).
        """

    @abc.abstractmethod
    def dataset(self, version: str | None = None) -> Dataset:
        """Return every frame of one dataset version, rows in file order.

        Parameters
        ----------
        version : str, optional
            The dataset version; the current one when None.

        Returns
        -------
        planner.dataset.Dataset

        Raises
        ------
        UnknownVersionError
            When ``version`` is not stored.
        NoDatasetError
            When ``version`` is None and no dataset was loaded.
        """

    @abc.abstractmethod
    def baseline(self, version: str | None = None, indicator: str | None = None) -> pd.DataFrame:
        """Return the observations of a dataset version.

        Parameters
        ----------
        version : str, optional
            The dataset version; the current one when None.
        indicator : str, optional
            Only this indicator's observations.

        Returns
        -------
        pandas.DataFrame
            The columns of ``observations.csv`` (:data:`BASELINE_COLUMNS`), sorted by indicator,
            geography, year, then period, kind and source.

        Raises
        ------
        UnknownIndicatorError
            When ``indicator`` is not an indicator of that version.
        UnknownVersionError
            When ``version`` is not stored.
        """

    @abc.abstractmethod
    def sources(self, version: str | None = None) -> pd.DataFrame:
        """Return the sources of a dataset version with how many values each backs.

        Parameters
        ----------
        version : str, optional
            The dataset version; the current one when None.

        Returns
        -------
        pandas.DataFrame
            The columns of ``sources.csv`` in file order, and ``n_values``: the number of
            observations citing the source (0 when none).

        Raises
        ------
        UnknownVersionError
            When ``version`` is not stored.
        """

    # -- saved scenarios (rows are inserted and deleted, never updated) ------------------------

    @abc.abstractmethod
    def insert_saved(self, row: Mapping[str, Any], require_current: bool = True) -> None:
        """Insert one saved scenario in a single transaction.

        Parameters
        ----------
        row : mapping
            A value for every column of :data:`SAVED_COLUMNS` (``parent_id`` may be None).
        require_current : bool, optional
            Refuse the row unless its ``dataset_version`` is the current one (default).

        Raises
        ------
        UnknownVersionError
            When ``dataset_version`` is not stored.
        StaleDatasetError
            When ``require_current`` and ``dataset_version`` is not the current version.
        SavedNotFoundError
            When ``parent_id`` is given and names no saved scenario.
        DatabaseReadOnlyError
            When the database cannot be written.
        StoreError
            When the insert fails (for example a duplicate id); nothing is written.
        """

    @abc.abstractmethod
    def get_saved(self, scenario_id: str) -> dict[str, Any] | None:
        """Return one saved scenario.

        Parameters
        ----------
        scenario_id : str

        Returns
        -------
        dict or None
            Every column of :data:`SAVED_COLUMNS` (``created_at`` naive UTC), or None when no
            row has that id.
        """

    @abc.abstractmethod
    def list_saved(
        self, search: str | None = None, limit: int = 20, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Return a page of saved scenarios, newest first (ties by id).

        Parameters
        ----------
        search : str, optional
            Keep names containing this text, case-insensitively (``%`` and ``_`` are literal).
        limit : int, optional
            At most this many rows (at least 0).
        offset : int, optional
            Rows to skip (at least 0).

        Returns
        -------
        list of dict
            The columns of :data:`SAVED_SUMMARY_COLUMNS`.
        """

    @abc.abstractmethod
    def count_saved(self, search: str | None = None) -> int:
        """Return how many saved scenarios :meth:`list_saved` can page through.

        Parameters
        ----------
        search : str, optional
            As for :meth:`list_saved`.

        Returns
        -------
        int
        """

    @abc.abstractmethod
    def delete_saved(self, scenario_id: str, owner_token_hash: str) -> bool:
        """Delete a saved scenario whose id and owner-token hash both match.

        Parameters
        ----------
        scenario_id : str
        owner_token_hash : str
            The hash of the owner token (see :func:`planner.saved.hash_token`).

        Returns
        -------
        bool
            Whether a row was deleted.

        Raises
        ------
        DatabaseReadOnlyError
            When the database cannot be written.
        """
