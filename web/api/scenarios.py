"""Routes of saved scenarios: save, list, read, delete.

A saved scenario is read back exactly as saved (its snapshot), with ``data_changed`` and
``model_changed`` saying whether the data or the model moved on since; the document is
:func:`planner.documents.scenario_document`, what ``scenario show --format json`` prints. The
owner token is in the answer to a save only, and a delete needs it in the
``X-Owner-Token`` header.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from planner.documents import scenario_document
from planner.links import read_path
from planner.problems import Problem
from planner.saved import (
    PAGE_MAX,
    delete_scenario,
    get_scenario,
    list_scenarios,
    open_scenario,
    save_scenario,
)
from web.api.answers import Saved, Scenario, ScenarioListing, documented
from web.api.engine import check_simulation
from web.api.limits import Limits
from web.api.problems import ApiProblem, request_lang
from web.api.routes import context, limits, problems, worker
from web.api.schemas import SaveRequest

router = APIRouter(prefix="/v1", tags=["scenarios"])

TOKEN_HEADER = "X-Owner-Token"
"""The header a delete carries the owner token in."""


def _save(ctx, body: SaveRequest, lim: Limits) -> dict[str, Any]:
    check_simulation(body.draws, body.seed, lim)
    store = ctx.store()
    raw = {"levers": body.levers, "overrides": body.overrides}
    if body.parent_id and not body.levers and not body.overrides:
        raw = get_scenario(store, body.parent_id).settings
    saved, token = save_scenario(store, ctx.model(), raw, body.name, note=body.note,
                                 author=body.author, lang=body.lang, parent_id=body.parent_id,
                                 draws=body.draws, seed=body.seed)
    return {"id": saved.id, "owner_token": token, "link": saved.link,
            "read": read_path(saved.id), "url": f"/api/v1/scenarios/{saved.id}", "parent_id": saved.parent_id,
            "dataset_version": saved.dataset_version, "model_version": saved.model_version}


@router.post("/scenarios", status_code=201, summary="Save a scenario",
             responses={**documented(Saved, 201), **problems(400, 404, 409, 413, 422, 503)})
async def save(request: Request, body: SaveRequest) -> JSONResponse:
    """Compute and save a scenario on the current data. The answer holds its id, its link and
    the owner token, shown this once: keep it to delete the scenario. Without ``levers`` and
    ``overrides``, a ``parent_id``'s settings are saved again under the new name."""
    doc = await worker(request).run(_save, context(request), body, limits(request))
    return JSONResponse(doc, status_code=201, headers={"Location": doc["url"]})


@router.get("/scenarios", summary="Saved scenarios, newest first",
            responses={**documented(ScenarioListing), **problems(422, 503)})
async def listing(request: Request,
                  search: Annotated[str | None, Query(
                      description="Only names containing this text (any case).")] = None,
                  limit: Annotated[int, Query(description=f"Page size, 1 to {PAGE_MAX}.")] = 20,
                  offset: Annotated[int, Query(description="Rows to skip.")] = 0,
                  ) -> dict[str, Any]:
    """A page of saved scenarios, newest first, and how many match in all."""
    def run() -> dict[str, Any]:
        rows, total = list_scenarios(context(request).store(), search, limit, offset)
        return {"total": total, "limit": limit, "offset": offset,
                "scenarios": [r.to_dict() for r in rows]}
    return await worker(request).run(run)


@router.get("/scenarios/{scenario_id}", summary="One saved or built-in scenario",
            responses={**documented(Scenario), **problems(400, 404, 503)})
async def read(request: Request, scenario_id: str) -> dict[str, Any]:
    """The stored settings and numbers of a saved scenario (exactly as saved), or a built-in
    scenario's on the current data, with ``data_changed`` and ``model_changed``. ``?lang=``
    (or ``Accept-Language``) picks a built-in's name and note."""
    lang = request_lang(request)
    ctx = context(request)

    def run() -> dict[str, Any]:
        store = ctx.store()
        opened = open_scenario(store, scenario_id, current_model_loader=ctx.model)
        return scenario_document(store, opened, lang)
    return await worker(request).run(run)


@router.delete("/scenarios/{scenario_id}", status_code=204, summary="Delete a saved scenario",
               response_class=Response, responses=problems(400, 401, 403, 404, 503))
async def delete(request: Request, scenario_id: str,
                 owner_token: Annotated[str | None, Header(
                     alias=TOKEN_HEADER,
                     description="The owner token the save answered with.")] = None,
                 ) -> Response:
    """Delete a saved scenario; the owner token goes in the ``X-Owner-Token`` header."""
    if not owner_token:
        raise ApiProblem(401, [Problem(TOKEN_HEADER, "required")],
                         headers={"WWW-Authenticate": TOKEN_HEADER})
    ctx = context(request)
    await worker(request).run(lambda: delete_scenario(ctx.store(), scenario_id, owner_token))
    return Response(status_code=204)
