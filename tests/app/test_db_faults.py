"""The app on a new, a read-only, a locked and a damaged database, and on a PostgreSQL server
that does not answer (Streamlit AppTest).

A person never sees a raw database error: a new database fills itself, a read-only one is
read, and a locked, damaged or unreachable one gets a sentence saying what is wrong and what to
do.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from planner.i18n import t
from tests.app.opening import open_on
from tests.needs import missing

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
TIMEOUT = 90


def open_app(page: str | None = None) -> AppTest:
    at = open_on(page or "app_pages/briefing.py", "en", timeout=TIMEOUT)
    return at


def shown(at: AppTest) -> str:
    parts = [str(el.value) for kind in ("title", "header", "subheader", "markdown", "caption",
                                         "error", "warning", "info") for el in getattr(at, kind)]
    return "\n".join(parts)


def test_a_new_database_opens_on_the_briefing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "new.duckdb"))
    at = open_app()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.metric, "the briefing shows its numbers"


@pytest.fixture
def read_only_copy(loaded_db: Path, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "ro.duckdb"
    shutil.copyfile(loaded_db, path)
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(
                ["chattr", "+i", str(path)], capture_output=True).returncode:
            missing("chattr +i (as root a file is made read-only with it)",
                    "e2fsprogs, on a file system and with a capability that allow it")
    else:
        path.chmod(0o444)
    yield path
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=False)
    else:
        path.chmod(0o644)


@pytest.mark.parametrize("page", [None, "app_pages/data_sources.py", "app_pages/saved.py"])
def test_reading_pages_work_on_a_read_only_database(
    read_only_copy: Path, monkeypatch: pytest.MonkeyPatch, page: str | None
) -> None:
    monkeypatch.setenv("PLANNER_DB", str(read_only_copy))
    at = open_app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _hold(path: str, ready: multiprocessing.Event, release: multiprocessing.Event) -> None:
    """Hold the database file open until ``release`` is set (a minute at most)."""
    con = duckdb.connect(path)
    ready.set()
    release.wait(60)
    con.close()


def test_a_database_locked_too_long_says_to_try_again(
    loaded_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "held.duckdb"
    shutil.copyfile(loaded_db, path)
    monkeypatch.setenv("PLANNER_DB", str(path))
    monkeypatch.setenv("PLANNER_LOCK_TIMEOUT", "0.5")
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold, args=(str(path), ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        at = open_app()
    finally:
        release.set()
        holder.join(timeout=30)
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("db.error.locked", "en")]
    assert "locked by another process" not in shown(at)


def test_a_damaged_database_says_what_is_wrong(
    loaded_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cut.duckdb"
    shutil.copyfile(loaded_db, path)
    os.truncate(path, path.stat().st_size // 2)
    monkeypatch.setenv("PLANNER_DB", str(path))
    at = open_app()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("db.error.corrupt", "en")]


def test_a_postgresql_server_that_does_not_answer_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server is down (no server on that socket): a sentence, and no password anywhere."""
    monkeypatch.setenv("PLANNER_DB", f"postgresql://planner:pw-9x@/planner?host={tmp_path}")
    at = open_app()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("db.error.unreachable", "en")]
    assert "pw-9x" not in shown(at)
