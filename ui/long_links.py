"""The server's answer to a link too long for Streamlit to read: a redirect the page can explain.

Streamlit drops a query string of more than 1,000 parameters whole, before the script runs, so
the page would open as if the link were bare (see :mod:`planner.links`, "Too long a link").
:class:`DroppedLinkRedirect` is ASGI middleware (``st.App(middleware=...)`` in ``app.py``): a
request for a page whose query Streamlit would drop is answered with ``303 See Other`` to the
same page with :func:`planner.links.dropped_query`'s short query, the link's language and
``link_dropped=<count>``; :func:`ui.scenario_state.dropped_link_notice` then says on the page
that the link was not applied. Every other request passes untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote, urlencode

from planner.links import dropped_query

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SERVER_PATHS = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/")
"""Paths of Streamlit's own endpoints and files, never a page."""


class DroppedLinkRedirect:
    """ASGI middleware: redirect a page request whose query Streamlit would drop.

    Parameters
    ----------
    app : ASGI application
        The rest of the stack.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a page request with too long a query by a redirect; pass anything else on."""
        short = self.short_query(scope)
        if short is None:
            await self.app(scope, receive, send)
            return
        path = quote(scope.get("root_path", "") + scope.get("path", "/"))
        location = f"{path}?{urlencode(short)}"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location.encode("latin-1")),
                                (b"cache-control", b"no-store"),
                                (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    @staticmethod
    def short_query(scope: Scope) -> dict[str, str] | None:
        """The query to redirect to, or None when the request is not a page or reads fine."""
        if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD"):
            return None
        if str(scope.get("path", "")).startswith(SERVER_PATHS):
            return None
        return dropped_query(bytes(scope.get("query_string", b"")).decode("latin-1"))
