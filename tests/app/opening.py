"""An AppTest whose first run is on a given page, as a link to that page opens it.

``AppTest.switch_page`` needs a finished run first (it learns the pages from
``st.navigation``), so a test that opened the app and then switched ran the briefing (and the
hidden home page's switch to it) before its own page: about two seconds of every test of
another page. The app registers each page under its ``url_path`` (:data:`app.PAGES`), and a
``st.Page``'s script hash is the hash of that path, so the first run can ask for it directly.
:func:`first_run_on` checks after the run that the page it asked for is the one that ran: a
Streamlit upgrade that hashes pages otherwise fails here, loudly.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from app import PAGES

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
TIMEOUT = 60
URL_PATHS = {file: url for file, url, _ in PAGES}
"""``{page file: url_path}`` of every page the app registers."""


def first_run_on(at: AppTest, page: str) -> AppTest:
    """Run a new ``at`` (never run) on ``page`` (``app_pages/<file>.py``) and return it.

    Query parameters set on ``at`` before are the link's: the page's first run reads them, as a
    browser's first run of that address does.
    """
    at._page_hash = calc_hash(URL_PATHS[page])  # noqa: SLF001 - what switch_page sets
    at.run()
    ran = at._registered_pages.get(at._finished_page_script_hash, {})  # noqa: SLF001
    assert Path(str(ran.get("script_path"))).resolve() == (REPO / page).resolve(), (
        f"asked for {page}, ran {ran.get('script_path')}")
    return at


def open_on(page: str, lang: str | None = None, params: dict[str, str] | None = None,
            timeout: float = TIMEOUT) -> AppTest:
    """A finished first run of ``app.py`` on ``page``, as opened from a link with ``?lang=``
    and ``params`` (``PLANNER_DB`` names the database); ``timeout`` seconds a run."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    if lang is not None:
        at.query_params["lang"] = lang
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return first_run_on(at, page)
