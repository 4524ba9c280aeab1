"""Targets: gap, required path, status and probability of reaching each one; the register.

Every row of kind ``target`` of the province whose indicator the model projects is a target.
Rows with the same indicator, geography, year and value are one target (their sources are listed
together); rows of one indicator and year with different values (the 2030 digital-economy share:
35% and 30%) are separate targets sharing a ``conflict`` id, and both are evaluated.

Each target knows its geography. A target of another geography (the country's 55% e-commerce
uptake by 2025) is never the province's: it is not evaluated, not counted with the province's
targets and carries no chance; the register lists it as a national reference
(status ``national_reference``) with its own latest figure and the province's own value beside
it. Its id names its place (:func:`target_id`), so two targets differing only by place never
collide.

Status rule
-----------
* A target whose year has an official figure is ``met`` or ``missed`` by the figure.
* A target whose year has ended without a figure (the figure is pending) is ``likely_met`` or
  ``likely_missed``: the model's estimate reaches it in at least half of the Monte Carlo draws,
  or not; its chance is given. Where the indicator has no measurement at all (its level is an
  assumption) the status is ``no_measurement``: the estimate only restates the assumption.
* A target whose year has not ended, with ``p`` the probability of reaching it (the share of
  draws at or beyond the target in its year): ``on_track`` when ``p`` is at least the
  assumption ``status_on_track_probability`` (0.7), ``at_risk`` when ``p`` is at least
  ``status_at_risk_probability`` (0.3), else ``off_track``. Never for an ended year.
* A target of another geography than the province is ``national_reference``.

The gap is the target minus the deterministic projection (positive: still to gain; for a
lower-is-better indicator such as a rank, the projection minus the target). The required path is
a straight line from the last observation (or the assumed starting level) to the target.

The register (:func:`target_register`) lists every target row of the data, including targets on
indicators the model does not project: those are ``met``/``missed`` when a figure of their year
exists, else ``not_modelled`` with their latest figure, or ``no_measurement`` when the
indicator has no figure at all. A target derived from a statement (the central requirement of
56% online filing = 76 minus "cao hơn 20%") carries its formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.browse import fold
from planner.horizon import START_YEAR
from planner.ids import PROVINCE, values_by_year
from planner.records import row_of

STATUSES = ("met", "missed", "likely_met", "likely_missed", "on_track", "at_risk", "off_track",
            "no_measurement", "not_modelled", "national_reference")
"""Every target status; the first four and ``not_modelled`` belong to ended or unprojected years,
``no_measurement`` to an indicator without measurement, ``national_reference`` to a target of
another geography than the province (never counted as the province's)."""

AHEAD_STATUSES = ("on_track", "at_risk", "off_track")
"""The statuses of a target whose year has not ended (counted in "targets on track")."""

STATUS_THRESHOLDS = ("status_on_track_probability", "status_at_risk_probability")
"""The assumptions of the status rule: the chance at or above which a target ahead is on track,
and at or above which it is at risk (not drawn, but editable)."""

LIKELY = 0.5
"""Share of draws at or above which an ended year's target is likely met."""

DERIVED_TARGET = "derived target:"
"""Prefix of a target row's note that gives the formula it was derived by."""


@dataclass(frozen=True)
class Target:
    """One target.

    Attributes
    ----------
    id : str
        :func:`target_id`, for example ``digital_economy_share_grdp@2030=35``.
    indicator : str
        The indicator it concerns.
    year : int
        The target year.
    value : float
        The target value.
    higher_is_better : bool
        Direction.
    sources : tuple of str
        Source ids of the rows stating it.
    geography : str
        Where the target applies (the province; the country for a national target).
    conflict : str
        Conflict id shared with other statements of the same target, or empty.
    """

    id: str
    indicator: str
    year: int
    value: float
    higher_is_better: bool
    sources: tuple[str, ...]
    geography: str
    conflict: str


def place_code(geography: str) -> str:
    """A geography as an ASCII id part: ``"Việt Nam"`` gives ``"viet_nam"``."""
    return re.sub(r"[^a-z0-9]+", "_", fold(geography)).strip("_")


def target_id(indicator: str, year: int, value: float, geography: str = PROVINCE) -> str:
    """The id of a target: ``INDICATOR@YEAR=VALUE``, with ``@PLACE`` after it for a target of
    another geography than the province.

    The province's targets keep the ids saved scenarios stored before targets knew their
    place; a national target gets its place, so it never takes the province's id.

    Parameters
    ----------
    indicator : str
    year : int
    value : float
    geography : str, optional
        The province by default.

    Returns
    -------
    str
        Such as ``ecommerce_uptake@2025=55`` (the province) or
        ``ecommerce_uptake@2025=55@viet_nam`` (the country).

    Examples
    --------
    >>> target_id("ecommerce_uptake", 2025, 55.0, "Việt Nam")
    'ecommerce_uptake@2025=55@viet_nam'
    """
    tid = f"{indicator}@{int(year)}={value:g}"
    return tid if geography == PROVINCE else f"{tid}@{place_code(geography)}"


def targets_from(observations: pd.DataFrame, indicators: pd.DataFrame,
                 outcome_ids: tuple[str, ...]) -> list[Target]:
    """The province's targets on projected outcomes (targets of other places are references).

    Parameters
    ----------
    observations : pandas.DataFrame
        The tidy baseline.
    indicators : pandas.DataFrame
        The indicator catalogue (``id, higher_is_better``).
    outcome_ids : tuple of str
        The outcomes the model projects.

    Returns
    -------
    list of Target
        Sorted by indicator, year and value.
    """
    hib = dict(zip(indicators["id"], indicators["higher_is_better"], strict=True))
    t = observations[(observations["kind"] == "target") & observations["indicator"].isin(outcome_ids)
                     & (observations["geography"] == PROVINCE)]
    out = []
    for (ind, year, value), grp in t.groupby(["indicator", "year", "value"], sort=True):
        conflicts = [c for c in grp["conflict"].fillna("").astype(str) if c]
        out.append(Target(target_id(ind, year, value), str(ind), int(year), float(value),
                          bool(hib.get(ind, True)), tuple(dict.fromkeys(grp["source"].astype(str))),
                          PROVINCE, conflicts[0] if conflicts else ""))
    return out


NO_CHANCE_STATUSES: tuple[str, ...] = ("no_measurement", "not_modelled", "national_reference")
"""Statuses whose chance is never given: the level is an assumption, nothing is drawn, or the
target is not the province's."""


def has_chance(row) -> bool:
    """Whether a target row has a chance to show: not met or missed by a published figure
    (``basis`` observed), not of :data:`NO_CHANCE_STATUSES`, not on an indicator without
    measurement (``assumed``), and a probability is there. The one rule of every page, export
    and saved snapshot (an old snapshot stored a chance for an assumed level; it is not shown).

    Parameters
    ----------
    row : mapping
        A row of :func:`evaluate_targets`, :func:`target_register` or a snapshot's targets.

    Returns
    -------
    bool
    """
    prob = row.get("probability")
    if prob is None or (isinstance(prob, float) and np.isnan(prob)):
        return False
    assumed = row.get("assumed")
    assumed = assumed is not None and not (isinstance(assumed, float) and np.isnan(assumed)) \
        and bool(assumed)
    return (row.get("basis") != "observed" and row.get("status") not in NO_CHANCE_STATUSES
            and not assumed)


def status_thresholds(assumptions) -> tuple[float, float]:
    """The chances of the status rule in force: on track from the first, at risk from the second.

    Parameters
    ----------
    assumptions : planner.assumptions.AssumptionSet
        The assumptions of a scenario (its overrides applied).

    Returns
    -------
    tuple of float
        The values of :data:`STATUS_THRESHOLDS`.
    """
    on_track, at_risk = STATUS_THRESHOLDS
    return assumptions.value(on_track), assumptions.value(at_risk)


def find_target(targets: list[Target], tid: str) -> Target:
    """The target with id ``tid``.

    Raises
    ------
    KeyError
        Naming the known ids.
    """
    for t in targets:
        if t.id == tid:
            return t
    raise KeyError(f"unknown target {tid!r}; known: {', '.join(t.id for t in targets)}")


def required_path(history: pd.Series, start: tuple[int, float], target: Target) -> list[tuple[int, float]]:
    """Straight line from the last observation before the target year to the target.

    Parameters
    ----------
    history : pandas.Series
        Observed values by year.
    start : tuple
        ``(year, value)`` to start from when there is no observation (assumed level).
    target : Target
        The target.

    Returns
    -------
    list of tuple
        ``(year, value)`` for each year from the start to the target year.
    """
    h = history[history.index < target.year]
    y0, v0 = (int(h.index.max()), float(h[h.index.max()])) if len(h) else start
    if y0 >= target.year:
        return [(target.year, target.value)]
    years = np.arange(y0, target.year + 1)
    vals = v0 + (target.value - v0) * (years - y0) / (target.year - y0)
    return [(int(y), float(v)) for y, v in zip(years, vals, strict=True)]


def status_for(probability: float, on_track: float, at_risk: float) -> str:
    """Status from a probability (see the module's rule)."""
    if probability >= on_track:
        return "on_track"
    if probability >= at_risk:
        return "at_risk"
    return "off_track"


def evaluate_targets(model, sim, targets: list[Target] | None = None) -> pd.DataFrame:
    """Evaluate every target under a simulated scenario (see the module's status rule).

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    sim : planner.projection.Simulation
        The simulation of the scenario.
    targets : list of Target, optional
        Defaults to every target on a projected outcome.

    Returns
    -------
    pandas.DataFrame
        One row per target: ``target_id, indicator, year, target, projected, p10, p50, p90,
        gap, probability, status, basis, assumed, required_path, sources, conflict, unit,
        caveat`` (catalogue key of a caveat on the comparison, :meth:`PlannerResults.caveat`).
        ``basis`` is ``observed``, ``estimate`` or ``projection``
        (:func:`planner.horizon.basis`); ``assumed`` says the indicator has no measurement
        (its path is an assumed level and growth): its status is ``no_measurement`` and its
        ``probability`` NaN, since a share of draws would only restate the assumption.
    """
    if targets is None:
        targets = model.targets
    on, risk = status_thresholds(model.assumptions_for(sim.scenario))
    rows = []
    for t in targets:
        hist = model.history.get(t.indicator, pd.Series(dtype=float))
        sign = 1.0 if t.higher_is_better else -1.0
        anchor = model.anchor_year(t.indicator)
        det = float(sim.det.values[t.indicator][0, t.year - START_YEAR])
        draws = sim.values(t.indicator, t.year)
        p10, p50, p90 = np.percentile(draws, [10, 50, 90])
        assumed = model.is_assumed(t.indicator)
        if t.year <= anchor and t.year in hist.index:
            basis = "observed"
            observed = float(hist[t.year])
            reached = sign * (observed - t.value) >= 0
            status, prob, proj = ("met" if reached else "missed"), float(reached), observed
        else:
            proj = det
            prob = float(np.mean(sign * (draws - t.value) >= 0))
            if t.year <= model.last_ended_year:
                basis = "estimate"
                status = "likely_met" if prob >= LIKELY else "likely_missed"
            else:
                basis, status = "projection", status_for(prob, on, risk)
            if assumed:  # a share of draws would only restate the assumption
                status, prob = "no_measurement", float("nan")
        tr = model.trends.get(t.indicator)
        start = (tr.anchor_year, tr.anchor_value) if tr is not None else (t.year, proj)
        rows.append({
            "target_id": t.id, "indicator": t.indicator, "year": t.year, "target": t.value,
            "projected": proj, "p10": p10, "p50": p50, "p90": p90,
            "gap": sign * (t.value - proj), "probability": prob, "status": status,
            "basis": basis, "assumed": assumed, "required_path": required_path(hist, start, t),
            "sources": list(t.sources), "conflict": t.conflict,
            "unit": model.unit_of(t.indicator, t.year), "caveat": model.caveat(t.indicator),
        })
    return pd.DataFrame(rows)


REGISTER_COLUMNS = ("target_id", "indicator", "geography", "year", "target", "unit", "status",
                    "basis", "figure", "figure_year", "probability", "modelled", "assumed",
                    "derived", "formula", "sources", "conflict", "p10", "p50", "p90", "gap",
                    "required_path", "caveat", "province_indicator", "province_value",
                    "province_year", "province_basis", "province_assumed")
"""Columns of :func:`target_register`."""

PROVINCE_COUNTERPART: dict[str, str] = {"digital_economy_share_gdp": "digital_economy_share_grdp"}
"""The province's own indicator beside a national target whose indicator is the country's alone
(the share of GDP against the province's share of GRDP); any other national target is set
beside the province's value of the same indicator."""

_EVALUATED = ("p10", "p50", "p90", "gap", "required_path", "caveat")


def formula_of(note: object) -> str:
    """The formula of a derived target (its note after :data:`DERIVED_TARGET`), else ``""``."""
    text = "" if note is None or (isinstance(note, float) and np.isnan(note)) else str(note)
    if not text.lower().startswith(DERIVED_TARGET):
        return ""
    return text[len(DERIVED_TARGET):].split(";")[0].strip()


def target_register(model, sim, *, evaluated: pd.DataFrame | None = None,
                    frame: pd.DataFrame | None = None, memo: dict | None = None
                    ) -> pd.DataFrame:
    """Every target row of the data, each evaluated (see the module).

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    sim : planner.projection.Simulation
        The simulation of the scenario (for targets on projected outcomes).
    evaluated, frame : pandas.DataFrame, optional
        :func:`evaluate_targets` and ``sim.frame()`` when the caller has them already.
    memo : dict, optional
        Passed to :func:`register_of`: one dict per model keeps its figures between calls.

    Returns
    -------
    pandas.DataFrame
        :func:`register_of`.
    """
    if evaluated is None:
        evaluated = evaluate_targets(model, sim) if model.targets else pd.DataFrame()
    if frame is None:
        frame = sim.frame()
    assumed = frozenset(i for i in model.outcome_ids if model.is_assumed(i))
    return register_of(model.obs, model.dataset.indicators, evaluated, frame, assumed, memo)


def unmeasured(obs: pd.DataFrame, outcome_ids) -> frozenset:
    """The outcomes without any figure of the province: what a stored snapshot opened without
    its model takes as its assumed levels (a fitted model says so itself, ``is_assumed``).

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    outcome_ids : iterable of str

    Returns
    -------
    frozenset of str
    """
    return frozenset(str(i) for i in outcome_ids if values_by_year(obs, str(i)).empty)


def _figure_of(obs: pd.DataFrame, indicator: str, geography: str, year: int,
               memo: dict | None = None) -> tuple[float, float]:
    """The figure of a year, else the latest one: ``(value, year)``, NaNs without any.

    ``memo`` keeps each indicator's and geography's figures (:func:`values_by_year`) and each
    answer for the next call on the same ``obs``: :func:`register_of` looks up dozens of
    targets, a few indicators each, and each lookup scans every observation."""
    answer = ("figure of", indicator, geography, int(year))
    if memo is not None and answer in memo:
        return memo[answer]
    key = (indicator, geography)
    if memo is not None and key in memo:
        figures = memo[key]
    else:
        figures = values_by_year(obs, indicator, geography=geography)
        if memo is not None:
            memo[key] = figures
    if figures.empty:
        out: tuple[float, float] = (np.nan, np.nan)
    else:
        same = figures[figures["year"].astype(int) == int(year)]
        row = same.iloc[0] if not same.empty else figures.iloc[-1]
        out = (float(row["value"]), int(row["year"]))
    if memo is not None:
        memo[answer] = out
    return out


def _province_value(obs: pd.DataFrame, outcomes: pd.DataFrame | None, indicator: str, year: int,
                    assumed: frozenset, memo: dict | None = None) -> dict:
    """The province's own value beside a national target (see :data:`PROVINCE_COUNTERPART`):
    the scenario's value of the year (found through :func:`planner.records.row_of`, not a
    filter of the frame per target), else the province's figure of the year or its latest."""
    ind = PROVINCE_COUNTERPART.get(indicator, indicator)
    out = {"province_indicator": ind, "province_value": np.nan, "province_year": np.nan,
           "province_basis": "", "province_assumed": ind in assumed}
    r = row_of(outcomes, ind, year) if outcomes is not None and not outcomes.empty else None
    if r is not None:
        return {**out, "province_value": float(r["value"]), "province_year": int(year),
                "province_basis": str(r.get("basis", "") or "")}
    value, fig_year = _figure_of(obs, ind, PROVINCE, year, memo)
    if not np.isnan(value):
        out.update(province_value=value, province_year=fig_year, province_basis="observed")
    return out


def register_of(obs: pd.DataFrame, indicators: pd.DataFrame, evaluated: pd.DataFrame,
                outcomes: pd.DataFrame | None = None,
                assumed: frozenset = frozenset(), memo: dict | None = None) -> pd.DataFrame:
    """Every target row of the data, each with its status: the one source of every list of
    targets (pages, command line, exports, counts).

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    indicators : pandas.DataFrame
        The indicator catalogue (``id, higher_is_better``).
    evaluated : pandas.DataFrame
        The province's evaluated targets (:func:`evaluate_targets`, or a saved snapshot's
        targets): one row per ``target_id``.
    outcomes : pandas.DataFrame, optional
        The scenario's outcomes (``indicator, year, value, basis``), for the province's value
        beside a national target.
    assumed : frozenset of str, optional
        Outcomes without measurement: their targets carry no chance.
    memo : dict, optional
        Each indicator's and geography's figures, filled on first use: a dict kept by the
        caller for one ``obs`` spares the next call on it the lookups (they do not depend on
        the scenario). Without it, each figure is looked up once per call.

    Returns
    -------
    pandas.DataFrame
        :data:`REGISTER_COLUMNS`, one row per target (rows of one indicator, geography, year
        and value are one target), sorted by indicator, geography, year and value; an
        evaluated target the data no longer hold (a snapshot of another version) last.
        ``figure`` and ``figure_year`` are the figure the status rests on (for a target not
        modelled: the latest figure of its place, or NaN; for a modelled one: the published
        figure, the estimate or the projection); ``probability`` is NaN where no draw exists,
        where the indicator has no measurement and for a national reference. ``province_*``
        (national references only) give the province's own value beside the target: the
        scenario's value of its year, else the province's latest figure.
    """
    hib = dict(zip(indicators["id"], indicators["higher_is_better"], strict=True))
    by_id = ({str(r["target_id"]): r for r in evaluated.to_dict("records")}
             if evaluated is not None and len(evaluated) else {})
    seen = set()
    rows = []
    memo = {} if memo is None else memo  # figures by indicator and geography
    for base in _target_rows(obs, memo):
        ind, geo, year, value = base["indicator"], base["geography"], base["year"], base["target"]
        tid = base["target_id"]
        if geo != PROVINCE:
            fig, fig_year = _figure_of(obs, ind, geo, year, memo)
            rows.append({**base, "status": "national_reference", "basis": "", "figure": fig,
                         "figure_year": fig_year, "probability": np.nan, "modelled": False,
                         "assumed": False,
                         **_province_value(obs, outcomes, ind, year, assumed, memo)})
            continue
        if tid in by_id:
            seen.add(tid)
            rows.append(_evaluated_row(base, by_id[tid], ind in assumed))
            continue
        sign = 1.0 if bool(hib.get(ind, True)) else -1.0
        fig, fig_year = _figure_of(obs, ind, geo, year, memo)
        if not np.isnan(fig) and fig_year == year:
            status = "met" if sign * (fig - float(value)) >= 0 else "missed"
            rows.append({**base, "status": status, "basis": "observed", "figure": fig,
                         "figure_year": year, "probability": np.nan, "modelled": False,
                         "assumed": False})
        else:
            rows.append({**base, "status": "no_measurement" if np.isnan(fig) else "not_modelled",
                         "basis": "", "figure": fig, "figure_year": fig_year,
                         "probability": np.nan, "modelled": False, "assumed": False})
    for tid, e in by_id.items():  # a snapshot's target the data no longer state
        if tid not in seen:
            base = {**_BLANK, "target_id": tid, "indicator": str(e["indicator"]),
                    "geography": PROVINCE, "year": int(e["year"]), "target": float(e["target"]),
                    "unit": str(e.get("unit", "")), "derived": False, "formula": "",
                    "sources": list(e.get("sources") or []),
                    "conflict": "" if _missing(e.get("conflict")) else str(e["conflict"])}
            rows.append(_evaluated_row(base, e, str(e["indicator"]) in assumed))
    out = pd.DataFrame(rows, columns=list(REGISTER_COLUMNS))
    for col in ("figure_year", "province_year"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    return out


_BLANK = {"p10": np.nan, "p50": np.nan, "p90": np.nan, "gap": np.nan, "required_path": [],
          "caveat": "", "province_indicator": "", "province_value": np.nan,
          "province_year": np.nan, "province_basis": "", "province_assumed": False}
"""What a register row holds before its status is known."""


def _target_rows(obs: pd.DataFrame, memo: dict) -> list[dict]:
    """The register's rows as the data state them (:data:`_BLANK` and each target's id,
    place, year, value, unit, sources, formula and conflict), in the register's order; kept in
    ``memo`` (they do not depend on the scenario). Copies: a caller may change them."""
    key = ("target rows",)
    if key not in memo:
        rows = []
        t = obs[obs["kind"] == "target"]
        for (ind, geo, year, value), grp in t.groupby(
                ["indicator", "geography", "year", "value"], sort=True):
            ind, geo, year = str(ind), str(geo), int(year)
            conflicts = [c for c in grp["conflict"].fillna("").astype(str) if c]
            formulas = [f for f in (formula_of(n) for n in grp["note_en"]) if f]
            rows.append({**_BLANK, "target_id": target_id(ind, year, value, geo),
                         "indicator": ind, "geography": geo, "year": year,
                         "target": float(value), "unit": str(grp["unit"].iloc[0]),
                         "derived": bool(formulas), "formula": formulas[0] if formulas else "",
                         "sources": list(dict.fromkeys(grp["source"].astype(str))),
                         "conflict": conflicts[0] if conflicts else ""})
        memo[key] = rows
    return [{**row, "sources": list(row["sources"]), "required_path": []}
            for row in memo[key]]


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and np.isnan(x))


def _evaluated_row(base: dict, e: dict, assumed: bool) -> dict:
    """A register row of an evaluated target (no chance where the level is assumed)."""
    observed = e["basis"] == "observed"
    prob = e.get("probability")
    return {**base, "status": str(e["status"]), "basis": str(e["basis"]),
            "figure": float(e["projected"]), "figure_year": base["year"] if observed else np.nan,
            "probability": np.nan if assumed or _missing(prob) else float(prob),
            "modelled": True, "assumed": bool(e.get("assumed", assumed)) or assumed,
            **{c: e[c] for c in _EVALUATED if c in e and not _missing(e[c])},
            "required_path": [tuple(p) for p in e.get("required_path") or []]}
