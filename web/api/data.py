"""Routes of the data: dataset versions and indicators (JSON, and CSV with its metadata).

An indicator has a fixed address per format, like Our World in Data's chart API:
``/api/v1/indicators/{id}`` (JSON: metadata, observations with their kind, source, quote,
the cited sources and the modelled path with its basis), ``/api/v1/indicators/{id}.csv`` (the
observations) and ``/api/v1/indicators/{id}.metadata.json`` (what the CSV's columns mean, the
indicator, its sources). Every route takes ``?dataset_version=`` (default: the current one).
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from planner.csvsafe import write_csv
from planner.dataset import source_ids
from planner.documents import json_records
from planner.store import UnknownIndicatorError
from web.api.routes import context, problems, worker

router = APIRouter(prefix="/v1", tags=["data"])

VERSION_QUERY = Query(None, description="A stored dataset version (default: the current one).")

CSV_COLUMNS: dict[str, str] = {
    "indicator": "The indicator's id.",
    "geography": "Where the value is of (Quảng Ninh, Việt Nam, another province).",
    "year": "The year the value is of.",
    "period": "The part of the year: year, or a half (h1, h2).",
    "value": "The value, in the unit.",
    "unit": "The unit's id (see metadata: unit).",
    "kind": "What the value is: observed, derived, target, external or assumption.",
    "source": "The ids of the sources stating it, separated by ';' (see metadata: sources).",
    "source_date": "When the source was published.",
    "quote": "The source's words for the value.",
    "note_vi": "A note, in Vietnamese.",
    "note_en": "A note, in English.",
    "conflict": "Values of one fact that sources state differently share this id.",
}
"""The columns of an indicator's CSV and what each means (its metadata document)."""




def _indicator_row(dataset, indicator_id: str) -> dict[str, Any]:
    rows = dataset.indicators[dataset.indicators["id"] == indicator_id]
    if rows.empty:
        raise UnknownIndicatorError(indicator_id)
    row = json_records(rows)[0]
    units = dataset.units[dataset.units["id"] == row["unit"]]
    row["unit_detail"] = json_records(units)[0] if not units.empty else None
    return row


def _cited(store, version: str, observations: pd.DataFrame) -> list[dict[str, Any]]:
    ids = {sid for cell in observations["source"].fillna("") for sid in source_ids(str(cell))}
    sources = store.sources(version)
    return json_records(sources[sources["id"].isin(ids)])


def _datasets(ctx) -> dict[str, Any]:
    store = ctx.store()
    versions = store.dataset_versions()
    current = next((v["version"] for v in versions if v["is_current"]), None)
    return {"current": current, "versions": [
        {**v, "loaded_at": v["loaded_at"].isoformat() if v.get("loaded_at") else None}
        for v in versions]}


@router.get("/datasets", summary="The stored dataset versions, and which is current",
            responses=problems(503))
async def datasets(request: Request) -> dict[str, Any]:
    """Every stored dataset version, oldest first, with its row counts and file hashes."""
    return await worker(request).run(_datasets, context(request))


def _indicators(ctx, version: str | None) -> dict[str, Any]:
    dataset = ctx.dataset(version)
    return {"dataset_version": dataset.version, "indicators": json_records(dataset.indicators)}


@router.get("/indicators", summary="Every indicator", responses=problems(404, 503))
async def indicators(request: Request, dataset_version: str | None = VERSION_QUERY
                     ) -> dict[str, Any]:
    """Every indicator with its labels, unit, pillar and direction."""
    return await worker(request).run(_indicators, context(request), dataset_version)


def _observations(ctx, indicator_id: str, version: str | None):
    dataset = ctx.dataset(version)
    meta = _indicator_row(dataset, indicator_id)
    store = ctx.store()
    return store, dataset.version, meta, store.baseline(dataset.version, indicator_id)


def _indicator(ctx, indicator_id: str, version: str | None) -> dict[str, Any]:
    store, version, meta, obs = _observations(ctx, indicator_id, version)
    frame = ctx.model(version).project()
    path = json_records(frame[frame["indicator"] == indicator_id][
        ["year", "value", "unit", "kind", "basis"]])
    return {"dataset_version": version, "indicator": meta, "observations": json_records(obs),
            "sources": _cited(store, version, obs), "baseline_path": path}


def _csv(ctx, indicator_id: str, version: str | None) -> str:
    _, _, _, obs = _observations(ctx, indicator_id, version)
    out = io.StringIO()
    write_csv(obs[list(CSV_COLUMNS)], out)
    return out.getvalue()


def _metadata(ctx, indicator_id: str, version: str | None) -> dict[str, Any]:
    store, version, meta, obs = _observations(ctx, indicator_id, version)
    return {"dataset_version": version, "indicator": meta,
            "csv": f"/api/v1/indicators/{indicator_id}.csv?dataset_version={version}",
            "columns": [{"name": k, "description": v} for k, v in CSV_COLUMNS.items()],
            "sources": _cited(store, version, obs), "rows": len(obs)}


@router.get("/indicators/{indicator_id}.csv", summary="An indicator's observations as CSV",
            response_class=Response, responses={
                200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                      "description": "UTF-8 CSV, one row per value; columns as the metadata "
                                     "document says."}, **problems(404, 503)})
async def indicator_csv(request: Request, indicator_id: str,
                        dataset_version: str | None = VERSION_QUERY) -> Response:
    """The observations of one indicator, with kind, source and quote. A text cell that a
    spreadsheet would run as a formula starts with ``'``."""
    text = await worker(request).run(_csv, context(request), indicator_id, dataset_version)
    return Response(text, media_type="text/csv; charset=utf-8")


@router.get("/indicators/{indicator_id}.metadata.json",
            summary="What an indicator's CSV holds", responses=problems(404, 503))
async def indicator_metadata(request: Request, indicator_id: str,
                             dataset_version: str | None = VERSION_QUERY) -> dict[str, Any]:
    """The indicator, the CSV's address and columns, and the sources its values cite."""
    return await worker(request).run(_metadata, context(request), indicator_id, dataset_version)


@router.get("/indicators/{indicator_id}", summary="One indicator with its values",
            responses=problems(404, 503))
async def indicator(request: Request, indicator_id: str,
                    dataset_version: str | None = VERSION_QUERY) -> dict[str, Any]:
    """The indicator, its observations (kind, source, quote), the sources they cite, and its
    modelled baseline path with each year's basis (observed, estimate, projection) when the
    model projects it."""
    return await worker(request).run(_indicator, context(request), indicator_id, dataset_version)
