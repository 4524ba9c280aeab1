"""The shapes of the API's main answers, for the OpenAPI document (the handlers build plain
dicts from :mod:`planner.documents`; a test checks real answers against these models)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Outcome(_Strict):
    """One outcome in one year."""

    indicator: str
    scenario: str | None = None
    year: int
    value: float | None = Field(description="The headline: the central run's value.")
    p10: float | None
    p50: float | None
    p90: float | None
    mean: float | None
    unit: str
    kind: str = Field(description="history, or projection after the trend's anchor.")
    basis: str = Field(description="What the value rests on today: observed, estimate or "
                                   "projection.")


class TargetStatus(_Strict):
    """One target of the data with its status (the register)."""

    target_id: str
    indicator: str
    geography: str
    year: int
    target: float | None
    unit: str
    status: str = Field(description="met, missed, likely_met, likely_missed, on_track, at_risk, "
                                    "off_track, no_measurement, not_modelled or "
                                    "national_reference.")
    basis: str
    figure: float | None
    figure_year: int | None
    probability: float | None = Field(description="The chance of meeting it, 0 to 1.")
    modelled: bool
    assumed: bool
    derived: bool
    formula: str
    sources: list[str]
    conflict: str
    p10: float | None
    p50: float | None
    p90: float | None
    gap: float | None
    required_path: list[Any]
    caveat: str
    province_indicator: str
    province_value: float | None
    province_year: int | None
    province_basis: str
    province_assumed: bool


class Projection(_Strict):
    """``POST /api/v1/projections``: what ``project --format json`` prints."""

    dataset_version: str
    model_version: str
    scenario: dict[str, Any]
    draws: int
    seed: int
    outcomes: list[Outcome]
    targets: list[TargetStatus]
    ranks_not_projected: list[str]
    contributions: list[dict[str, Any]] | None = None


class Saved(_Strict):
    """``POST /api/v1/scenarios``: the new scenario; ``owner_token`` is shown this once."""

    id: str
    owner_token: str
    link: str = Field(description="The query string that opens it in the planner: ?s=<id>.")
    read: str = Field(description="The address of its read-only page, served without a "
                                  "session: /s/<id>.")
    url: str
    parent_id: str | None
    dataset_version: str
    model_version: str


class ScenarioSummary(_Strict):
    """One row of the saved scenarios' listing."""

    id: str
    parent_id: str | None
    name: str
    note: str
    author: str
    lang: str
    dataset_version: str
    model_version: str
    created_at: str
    link: str


class ScenarioListing(_Strict):
    """``GET /api/v1/scenarios``."""

    total: int
    limit: int
    offset: int
    scenarios: list[ScenarioSummary]


class StoredOutcome(_Strict):
    """One outcome in one year as a saved snapshot holds it."""

    indicator: str
    year: int
    value: float | None
    p10: float | None
    p50: float | None
    p90: float | None
    mean: float | None
    unit: str
    kind: str
    basis: str


class Scenario(_Strict):
    """``GET /api/v1/scenarios/{id}``: the stored numbers and what changed since."""

    id: str
    kind: str = Field(description="saved or builtin.")
    name: str
    note: str
    author: str
    lang: str
    created_at: str | None
    parent_id: str | None
    link: str
    settings: dict[str, Any]
    dataset_version: str
    model_version: str
    current_dataset_version: str
    current_model_version: str
    data_changed: bool = Field(description="It was computed on another dataset version than "
                                           "the current one.")
    model_changed: bool = Field(description="It was computed by another model version.")
    draws: int
    seed: int
    digest: str | None
    outcomes: list[StoredOutcome]
    targets: list[TargetStatus]


def documented(model: type[BaseModel], status: int = 200) -> dict[int, dict[str, Any]]:
    """A route's ``responses`` entry for its answer's shape (documentation only)."""
    return {status: {"model": model, "description": model.__doc__.splitlines()[0]}}
