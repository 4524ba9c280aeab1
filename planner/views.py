"""Page-shaped tables for the briefing and the planner, computed from the fitted model.

Pure functions (no streamlit): the lever grid each control offers, the lever values that make up
a scenario, the assumptions a user may edit, the outcome table against the targets and the
headline cards. Pages format and draw what these return.

Lever values on the controls
----------------------------
A lever's control offers the values ``min, min + step, ..., max``. Its default is the baseline
path's value in that year rounded to the nearest step. A control left at its default is not a
setting: the scenario then keeps the exact baseline path, so a fresh page is the baseline and its
link holds no lever at all. Any other value is a setting of the scenario.

Reached, status and probability
-------------------------------
A target is *reached in the projection* when the deterministic projection (the assumptions'
values) is at or beyond it. Its status and probability come from :mod:`planner.targets` (the
share of Monte Carlo draws at or beyond it; ``on_track`` from the on-track threshold, ``at_risk``
from the at-risk threshold, else ``off_track``; ``met``/``missed`` for an observed year).
"""

from __future__ import annotations

import math
import weakref
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

import numpy as np
import pandas as pd

from planner.browse import province_value_text, target_formula
from planner.formatting import (
    MISSING,
    fmt_chance,
    fmt_number,
    fmt_percent,
    fmt_rank,
    fmt_value,
    is_missing,
    parse_shown,
)
from planner.goalseek import goal_bounds, goal_outcomes
from planner.horizon import END_YEAR, headline_years, horizon_ended, last_ended_year
from planner.i18n import label, t
from planner.ids import DE_SHARE, NATION, OVERALL, PILLAR_RANKS, PILLARS, RANK, is_rank
from planner.indicators import ordered
from planner.projection import FIELD_GROWTH, ICT_GROWTH, ICT_SHARE, PILLAR_WEIGHT, RELATIVE_GROWTH
from planner.records import records, row_of
from planner.scenario import Scenario
from planner.standing import pillar_averages, refined_basis
from planner.targets import AHEAD_STATUSES, STATUS_THRESHOLDS, STATUSES, Target, has_chance

HEADLINE_OUTCOMES: tuple[str, ...] = (OVERALL, RANK, DE_SHARE)
"""The headline outcomes, in their order: the overall DTI, its rank and the digital economy's
share of GRDP (the planner's headline, a saved scenario's numbers, compare's first charts)."""

BASIS_ICONS: dict[str, str] = {"observed": "●", "estimate": "◐", "projection": "○",
                               "not_found": "◐", "two_readings": "◑"}
"""A text mark per basis (observed, estimate, projection, and the refined bases of
:data:`planner.standing.REFINED_BASES`), shown with its word."""

STATUS_ICONS: dict[str, str] = {
    "met": "✔",
    "on_track": "✔",
    "at_risk": "⚠",
    "off_track": "✖",
    "missed": "✖",
    "likely_met": "◔✔",
    "likely_missed": "◔✖",
    "no_measurement": "∅",
    "not_modelled": "·",
    "national_reference": "◇",
}
"""A text icon per status, so that status never rests on colour alone."""

TOLERANCE = 1e-9


# ---------------------------------------------------------------------------------- outcomes
def outcome_order(model) -> tuple[str, ...]:
    """The model's outcomes in display order.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.

    Returns
    -------
    tuple of str
        Outcome ids in the display order of the model's ``indicators.csv``
        (:func:`planner.indicators.ordered`). The pillar ranks are left out: the pages show
        them in one line beside the overall rank (:func:`pillar_rank_line`); the frame, the
        CLI and the exports carry them as outcomes.
    """
    return ordered([o for o in model.outcome_ids if o not in PILLAR_RANKS],
                   model.dataset.indicators)


# ---------------------------------------------------------------------------------- levers
def lever_options(lo: float, hi: float, step: float) -> tuple[float, ...]:
    """Every value a lever's control offers: ``lo, lo + step, ..., hi``.

    Parameters
    ----------
    lo, hi : float
        The lever's range.
    step : float
        The lever's step (positive).

    Returns
    -------
    tuple of float
        The grid, each value rounded to 9 decimals so that equal values compare equal.
    """
    if step <= 0 or hi < lo:
        raise ValueError(f"bad lever grid: [{lo}, {hi}] by {step}")
    n = int(math.floor((hi - lo) / step + 1e-9))
    values = [round(lo + k * step, 9) for k in range(n + 1)]
    if values[-1] < hi - 1e-9:
        values.append(round(hi, 9))
    return tuple(values)


def snap(value: float, lo: float, hi: float, step: float) -> float:
    """The grid value of :func:`lever_options` nearest to ``value`` (clipped to the range)."""
    x = min(max(float(value), lo), hi)
    k = round((x - lo) / step)
    return round(min(lo + k * step, hi), 9)


@dataclass(frozen=True)
class LeverView:
    """What a lever's controls need.

    Attributes
    ----------
    id, indicator, unit : str
        Lever id, the indicator it sets, its unit.
    min, max, step : float
        Range and step.
    label_vi, label_en : str
        Labels.
    options : tuple of float
        The values offered (:func:`lever_options`).
    baseline : dict
        ``{year: value}``, the exact baseline path in each settable year.
    default : dict
        ``{year: value}``, the baseline rounded to the grid (the control's default).
    targets : dict
        ``{year: (value, ...)}``, targets on the lever's indicator in each settable year.
    anchor_year : int
        Last year of the lever's history or assumed level.
    """

    id: str
    indicator: str
    unit: str
    min: float
    max: float
    step: float
    label_vi: str
    label_en: str
    options: tuple[float, ...]
    baseline: dict[int, float]
    default: dict[int, float]
    targets: dict[int, tuple[float, ...]] = field(default_factory=dict)
    anchor_year: int = 0

    def label(self, lang: str) -> str:
        """The lever's label in ``lang``."""
        return label({"id": self.id, "label_vi": self.label_vi, "label_en": self.label_en}, lang)


