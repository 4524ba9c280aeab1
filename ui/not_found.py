"""An address that names no page: the app's own "page not found" page.

Streamlit runs the default page (the hidden one at ``/``) for an address it does not know and
sends the browser a "Page not found" notice. That default page sends the reader on to the
briefing (``st.switch_page``), and a switch starts a new run, which drops the messages the
browser has not yet been sent: the notice came through or not depending on which thread ran
first. So for an address that names no page the default page does not switch: it says itself,
in the page's language, that no page has this address, and links to the briefing. The run then
ends normally and Streamlit's own notice (translated by :mod:`ui.lang`) always comes too.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import streamlit as st

from planner.i18n import t
from planner.usertext import escape_markdown
from ui.long_links import page_parts

SHOWN_CHARS = 120
"""Characters of an unknown address shown on the page; a longer one is cut with an ellipsis."""


def unknown_address() -> str | None:
    """The address asked for when it names no page, else None.

    Only meaningful on the default page: Streamlit runs it for ``/`` and for every address it
    does not know. The address is the browser's (``st.context.url``) less the server's base
    path; None when the browser has not said (a test run).

    Returns
    -------
    str or None
        The unknown path (``khong-co-trang-nay``), or None for ``/``.
    """
    url = st.context.url
    if not url:
        return None
    parts = page_parts(unquote(urlsplit(url).path), str(st.get_option("server.baseUrlPath") or ""))
    return "/".join(parts) or None


def not_found_page(address: str, lang: str) -> None:
    """Draw the page for an address that names no page: what was asked for, and the way on.

    Parameters
    ----------
    address : str
        The path asked for (any text: shown literally, cut at :data:`SHOWN_CHARS`).
    lang : str
        The page's language.
    """
    shown = address if len(address) <= SHOWN_CHARS else address[:SHOWN_CHARS] + "…"
    st.title(t("notfound.title", lang), anchor=False)
    st.markdown(t("notfound.text", lang, address=escape_markdown("/" + shown)))
    st.page_link("app_pages/briefing.py", label=t("notfound.link", lang),
                 icon=":material/dashboard:")
