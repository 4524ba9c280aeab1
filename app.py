"""Router of the Streamlit app: page config, navigation, the shared sidebar, session defaults.

Run with ``make run`` (``streamlit run app.py``). Pages live in ``app_pages/`` and are
registered below with a fixed ``url_path``; to add a page, add one line to :data:`PAGES` and its
title to ``planner/catalogue.toml`` (``nav.<url_path>``).

The folder is not called ``pages/``: Streamlit treats a ``pages/`` folder next to the main
script as the old file-based navigation during a server's first run, so the first deep link
(``/data``) after a start would show "Page not found".
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from planner.i18n import t
from ui.data import current_version, error_text, shown_store_errors
from ui.lang import init_lang, language_switch

# (file, url_path, icon, default). Titles come from the catalogue: nav.<url_path>.
PAGES: tuple[tuple[str, str, str, bool], ...] = (
    ("app_pages/briefing.py", "briefing", ":material/dashboard:", True),
    ("app_pages/planner_page.py", "planner", ":material/tune:", False),
    ("app_pages/data_sources.py", "data", ":material/table_view:", False),
    ("app_pages/saved.py", "saved", ":material/bookmarks:", False),
    ("app_pages/compare.py", "compare", ":material/compare_arrows:", False),
    ("app_pages/update_data.py", "update", ":material/upload_file:", False),
)

FAVICON = Path(__file__).parent / "ui" / "assets" / "favicon.png"

# Session-state defaults, set once per session (the language is handled by ui.lang).
SESSION_DEFAULTS: dict[str, object] = {}

for _key, _value in SESSION_DEFAULTS.items():
    st.session_state.setdefault(_key, _value)

lang = init_lang()
st.set_page_config(
    page_title=t("app.title", lang),
    # A local file: a Material icon as favicon would be fetched from a font CDN, and the app
    # makes no call to the internet.
    page_icon=str(FAVICON),
    layout="wide",
    initial_sidebar_state="auto",
)

pages = [
    st.Page(path, title=t(f"nav.{url}", lang), icon=icon, url_path=url, default=default)
    for path, url, icon, default in PAGES
]
current = st.navigation(pages)

problem: Exception | None = None
try:
    version = current_version()
except Exception as exc:  # the database is locked beyond retries, damaged, unreachable
    logging.getLogger(__name__).exception("cannot read the dataset version")
    version, problem = None, exc

with st.sidebar:
    lang = language_switch()
    if version:
        st.caption(t("app.dataset_version", lang, version=version))

if not version:
    st.error(error_text(problem, lang) if problem else t("app.no_data", lang),
             icon=":material/database:")
    st.stop()

with shown_store_errors(lang):
    current.run()