def lever_views(model) -> list[LeverView]:
    """One :class:`LeverView` per lever of the model, in the model's order.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.

    Returns
    -------
    list of LeverView
        The levers with their grid, baseline, default and targets.
    """
    base = model.deterministic()
    out = []
    for lid, lv in model.levers.items():
        row = base.values[lv.indicator][0]
        baseline = {y: float(row[y - int(base.years[0])]) for y in model.settable_years}
        default = {y: snap(v, lv.min, lv.max, lv.step) for y, v in baseline.items()}
        targets: dict[int, tuple[float, ...]] = {}
        for tg in model.targets:
            if tg.indicator == lv.indicator and tg.year in model.settable_years:
                targets[tg.year] = (*targets.get(tg.year, ()), tg.value)
        out.append(LeverView(lid, lv.indicator, lv.unit, lv.min, lv.max, lv.step, lv.label_vi,
                             lv.label_en, lever_options(lv.min, lv.max, lv.step), baseline,
                             default, targets, int(lv.trend.anchor_year)))
    return out


def scenario_from_controls(levers: list[LeverView], values: Mapping[str, Mapping[int, float]],
                           overrides: Mapping[str, float] | None = None,
                           assumption_defaults: Mapping[str, float] | None = None) -> dict:
    """The raw scenario of the controls' values: only what differs from the defaults.

    Parameters
    ----------
    levers : list of LeverView
        The levers.
    values : mapping
        ``{lever: {year: value}}`` as the controls show them.
    overrides : mapping, optional
        ``{assumption: value}`` as the assumption controls show them.
    assumption_defaults : mapping, optional
        ``{assumption: default value}``; an override equal to its default is dropped.

    Returns
    -------
    dict
        ``{"levers": {lever: {year: value}}, "overrides": {assumption: value}}``, ready for
        ``model.validate``.
    """
    out_levers: dict[str, dict[int, float]] = {}
    for lv in levers:
        for year, value in (values.get(lv.id) or {}).items():
            if value is None or is_missing(value):
                continue
            if abs(float(value) - lv.default[int(year)]) > TOLERANCE:
                out_levers.setdefault(lv.id, {})[int(year)] = float(value)
    out_over: dict[str, float] = {}
    defaults = assumption_defaults or {}
    for aid, value in (overrides or {}).items():
        if value is None or is_missing(value):
            continue
        if aid in defaults and abs(float(value) - float(defaults[aid])) <= TOLERANCE:
            continue
        out_over[aid] = float(value)
    return {"levers": out_levers, "overrides": out_over}


def control_values(levers: list[LeverView], scenario: Scenario) -> dict[str, dict[int, float]]:
    """The value each lever control shows for a scenario (its setting, else its default).

    Parameters
    ----------
    levers : list of LeverView
        The levers.
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    dict
        ``{lever: {year: value}}`` with every value on the lever's grid.
    """
    out: dict[str, dict[int, float]] = {}
    for lv in levers:
        settings = scenario.levers.get(lv.id, {})
        out[lv.id] = {y: snap(settings[y], lv.min, lv.max, lv.step) if y in settings
                      else lv.default[y] for y in lv.default}
    return out


# ---------------------------------------------------------------------------------- assumptions
def editable_assumptions(model) -> tuple[str, ...]:
    """Assumptions whose value changes a projection or a status when overridden.

    The others (calibration years, how the field of provinces is built, the spread of a trend
    resting on two points) are fixed when the model is fitted; they are shown read-only.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.

    Returns
    -------
    tuple of str
        Assumption ids in the order of ``assumptions.csv``.
    """
    used: set[str] = {aid for _, _, aid in model.links}
    for r in model.model_rows.values():
        for name in ("growth_assumption", "level_assumption"):
            value = getattr(r, name, None)
            if isinstance(value, str) and value.strip():
                used.add(value.strip())
    used.update(PILLAR_WEIGHT.format(p.removeprefix("dti_")) for p in PILLARS)
    # the digital-technology industry drives the digital economy's share beside the levers
    used.update({RELATIVE_GROWTH, FIELD_GROWTH, ICT_SHARE, ICT_GROWTH, *STATUS_THRESHOLDS})
    frame = model.assumptions.frame()
    return tuple(str(a) for a in frame["id"]
                 if a in used and float(frame.loc[frame["id"] == a, "low"].iloc[0])
                 < float(frame.loc[frame["id"] == a, "high"].iloc[0]))


def _nice_step(span: float, parts: int) -> float:
    raw = span / parts
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw - 1e-15:
            return m * power
    return 10 * power  # pragma: no cover - the loop always returns


def assumption_options(value: float, low: float, high: float, parts: int = 40) -> tuple[float, ...]:
    """The values an assumption's control offers: a round grid over its range plus its default.

    Parameters
    ----------
    value : float
        The assumption's default value.
    low, high : float
        Its range (``low < high``).
    parts : int, optional
        About how many steps the grid has.

    Returns
    -------
    tuple of float
        Sorted values from ``low`` to ``high``, the default among them.
    """
    value, low, high = float(value), float(low), float(high)
    step = _nice_step(high - low, parts)
    start = math.ceil(low / step - 1e-9) * step
    grid = {round(low, 12), round(high, 12), round(value, 12)}
    x = start
    while x <= high + 1e-12:
        grid.add(round(x, 12))
        x += step
    return tuple(sorted(v for v in grid if low - 1e-12 <= v <= high + 1e-12))


