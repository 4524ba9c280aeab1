"""Routes of the model: levers, targets, projections and goal seek.

A projection is :func:`planner.documents.projection_document`, the function the command line's
``project --format json`` prints, so the same settings, draws and seed give the same numbers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from planner.documents import json_records, lever_table, projection_document, projection_frames
from planner.goalseek import GOAL_OUTCOMES, GoalSeekError, goal_seek, parse_goal
from planner.problems import Problem, shown
from planner.scenario import BASELINE
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED, MAX_SEED
from planner.targets import find_target
from web.api.answers import Projection, documented
from web.api.data import VERSION_QUERY
from web.api.limits import Limits
from web.api.problems import ApiProblem
from web.api.routes import context, limits, problems, worker
from web.api.schemas import GoalSeekRequest, ProjectionRequest

router = APIRouter(prefix="/v1", tags=["model"])


def check_simulation(draws: int, seed: int, lim: Limits) -> None:
    """Refuse draws or a seed outside the limits.

    Raises
    ------
    ApiProblem
        ``out_of_range`` (422) naming ``draws`` or ``seed``.
    """
    found = []
    if not 1 <= draws <= lim.max_draws:
        found.append(Problem("draws", "out_of_range", {"value": draws, "min": 1,
                                                       "max": lim.max_draws}))
    if not 0 <= seed <= MAX_SEED:
        found.append(Problem("seed", "out_of_range", {"value": seed, "min": 0, "max": MAX_SEED}))
    if found:
        raise ApiProblem(422, found)


def _levers(ctx, version: str | None) -> dict[str, Any]:
    model = ctx.model(version)
    return {"dataset_version": model.version, "levers": json_records(lever_table(model))}


@router.get("/levers", summary="The levers", responses=problems(404, 503))
async def levers(request: Request, dataset_version: str | None = VERSION_QUERY) -> dict[str, Any]:
    """Every lever with its unit, range, the years it can be set in and its baseline there,
    its trend, observed values and targets (as the command line's ``levers``)."""
    return await worker(request).run(_levers, context(request), dataset_version)


def _targets(ctx, version: str | None) -> dict[str, Any]:
    model = ctx.model(version)
    _, targets, sim = projection_frames(model, model.validate(BASELINE), DEFAULT_DRAWS,
                                        DEFAULT_SEED)
    return {"dataset_version": model.version, "scenario": BASELINE.to_dict(),
            "draws": sim.draws, "seed": sim.seed, "targets": json_records(targets)}


@router.get("/targets", summary="Every target, its geography and status",
            responses=problems(404, 503))
async def targets(request: Request, dataset_version: str | None = VERSION_QUERY
                  ) -> dict[str, Any]:
    """Every target of the data (the province's and the national ones), with its geography
    and its status on the baseline: met or missed once measured, else its chance of being met
    (default draws and seed)."""
    return await worker(request).run(_targets, context(request), dataset_version)


def _project(ctx, body: ProjectionRequest, lim: Limits) -> dict[str, Any]:
    check_simulation(body.draws, body.seed, lim)
    model = ctx.model(body.dataset_version)
    scenario = model.validate({"levers": body.levers, "overrides": body.overrides})
    return projection_document(model, scenario, body.draws, body.seed, body.contributions)


@router.post("/projections", summary="Project a scenario",
             responses={**documented(Projection), **problems(400, 404, 413, 422, 503)})
async def projections(request: Request, body: ProjectionRequest) -> dict[str, Any]:
    """Every outcome of the scenario by year with its headline value, p10/p50/p90, kind and
    basis, and every target with its status and chance: the numbers of
    ``python -m planner project --format json`` for the same settings, draws and seed."""
    return await worker(request).run(_project, context(request), body, limits(request))


GOAL_PROBLEMS: dict[str, str] = {"bad_year": "bad_year", "not_a_number": "not_a_number",
                                 "out_of_range": "out_of_range", "beyond_field": "out_of_range"}
"""A goal's error codes (:class:`planner.goalseek.GoalSeekError`) that have a problem code of
their own; any other is ``bad_goal``."""


def goal_problem(exc: GoalSeekError, text: str) -> Problem:
    """A goal seek's error as a problem on ``target``.

    Parameters
    ----------
    exc : planner.goalseek.GoalSeekError
    text : str
        The target as asked.

    Returns
    -------
    Problem
    """
    params = exc.params
    code = GOAL_PROBLEMS.get(exc.code, "bad_goal")
    if code == "bad_year":
        return Problem("target", code, {"year": params.get("year"),
                                        "allowed": f"{params.get('first')}–{params.get('last')}"})
    if code == "out_of_range":
        return Problem("target", code, {"value": params.get("value"),
                                        "min": params.get("low", 1),
                                        "max": params.get("high", params.get("size"))})
    return Problem("target", code, {"value": shown(text)})


def _goalseek(ctx, body: GoalSeekRequest) -> dict[str, Any]:
    model = ctx.model(body.dataset_version)
    scenario = model.validate({"levers": body.levers, "overrides": body.overrides})
    if body.lever is not None and body.lever not in model.levers:
        raise ApiProblem(422, [Problem("lever", "unknown_lever", {
            "lever": shown(body.lever), "known": ", ".join(model.levers)})])
    try:
        try:
            target = find_target(model.targets, body.target)
        except KeyError:
            if body.target.split("@", 1)[0] not in GOAL_OUTCOMES:
                raise ApiProblem(422, [Problem("target", "unknown_target",
                                               {"value": shown(body.target)})]) from None
            target = parse_goal(model, body.target)
        return goal_seek(model, target, scenario, lever=body.lever).to_dict()
    except GoalSeekError as exc:
        raise ApiProblem(422, [goal_problem(exc, body.target)]) from None


@router.post("/goalseek", summary="Lever values that reach a target",
             responses=problems(400, 404, 413, 422, 503))
async def goalseek(request: Request, body: GoalSeekRequest) -> dict[str, Any]:
    """The lever values, from the given settings, that reach a target or a goal on the DTI;
    when none do, the best reachable value and the assumptions that limit it (as the command
    line's ``goalseek --format json``)."""
    return await worker(request).run(_goalseek, context(request), body)
