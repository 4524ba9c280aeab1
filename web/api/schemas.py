"""The bodies the API takes, as pydantic models (their JSON Schema is in the OpenAPI document).

A scenario's settings (``levers``, ``overrides``) are taken as any JSON object here and checked
whole by the model (``PlannerResults.validate``), so their problems carry the project's codes
and paths (``levers.online_filing.2027``), as on the command line and in links. Draws and seed
are checked against :class:`web.api.limits.Limits` by the handler.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from planner.i18n import DEFAULT_LANG
from planner.scenario import SHAPES
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED


class Settings(BaseModel):
    """A scenario's settings: the levers by year and the assumption overrides."""

    model_config = ConfigDict(extra="forbid")

    levers: dict[str, Any] = Field(default_factory=dict,
                                   description=f"Lever values by year: {SHAPES['levers']}.",
                                   examples=[{"online_filing": {"2027": 90}}])
    overrides: dict[str, Any] = Field(default_factory=dict,
                                      description=f"Assumption values: {SHAPES['overrides']}.")


class ProjectionRequest(Settings):
    """``POST /api/v1/projections``: what the command line's ``project`` takes."""

    draws: int = Field(DEFAULT_DRAWS, description="Monte Carlo draws (at most the API's limit).")
    seed: int = Field(DEFAULT_SEED, description="Random seed: the same seed, the same numbers.")
    dataset_version: str | None = Field(None, description="A stored dataset version "
                                                          "(default: the current one).")
    contributions: bool = Field(False, description="Also each lever's contribution.")


class GoalSeekRequest(Settings):
    """``POST /api/v1/goalseek``: the lever values that reach a target, from the settings."""

    target: str = Field(description="A target's id (``GET /api/v1/targets``), or a goal on "
                                    "the DTI: ``dti_overall@2030=0.95``, "
                                    "``dti_overall_rank@2030=5`` (that rank or better).",
                        examples=["dti_overall@2030=0.95"])
    lever: str | None = Field(None, description="Move only this lever (default: every lever "
                                                "that moves the target, least change in all).")
    dataset_version: str | None = Field(None, description="A stored dataset version "
                                                          "(default: the current one).")


class SaveRequest(Settings):
    """``POST /api/v1/scenarios``: a scenario to save on the current data."""

    name: str = Field(description="1 to 120 characters.", examples=["Faster online filing"])
    note: str = Field("", description="What the scenario assumes (up to 2000 characters).")
    author: str = Field("", description="Up to 120 characters.")
    lang: str = Field(DEFAULT_LANG, description="The author's language: vi or en.")
    parent_id: str | None = Field(None, description="The saved scenario this one edits.")
    draws: int = Field(DEFAULT_DRAWS, description="Monte Carlo draws of the saved numbers.")
    seed: int = Field(DEFAULT_SEED, description="Random seed of the saved numbers.")
