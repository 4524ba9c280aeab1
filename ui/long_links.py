"""The server's answer to a link too long for Streamlit to read: a redirect the page can explain.

Streamlit drops a query string of more than 1,000 parameters whole, before the script runs, so
the page would open as if the link were bare (see :mod:`planner.links`, "Too long a link").
:class:`DroppedLinkRedirect` is ASGI middleware (``st.App(middleware=...)`` in ``app.py``): a
request for a page whose query Streamlit would drop is answered with ``303 See Other`` to the
same page with :func:`planner.links.dropped_query`'s short query, the link's language and
``link_dropped=<count>``; :func:`ui.scenario_state.dropped_link_notice` then says on the page
that the link was not applied. Every other request passes untouched.

:class:`NestedPathRedirect` answers the other link Streamlit cannot open: an address below a
page (``/planner/x``), where Streamlit's page stays blank. It is sent on to its first part.
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
        await _redirect(send, f"{path}?{urlencode(short)}")

    @staticmethod
    def short_query(scope: Scope) -> dict[str, str] | None:
        """The query to redirect to, or None when the request is not a page or reads fine."""
        if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD"):
            return None
        if str(scope.get("path", "")).startswith(SERVER_PATHS):
            return None
        return dropped_query(bytes(scope.get("query_string", b"")).decode("latin-1"))


APP_ROUTES = ("/api/", "/paint/", "/_planner/", "/s/", "/embed/")
"""First parts of the app's own routes at deeper paths (``app.py``): never a page either."""


class NestedPathRedirect:
    """ASGI middleware: send a browser asking for a page below a page on to the upper one.

    Streamlit's pages are one part deep (``/planner``). For a deeper address it sends its page
    anyway, but the page loads its scripts relative to the address (``./static/...``), finds
    none, and stays blank. A browser's request for a page (``Accept: text/html``) at such an
    address, outside Streamlit's and the app's own routes, is answered with ``303 See Other``
    to its first part, query kept: ``/planner/x`` opens the planner, ``/no-such/x`` the app's
    "page not found" page (:mod:`ui.not_found`).

    Parameters
    ----------
    app : ASGI application
        The rest of the stack.
    base : str, optional
        Where the pages are (``server.baseUrlPath`` with a leading ``/``).
    """

    def __init__(self, app: ASGIApp, base: str = "") -> None:
        self.app = app
        self.base = base.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a page request below a page by a redirect; pass anything else on."""
        location = self.upper(scope)
        if location is None:
            await self.app(scope, receive, send)
            return
        await _redirect(send, location)

    def upper(self, scope: Scope) -> str | None:
        """The address to send the request on to, or None when it is not such a request."""
        if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD"):
            return None
        headers = dict(scope.get("headers") or [])
        if b"text/html" not in headers.get(b"accept", b""):
            return None
        parts = page_parts(str(scope.get("path", "")), self.base)
        if ("/" + "/".join(parts) + "/").startswith(SERVER_PATHS + APP_ROUTES) or len(parts) < 2:
            return None
        query = bytes(scope.get("query_string", b"")).decode("latin-1")
        upper = quote(f"{scope.get('root_path', '')}{self.base}/{parts[0]}")
        return f"{upper}?{query}" if query else upper


def page_parts(path: str, base: str = "") -> list[str]:
    """The parts of an address's path below the server's base path (``server.baseUrlPath``).

    Parameters
    ----------
    path : str
        ``/qn/planner/x``.
    base : str, optional
        ``/qn`` (with or without its slashes); a path outside it is read whole.

    Returns
    -------
    list of str
        ``["planner", "x"]``; empty for the base itself.
    """
    base = base.strip("/")
    parts = [part for part in path.split("/") if part]
    depth = len(base.split("/")) if base else 0
    return parts[depth:] if base and parts[:depth] == base.split("/") else parts


async def _redirect(send: Send, location: str) -> None:
    """Answer ``303 See Other`` to ``location``, never kept by a cache."""
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1")),
                            (b"cache-control", b"no-store"),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
