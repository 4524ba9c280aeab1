"""Shared helpers for the saved-scenario tests: copies of a loaded database, a changed dataset."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from planner.store import DuckDBStore


def copy_db(src: Path, dst: Path) -> DuckDBStore:
    """Copy a closed DuckDB file (and its WAL, if any) and return a store on the copy."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    wal = Path(str(src) + ".wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(dst) + ".wal"))
    return DuckDBStore(dst)


def without_saved(store: DuckDBStore) -> DuckDBStore:
    """Delete every saved scenario of ``store`` (a copy of the session's database, which other
    tests of the same worker may have saved into) and return it."""
    with store.connect() as con:
        con.execute("DELETE FROM saved_scenarios")
    return store


def changed_data_dir(src: Path, dst: Path, assumption: str, **columns: str) -> Path:
    """Copy a data folder and change columns of one row of ``assumptions.csv``.

    Parameters
    ----------
    src, dst : pathlib.Path
        The data folder and where to write the copy.
    assumption : str
        The id of the row to change.
    **columns : str
        New cell texts, for example ``value="1.2"``.

    Returns
    -------
    pathlib.Path
        ``dst``.
    """
    shutil.copytree(src, dst)
    path = dst / "assumptions.csv"
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    fields = list(rows[0])
    hits = [r for r in rows if r["id"] == assumption]
    assert len(hits) == 1, f"no assumption {assumption}"
    hits[0].update(columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return dst
