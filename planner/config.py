"""Where the planner finds its database and its data files.

``PLANNER_DB`` names the database: a DuckDB file path (default ``var/planner.duckdb`` under the
repository root) or an address such as ``duckdb:///srv/planner.duckdb`` (see
:func:`planner.store.open_store`). ``PLANNER_DATA_DIR`` names the folder of the baseline CSV
files (default the repository's ``data/``), loaded by ``db upgrade`` and, on first use, into a
new database. ``PLANNER_LOCK_TIMEOUT`` sets how many seconds an operation waits for a database
held by another process (default 60). Relative values of the environment variables are taken relative to the current
working directory, as usual for command-line paths.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
"""The repository root (the folder that holds ``planner/``)."""

DEFAULT_DB = REPO_ROOT / "var" / "planner.duckdb"
DEFAULT_DATA_DIR = REPO_ROOT / "data"


def database() -> str | Path:
    """Return the database address: ``$PLANNER_DB`` as given, or the default file.

    Returns
    -------
    str or pathlib.Path
        The text of ``$PLANNER_DB`` when set and non-empty (a path or an address), else
        ``var/planner.duckdb`` under the repository root.
    """
    value = os.environ.get("PLANNER_DB", "").strip()
    return value if value else DEFAULT_DB


def db_path() -> Path:
    """Return the path of the DuckDB database file, creating its parent folder.

    Returns
    -------
    pathlib.Path
        ``$PLANNER_DB`` when set and non-empty, else ``var/planner.duckdb`` under the
        repository root. The parent folder exists when this returns.
    """
    value = os.environ.get("PLANNER_DB", "").strip().removeprefix("duckdb://")
    path = Path(value).expanduser().absolute() if value else DEFAULT_DB
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """Return the folder of the baseline data files.

    Returns
    -------
    pathlib.Path
        ``$PLANNER_DATA_DIR`` when set and non-empty, else the repository's ``data/`` folder.
        The folder is not required to exist.
    """
    value = os.environ.get("PLANNER_DATA_DIR", "").strip()
    return Path(value).expanduser().absolute() if value else DEFAULT_DATA_DIR


def lock_timeout() -> float | None:
    """Return the seconds the database may stay with one holder, from the environment.

    Returns
    -------
    float or None
        ``$PLANNER_LOCK_TIMEOUT`` when set to a positive number; None otherwise (the store's
        default, :data:`planner.store.LOCK_TIMEOUT`, applies).
    """
    value = os.environ.get("PLANNER_LOCK_TIMEOUT", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds > 0 else None