def snap_option(value: float, options: tuple[float, ...]) -> float:
    """The option nearest to ``value``."""
    arr = np.asarray(options, dtype=float)
    return float(arr[int(np.argmin(np.abs(arr - float(value))))])


# ---------------------------------------------------------------------------------- targets
def goalseek_targets(model) -> list[Target]:
    """Targets that lever values can still change (their year is after the outcome's history
    and the last ended year, and a year is left to set). The goals a reader sets on the DTI,
    which have no target of the data, are :func:`goalseek_goals`.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.

    Returns
    -------
    list of Target
        In display order of their outcome, then year, then value.
    """
    if not model.settable_years:  # the horizon has ended: no lever value changes anything
        return []
    order = {o: i for i, o in enumerate(outcome_order(model))}
    found = [tg for tg in model.targets
             if tg.year > max(model.anchor_year(tg.indicator), model.last_ended_year)]
    return sorted(found, key=lambda tg: (order.get(tg.indicator, 99), tg.year, tg.value))


def goalseek_goals(model) -> list[tuple[str, int]]:
    """The DTI outcomes a reader may set a goal for in goal seeking, with their year.

    The overall score, its rank and each projected pillar rank
    (:func:`planner.goalseek.goal_outcomes`) in :data:`planner.horizon.END_YEAR`, while the
    levers can still change that year; none once the horizon has ended.

    Parameters
    ----------
    model : planner.projection.PlannerResults

    Returns
    -------
    list of tuple
        ``(indicator, year)`` in display order.
    """
    if not model.settable_years:
        return []
    order = {o: i for i, o in enumerate(outcome_order(model))}
    found = [(ind, END_YEAR) for ind in goal_outcomes(model)
             if max(model.anchor_year(ind), model.last_ended_year) < END_YEAR]
    return sorted(found, key=lambda g: order.get(g[0], 99))


def goal_options(model, indicator: str, year: int) -> tuple[float, ...]:
    """The goals a page offers for a DTI outcome: every whole rank of the field that year, or
    a score from 0.50 to 1 by 0.01 (:func:`planner.goalseek.goal_bounds`)."""
    low, high = goal_bounds(model, indicator, year)
    if is_rank(indicator):
        return tuple(float(r) for r in range(int(low), int(high) + 1))
    return tuple(round(x / 100, 2) for x in range(max(50, int(low * 100)), int(high * 100) + 1))


def default_goal(model, indicator: str, year: int, value: float) -> float:
    """The goal first offered for a DTI outcome projected at ``value`` (the baseline): half
    the rank shown (at least 1), or the score 0.02 higher rounded up to 0.01 (at most 1)."""
    options = goal_options(model, indicator, year)
    wanted = (max(1.0, float(round(round(value) / 2))) if is_rank(indicator)
              else math.ceil((float(value) + 0.02) * 100 - 1e-9) / 100)
    return min(options, key=lambda o: abs(o - wanted))


def reached(row: Mapping) -> bool:
    """Whether a target row of :func:`planner.targets.evaluate_targets` is reached in the
    projection (gap at or below zero; for an observed year, met)."""
    if row.get("basis") == "observed":
        return row.get("status") == "met"
    return float(row["gap"]) <= TOLERANCE


def headline_targets(targets: pd.DataFrame, model, years: tuple[int, ...] | None = None
                     ) -> pd.DataFrame:
    """The targets of the headline years, in display order, with a ``reached`` column.

    Parameters
    ----------
    targets : pandas.DataFrame
        From :func:`planner.targets.evaluate_targets`.
    model : planner.projection.PlannerResults
        The fitted model.
    years : tuple of int, optional
        The years kept; by default the model's headline years
        (:func:`planner.horizon.headline_years` on ``model.today``).

    Returns
    -------
    pandas.DataFrame
        The rows kept, with ``reached`` (bool).
    """
    if targets.empty:
        return targets.assign(reached=pd.Series(dtype=bool))
    years = headline_years(model.today) if years is None else years
    order = {o: i for i, o in enumerate(outcome_order(model))}
    out = targets[targets["year"].isin(years)].copy()
    out["_order"] = out["indicator"].map(order).fillna(99)
    out = out.sort_values(["year", "_order", "target"], kind="mergesort").drop(columns="_order")
    out["reached"] = [reached(r) for r in out.to_dict("records")]
    return out.reset_index(drop=True)


def horizon_notice(on, lang: str) -> str | None:
    """What a page says once no year is left for a scenario to set, or ``None`` while one is.

    Parameters
    ----------
    on : datetime.date
        Today (a fitted model's ``today``).
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str or None
        While the plan's last year (:data:`planner.horizon.END_YEAR`) is under way, that no year
        is left to set and the targets of that year are still ahead (``horizon.under_way``);
        once it has ended, that the horizon has ended and the targets show how they ended
        (``horizon.ended``).
    """
    if not horizon_ended(on):
        return None
    key = "horizon.under_way" if last_ended_year(on) < END_YEAR else "horizon.ended"
    return t(key, lang, end=END_YEAR)


def status_label(status: str, lang: str) -> str:
    """Icon and name of a status, such as ``"⚠ Có nguy cơ"``."""
    if status not in STATUSES:
        return MISSING
    return f"{STATUS_ICONS[status]} {t(f'status.{status}', lang)}"


