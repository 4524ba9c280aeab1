"""Scenarios side by side: outcomes with differences, and the settings that differ.

Pure functions for the compare page. Each scenario being compared fills a *slot* (``A``, ``B``,
``C``, ``D``, in the order chosen); differences are taken against slot ``A``. A slot's numbers
are a frame with the columns ``indicator, year, value, p10, p90`` (and ``unit``): the stored
snapshot of a saved scenario (:func:`planner.saved.snapshot_frames`) or a simulation of a
built-in or unsaved one on the current data (``Simulation.frame()``).

A rank's difference is the places the slot gains over slot A, between whole ranks (the ranks
shown; :func:`planner.views.places_gained`, positive is better): A at ``12/34`` and B at
``10/34`` reads ``+2`` places.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from planner.horizon import settable_years, shown_years
from planner.ids import is_rank
from planner.scenario import Scenario

SLOTS: tuple[str, ...] = ("A", "B", "C", "D")
"""The names of the compared scenarios' places, in order (at most four)."""

OUTCOME_COLUMNS = ("indicator", "year", "unit", "slot", "value", "p10", "p90", "difference")
SETTING_COLUMNS = ("kind", "id", "year", "values", "differs")


def _rounded_if_rank(indicator: str, x: float) -> float:
    if is_rank(indicator) and not math.isnan(x):
        return float(round(x))
    return x


def outcome_comparison(frames: Sequence[pd.DataFrame], order: Sequence[str],
                       years: Sequence[int] | None = None) -> pd.DataFrame:
    """Line up the outcomes of two to four scenarios, with differences against the first.

    Parameters
    ----------
    frames : sequence of pandas.DataFrame
        One frame per slot (``indicator, year, value, p10, p90`` and optionally ``unit``).
    order : sequence of str
        Outcome ids in display order; outcomes missing from every frame are left out.
    years : sequence of int, optional
        The years kept (default :func:`planner.horizon.shown_years`: the settable years, the
        first year not begun and 2030, or 2030 alone once none is left).

    Returns
    -------
    pandas.DataFrame
        Long form, one row per outcome, year and slot (:data:`OUTCOME_COLUMNS`): ``slot`` is
        ``A``..``D``; ``difference`` is the slot's value minus slot A's (0 for A; for the
        rank, the places gained over A between whole ranks, positive is better; NaN when
        either is missing). Sorted by ``order``, year, slot.
    """
    if not 1 <= len(frames) <= len(SLOTS):
        raise ValueError(f"compare needs 1 to {len(SLOTS)} frames, got {len(frames)}")
    wanted = set(int(y) for y in (shown_years() if years is None else years))
    lookup: list[dict[tuple[str, int], Mapping]] = []
    for frame in frames:
        rows = {}
        for r in frame.to_dict("records"):
            y = int(r["year"])
            if y in wanted:
                rows[(str(r["indicator"]), y)] = r
        lookup.append(rows)
    out = []
    for ind in order:
        for y in sorted(wanted):
            if not any((ind, y) in rows for rows in lookup):
                continue
            first = lookup[0].get((ind, y))
            base = (_rounded_if_rank(ind, float(first["value"])) if first is not None
                    and first["value"] is not None else math.nan)
            unit = next((str(rows[(ind, y)].get("unit", "")) for rows in lookup
                         if (ind, y) in rows), "")
            for slot, rows in zip(SLOTS, lookup, strict=False):
                r = rows.get((ind, y))
                value = float(r["value"]) if r is not None and r["value"] is not None else math.nan
                p10 = float(r["p10"]) if r is not None and r.get("p10") is not None else math.nan
                p90 = float(r["p90"]) if r is not None and r.get("p90") is not None else math.nan
                shown = _rounded_if_rank(ind, value)
                # a rank's difference is places gained (a smaller rank is better)
                diff = base - shown if is_rank(ind) else shown - base
                out.append({"indicator": ind, "year": y, "unit": unit, "slot": slot,
                            "value": value, "p10": p10, "p90": p90,
                            "difference": diff})
    frame = pd.DataFrame(out, columns=list(OUTCOME_COLUMNS))
    frame["difference"] = frame["difference"].astype("float64")
    return frame


def setting_differences(scenarios: Sequence[Scenario], lever_ids: Sequence[str],
                        assumption_ids: Sequence[str],
                        years: Sequence[int] | None = None) -> pd.DataFrame:
    """Which lever values and assumption overrides differ between scenarios.

    Parameters
    ----------
    scenarios : sequence of Scenario
        One per slot.
    lever_ids : sequence of str
        The model's levers, in display order.
    assumption_ids : sequence of str
        The model's assumptions, in display order.
    years : sequence of int, optional
        The lever years listed; by default the years a scenario sets today
        (:func:`planner.horizon.settable_years`) and every year one of ``scenarios`` sets.

    Returns
    -------
    pandas.DataFrame
        :data:`SETTING_COLUMNS`: one row per lever and year (``kind="lever"``), then one per
        assumption overridden in at least one scenario (``kind="assumption"``, ``year`` 0).
        ``values`` is a tuple, one per slot: the value set, or NaN when the scenario leaves it
        at the trend (levers) or the default (assumptions). ``differs`` says whether the
        scenarios do not all agree. Levers and assumptions are also listed when they agree,
        so a page may show everything or only what differs.
    """
    if years is None:
        years = sorted({*settable_years(),
                        *(int(y) for s in scenarios for path in s.levers.values() for y in path)})
    rows = []
    for lid in lever_ids:
        for y in years:
            values = tuple(float(s.levers.get(lid, {}).get(int(y), np.nan)) for s in scenarios)
            rows.append({"kind": "lever", "id": str(lid), "year": int(y), "values": values,
                         "differs": _differs(values)})
    used = {a for s in scenarios for a in s.overrides}
    for aid in [a for a in assumption_ids if a in used] + sorted(used - set(assumption_ids)):
        values = tuple(float(s.overrides.get(aid, np.nan)) for s in scenarios)
        rows.append({"kind": "assumption", "id": str(aid), "year": 0, "values": values,
                     "differs": _differs(values)})
    return pd.DataFrame(rows, columns=list(SETTING_COLUMNS))


def _differs(values: Sequence[float]) -> bool:
    keys = {("nan" if math.isnan(v) else repr(float(v))) for v in values}
    return len(keys) > 1
