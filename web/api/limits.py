"""The API's limits and the thread pool its computing handlers run in.

Every handler that reads the database or computes is a plain ``def`` run by :meth:`Worker.run`
in a thread, at most :attr:`Limits.threads` at a time (an ``anyio.CapacityLimiter`` of the
API's own, not the server's shared pool), so API traffic queues behind its own limit and never
takes the threads the pages need. A request that waits and runs longer than
:attr:`Limits.timeout` gets a ``timeout`` problem (503); its thread is not interrupted (Python
cannot stop one) but finishes alone, and :attr:`Limits.max_draws` bounds that work.

Each limit has a default here and an environment variable (``PLANNER_API_*``, read once when
the app is built by :meth:`Limits.from_env`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from planner.problems import Problem
from planner.simulation import MAX_DRAWS
from web.api.problems import ApiProblem

T = TypeVar("T")

ENV_PREFIX = "PLANNER_API_"
"""Environment variables of the limits: ``PLANNER_API_MAX_DRAWS``, ``..._MAX_BODY``,
``..._TIMEOUT``, ``..._THREADS``, ``..._CORS_ORIGINS`` (comma-separated; empty: closed)."""


@dataclass(frozen=True)
class Limits:
    """What one request may ask and how many run at once.

    Attributes
    ----------
    max_draws : int
        Monte Carlo draws a projection, goal seek or save may ask (at most
        :data:`planner.simulation.MAX_DRAWS`).
    max_body : int
        Bytes of a request's body.
    timeout : float
        Seconds a request may wait for a thread and run.
    threads : int
        Handlers running at once; the others wait their turn.
    cors_origins : tuple of str
        Origins other sites' scripts may call from; none by default (CORS closed).
    """

    max_draws: int = 20_000
    max_body: int = 64 * 1024
    timeout: float = 30.0
    threads: int = 2
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """The limits with any ``PLANNER_API_*`` variable applied.

        Parameters
        ----------
        env : mapping, optional
            Default ``os.environ``.

        Returns
        -------
        Limits

        Raises
        ------
        ValueError
            For a variable that is not a positive number (draws at most ``MAX_DRAWS``).
        """
        env = os.environ if env is None else env
        base = cls()

        def number(name: str, default: float, kind: type) -> Any:
            text = env.get(ENV_PREFIX + name, "").strip()
            if not text:
                return default
            try:
                value = kind(text)
            except ValueError:
                raise ValueError(f"{ENV_PREFIX}{name} must be a number, got {text!r}") from None
            if value <= 0:
                raise ValueError(f"{ENV_PREFIX}{name} must be positive, got {text!r}")
            return value

        draws = number("MAX_DRAWS", base.max_draws, int)
        if draws > MAX_DRAWS:
            raise ValueError(f"{ENV_PREFIX}MAX_DRAWS must be at most {MAX_DRAWS}, got {draws}")
        origins = tuple(o.strip() for o in env.get(ENV_PREFIX + "CORS_ORIGINS", "").split(",")
                        if o.strip())
        return cls(max_draws=draws, max_body=number("MAX_BODY", base.max_body, int),
                   timeout=number("TIMEOUT", base.timeout, float),
                   threads=number("THREADS", base.threads, int), cors_origins=origins)


class Worker:
    """Runs the API's blocking handlers in threads, :attr:`Limits.threads` at a time.

    Parameters
    ----------
    limits : Limits
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._loop: asyncio.AbstractEventLoop | None = None
        self._limiter: anyio.CapacityLimiter | None = None

    def _limiter_here(self) -> anyio.CapacityLimiter:
        # a limiter belongs to one event loop: the server has one; a test client starts its own
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._limiter is None:
            self._loop, self._limiter = loop, anyio.CapacityLimiter(self.limits.threads)
        return self._limiter

    async def run(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``func(*args, **kwargs)`` in a thread of the API's own pool.

        Returns
        -------
        What ``func`` returns; what it raises is raised here.

        Raises
        ------
        ApiProblem
            ``timeout`` (503) when waiting and running took longer than :attr:`Limits.timeout`.
        """
        try:
            with anyio.fail_after(self.limits.timeout):
                return await anyio.to_thread.run_sync(
                    partial(func, *args, **kwargs), limiter=self._limiter_here(),
                    abandon_on_cancel=True)
        except TimeoutError:
            raise ApiProblem(503, [Problem("", "timeout", {"seconds": self.limits.timeout})],
                             headers={"Retry-After": "10"}) from None


class BodyLimit:
    """ASGI middleware: a request whose body is over :attr:`Limits.max_body` bytes gets a
    ``too_large`` problem (413), before or while it is read.

    Parameters
    ----------
    app : ASGI app
    max_body : int
    """

    def __init__(self, app: Any, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    def _refuse(self, scope: dict) -> Any:
        from starlette.requests import Request

        from web.api.problems import header_lang, problem_response
        return problem_response(413, [Problem("body", "too_large", {"max": self.max_body})],
                                header_lang(Request(scope)))

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body:
            await self._refuse(scope)(scope, receive, send)
            return
        seen = 0
        over = False

        async def counted() -> dict:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    over = True
                    raise _TooLarge
            return message

        started = False

        async def tracked(message: dict) -> None:
            nonlocal started
            if over:  # the app's own answer to the cut body (FastAPI's 400) is not sent
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(_TooLarge):  # or the app answered the cut body: dropped
            await self.app(scope, counted, tracked)
        if over and not started:
            await self._refuse(scope)(scope, receive, send)


class _TooLarge(Exception):
    """A body grew over the limit while it was read."""
