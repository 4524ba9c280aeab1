"""The API's errors: ``application/problem+json`` (RFC 9457) in the requested language.

Every error answer names the project's problem codes (:data:`planner.problems.CODES`) and their
messages from the catalogue, in the language of ``?lang=`` or else of ``Accept-Language``
(Vietnamese by default, :data:`planner.i18n.DEFAULT_LANG`)::

    {"type": "urn:planner:problem:out_of_range", "title": "Unprocessable Entity",
     "status": 422, "code": "out_of_range", "field": "draws",
     "detail": "“draws”: 200000 is outside the allowed range [1, 20000].",
     "problems": [{"field": "draws", "code": "out_of_range", "detail": "…"}]}

:func:`install` maps every failure to one: a domain error (a scenario's, a saved scenario's, an
unknown dataset version), a request the schema refuses (the field named), an unknown address or
method, and anything unexpected (500, logged, with no traceback or path in the answer).
"""

from __future__ import annotations

import http
import logging
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from planner.i18n import DEFAULT_LANG, LANGS
from planner.problems import Problem, problem_text, shown
from planner.saved import SavedScenarioError
from planner.scenario import ScenarioError
from planner.store import StoreError, UnknownIndicatorError, UnknownVersionError

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:planner:problem:"
"""A problem's ``type`` is this followed by its code."""

log = logging.getLogger(__name__)


class ProblemItem(BaseModel):
    """One thing wrong with a request."""

    field: str
    code: str
    detail: str


class ProblemDocument(BaseModel):
    """An error answer (``application/problem+json``)."""

    type: str
    title: str
    status: int
    code: str
    field: str
    detail: str
    problems: list[ProblemItem]


