"""What this process computed: a count per kind of cached result, each a cache miss.

:mod:`ui.model` counts each fit, simulation, projection and contribution it actually computes
(:func:`count`), not each time one is asked for: two sessions on the same settings count one
simulation. The tests read :func:`counts` in process; a server started with
``PLANNER_WORK_COUNTS=1`` (the benchmarks do) also answers ``GET /_planner/work`` with them as
JSON (:class:`WorkCountsEndpoint`, ASGI middleware in ``app.py``), so a profile can tell the
work a lever move caused. Without the variable the address is an ordinary page address.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter

from ui.long_links import ASGIApp, Receive, Scope, Send

ENV = "PLANNER_WORK_COUNTS"
PATH = "/_planner/work"

_counts: Counter[str] = Counter()
_lock = threading.Lock()


def count(kind: str) -> None:
    """Count one computation of ``kind`` (``fit``, ``simulation``, ...)."""
    with _lock:
        _counts[kind] += 1


def counts() -> dict[str, int]:
    """``{kind: computations so far}`` in this process."""
    with _lock:
        return dict(_counts)


def served() -> bool:
    """Whether ``PLANNER_WORK_COUNTS`` asks for :data:`PATH` to be served."""
    return os.environ.get(ENV, "").strip().lower() in {"1", "true", "yes", "on"}


class WorkCountsEndpoint:
    """ASGI middleware: answer ``GET /_planner/work`` with :func:`counts` when :func:`served`.

    Parameters
    ----------
    app : ASGI application
        The rest of the stack.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.on = served()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the counts' address; pass anything else on."""
        if not (self.on and scope.get("type") == "http" and scope.get("path") == PATH):
            await self.app(scope, receive, send)
            return
        body = json.dumps({"pid": os.getpid(), "counts": counts()}).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"cache-control", b"no-store"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