def basis_label(basis: str, lang: str, assumed: bool = False) -> str:
    """Mark and words of what a value rests on: ``"◐ Year ended, official figure pending
    (estimate)"``; an estimate or projection of an indicator with no measurement says
    "assumed level, no measurement" (``evidence.assumed_level``)."""
    if basis not in BASIS_ICONS:
        return MISSING
    if assumed and basis != "observed":
        return f"{BASIS_ICONS[basis]} {t('evidence.assumed_level', lang)}"
    return f"{BASIS_ICONS[basis]} {t(f'basis.{basis}', lang)}"


def ahead_text(good: int, ahead: int, lang: str) -> str:
    """Targets ahead on track out of all ahead, ``"1/2"``; once no target is ahead (every
    target's year has ended), words saying none is left rather than ``0/0``."""
    if not ahead:
        return t("targets.summary.none_ahead", lang)
    return t("targets.summary.value", lang, good=good, ahead=ahead)


def ahead_count(targets: pd.DataFrame) -> tuple[int, int]:
    """``(on track, targets still ahead)``: only targets whose year has not ended count.

    Parameters
    ----------
    targets : pandas.DataFrame
        From :func:`planner.targets.evaluate_targets` or :func:`planner.targets.target_register`
        (a ``status`` column).
    """
    ahead = targets[targets["status"].isin(AHEAD_STATUSES)] if len(targets) else targets
    return int(ahead["status"].eq("on_track").sum()) if len(ahead) else 0, len(ahead)


ENDED_ORDER = ("met", "likely_met", "missed", "likely_missed", "no_measurement", "not_modelled")
"""Order in which the statuses of ended targets are counted."""


def ended_summary(register: pd.DataFrame, last_ended_year: int, lang: str) -> list[str]:
    """How the targets of each ended year went, one line a year, newest first.

    Parameters
    ----------
    register : pandas.DataFrame
        :func:`planner.targets.target_register`.
    last_ended_year : int
        The model's last ended year.
    lang : str

    Returns
    -------
    list of str
        Such as ``"2025: 1 likely met · 1 likely missed · 9 no measurement"``.
    """
    counts: dict[int, Counter] = {}
    for year, status in zip(register["year"].tolist(), register["status"].tolist(), strict=True):
        if int(year) <= last_ended_year:
            counts.setdefault(int(year), Counter())[str(status)] += 1
    out = []
    for year in sorted(counts, reverse=True):
        parts = [t("targets.ended.count", lang, n=counts[year][s],
                   status=t(f"status.{s}", lang).lower())
                 for s in ENDED_ORDER if s in counts[year]]
        out.append(t("targets.ended.line", lang, year=year, counts=" · ".join(parts)))
    return out


def register_table(register: pd.DataFrame, model, lang: str,
                   indicator_labels: Mapping[str, str]) -> pd.DataFrame:
    """The target register as text in ``lang``: every target row with its status.

    Parameters
    ----------
    register : pandas.DataFrame
        :func:`planner.targets.target_register`.
    model : planner.projection.PlannerResults
        The fitted model (units, caveats).
    lang : str
    indicator_labels : mapping
        ``{indicator: label}`` in ``lang`` (every indicator of the data).

    Returns
    -------
    pandas.DataFrame
        Columns headed ``register.*``: indicator, where, year, target, status, figure
        (the figure the status rests on, or the latest one, with its year), the province's
        own value beside a national reference (:func:`province_value_text`), chance (never for
        an indicator without measurement nor a national reference), basis, notes (derived
        formula, conflicting statements, the method caveat); and a hidden ``_status``
        column.
    """
    units = unit_rows(model)
    out = []
    for r in records(register):
        ind, unit = str(r["indicator"]), str(r["unit"])
        year = int(r["year"])
        assumed = bool(r["assumed"])
        figure = MISSING
        if not is_missing(r["figure"]):
            text = (fmt_outcome(r["figure"], ind, year, model, lang) if r["modelled"]
                    else fmt_value(float(r["figure"]), _unit_row(model, unit), lang))
            if assumed:
                figure = t("register.assumed_figure", lang, value=text)
            elif not is_missing(r["figure_year"]) and int(r["figure_year"]) != year:
                figure = t("register.figure_of", lang, value=text,
                           year=int(r["figure_year"]))
            else:
                figure = text
        notes = []
        if r["derived"]:
            formula = target_formula(model.obs, r, lang) or r["formula"]
            notes.append(t("register.derived", lang, formula=formula))
        if r["conflict"]:
            notes.append(t("register.conflict", lang))
        if r["modelled"] and model.caveat(ind):
            notes.append(t("register.caveat", lang))
        chance = fmt_chance(r["probability"], lang) if has_chance(r) else MISSING
        out.append({
            t("register.indicator", lang): indicator_labels.get(ind, ind),
            t("register.where", lang): str(r["geography"]),
            t("register.year", lang): str(year),
            t("register.target", lang): fmt_value(float(r["target"]), _unit_row(model, unit),
                                                  lang),
            t("register.status", lang): status_label(str(r["status"]), lang),
            t("register.figure", lang): figure,
            t("register.province_value", lang): province_value_text(r, lang, units,
                                                                     indicator_labels),
            t("register.chance", lang): chance,
            t("register.basis", lang): (basis_label(str(r["basis"]), lang, assumed)
                                             if r["basis"] else MISSING),
            t("register.notes", lang): "; ".join(notes),
            "_status": str(r["status"]),
        })
    return pd.DataFrame(out)


