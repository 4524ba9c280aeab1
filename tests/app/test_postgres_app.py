"""The app on a PostgreSQL database (Streamlit AppTest): the pages read and fit from it, and
nothing is made on disk from its address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.opening import open_on
from tests.app.saved_helpers import strip_numbers
from tests.postgres_support import PostgresServer

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
TIMEOUT = 120


@pytest.fixture
def loaded_url(postgres_server: PostgresServer, postgres_loaded_template: str
               ) -> Iterator[str]:
    url = postgres_server.new_database(postgres_loaded_template)
    yield url
    postgres_server.drop_database(url)


@pytest.mark.parametrize("page", ["app_pages/briefing.py", "app_pages/planner_page.py"])
def test_pages_read_and_fit_from_postgresql(
    loaded_url: str, page: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLANNER_DB", loaded_url)
    monkeypatch.chdir(tmp_path)  # where a file path made from the address would appear
    at = open_on(page, "en", timeout=TIMEOUT)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    # the scenarios page's numbers are its headline component's, the briefing's metrics
    shown = strip_numbers(at) if page.endswith("planner_page.py") else at.metric
    assert shown, "the page shows its numbers"
    assert list(tmp_path.iterdir()) == [], "a file or folder was made from the address"
