"""AppTest helpers: run ``app.py`` in-process against the session's loaded database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
PAGE_FILES = {"briefing": "app_pages/briefing.py", "data": "app_pages/data_sources.py"}
TIMEOUT = 60


@pytest.fixture
def app(loaded_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Return a function ``app(page="briefing", lang=None)`` giving a finished AppTest run.

    ``PLANNER_DB`` points at the session's loaded database for the test's duration. With
    ``lang`` the app is opened as from a link ``?lang=<lang>``; otherwise with no parameter.
    """
    monkeypatch.setenv("PLANNER_DB", str(loaded_db))

    def run(page: str = "briefing", lang: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        if lang is not None:
            at.query_params["lang"] = lang
        at.run()
        if page != "briefing":
            at.switch_page(PAGE_FILES[page]).run()
        return at

    return run