def pillar_note(obs: pd.DataFrame, lang: str, indicator_labels: Mapping[str, str]) -> str:
    """Why the pillar estimates can lie below the published pillar averages while the overall
    rank stays high, with the latest published averages (``outcomes.pillar_note``).

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    lang : str
    indicator_labels : mapping
        ``{indicator: label}`` in ``lang``.

    Returns
    -------
    str
        ``""`` when the data hold no year with every pillar's average and the overall one.
    """
    found = pillar_averages(obs, PILLARS, OVERALL, NATION)
    if found is None:
        return ""
    year, pillars, overall = found
    listed = "; ".join(f"{indicator_labels.get(p, p)} {fmt_number(v, lang, 4)}"
                       for p, v in pillars.items())
    return t("outcomes.pillar_note", lang, year=year, pillars=listed,
             overall=fmt_number(overall, lang, 4))


def fmt_probability(p: float, lang: str) -> str:
    """A probability (0..1) as a whole percentage: ``"37%"`` (a threshold of the status rule;
    a chance of reaching a target is :func:`planner.formatting.fmt_chance`)."""
    if is_missing(p):
        return MISSING
    return fmt_percent(100.0 * float(p), lang, 0)


# ---------------------------------------------------------------------------------- values
_UNIT_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def unit_rows(model) -> dict[str, dict]:
    """``{unit id: {"id", "decimals"}}`` of a model's dataset (built once per model)."""
    found = _UNIT_CACHE.get(model)
    if found is None:
        found = {str(r["id"]): {"id": str(r["id"]), "decimals": r["decimals"]}
                 for r in model.dataset.units.to_dict("records")}
        _UNIT_CACHE[model] = found
    return found


def _unit_row(model, unit: str) -> dict:
    return unit_rows(model).get(unit, {"id": unit, "decimals": None})


def fmt_outcome(value: float, indicator: str, year: int, model, lang: str) -> str:
    """An outcome's value in its unit: scores with four decimals, shares in %, ranks ``12/34``."""
    if is_missing(value):
        return MISSING
    if is_rank(indicator):
        return fmt_rank(int(round(float(value))), model.field.size(int(year)), lang)
    return fmt_value(float(value), _unit_row(model, model.unit_of(indicator, year)), lang)


def fmt_change(value: float, indicator: str, year: int, model, lang: str) -> str:
    """A signed change of an outcome with its unit's decimals: shares in percentage points
    (``+0,4 điểm %`` / ``+0.4 pp``); a rank's change (new rank minus old) as places gained
    (:func:`fmt_rank_change`: a rank going from 12 to 8 reads ``+4 bậc``)."""
    if is_missing(value):
        return MISSING
    if is_rank(indicator):
        return fmt_rank_change(-float(value), lang)
    unit = model.unit_of(indicator, year)
    decimals = 0 if is_rank(indicator) else _unit_row(model, unit).get("decimals")
    decimals = 2 if is_missing(decimals) else int(decimals)
    v = float(value)
    if abs(v) < 0.5 * 10 ** (-decimals):
        return fmt_number(0, lang, 0)
    text = ("+" if v > 0 else "-") + fmt_number(abs(v), lang, decimals)
    return t("planner.pp", lang, value=text) if unit == "percent" else text


def fmt_change_between(new: float, old: float, indicator: str, year: int, model, lang: str
                       ) -> str | None:
    """The change from ``old`` to ``new`` as a reader works it out from the two numbers shown.

    Each value is rounded exactly as :func:`fmt_outcome` shows it (its unit's decimals, Babel's
    rounding; a rank as a whole rank), and the change is the difference of those shown numbers,
    written like :func:`fmt_change`: shares in percentage points, a rank in places gained. So
    ``12,0%`` then ``14,9%`` reads ``+2,9 điểm %`` however the unrounded values differ, and two
    values shown alike have no change to show.

    Parameters
    ----------
    new, old : float
        The value shown now and the one it is set against (the baseline, scenario A).
    indicator : str
        The outcome.
    year : int
        The year (a rank's field size, the unit).
    model : planner.projection.PlannerResults
        The fitted model (units, field sizes).
    lang : str

    Returns
    -------
    str or None
        The signed change; ``None`` when both are shown alike; ``"–"`` when either is missing.
    """
    unit = _unit_row(model, model.unit_of(indicator, year))
    return shown_change(fmt_outcome(new, indicator, year, model, lang),
                        fmt_outcome(old, indicator, year, model, lang),
                        is_rank(indicator), unit, lang)


def shown_change(new_text: str, old_text: str, rank: bool, unit: Mapping, lang: str,
                 pp_key: str = "planner.pp") -> str | None:
    """The change between two numbers as shown, from their texts (:func:`fmt_change_between`).

    Parameters
    ----------
    new_text, old_text : str
        The two numbers as shown (:func:`fmt_outcome`, or a snapshot's
        :func:`planner.formatting.fmt_value` / :func:`planner.formatting.fmt_rank`).
    rank : bool
        Whether they are ranks (the change is places gained, positive is better).
    unit : mapping
        The unit row (``id``, ``decimals``) of the new value.
    lang : str
    pp_key : str, optional
        The catalogue key wording percentage points.

    Returns
    -------
    str or None
        As :func:`fmt_change_between`.
    """
    new, old = parse_shown(new_text, lang), parse_shown(old_text, lang)
    if new is None or old is None:
        return MISSING
    if new == old:
        return None
    if rank:
        return fmt_rank_change(places_gained(old, new), lang)
    diff = new - old
    places = max(0, -diff.normalize().as_tuple().exponent)
    decimals = unit.get("decimals")
    decimals = None if is_missing(decimals) else max(int(decimals), places)
    text = ("+" if diff > 0 else "-") + fmt_number(abs(diff), lang, decimals)
    return t(pp_key, lang, value=text) if unit.get("id") == "percent" else text


