"""The replica a browser sticks to: a cookie the load balancer hashes on.

Several app processes (replicas) can serve one address behind a load balancer
(``deploy/nginx.conf``, ``make replicas``). A Streamlit session lives in one process, and so do
its uploads and downloads, so every request of a browser must reach the same replica.
:class:`ReplicaAffinity` is ASGI middleware (``st.App(middleware=...)`` in ``app.py``): a
response to a request that carries no :data:`COOKIE` sets one, a random value the browser then
sends with every request, its websocket included; the balancer picks the replica by a
consistent hash of that value (``deploy/nginx.conf``: ``$cookie_planner_replica``, hashed
``consistent``; without it, the request id). The value names no
replica, so the balancer alone decides, and adding or removing a replica moves only the
browsers whose hash moved. A request that already carries the cookie passes untouched.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie

from ui.long_links import ASGIApp, Receive, Scope, Send

COOKIE = "planner_replica"
"""The affinity cookie's name (``deploy/nginx.conf`` reads it as ``$cookie_planner_replica``)."""
ATTRIBUTES = "Path=/; SameSite=Lax; HttpOnly"
"""A session cookie (no expiry) for every path, never read by the page's scripts."""


def has_cookie(scope: Scope) -> bool:
    """Whether the request carries a non-empty :data:`COOKIE`."""
    for name, value in scope.get("headers", ()):
        if name.lower() != b"cookie":
            continue
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(value.decode("latin-1"))
        except Exception:  # noqa: BLE001 - a malformed header is one without our cookie
            continue
        if COOKIE in jar and jar[COOKIE].value:
            return True
    return False


def new_cookie() -> bytes:
    """A ``Set-Cookie`` value with a fresh random :data:`COOKIE` (16 hex digits)."""
    return f"{COOKIE}={secrets.token_hex(8)}; {ATTRIBUTES}".encode("latin-1")


class ReplicaAffinity:
    """ASGI middleware: give a browser without the affinity cookie one.

    Parameters
    ----------
    app : ASGI application
        The rest of the stack.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add ``Set-Cookie`` to the answer of an HTTP request without the cookie."""
        if scope.get("type") != "http" or has_cookie(scope):
            await self.app(scope, receive, send)
            return
        cookie = new_cookie()

        async def send_with_cookie(message: dict) -> None:
            if message.get("type") == "http.response.start":
                headers = list(message.get("headers", ()))
                headers.append((b"set-cookie", cookie))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)
