"""The API app: :func:`create_app` builds it (mounted at ``/api`` by ``app.py``'s ``st.App``),
:func:`server_app` the same alone for uvicorn (``make api``).

The app's routes are ``/v1/...`` and its OpenAPI 3.1 document ``/openapi.json``; mounted at
``/api`` they are ``/api/v1/...`` and ``/api/openapi.json``. No documentation page is served
(FastAPI's ``/docs`` and ``/redoc`` load scripts from a CDN, and the planner calls nothing off
the machine). A mounted app's lifespan never runs, so the app needs none: the store opens and
the model is fitted on the first request that needs them, or shared with the pages (``app.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount

from planner.projection import MODEL_VERSION
from planner.store import Store
from web.api import data, engine, scenarios
from web.api.context import Context, ModelLoader
from web.api.limits import BodyLimit, Limits, Worker
from web.api.problems import CatchAll, ProblemDocument, install, lang_query

PREFIX = "/api"
"""Where the API is mounted, in the Streamlit server and alone."""

API_VERSION = "1"
"""The version of the API's contract (the ``v1`` of its routes)."""

DESCRIPTION = """\
The numbers of the Quảng Ninh digital-transformation scenario planner, for other systems.

Errors are `application/problem+json` with the planner's problem codes and messages in the
language of `?lang=` (`vi`, `en`) or `Accept-Language` (Vietnamese by default).
"""


def create_app(store: Callable[[], Store] | None = None, model: ModelLoader | None = None,
               limits: Limits | None = None) -> FastAPI:
    """Build the API app.

    Parameters
    ----------
    store : callable, optional
        Returns the store (default: ``PLANNER_DB``'s, opened on first use).
    model : callable, optional
        ``model(version)``: the fitted model of a dataset version (default: fitted here, a few
        kept).
    limits : Limits, optional
        Default :meth:`Limits.from_env`.

    Returns
    -------
    fastapi.FastAPI
    """
    limits = limits or Limits.from_env()
    app = FastAPI(title="Quảng Ninh scenario planner API", version=f"{API_VERSION}.0",
                  summary=f"Model {MODEL_VERSION}", description=DESCRIPTION,
                  openapi_url="/openapi.json", docs_url=None, redoc_url=None,
                  swagger_ui_oauth2_redirect_url=None, dependencies=[Depends(lang_query)])
    app.state.context = Context(store, model)
    app.state.worker = Worker(limits)
    for module in (data, engine, scenarios):
        app.include_router(module.router)
    install(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    if limits.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(limits.cors_origins),
                           allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Content-Type", "Accept-Language", "X-Owner-Token"])
    app.add_middleware(BodyLimit, max_body=limits.max_body)
    app.add_middleware(CatchAll)
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI 3.1 document, with the problem schema the error answers use."""
    if app.openapi_schema is None:
        doc = get_openapi(title=app.title, version=app.version, openapi_version="3.1.0",
                          summary=app.summary, description=app.description, routes=app.routes,
                          servers=[{"url": PREFIX}])
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        problem = ProblemDocument.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem.pop("$defs", {}))
        schemas["ProblemDocument"] = problem
        app.openapi_schema = doc
    return app.openapi_schema


def server_app(**options: Any) -> Starlette:
    """The API alone, at the same addresses as in the Streamlit server (``make api``).

    Parameters
    ----------
    **options
        Passed to :func:`create_app` (default: the store of ``PLANNER_DB``, limits from the
        environment).

    Returns
    -------
    starlette.applications.Starlette
    """
    return Starlette(routes=[Mount(PREFIX, app=create_app(**options))])