def fmt_gap(gap: float, indicator: str, year: int, model, lang: str) -> str:
    """The size of a gap to a target: in the outcome's unit, in places for a rank, in
    percentage points between shares (``12,1 điểm %`` / ``12.1 pp``, not ``12,1%``)."""
    if is_missing(gap):
        return MISSING
    if is_rank(indicator):
        return fmt_number(abs(float(gap)), lang, 0)
    unit = _unit_row(model, model.unit_of(indicator, year))
    if unit["id"] == "percent":
        decimals = unit.get("decimals")
        decimals = 1 if is_missing(decimals) else int(decimals)
        return t("planner.pp", lang, value=fmt_number(abs(float(gap)), lang, decimals))
    return fmt_value(abs(float(gap)), unit, lang)


def fmt_gap_between(value: float, target: float, indicator: str, year: int, model,
                    lang: str) -> str:
    """The gap from a value to its target as a reader works it out from the two numbers shown
    (:func:`fmt_outcome`), sized as :func:`fmt_gap`.

    Two numbers that read alike while the target is not reached (a gap below the last digit
    shown) read ``< 0,1 điểm %``: the smallest step shown, never ``0``.

    Parameters
    ----------
    value, target : float
        The value shown and its target.
    indicator : str
    year : int
    model : planner.projection.PlannerResults
    lang : str

    Returns
    -------
    str
        ``"–"`` when either is missing.
    """
    shown = parse_shown(fmt_outcome(value, indicator, year, model, lang), lang)
    goal = parse_shown(fmt_outcome(target, indicator, year, model, lang), lang)
    if shown is None or goal is None:
        return MISSING
    if shown == goal:
        decimals = 0 if is_rank(indicator) else _unit_row(
            model, model.unit_of(indicator, year)).get("decimals")
        step = 10.0 ** -(2 if is_missing(decimals) else int(decimals))
        return "< " + fmt_gap(step, indicator, year, model, lang)
    return fmt_gap(float(abs(goal - shown)), indicator, year, model, lang)


def apportion(parts: list[float], total: Decimal, step: Decimal) -> list[Decimal]:
    """Round ``parts`` to multiples of ``step`` so that they add up to ``total`` exactly.

    The largest remainder method: each part is rounded down, then the steps still missing go
    to the parts with the largest remainders (or, when the parts overshoot, are taken from
    those with the smallest). A waterfall's levers then add up to the change its two ends show.

    Parameters
    ----------
    parts : list of float
        The unrounded parts (Shapley contributions).
    total : decimal.Decimal
        Their sum as shown (the difference of the two ends shown), a multiple of ``step``.
    step : decimal.Decimal
        The last digit shown (``Decimal("0.1")``; ``1`` for places).

    Returns
    -------
    list of decimal.Decimal
        In the order of ``parts``.
    """
    if not parts:
        return []
    scaled = [Decimal(repr(float(p))) / step for p in parts]
    units = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in scaled]
    left = int((total / step).to_integral_value()) - sum(units)
    rest = [x - u for x, u in zip(scaled, units, strict=True)]
    order = sorted(range(len(parts)), key=lambda i: rest[i], reverse=left > 0)
    for k in range(abs(left)):
        units[order[k % len(order)]] += 1 if left > 0 else -1
    return [u * step for u in units]


def places_gained(before: float, after: float) -> int:
    """Rank places gained going from rank ``before`` to rank ``after``, between whole ranks.

    The one sign convention of every page and export: positive is better (a smaller rank),
    so ``12/34`` then ``8/34`` is ``+4``.

    Parameters
    ----------
    before, after : float
        Ranks (rounded to whole ranks first).

    Returns
    -------
    int
    """
    return int(round(float(before))) - int(round(float(after)))


def fmt_rank_change(gained: float | None, lang: str) -> str:
    """Places gained as words: ``+4 bậc`` / ``+4 places``, ``-1 place``, ``0 bậc``.

    Parameters
    ----------
    gained : float or None
        Places gained (:func:`places_gained`; positive is better).
    lang : str

    Returns
    -------
    str
        The sign is an ASCII ``-`` or ``+`` (a metric's delta reads it: better is green);
        ``"–"`` when missing.
    """
    if is_missing(gained):
        return MISSING
    n = int(round(float(gained)))
    key = "briefing.place" if abs(n) == 1 else "briefing.places"
    return t(key, lang, n=("+" if n > 0 else "-" if n < 0 else "") + fmt_number(abs(n), lang, 0))


def rank_delta_color(gained: float | None) -> str:
    """The ``delta_color`` of a metric whose delta is :func:`fmt_rank_change`: places gained
    green, places lost red, none grey."""
    return "off" if is_missing(gained) or int(round(float(gained))) == 0 else "normal"


def headline_rank(frame: pd.DataFrame, year: int) -> int | None:
    """The rank a page states for a year: the projection's value, as a whole rank.

    One number and one definition for the planner's headline (drawn from the deterministic
    projection), its targets table ("projected") and the text under the table: the central
    path, like every other outcome; the draws give only its range (:func:`rank_range`). The
    draws' median can differ by a few places, since the rank is bounded and skewed.

    Parameters
    ----------
    frame : pandas.DataFrame
        A simulation frame (``indicator, year, value, p10, p50, p90``).
    year : int
        The year.

    Returns
    -------
    int or None
        The rounded rank (at least 1), or ``None`` without a rank in that year.
    """
    row = row_of(frame, RANK, year)
    return None if row is None else max(1, int(round(float(row["value"]))))


