"""AppTest helpers: run ``app.py`` in-process against the session's loaded database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.opening import open_on

PAGE_FILES = {"briefing": "app_pages/briefing.py", "data": "app_pages/data_sources.py",
              "planner": "app_pages/planner_page.py"}


@pytest.fixture(scope="session", autouse=True)
def _component_manifests_scanned_once() -> Iterator[None]:
    """Scan the installed packages for Streamlit component manifests once for the session.

    Every new ``AppTest`` builds its own component registry and scans every installed
    package's metadata for manifests first (0.3-0.8 s each time, most of a short page run).
    The installed packages do not change during a test run, so each ``AppTest`` is handed the
    list found by the one scan: the same components are registered as before.
    """
    from streamlit.components.v2 import manifest_scanner

    found = manifest_scanner.scan_component_manifests()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests",
                      lambda max_workers=None: list(found))
        yield


def open_page(page: str = "briefing", lang: str | None = None) -> AppTest:
    """A finished AppTest run of ``app.py`` on ``page``, opened as from a link
    ``?lang=<lang>`` when ``lang`` is given; ``PLANNER_DB`` names the database."""
    return open_on(PAGE_FILES[page], lang)


@pytest.fixture
def app(loaded_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Return a function ``app(page="briefing", lang=None)`` giving a finished AppTest run.

    ``PLANNER_DB`` points at the session's loaded database for the test's duration. With
    ``lang`` the app is opened as from a link ``?lang=<lang>``; otherwise with no parameter.
    """
    monkeypatch.setenv("PLANNER_DB", str(loaded_db))
    return open_page


@pytest.fixture(scope="module")
def shown(loaded_db: Path) -> Callable[..., AppTest]:
    """``shown(page="briefing", lang=None)``: as ``app``, but one run per page and language
    for the whole module, for tests that only read what the page shows (a test that clicks,
    types or reruns takes ``app`` and a run of its own)."""
    runs: dict[tuple[str, str | None], AppTest] = {}

    def get(page: str = "briefing", lang: str | None = None) -> AppTest:
        if (page, lang) not in runs:
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("PLANNER_DB", str(loaded_db))
                runs[page, lang] = open_page(page, lang)
        return runs[page, lang]

    return get
