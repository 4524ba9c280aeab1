"""What every route module shares: the context, the worker, the language and the problems a
route's documentation lists."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from web.api.context import Context
from web.api.limits import Limits, Worker
from web.api.problems import MEDIA_TYPE


def context(request: Request) -> Context:
    """The app's :class:`~web.api.context.Context`."""
    return request.app.state.context


def worker(request: Request) -> Worker:
    """The app's :class:`~web.api.limits.Worker`."""
    return request.app.state.worker


def limits(request: Request) -> Limits:
    """The app's :class:`~web.api.limits.Limits`."""
    return request.app.state.worker.limits


_WHY = {400: "A malformed request (not JSON, a bad id or language).",
        401: "The owner token is missing.",
        403: "Not allowed (a wrong owner token, a built-in scenario).",
        404: "No such id or dataset version.",
        409: "The data changed while saving; nothing was saved.",
        413: "The body is larger than the limit.",
        422: "A field's value is refused; the problem names the field.",
        500: "Something went wrong on the server; nothing was changed.",
        503: "The request ran out of time, or the database cannot be read."}

EVERY_ROUTE = (400, 422, 500)
"""Problem statuses any route may answer: a bad ``lang``, a refused parameter, a failure."""


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route for its problem statuses and :data:`EVERY_ROUTE`'s
    (``application/problem+json``)."""
    ref = {"$ref": "#/components/schemas/ProblemDocument"}
    return {status: {"description": _WHY[status], "content": {MEDIA_TYPE: {"schema": ref}}}
            for status in sorted({*statuses, *EVERY_ROUTE})}