def rank_range(frame: pd.DataFrame, year: int) -> tuple[int, int, int] | None:
    """The rank's 10-90% range and median in a year, as whole ranks ``(best, median, worst)``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A simulation frame (``indicator, year, p10, p50, p90``).
    year : int
        The year.

    Returns
    -------
    tuple of int or None
        ``(p10, p50, p90)`` rounded (a smaller rank is better), or ``None`` without a rank.
    """
    r = row_of(frame, RANK, year)
    if r is None:
        return None
    return (max(1, int(round(float(r["p10"])))), max(1, int(round(float(r["p50"])))),
            max(1, int(round(float(r["p90"])))))


PILLAR_RANK_NAMES: dict[str, str] = {
    "dti_digital_government_rank": "rank.pillar.digital_government",
    "dti_digital_economy_rank": "rank.pillar.digital_economy",
    "dti_digital_society_rank": "rank.pillar.digital_society",
}
"""The catalogue key of each pillar's short name, in :data:`planner.ids.PILLAR_RANKS` order."""


def pillar_rank_line(model, frame: pd.DataFrame, year: int, lang: str) -> str | None:
    """Each pillar's rank in a year, in one line for beside the overall rank.

    A projected pillar reads ``digital government rank 9 (2–27)`` (the projection, then the
    10–90% range of the draws, as whole ranks); a pillar whose evidence is too thin
    (:attr:`~planner.projection.PlannerResults.thin_ranks`) says so instead of a number. When
    every pillar is too thin, one line says so for all, the same in every year (so a page
    showing several years shows it once).

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    frame : pandas.DataFrame
        A simulation frame (``indicator, year, value, p10, p90``).
    year : int
        The year.
    lang : str

    Returns
    -------
    str or None
        The line (markdown), or ``None`` when the model has no pillar rank at all.
    """
    if all(rid in model.thin_ranks for rid in PILLAR_RANKS):
        return t("rank.pillars_thin", lang)
    items = []
    for rid in PILLAR_RANKS:
        name = t(PILLAR_RANK_NAMES[rid], lang)
        if rid in model.thin_ranks:
            items.append(t("rank.pillar.thin", lang, pillar=name))
            continue
        r = row_of(frame, rid, year)
        if r is None:
            continue
        whole = [max(1, int(round(float(r[c])))) for c in ("value", "p10", "p90")]
        items.append(t("rank.pillar.item", lang, pillar=name, rank=whole[0], best=whole[1],
                       worst=whole[2]))
    if not items:
        return None
    return t("rank.pillars", lang, year=year, of=model.field.size(int(year)),
             items="; ".join(items))


def outcome_rows(model, frame: pd.DataFrame, baseline: pd.DataFrame, targets: pd.DataFrame,
                 years: tuple[int, ...] | None = None) -> pd.DataFrame:
    """The outcome table: each outcome in each headline year, against its targets.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model.
    frame : pandas.DataFrame
        The scenario's simulation frame (``indicator, year, value, p10, p50, p90``).
    baseline : pandas.DataFrame
        The baseline projection (``indicator, year, value``).
    targets : pandas.DataFrame
        The scenario's targets (:func:`planner.targets.evaluate_targets`).
    years : tuple of int, optional
        The years shown; by default the model's headline years
        (:func:`planner.horizon.headline_years` on ``model.today``).

    Returns
    -------
    pandas.DataFrame
        One row per outcome and year, or per target where an outcome-year has targets (two
        conflicting targets give two rows): ``indicator, year, value, p10, p90, baseline,
        target_id, target, gap, probability, status, reached, conflict, basis, assumed``
        (``basis`` of the value, :func:`planner.horizon.basis`; ``assumed``: the indicator
        has no measurement, :meth:`~planner.projection.PlannerResults.is_assumed`).
    """
    f = {(r["indicator"], int(r["year"])): r for r in records(frame)}
    b = {(ind, int(y)): float(v) for ind, y, v in zip(
        baseline["indicator"].tolist(), baseline["year"].tolist(), baseline["value"].tolist(),
        strict=True)}
    by_key: dict[tuple[str, int], list[dict]] = {}
    for r in records(targets):
        by_key.setdefault((r["indicator"], int(r["year"])), []).append(r)
    years = headline_years(model.today) if years is None else years
    rows = []
    for ind in outcome_order(model):
        for y in years:
            if (ind, y) not in f:
                continue
            s = f[(ind, y)]
            base = {"indicator": ind, "year": y, "value": float(s["value"]),
                    "p10": float(s["p10"]), "p90": float(s["p90"]),
                    "baseline": b.get((ind, y), np.nan), "basis": str(s.get("basis", "")),
                    "assumed": model.is_assumed(ind)}
            goals = by_key.get((ind, y), [])
            if not goals:
                rows.append({**base, "target_id": "", "target": np.nan, "gap": np.nan,
                             "probability": np.nan, "status": "", "reached": None,
                             "conflict": ""})
            for g in sorted(goals, key=lambda r: r["target"]):
                rows.append({**base, "target_id": g["target_id"], "target": float(g["target"]),
                             "gap": float(g["gap"]), "probability": float(g["probability"]),
                             "status": str(g["status"]), "reached": reached(g),
                             "conflict": str(g.get("conflict") or "")})
    return pd.DataFrame(rows)


