"""Which store an address names (a DuckDB file or a PostgreSQL database): :func:`open_store`,
used by the CLI, the app and the bench."""

from __future__ import annotations

from pathlib import Path

from planner import config
from planner.store.base import (
    LOCK_TIMEOUT,
    BackendUnavailableError,
    Store,
    StoreError,
    WaitNotice,
)
from planner.store.duckdb_store import DuckDBStore

DUCKDB_SCHEME = "duckdb://"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_store(url_or_path: str | Path | None = None, *, seed: bool = True,
               lock_timeout: float | None = None, wait_notice: WaitNotice | None = None
               ) -> Store:
    """Return the store an address names; it migrates and fills itself on first use.

    Nothing is opened here: the first operation brings the schema up to date, and the first
    read that finds no dataset loads the bundled data folder (``PLANNER_DATA_DIR``, fitted
    like any load) as the first dataset version. Processes that start together load it once.

    Parameters
    ----------
    url_or_path : str or pathlib.Path, optional
        ``None`` for ``PLANNER_DB`` (see :func:`planner.config.database`); a file path or
        ``duckdb:///absolute/path`` (``duckdb://relative/path``) for a DuckDB file;
        ``postgresql://user:password@host:port/dbname`` (or ``postgres://``) for a PostgreSQL
        database (:class:`~planner.store.postgres_store.PostgresStore`).
    seed : bool, optional
        Load the bundled data into an empty database on first read (default True).
    lock_timeout : float, optional
        Seconds the database may stay with one holder before an operation waiting for it gives
        up; by default ``PLANNER_LOCK_TIMEOUT``, else :data:`~planner.store.base.LOCK_TIMEOUT`.
    wait_notice : callable, optional
        Told how many operations are ahead while one waits long (:attr:`Store.wait_notice`).

    Returns
    -------
    Store

    Raises
    ------
    BackendUnavailableError
        For a PostgreSQL address when psycopg is not installed.
    StoreError
        For an address of any other kind, an empty one, or a PostgreSQL address libpq cannot
        read (the message never shows the password).
    """
    address = config.database() if url_or_path is None else url_or_path
    seed_dir = config.data_dir() if seed else None
    if lock_timeout is None:
        lock_timeout = config.lock_timeout() or LOCK_TIMEOUT
    if isinstance(address, Path):
        return DuckDBStore(address, lock_timeout=lock_timeout, seed_dir=seed_dir,
                           wait_notice=wait_notice)
    text = str(address).strip()
    if text.lower().startswith(POSTGRES_SCHEMES):
        try:
            from planner.store.postgres_store import PostgresStore
        except ImportError as exc:  # psycopg is a pinned requirement: a broken install
            raise BackendUnavailableError(
                f"a PostgreSQL address needs the psycopg package ({exc}); install the "
                "requirements (pip install -r requirements.txt)") from None
        return PostgresStore(text, lock_timeout=lock_timeout, seed_dir=seed_dir,
                             wait_notice=wait_notice)
    if text.lower().startswith(DUCKDB_SCHEME):
        text = text[len(DUCKDB_SCHEME):]
    elif "://" in text:
        scheme = text.split("://", 1)[0]
        raise StoreError(
            f"unknown database address {scheme}://...: use a DuckDB file path, duckdb:///path "
            "or postgresql://user:password@host:5432/dbname")
    if not text:
        raise StoreError("the database address is empty: give a DuckDB file path")
    return DuckDBStore(Path(text).expanduser().absolute(), lock_timeout=lock_timeout,
                       seed_dir=seed_dir, wait_notice=wait_notice)
