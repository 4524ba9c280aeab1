"""Router of the Streamlit app: page config, navigation, the shared sidebar.

Run with ``make run`` (``streamlit run app.py``). Pages live in ``app_pages/`` and are
registered below with a fixed ``url_path``; to add a page, add one line to :data:`PAGES` and its
title to ``planner/catalogue.toml`` (``nav.<url_path>``).

Every page is served at its own address, the briefing too (``/briefing``). Streamlit serves its
default page at ``/`` only, never at the default page's ``url_path``, so the default page here
is a hidden one that sends the reader on to ``/briefing`` with the same query parameters
(``st.switch_page`` on the server: no extra round trip). Streamlit runs it for an unknown
address too; there it draws the app's own "page not found" page instead (:mod:`ui.not_found`).

``streamlit run app.py`` first imports this file as a module to look for a server app: it finds
:data:`app` (``st.App``), whose start-up hook fits the model in a background thread
(:func:`ui.model.warm_up`), so the first visitor does not wait for the fit, and which also
serves the JSON API under ``/api`` (:mod:`web.api`, sharing the pages' store and fit). Run as the page
script (``__name__ == "__main__"``, every session run) it is the router below.

The folder is not called ``pages/``: Streamlit treats a ``pages/`` folder next to the main
script as the old file-based navigation during a server's first run, so the first deep link
(``/data``) after a start would show "Page not found".
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import streamlit as st

if __name__ == "__main__":
    # Imported here, not when the server imports this file: Streamlit's caches set up on
    # import want its runtime, which exists only once the server has started.
    from planner.i18n import t
    from ui.data import current_version, error_text, shown_store_errors
    from ui.lang import init_lang, language_switch
    from ui.layout_css import draw_layout, init_present, present_switch
    from ui.link_messages import URL_PATH_KEY
    from ui.model import warm_up
    from ui.not_found import not_found_page, unknown_address
    from ui.scenario_state import dropped_link_notice

# (file, url_path, icon). Titles come from the catalogue: nav.<url_path>. The first is the
# one ``/`` leads to.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("app_pages/briefing.py", "briefing", ":material/dashboard:"),
    ("app_pages/planner_page.py", "planner", ":material/tune:"),
    ("app_pages/data_sources.py", "data", ":material/table_view:"),
    ("app_pages/saved.py", "saved", ":material/bookmarks:"),
    ("app_pages/compare.py", "compare", ":material/compare_arrows:"),
    ("app_pages/update_data.py", "update", ":material/upload_file:"),
)

FAVICON = Path(__file__).parent / "ui" / "assets" / "favicon.png"


# Imported by the start-up thread, so the first visitor's page finds them loaded (plotly alone
# takes about a second to import).
PAGE_HELPERS = ("ui.standing_view", "ui.target_cards", "ui.outcome_grid", "ui.planner_results")


def _warm_up() -> None:
    from ui.model import warm_up

    warm_up()
    for name in PAGE_HELPERS:
        importlib.import_module(name)


@contextlib.asynccontextmanager
async def _start_up(_app: object) -> AsyncIterator[None]:
    """Server start: fit the model in the background while the server starts serving.

    ``st.App`` runs this hook once its runtime has started, so Streamlit's caches, which the
    fit fills, are there already."""
    threading.Thread(target=_warm_up, name="planner-start", daemon=True).start()
    yield


def _home() -> None:
    """The page served at ``/``: on to the first page, keeping the query parameters."""
    st.switch_page(PAGES[0][0], query_params=[
        (key, value) for key in st.query_params for value in st.query_params.get_all(key)])


def main() -> None:
    """One run of the router: language, page config, navigation, sidebar, then the page."""
    warm_up()  # a no-op once the server's start-up hook or an earlier run has started it
    lang = init_lang()
    present = init_present()
    st.set_page_config(
        page_title=t("app.title", lang),
        # A local file: a Material icon as favicon would be fetched from a font CDN, and the
        # app makes no call to the internet.
        page_icon=str(FAVICON),
        layout="wide",
        initial_sidebar_state="collapsed" if present else "auto",
    )
    home = st.Page(_home, title=t(f"nav.{PAGES[0][1]}", lang), url_path="", default=True,
                   visibility="hidden")
    pages = [st.Page(path, title=t(f"nav.{url}", lang), icon=icon, url_path=url)
             for path, url, icon in PAGES]
    current = st.navigation([home, *pages])
    st.session_state[URL_PATH_KEY] = current.url_path  # for the page's own links
    missing = unknown_address() if current is home else None
    if current is home and missing is None:
        current.run()  # switches page; nothing after it runs

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
        present_switch(lang)

    if not version:
        st.error(error_text(problem, lang) if problem else t("app.no_data", lang),
                 icon=":material/database:")
        st.stop()

    draw_layout(lang, version, present)  # print and phone styles, the paper's stamp
    dropped_link_notice(current.url_path, lang)  # a link too long to read: say so
    with shown_store_errors(lang):
        if missing is not None:
            not_found_page(missing, lang)  # an address that names no page
        else:
            current.run()


if __name__ == "__main__":  # a session's run of the page script
    main()
else:  # imported by ``streamlit run`` (or an ASGI server) to find the server app
    from starlette.middleware import Middleware
    from starlette.routing import Mount, Route

    from ui.affinity import ReplicaAffinity
    from ui.chart_view import ROUTE as PLOTLY_ROUTE
    from ui.chart_view import plotly_js
    from ui.long_links import DroppedLinkRedirect, NestedPathRedirect
    from ui.paint import ROUTE, paint_route
    from ui.work_counts import WorkCountsEndpoint
    from web.api import create_app
    from web.plain.routes import routes as plain_routes

    def _api_store():
        """The pages' store, for the API (imported once the server runs: see the top)."""
        from ui.data import get_store

        return get_store()

    def _api_model(version: str):
        """The pages' fitted model of a dataset version, for the API: one fit for both."""
        from ui.model import get_model

        return get_model(version)

    def _base_path() -> str:
        """Where the pages are (``server.baseUrlPath``): the plain pages link to them."""
        path = str(st.get_option("server.baseUrlPath") or "").strip("/")
        return f"/{path}" if path else ""

    # a browser gets the cookie a load balancer keeps it on one replica by (deploy/); a link
    # Streamlit would drop whole is sent on to the same page with a notice, one below a page
    # to the upper one (Streamlit's page would stay blank there); the benchmarks
    # read what the process computed (PLANNER_WORK_COUNTS=1 only). The JSON API answers under
    # /api (web.api), its computing in a thread pool of its own; the browser says when it has
    # drawn a page's key numbers (ui.paint); a saved scenario's briefing and charts are served
    # as plain pages, without a session (web.plain)
    app = st.App(__file__, lifespan=_start_up,
                 middleware=[Middleware(ReplicaAffinity), Middleware(DroppedLinkRedirect),
                             Middleware(NestedPathRedirect, base=_base_path()),
                             Middleware(WorkCountsEndpoint)],
                 routes=[Mount("/api", app=create_app(store=_api_store, model=_api_model)),
                         Route(ROUTE, paint_route(), methods=["POST"]),
                         Route(PLOTLY_ROUTE, plotly_js),
                         *plain_routes(_base_path())])