def display_outcomes(rows: pd.DataFrame, model, lang: str, indicator_labels: Mapping[str, str]
                     ) -> pd.DataFrame:
    """The outcome table as text in ``lang``, columns named from the catalogue.

    Parameters
    ----------
    rows : pandas.DataFrame
        From :func:`outcome_rows`.
    model : planner.projection.PlannerResults
        The fitted model (units, field sizes).
    lang : str
        ``"vi"`` or ``"en"``.
    indicator_labels : mapping
        ``{indicator: label}`` in ``lang``.

    Returns
    -------
    pandas.DataFrame
        One text column per field, headed ``table.*``; and a hidden ``status`` column id
        (``_status``) for colouring. The basis column says what the value rests on (an ended
        year's value is an estimate; an indicator without measurement says "assumed level,
        no measurement"); such an indicator's chance is not shown as evidence.
    """
    out = []
    for r in records(rows):
        ind, y = r["indicator"], int(r["year"])
        has_target = bool(r["target_id"])
        if has_target:
            if r["reached"]:
                gap = t("planner.table.reached", lang)
            else:
                gap = t("planner.table.short_by", lang,
                        gap=fmt_gap_between(r["value"], r["target"], ind, y, model, lang))
        else:
            gap = MISSING
        target = fmt_outcome(r["target"], ind, y, model, lang) if has_target else MISSING
        if has_target and r["conflict"]:
            target += " ⚠"
        out.append({
            t("planner.table.outcome", lang): indicator_labels.get(ind, ind),
            t("planner.table.year", lang): str(y),
            t("planner.table.projected", lang): fmt_outcome(r["value"], ind, y, model, lang),
            t("outcomes.table.basis", lang): basis_label(
                refined_basis(model.obs, ind, y, str(r["basis"])), lang, r["assumed"]),
            t("planner.table.target", lang): target,
            t("planner.table.status", lang): status_label(r["status"], lang) if has_target else MISSING,
            t("planner.table.probability", lang): (
                t("outcomes.table.not_evidence", lang) if has_target and r["assumed"]
                else fmt_chance(r["probability"], lang) if has_target else MISSING),
            t("planner.table.gap", lang): gap,
            t("planner.table.range", lang): (f"{fmt_outcome(r['p10'], ind, y, model, lang)} – "
                                             f"{fmt_outcome(r['p90'], ind, y, model, lang)}"),
            t("planner.table.baseline", lang): fmt_outcome(r["baseline"], ind, y, model, lang),
            "_status": r["status"],
        })
    return pd.DataFrame(out)


def waterfall_steps(model, indicator: str, contributions: pd.DataFrame, baseline: pd.DataFrame,
                    frame: pd.DataFrame, names: Mapping[str, str], lang: str,
                    years: tuple[int, ...] | None = None
                    ) -> list[tuple[int, str, str, float, str]]:
    """The steps of an outcome's contribution waterfall: baseline, each lever, the scenario.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model (units).
    indicator : str
        The outcome.
    contributions : pandas.DataFrame
        :func:`planner.contributions.contributions` (``indicator, year, lever,
        contribution``; a ``total`` row per year is left out).
    baseline, frame : pandas.DataFrame
        The baseline projection and the scenario's frame (``indicator, year, value``).
    names : mapping
        ``{lever or "assumptions": label}`` in ``lang``.
    lang : str
    years : tuple of int, optional
        The years drawn, each a run of steps; by default the years the model's scenarios set
        (none once the horizon has ended).

    Returns
    -------
    list of tuple
        ``(year, label, measure, value, text)``, ``measure`` ``"absolute"`` (the baseline),
        ``"relative"`` (a lever's change) or ``"total"`` (the scenario); ``text`` formatted
        for ``lang``. Empty when no year has a contribution.
    """
    parts = contributions[(contributions["indicator"] == indicator)
                          & (contributions["lever"] != "total")]
    base = baseline.set_index(["indicator", "year"])["value"]
    scen = frame.set_index(["indicator", "year"])["value"]
    steps: list[tuple[int, str, str, float, str]] = []
    for y in model.settable_years if years is None else years:
        year_parts = parts[parts["year"] == y]
        if year_parts.empty:
            continue
        start, end = float(base[(indicator, y)]), float(scen[(indicator, y)])
        start_text = fmt_outcome(start, indicator, y, model, lang)
        end_text = fmt_outcome(end, indicator, y, model, lang)
        steps.append((y, t("contrib.baseline", lang), "absolute", start, start_text))
        texts = _part_texts(model, indicator, y, list(year_parts["contribution"]), start_text,
                            end_text, lang)
        for r, text in zip(year_parts.itertuples(index=False), texts, strict=True):
            steps.append((y, names.get(r.lever, r.lever), "relative", float(r.contribution),
                          text))
        steps.append((y, t("contrib.scenario", lang), "total", end, end_text))
    return steps


def _part_texts(model, indicator: str, year: int, parts: list[float], start_text: str,
                end_text: str, lang: str) -> list[str]:
    """Each lever's part of a change as text, the parts adding up to the change the two ends
    show (:func:`apportion`): a rank's in places gained, a share's in percentage points."""
    start, end = parse_shown(start_text, lang), parse_shown(end_text, lang)
    unit = _unit_row(model, model.unit_of(indicator, year))
    decimals = 0 if is_rank(indicator) else unit.get("decimals")
    if start is None or end is None or is_missing(decimals):
        return [fmt_change(p, indicator, year, model, lang) for p in parts]
    step = Decimal(1).scaleb(-int(decimals))
    shown = apportion(parts, end - start, step)
    if is_rank(indicator):
        return [fmt_rank_change(-float(q), lang) for q in shown]
    texts = []
    for q in shown:
        if not q:  # as fmt_change: no change reads 0
            texts.append(fmt_number(0, lang, 0))
            continue
        text = ("+" if q > 0 else "-") + fmt_number(abs(q), lang, int(decimals))
        texts.append(t("planner.pp", lang, value=text) if unit["id"] == "percent" else text)
    return texts