class ApiProblem(Exception):
    """An answer of problems; raised anywhere in a handler, answered by :func:`install`.

    Parameters
    ----------
    status : int
        The HTTP status.
    problems : list of Problem
        At least one.
    headers : mapping, optional
        Extra headers of the answer (``Retry-After``, ``Allow``).
    """

    def __init__(self, status: int, problems: Sequence[Problem],
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(problems[0].code)
        self.status = status
        self.problems = list(problems)
        self.headers = dict(headers or {})


def _accepted(header: str) -> list[str]:
    """The languages of an ``Accept-Language`` header, most wanted first (``q`` weights)."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag:
            ranked.append((-weight, position, tag.strip().lower()))
    return [tag for weight, _, tag in sorted(ranked) if weight < 0]


def header_lang(request: Request) -> str:
    """The language ``Accept-Language`` asks for among :data:`planner.i18n.LANGS`, else
    :data:`planner.i18n.DEFAULT_LANG`."""
    for tag in _accepted(request.headers.get("accept-language", "")):
        primary = tag.split("-", 1)[0]
        if primary in LANGS:
            return primary
    return DEFAULT_LANG


def request_lang(request: Request) -> str:
    """The language of a request's answers: ``?lang=`` or else ``Accept-Language``.

    Raises
    ------
    ApiProblem
        ``bad_lang`` (400) for a ``lang`` that is not one of :data:`planner.i18n.LANGS`.
    """
    lang = request.query_params.get("lang")
    if lang is None:
        return header_lang(request)
    if lang not in LANGS:
        raise ApiProblem(400, [Problem("lang", "bad_lang",
                                       {"value": shown(lang), "allowed": ", ".join(LANGS)})])
    return lang


def lang_query(request: Request, lang: Annotated[str | None, Query(
        description="The language of the answer's words: vi or en (default: Accept-Language, "
                    "else vi).")] = None) -> str:
    """Every route's ``?lang=`` (an app-wide dependency): checked, so an unknown language is
    refused on any route; see :func:`request_lang`."""
    return request_lang(request)


def problem_response(status: int, problems: Sequence[Problem], lang: str,
                     headers: Mapping[str, str] | None = None) -> JSONResponse:
    """An ``application/problem+json`` answer.

    Parameters
    ----------
    status : int
    problems : sequence of Problem
        At least one; the first gives ``type``, ``code`` and ``field``.
    lang : {"vi", "en"}
    headers : mapping, optional

    Returns
    -------
    starlette.responses.JSONResponse
    """
    items = [ProblemItem(field=p.field, code=p.code, detail=problem_text(p, lang))
             for p in problems]
    first = items[0]
    doc = ProblemDocument(
        type=TYPE_PREFIX + first.code, title=http.HTTPStatus(status).phrase, status=status,
        code=first.code, field=first.field,
        detail=" ".join(dict.fromkeys(i.detail for i in items)), problems=items)
    return JSONResponse(doc.model_dump(), status_code=status, media_type=MEDIA_TYPE,
                        headers={"Content-Language": lang, **(headers or {})})


def _safe_lang(request: Request) -> str:
    try:
        return request_lang(request)
    except ApiProblem:
        return header_lang(request)


SAVED_STATUS: dict[str, int] = {"bad_id": 400, "unknown_id": 404, "not_deletable": 403,
                                "bad_token": 403, "stale_dataset": 409, "unknown_parent": 422}
"""The status of a saved-scenario problem by code; any other is 422."""


def _field(loc: Sequence[Any]) -> str:
    """A field's name from a validation error's location: ``("body", "levers", "x")`` is
    ``levers.x``; a header or query parameter by its own name."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts)


def validation_problems(errors: Sequence[Mapping[str, Any]],
                        allowed: str = "") -> tuple[int, list[Problem]]:
    """The problems of a request the schema refuses, each naming its field.

    Parameters
    ----------
    errors : sequence of mapping
        From ``RequestValidationError.errors()``.
    allowed : str, optional
        The body's fields, listed for a field it does not take.

    Returns
    -------
    tuple
        ``(status, problems)``: 400 for a body that is not JSON, else 422.
    """
    problems: list[Problem] = []
    status = 422
    for err in errors:
        kind, field, ctx = err.get("type", ""), _field(err.get("loc", ())), err.get("ctx") or {}
        value = err.get("input")
        if kind == "json_invalid":
            status = 400
            problems.append(Problem("body", "bad_json", {"position": (err.get("loc") or [0, 0])[-1]}))
        elif kind == "missing":
            problems.append(Problem(field, "required"))
        elif kind == "extra_forbidden":
            problems.append(Problem(field, "unknown_field", {"allowed": allowed}))
        elif kind in ("int_parsing", "float_parsing", "int_from_float", "int_type", "float_type"):
            problems.append(Problem(field, "not_a_number", {"value": shown(value)}))
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            problems.append(Problem(field, "out_of_range", {
                "value": value, "min": ctx.get("ge", ctx.get("gt", "")),
                "max": ctx.get("le", ctx.get("lt", ""))}))
        else:
            problems.append(Problem(field, "bad_type"))
    return status, problems or [Problem("", "bad_type")]


def _body_fields(request: Request) -> str:
    """The fields the body of a request's route takes, listed (for ``unknown_field``)."""
    route = request.scope.get("route")
    for param in getattr(getattr(route, "dependant", None), "body_params", ()):
        model = getattr(param.field_info, "annotation", None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            return ", ".join(model.model_fields)
    return ""


def install(app: FastAPI) -> None:
    """Answer every failure of ``app`` as a problem.

    Parameters
    ----------
    app : fastapi.FastAPI
    """

    @app.exception_handler(ApiProblem)
    async def _problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(exc.status, exc.problems, _safe_lang(request), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, problems = validation_problems(exc.errors(), _body_fields(request))
        return problem_response(status, problems, _safe_lang(request))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        lang = _safe_lang(request)
        if exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow", "")
            return problem_response(405, [Problem("", "bad_method", {"allowed": allowed})], lang,
                                    {"Allow": allowed} if allowed else None)
        if exc.status_code == 404:
            return problem_response(404, [Problem("", "not_found")], lang)
        if exc.status_code == 400:  # a body FastAPI could not read
            return problem_response(400, [Problem("body", "bad_type")], lang)
        return problem_response(exc.status_code, [Problem("", "invalid", {"status": exc.status_code})],
                                lang)

    @app.exception_handler(ScenarioError)
    async def _scenario(request: Request, exc: ScenarioError) -> JSONResponse:
        return problem_response(422, exc.problems, _safe_lang(request))

    @app.exception_handler(SavedScenarioError)
    async def _saved(request: Request, exc: SavedScenarioError) -> JSONResponse:
        return problem_response(SAVED_STATUS.get(exc.code, 422), exc.problems, _safe_lang(request))

    @app.exception_handler(UnknownVersionError)
    async def _version(request: Request, exc: UnknownVersionError) -> JSONResponse:
        value = request.query_params.get("dataset_version", "")  # never the store's words
        return problem_response(404, [Problem("dataset_version", "unknown_version",
                                              {"value": shown(str(value))})], _safe_lang(request))

    @app.exception_handler(UnknownIndicatorError)
    async def _indicator(request: Request, exc: UnknownIndicatorError) -> JSONResponse:
        value = request.path_params.get("indicator_id", "")
        return problem_response(404, [Problem("id", "unknown_indicator", {"value": shown(value)})],
                                _safe_lang(request))

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        log.warning("the API cannot read the database: %s", type(exc).__name__)
        return problem_response(503, [Problem("", "unavailable")], _safe_lang(request),
                                {"Retry-After": "30"})


class CatchAll:
    """ASGI middleware: anything a handler raises unexpectedly is logged and answered as an
    ``internal`` problem (500), with no traceback or path in the answer.

    Parameters
    ----------
    app : ASGI app
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("the API failed on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = problem_response(500, [Problem("", "internal")],
                                        _safe_lang(Request(scope)))
            await response(scope, receive, send)
