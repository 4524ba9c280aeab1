"""The projection engine: baseline trends, lever effects, outcomes to 2030.

Method
------
``PlannerModel(dataset).fit()`` fits every trend declared in ``models.csv`` (see
:mod:`planner.trend`) and calibrates the overall DTI on the pillars; the returned
:class:`PlannerResults` projects scenarios.

For a scenario, each lever's path is its baseline trend plus a deviation that is zero up to the
lever's anchor (last observation, or assumed level) and the last ended year (a lever never
changes the past), and equals the set value minus the baseline in each settable year (the first
year not begun and 2030, :func:`planner.horizon.settable_years`: 2027 and 2030 in late 2026),
linear in between; a settable year left unset keeps the baseline. Outcomes respond to the
deviations through the elasticities named in ``links.csv``:

* a pillar score = its baseline (last observation grown at the field's logit growth plus
  Quảng Ninh's relative growth) + Σ elasticity × lever deviation, clipped to [0, 1];
* dossiers processed fully online and the digital economy's share of GRDP = their baseline
  trend + Σ elasticity × deviation, clipped to [0, 100];
* the overall DTI = offset + scale × (weighted mean of the pillars), with the weights from the
  assumptions and offset and scale fitted by least squares on the years from
  ``dti_calibration_from_year`` (so the baseline reproduces the observed overall score);
* the rank = the rank of the overall score in the field of provinces (:mod:`planner.rank`).

Years up to an outcome's anchor show the observed history (the preferred value per year:
observed, then external, then derived). Everything is vectorised over draws: a deterministic
projection is one central run, every drawn parameter at its median (so the headline is the
middle of the draws); the Monte Carlo simulation
(:meth:`PlannerResults.simulate`) draws the trend slopes (normal or Student's t around the fit)
and every drawn assumption (triangular on its range, mode at its value) together.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.assumptions import AssumptionSet, triangular_median
from planner.horizon import END_YEAR, START_YEAR, basis, last_ended_year, settable_years, today
from planner.i18n import has_key
from planner.ids import (
    DE_SHARE,
    KIND_PREFERENCE,
    OVERALL,
    PILLAR_RANKS,
    PILLARS,
    PROVINCE,
    RANK,
    history_series,
    is_rank,
    pillar_of_rank,
    values_by_year,
)
from planner.pillar_rank import PillarField, fit_pillar_fields
from planner.rank import Field, build_curves, provincial_average
from planner.scenario import BASELINE, Scenario, validate_scenario
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED
from planner.standing import observed_figures
from planner.targets import targets_from
from planner.trend import TrendModel, TrendResults, expit, logit, qualifier_bounds

MODEL_VERSION = "3.0"
"""Version of the model's equations; saved with every scenario. 3.0: the central path takes
each drawn parameter's median (the headline is the middle of the draws), the field below its
average is a drawn tail, the field moves through the composite's map, pillar ranks are
projected, and the pillars take year-to-year steps and the province a swing against the field.
2.0: years are observed, estimated or projected from today's date, levers act only on years
that have not ended, the rank's field is rebuilt from the published evidence, uncertain figures
and weights are drawn, and the digital-technology industry drives the digital economy's share.
Scenarios saved under an earlier version keep their stored numbers; pages say the model changed
since."""

PERCENTILES = (10, 50, 90)
PILLAR_WEIGHT = "dti_weight_{}"
RELATIVE_GROWTH = "dti_qn_relative_logit_growth"
PILLAR_NOISE = "dti_pillar_logit_noise"
"""Standard deviation of each pillar's year-to-year departure from its path (logit): the
pillars take a random walk of such steps on top of the field's and the relative growth, from
the year after their last estimate on."""
BACKTEST_DRAWS = 4000
"""Draws behind each hold-out's band in the backtest (seed :data:`DEFAULT_SEED`)."""
BAND = (10, 90)
"""The band the pages show and the calibration checks: the 10th to 90th percentile."""
FIELD_GROWTH = "dti_field_logit_growth"
GROWTH_MULTIPLE = "dti_field_growth_latest_multiple"
"""How far above its latest step the field's growth may go (a multiple of that step), at the
least: with few years seen, the range reaches at least this multiple of the latest step even
when no earlier step was faster."""
PILLAR_MIN_POINTS = "pillar_field_min_points"
"""Fewest provinces with a pillar score and rank in one year to project that pillar's rank."""
LOWER_SPREAD = "field_lower_spread"
"""The field's spread below its average (logit), drawn (:mod:`planner.rank`)."""
RELATIVE_SWING = "dti_qn_relative_logit_swing"
"""Year-to-year swing of Quảng Ninh against the field (s.d., logit): each year after the last
year its rank is known, its position departs from its trend by an independent draw."""
QUALIFIER_MARGIN = "qualifier_margin"
ICT_SHARE = "de_ict_industry_share_2024"
ICT_GROWTH = "de_ict_industry_relative_growth"
"""The digital-technology industry: its assumed share of GRDP in the DE share's anchor year and
its growth beyond GRDP (% a year); it adds ``share × ((1 + g)^t − 1)`` to the DE share."""
CAVEAT_KEY = "model.caveat.{}"
OTHER_READING = "{}_{}_other_reading"
"""Assumption holding another reading of a figure (its value, and its range as low..high)."""
RANK_EVIDENCE = "dti_qn_rank_{}"
"""Assumption of Quảng Ninh's rank in a year after its last published score (the inferred
2023 rank): the year's estimate is calibrated on it."""


def point_ranges(observations: pd.DataFrame, indicator: str, years, margin: float,
                 low: float, high: float) -> dict[int, list[tuple[float, float, float]]]:
    """The range each of Quảng Ninh's figures of an indicator stands for, by year.

    Parameters
    ----------
    observations : pandas.DataFrame
        The tidy baseline.
    indicator : str
        Indicator id.
    years : iterable of int
        The years wanted (the points a trend rests on).
    margin : float
        Relative margin of a qualified figure (:func:`planner.trend.qualifier_bounds`).
    low, high : float
        Bounds of the indicator's unit.

    Returns
    -------
    dict
        ``{year: [(low, mode, high), ...]}``: one range per reading of the year, the preferred
        figure first. A year has several readings when figures of its preferred kind share a
        conflict id; the model adds the readings kept as assumptions (``OTHER_READING``: the
        2021 online filing rate, 45 read as points or 58 read as a relative rise).
    """
    chosen = values_by_year(observations, indicator)
    obs = observations
    out = {}
    for r in chosen.itertuples():
        y = int(r.year)
        if y not in set(years):
            continue
        rows = [r]
        conflict = "" if pd.isna(r.conflict) else str(r.conflict).strip()
        if conflict:
            same = obs[(obs["indicator"] == indicator) & (obs["geography"] == PROVINCE)
                       & (obs["year"] == y) & (obs["kind"] == r.kind)
                       & (obs["conflict"] == conflict) & (obs.index != r.Index)]
            rows += list(same.itertuples())
        out[y] = [qualifier_bounds(float(x.value), "" if pd.isna(x.note_en) else str(x.note_en), margin,
                                   low, high) for x in rows]
    return out


def central_point(alts: list[tuple[float, float, float]], scale: float | None = None,
                  on_logit: bool = False) -> float:
    """The median of a figure's draws (:func:`_draw_point`): the central path's value.

    Parameters
    ----------
    alts : list of tuple
        The figure's readings, ``(low, mode, high)`` each, drawn with equal chance.
    scale : float, optional
        Upper bound of the unit (for the logit scale).
    on_logit : bool
        Whether the trend works on the logit scale: where the readings leave a gap between
        them (the median is then any value in the gap), the gap's midpoint is taken on the
        trend's own scale, so the slope through it is the middle of the slopes through each
        reading.

    Returns
    -------
    float
        The median of the equal mixture of the readings' triangular distributions.
    """
    if len(alts) == 1:
        return triangular_median(*alts[0])
    lo = min(a[0] for a in alts)
    hi = max(a[2] for a in alts)
    grid = np.linspace(lo, hi, 4001)
    cdf = np.zeros_like(grid)
    for a_lo, mode, a_hi in alts:
        if a_hi <= a_lo:
            cdf += (grid >= mode).astype(float)
            continue
        c = (mode - a_lo) / (a_hi - a_lo)
        u = np.clip((grid - a_lo) / (a_hi - a_lo), 0.0, 1.0)
        cdf += np.where(u <= c, np.divide(u ** 2, c, out=np.zeros_like(u), where=c > 0),
                        1.0 - np.divide((1.0 - u) ** 2, 1.0 - c, out=np.zeros_like(u),
                                        where=c < 1))
    cdf /= len(alts)
    flat = grid[np.abs(cdf - 0.5) <= len(alts) * np.finfo(float).eps]
    if len(flat) > 1:
        ends = np.array([flat.min(), flat.max()])
        if on_logit:
            unit = 1.0 if scale is None else scale
            return float(expit(logit(ends, unit).mean(), unit))
        return float(ends.mean())
    return float(np.interp(0.5, cdf, grid))


def _draw_point(alts: list[tuple[float, float, float]], rng: np.random.Generator | None,
                n: int, scale: float | None = None, on_logit: bool = False) -> np.ndarray:
    """Draws of one figure: a reading chosen at random, then triangular on its range.

    Without a generator, the figure's median (:func:`central_point`) ``n`` times.
    """
    if rng is None:
        return np.full(n, central_point(alts, scale, on_logit))
    pick = rng.integers(len(alts), size=n)
    out = np.empty(n)
    for i, (lo, mode, hi) in enumerate(alts):
        sel = pick == i
        out[sel] = mode if hi <= lo else rng.triangular(lo, mode, hi, size=int(sel.sum()))
    return out


def preferred_history(observations: pd.DataFrame, indicator: str) -> pd.Series:
    """Quảng Ninh's history of one indicator, one value a year (:func:`planner.ids.history_series`)."""
    return history_series(observations, indicator)


class ModelFitError(ValueError):
    """The model cannot be fitted on a dataset; the message says what it lacks.

    Parameters
    ----------
    reason : str
        What is missing or wrong.
    indicator : str, optional
        The modelled indicator whose fit failed, when one did; the message starts with it.
    """

    def __init__(self, reason: str, indicator: str | None = None) -> None:
        super().__init__(f"{indicator}: {reason}" if indicator else reason)
        self.indicator = indicator
        self.reason = reason


@dataclass(frozen=True)
class LeverSpec:
    """A lever with its baseline trend."""

    id: str
    indicator: str
    unit: str
    min: float
    max: float
    step: float
    label_vi: str
    label_en: str
    trend: TrendResults
    history: pd.Series
    plausible_low: float | None = None
    """The low end of the documented plausible range (``levers.csv``), if any."""
    plausible_high: float | None = None
    """The high end of the documented plausible range, if any."""


@dataclass(frozen=True)
class Outcomes:
    """Outcome arrays of one run, shape ``(n, T)`` each, for years ``START_YEAR..END_YEAR``."""

    years: np.ndarray
    values: dict[str, np.ndarray]
    first_year: dict[str, int]


def _optional(value) -> float | None:
    """A number of an optional column, ``None`` when empty."""
    if value is None or pd.isna(value):
        return None
    return float(value)


class PlannerModel:
    """The planner's model for one dataset version.

    Parameters
    ----------
    dataset : planner.dataset.Dataset
        Frames of one dataset version.
    """

    def __init__(self, dataset) -> None:
        for name in ("observations", "assumptions", "levers", "models", "links", "units", "indicators"):
            if getattr(dataset, name, None) is None:
                raise ValueError(f"dataset lacks {name}")
        self.dataset = dataset
        self.assumptions = AssumptionSet(dataset.assumptions)
        self.indicator_unit = dict(zip(dataset.indicators["id"], dataset.indicators["unit"],
                                       strict=True))

    def fit(self) -> PlannerResults:
        """Fit every trend, calibrate the composite and build the field of provinces.

        Returns
        -------
        PlannerResults
            The fitted model; every projection reuses these fits.
        """
        ds, a = self.dataset, self.assumptions
        history = {ind: preferred_history(ds.observations, ind)
                   for ind in set(ds.models["indicator"]) | {OVERALL, RANK, *PILLAR_RANKS}}
        model_rows = {str(r.indicator): r for r in ds.models.itertuples(index=False)}
        units = ds.units.set_index("id")
        trends = {}
        for ind, r in model_rows.items():
            try:
                trends[ind] = self._fit_trend(ind, r, units, history)
            except ValueError as exc:  # name the indicator whose trend cannot be fitted
                raise ModelFitError(str(exc), indicator=ind) from exc
        levers = {}
        for r in ds.levers.itertuples(index=False):
            levers[str(r.id)] = LeverSpec(
                str(r.id), str(r.indicator), str(r.unit), float(r.min), float(r.max),
                float(r.step), str(r.label_vi), str(r.label_en), trends[str(r.indicator)],
                history.get(str(r.indicator), pd.Series(dtype=float)),
                _optional(getattr(r, "plausible_low", None)),
                _optional(getattr(r, "plausible_high", None)))
        links = [(str(r.outcome), str(r.lever), str(r.assumption))
                 for r in ds.links.itertuples(index=False)]
        composite = calibrate_composite(history, a)
        own_ranks = {(int(y), 63): float(v) for y, v in history[RANK].items()}
        switch = int(a.value("field_size_switch_year"))
        lower = a.value(LOWER_SPREAD) if LOWER_SPREAD in a else None
        curves = build_curves(ds.observations, own_ranks, a.value("field_average_percentile"),
                              int(a.value("field_min_peers")), switch,
                              (a.row("field_stretch").low, a.row("field_stretch").high)
                              if "field_stretch" in a else (1.0, 1.0), lower)
        field = Field(curves, switch, provincial_average(ds.observations), lower)
        min_points = int(a.value(PILLAR_MIN_POINTS)) if PILLAR_MIN_POINTS in a else 2
        pillar_fields = fit_pillar_fields(ds.observations, field, min_points)
        return PlannerResults(ds, assumptions=a, history=history, model_rows=model_rows,
                              trends=trends, levers=levers, links=links, composite=composite,
                              field=field, today=today(), pillar_fields=pillar_fields)

    def _fit_trend(self, ind: str, r, units: pd.DataFrame, history: dict) -> TrendResults:
        unit = self.indicator_unit[ind]
        scale = float(units.loc[unit, "max"]) if unit in units.index else None
        hist = history.get(ind, pd.Series(dtype=float))
        method = str(r.method)
        a = self.assumptions
        if method in ("linear", "logit_linear"):
            start = int(r.fit_from_year) if not pd.isna(r.fit_from_year) else START_YEAR
            h = hist[hist.index >= start]
            lever = self._lever_of(ind)
            cv_key = f"{lever}_trend_slope_cv" if lever else None
            cv = a.value(cv_key) if cv_key and cv_key in a else None
            return TrendModel(h.index, h.values, method=method, scale=scale, slope_cv=cv).fit()
        g = str(r.growth_assumption)
        level = (None if pd.isna(r.level_assumption) or not str(r.level_assumption)
                 else a.value(str(r.level_assumption)))
        anchor = None if pd.isna(r.anchor_year) else int(r.anchor_year)
        growth_row = a.row(g)
        return TrendModel(hist.index, hist.values, method=method, scale=scale, level=level,
                          anchor_year=anchor, growth=a.value(g), growth_low=growth_row.low,
                          growth_high=growth_row.high).fit()

    def _lever_of(self, indicator: str) -> str | None:
        for r in self.dataset.levers.itertuples(index=False):
            if str(r.indicator) == indicator:
                return str(r.id)
        return None


def pillar_weights(a: AssumptionSet) -> np.ndarray:
    """The pillars' central weights in the overall DTI, normalised to sum to 1.

    Each weight is the median of its distribution (:meth:`AssumptionSet.central`), as on the
    central path.
    """
    w = np.array([a.central(PILLAR_WEIGHT.format(p.removeprefix("dti_"))) for p in PILLARS])
    return w / w.sum()


def draw_weights(a: AssumptionSet, rng: np.random.Generator | None, n: int) -> np.ndarray:
    """Pillar weights per draw (each triangular on its range), normalised; shape ``(n, 3)``."""
    w = np.stack([a.draw(PILLAR_WEIGHT.format(p.removeprefix("dti_")), rng, n) for p in PILLARS],
                 axis=1)
    return w / w.sum(axis=1, keepdims=True)


def composite_for(history: dict[str, pd.Series], weights: np.ndarray,
                  years: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Offset and scale of the overall DTI for each draw of the weights (least squares).

    Parameters
    ----------
    history : dict
        Observed history per indicator.
    weights : numpy.ndarray
        Normalised pillar weights, shape ``(n, 3)``.
    years : list of int
        The calibration years (every one has the overall score and all pillars).

    Returns
    -------
    tuple of numpy.ndarray
        ``(offset, scale)``, each of shape ``(n,)``.
    """
    pil = np.array([[history[p][y] for p in PILLARS] for y in years])  # (Y, 3)
    comp = weights @ pil.T  # (n, Y)
    obs = np.array([history[OVERALL][y] for y in years])
    cm = comp.mean(axis=1, keepdims=True)
    dc = comp - cm
    scale = (dc * (obs - obs.mean())).sum(axis=1) / (dc ** 2).sum(axis=1)
    offset = obs.mean() - scale * cm[:, 0]
    return offset, scale


def solve_shift(x0: np.ndarray, weights: np.ndarray, offset: np.ndarray, scale: np.ndarray,
                target: np.ndarray) -> np.ndarray:
    """The common logit shift of the pillars that gives the overall score ``target`` (Newton).

    Parameters
    ----------
    x0 : numpy.ndarray
        Logit of the pillars before the shift, shape ``(n, 3)``.
    weights, offset, scale : numpy.ndarray
        The composite per draw (:func:`draw_weights`, :func:`composite_for`).
    target : numpy.ndarray
        Overall scores to reach, shape ``(n,)``.

    Returns
    -------
    numpy.ndarray
        Shifts, shape ``(n,)``.
    """
    s = np.zeros(len(target))
    for _ in range(8):
        e = expit(x0 + s[:, None])
        f = offset + scale * (weights * e).sum(axis=1) - target
        d = scale * (weights * e * (1.0 - e)).sum(axis=1)
        s = s - np.divide(f, d, out=np.zeros_like(f), where=d > 0)
    return s


def calibrate_composite(history: dict[str, pd.Series], a: AssumptionSet) -> dict:
    """Offset and scale of the overall DTI on the weighted pillars, by least squares.

    Parameters
    ----------
    history : dict
        Observed history per indicator (:func:`preferred_history`).
    a : AssumptionSet
        The assumptions (weights, first calibration year).

    Returns
    -------
    dict
        ``scale, offset, years`` (the years fitted) and ``all_years`` (every year with the
        overall score and all pillars).

    Raises
    ------
    ValueError
        When fewer than two years have the overall score and all pillars.
    """
    first = int(a.value("dti_calibration_from_year"))
    years = sorted(set(history[OVERALL].index).intersection(
        *[set(history[p].index) for p in PILLARS]))
    cal = [y for y in years if y >= first]
    if len(cal) < 2:
        raise ValueError("the overall DTI needs two years with all pillars to calibrate")
    w = pillar_weights(a)
    x = np.array([sum(w[i] * history[p][y] for i, p in enumerate(PILLARS)) for y in cal])
    y = np.array([history[OVERALL][yy] for yy in cal])
    scale, offset = np.polyfit(x, y, 1)
    return {"scale": float(scale), "offset": float(offset), "years": cal, "all_years": years}


class PlannerResults:
    """A fitted planner model: projects, simulates, evaluates.

    Built by :meth:`PlannerModel.fit` from the fitted pieces; it fits nothing itself.

    Attributes
    ----------
    today : datetime.date
        The date the model was fitted on (:func:`planner.horizon.today`).
    last_ended_year : int
        The last year that had ended on that date; levers never change it or earlier years.
    settable_years : tuple of int
        The years a scenario sets (:func:`planner.horizon.settable_years`).
    pillar_fields : dict
        The field of each pillar rank (:mod:`planner.pillar_rank`), ``None`` for a pillar whose
        evidence is too thin: such a rank is no outcome and is listed in :attr:`thin_ranks`.
    thin_ranks : tuple of str
        The pillar ranks not projected for want of evidence (the pages say so).
    """

    def __init__(self, dataset, *, assumptions: AssumptionSet, history: dict[str, pd.Series],
                 model_rows: dict, trends: dict[str, TrendResults], levers: dict[str, LeverSpec],
                 links: list[tuple[str, str, str]], composite: dict, field: Field,
                 today: datetime.date,
                 pillar_fields: dict[str, PillarField | None] | None = None) -> None:
        self.dataset = dataset
        self.today = today
        self.last_ended_year = last_ended_year(today)
        self.settable_years = settable_years(today)
        self.version = getattr(dataset, "version", None)
        self.assumptions = assumptions
        self.indicator_unit = dict(zip(dataset.indicators["id"], dataset.indicators["unit"],
                                       strict=True))
        self.obs = dataset.observations
        self.years = np.arange(START_YEAR, END_YEAR + 1)
        self.history, self.model_rows, self.trends = history, model_rows, trends
        self.levers, self.links, self.composite, self.field = levers, links, composite, field
        self.lever_ids = tuple(levers)
        fields = pillar_fields or {}
        self.pillar_fields = {k: v for k, v in fields.items()
                              if v is not None and pillar_of_rank(k) in trends}
        self.thin_ranks = tuple(k for k in PILLAR_RANKS if k in fields
                                and k not in self.pillar_fields)
        lever_inds = [lv.indicator for lv in levers.values()]
        self.outcome_ids = tuple(lever_inds + [i for i in trends if i not in set(lever_inds)]
                                 + [OVERALL, RANK] + list(self.pillar_fields))
        self.targets = targets_from(self.obs, dataset.indicators, self.outcome_ids)
        self.rank_evidence = self._rank_evidence()
        self.points = self._point_ranges()
        self._skeletons: dict = {}
        self._drawn: dict[tuple, dict] = {}
        self._drawn_lock = threading.Lock()

    def _point_ranges(self) -> dict[str, dict[int, list[tuple[float, float, float]]]]:
        """Ranges of the figures each trend rests on (fitted points, or the observed anchor)."""
        margin = (self.assumptions.value(QUALIFIER_MARGIN) if QUALIFIER_MARGIN in self.assumptions
                  else 0.0)
        units = self.dataset.units.set_index("id")
        out = {}
        for ind, tr in self.trends.items():
            if tr.note == "assumed_level":
                continue
            unit = self.indicator_unit[ind]
            lo = float(units.loc[unit, "min"]) if unit in units.index else -np.inf
            hi = float(units.loc[unit, "max"]) if unit in units.index else np.inf
            lo, hi = (-np.inf if np.isnan(lo) else lo), (np.inf if np.isnan(hi) else hi)
            if tr.method in ("linear", "logit_linear"):
                start = self.model_rows[ind].fit_from_year
                start = START_YEAR if pd.isna(start) else int(start)
                years = [int(y) for y in self.history[ind].index if y >= start]
            else:
                years = [tr.anchor_year]
            out[ind] = point_ranges(self.obs, ind, years, margin, lo, hi)
            for y in years:
                aid = OTHER_READING.format(ind, y)
                if aid in self.assumptions and y in out[ind]:
                    a = self.assumptions.row(aid)
                    out[ind][y].append((a.low, self.assumptions.value(aid), a.high))
        return out

    def _rank_evidence(self) -> tuple[int, str] | None:
        """``(year, assumption)`` of Quảng Ninh's rank after its last published score, if any.

        The year needs its own field (published average) and an assumption
        ``dti_qn_rank_<year>`` (the inferred 2023 rank of 12 with its range).
        """
        anchor = int(self.history[OVERALL].index.max())
        for y in sorted(self.history[RANK].index):
            aid = RANK_EVIDENCE.format(int(y))
            if (y > anchor and aid in self.assumptions
                    and (int(y), self.field.size(int(y))) in self.field.curves):
                return int(y), aid
        return None

    # ------------------------------------------------------------------ core
    def parameters(self, assumptions: AssumptionSet, rng: np.random.Generator | None = None,
                   n: int = 1) -> dict:
        """Draw (or fix) every uncertain parameter; arrays of shape (n,).

        Each assumption is drawn once per call and shared by every use (the three pillars grow
        with one draw of the field's growth, which also moves the field for the rank).
        """
        drawn: dict[str, np.ndarray] = {}

        def draw(aid: str) -> np.ndarray:
            if aid not in drawn:
                drawn[aid] = assumptions.draw(aid, rng, n)
            return drawn[aid]

        p: dict[str, np.ndarray] = {}
        rel = draw(RELATIVE_GROWTH)
        for ind, tr in self.trends.items():
            r = self.model_rows[ind]
            pts = self.points.get(ind, {})
            if tr.method in ("linear", "logit_linear"):
                years = np.array(sorted(pts), dtype=float)
                vals = np.stack([_draw_point(pts[int(y)], rng, n, tr.scale, tr.is_logit)
                                 for y in years], axis=1)
                y = logit(vals, tr.scale) if tr.is_logit else vals
                dx = years - years.mean()
                slope = ((y - y.mean(axis=1, keepdims=True)) * dx).sum(axis=1) / (dx ** 2).sum()
                if rng is None:
                    p[f"slope:{ind}"] = slope
                elif np.isinf(tr.df):
                    p[f"slope:{ind}"] = slope + tr.slope_sd * rng.standard_normal(n)
                else:
                    p[f"slope:{ind}"] = slope + tr.slope_sd * rng.standard_t(tr.df, n)
                p[f"level:{ind}"] = vals[:, -1]
            else:
                p[f"slope:{ind}"] = draw(str(r.growth_assumption))
                if str(r.level_assumption):
                    p[f"level:{ind}"] = draw(str(r.level_assumption))
                elif tr.anchor_year in pts:
                    p[f"level:{ind}"] = _draw_point(pts[tr.anchor_year], rng, n)
                else:
                    p[f"level:{ind}"] = np.full(n, tr.anchor_value)
        p["field_growth"] = draw(FIELD_GROWTH)
        p["relative_growth"] = rel
        p["lower_spread"] = (draw(LOWER_SPREAD) if LOWER_SPREAD in assumptions
                             else np.full(n, self.field.lower_spread))
        swing = draw(RELATIVE_SWING) if RELATIVE_SWING in assumptions else np.zeros(n)
        p["relative_swing"] = (np.zeros((n, len(self.years))) if rng is None else
                               swing[:, None] * rng.standard_normal((n, len(self.years))))
        for _, _, aid in self.links:
            p[f"e:{aid}"] = draw(aid)
        p["weights"] = draw_weights(assumptions, rng, n)
        p["offset"], p["scale"] = composite_for(self.history, p["weights"],
                                                self.composite["years"])
        if self.rank_evidence is not None:
            p["evidence_rank"] = draw(self.rank_evidence[1])
        if ICT_SHARE in assumptions and ICT_GROWTH in assumptions:
            p["ict_share"], p["ict_growth"] = draw(ICT_SHARE), draw(ICT_GROWTH)
        shape = (n, len(PILLARS), int((self.years > self._walk_start()).sum()))
        if rng is None or PILLAR_NOISE not in assumptions:
            p["pillar_steps"] = np.zeros(shape)
        else:
            p["pillar_steps"] = draw(PILLAR_NOISE)[:, None, None] * rng.standard_normal(shape)
        return p

    def _walk_start(self) -> int:
        """The last year before the pillars' year-to-year steps: the year of the rank evidence
        (calibrated on it), else the pillars' anchor."""
        if self.rank_evidence is not None:
            return self.rank_evidence[0]
        return max(self.trends[ind].anchor_year for ind in PILLARS)

    def _ict_industry(self, p: dict) -> np.ndarray:
        """What the digital-technology industry adds to the DE share after its anchor, ``(n, T)``."""
        t = np.maximum(self.years - self.trends[DE_SHARE].anchor_year, 0)[None, :]
        per_cent = float(self.dataset.units.set_index("id").loc["percent", "max"])
        growth = 1.0 + p["ict_growth"][:, None] / per_cent
        return p["ict_share"][:, None] * (growth ** t - 1.0)

    def _pillar_paths(self, p: dict) -> dict[str, np.ndarray]:
        """Baseline pillar scores, shape ``(n, T)`` each, from their last observation.

        Each pillar moves with the field (the published provincial averages, then the field's
        growth) plus Quảng Ninh's relative growth. When the rank of a later year is known
        (:meth:`_rank_evidence`), that year's pillars take the one common shift that puts the
        overall score at the drawn rank in that year's field, and the relative growth runs from
        there. After that year (or the anchor) each pillar adds a random walk of its drawn
        year-to-year steps (``PILLAR_NOISE``) and the province's swing against the field
        (``relative_swing``: independent draws of s.d. ``dti_qn_relative_logit_swing``); none on
        the central path.
        """
        anchor = max(self.trends[ind].anchor_year for ind in PILLARS)
        a = np.stack([logit(p[f"level:{ind}"]) for ind in PILLARS], axis=1)  # (n, 3)
        move = self.field.location_change(anchor, self.years, p["field_growth"])
        rel = p["relative_growth"][:, None]
        yrs = self.years[None, :]
        steps = p["pillar_steps"]
        walk = np.zeros((steps.shape[0], len(PILLARS), len(self.years)))
        if steps.shape[2]:
            walk[:, :, -steps.shape[2]:] = np.cumsum(steps, axis=2)
        start = anchor if self.rank_evidence is None else self.rank_evidence[0]
        swing = p.get("relative_swing")
        # the year-to-year swing, after the last year whose rank is known
        rel_swing = 0.0 if swing is None else np.where(yrs > start, swing, 0.0)
        if self.rank_evidence is None:
            shift = rel * np.maximum(yrs - anchor, 0)
        else:
            y_ev = self.rank_evidence[0]
            target = self.field.score_at(y_ev, p["evidence_rank"], p.get("lower_spread"))
            x0 = a + move[:, y_ev - START_YEAR][:, None]
            s = solve_shift(x0, p["weights"], p["offset"], p["scale"], target)
            shift = np.where(yrs >= y_ev, s[:, None] + rel * np.maximum(yrs - y_ev, 0),
                             rel * np.maximum(yrs - anchor, 0))
        shift = shift + rel_swing
        return {ind: expit(a[:, i][:, None] + move + shift + walk[:, i])
                for i, ind in enumerate(PILLARS)}

    def _first_year(self, ind: str) -> int:
        hist = self.history.get(ind, pd.Series(dtype=float))
        return int(min([self.trends[ind].anchor_year, *[y for y in hist.index if y >= START_YEAR]]))

    def _baseline_path(self, ind: str, p: dict) -> tuple[np.ndarray, int]:
        tr = self.trends[ind]
        path = tr.path(self.years, slope=p[f"slope:{ind}"], anchor_value=p[f"level:{ind}"])
        hist = self.history.get(ind, pd.Series(dtype=float))
        for y, v in hist.items():
            if START_YEAR <= y <= tr.anchor_year:
                path[:, y - START_YEAR] = v
        first = int(min([tr.anchor_year, *[y for y in hist.index if y >= START_YEAR]]))
        return path, first

    def _keep_history(self, ind: str, path: np.ndarray) -> np.ndarray:
        """The path with every observed year up to the anchor set back to its figure."""
        hist = self.history.get(ind, pd.Series(dtype=float))
        anchor = self.anchor_year(ind)
        for y, v in hist.items():
            if START_YEAR <= y <= anchor:
                path[:, y - START_YEAR] = v
        return path

    def _deviation(self, lever: LeverSpec, settings: dict[int, float], base: np.ndarray) -> np.ndarray:
        """Lever deviation from its baseline, linear between set years.

        Zero up to the lever's anchor and up to the last ended year (a lever never changes the
        past), then linear to the first set year and between set years; between two set years
        the path itself runs straight from one set value to the other (the same in every draw,
        so the headline is the middle of the draws there too).
        """
        n = base.shape[0]
        knots_y = [max(lever.trend.anchor_year, self.last_ended_year)]
        knots_v = [np.zeros(n)]
        for y in self.settable_years:
            if y <= knots_y[0]:
                continue
            knots_y.append(y)
            if y in settings:
                knots_v.append(settings[y] - base[:, y - START_YEAR])
            else:
                knots_v.append(np.zeros(n))
        kv = np.stack(knots_v, axis=1)  # (n, K)
        dev = np.zeros_like(base)
        for j, yr in enumerate(self.years):
            if yr <= knots_y[0]:
                continue
            k = np.searchsorted(knots_y, yr)
            if k >= len(knots_y):
                dev[:, j] = kv[:, -1]
                continue
            y0, y1 = knots_y[k - 1], knots_y[k]
            t = (yr - y0) / (y1 - y0)
            if y0 in settings and y1 in settings:
                dev[:, j] = (1 - t) * settings[y0] + t * settings[y1] - base[:, j]
            else:
                dev[:, j] = (1 - t) * kv[:, k - 1] + t * kv[:, k]
        return dev

    def run(self, scenario: Scenario, params: dict, lever_mask: np.ndarray | None = None) -> Outcomes:
        """Compute every outcome for given parameters (vectorised over draws).

        Parameters
        ----------
        scenario : Scenario
            A validated scenario.
        params : dict
            From :meth:`parameters` (arrays of shape ``(n,)``).
        lever_mask : numpy.ndarray, optional
            Boolean ``(n, L)``: which levers take the scenario's settings in each row (all by
            default); used for contributions.

        Returns
        -------
        Outcomes
            The outcome arrays.
        """
        n = next(v for k, v in params.items() if k.startswith("slope:")).shape[0]
        vals: dict[str, np.ndarray] = {}
        first: dict[str, int] = {}
        devs: dict[str, np.ndarray] = {}
        for li, (lid, lev) in enumerate(self.levers.items()):
            base, f0 = self._baseline_path(lev.indicator, params)
            settings = scenario.levers.get(lid, {})
            dev = self._deviation(lev, settings, base) if settings else np.zeros_like(base)
            if lever_mask is not None:
                dev = dev * lever_mask[:, li][:, None]
            path = np.clip(base + dev, lev.min, lev.max)
            devs[lid] = path - base
            vals[lev.indicator], first[lev.indicator] = path, f0
        lever_inds = {lv.indicator for lv in self.levers.values()}
        pillars = self._pillar_paths(params)
        for ind, tr in self.trends.items():
            if ind in lever_inds:
                continue
            if ind in pillars:
                base, f0 = pillars[ind], self._first_year(ind)
            else:
                base, f0 = self._baseline_path(ind, params)
            if ind == DE_SHARE and "ict_share" in params:
                base = base + self._ict_industry(params)
            for outcome, lid, aid in self.links:
                if outcome == ind:
                    base = base + params[f"e:{aid}"][:, None] * devs[lid]
            scale = tr.scale if tr.scale is not None else np.inf
            vals[ind], first[ind] = self._keep_history(ind, np.clip(base, 0.0, scale)), f0
        w = params["weights"]
        comp = sum(w[:, i][:, None] * vals[p] for i, p in enumerate(PILLARS))
        overall = np.clip(params["offset"][:, None] + params["scale"][:, None] * comp, 0.0, 1.0)
        hist_o = self.history[OVERALL]
        anchor_o = int(hist_o.index.max())
        for y, v in hist_o.items():
            if START_YEAR <= y <= anchor_o:
                overall[:, y - START_YEAR] = v
        vals[OVERALL] = overall
        first[OVERALL] = int(min(hist_o.index.min(), anchor_o))
        rank = np.empty((n, len(self.years)))
        hist_r = self.history[RANK]
        g = params["field_growth"]
        for j, yr in enumerate(self.years):
            if yr in hist_r.index and yr <= anchor_o:
                rank[:, j] = hist_r[yr]
            else:
                rank[:, j] = self.field.rank(int(yr), overall[:, j], g,
                                             (params["offset"], params["scale"]),
                                             params.get("lower_spread"))
        vals[RANK] = rank
        first[RANK] = first[OVERALL]
        for rid, pf in self.pillar_fields.items():
            vals[rid], first[rid] = self._pillar_rank(rid, pf, vals[pillar_of_rank(rid)], params)
        return Outcomes(self.years, vals, first)

    def _pillar_rank(self, rid: str, pf: PillarField, score: np.ndarray,
                     params: dict) -> tuple[np.ndarray, int]:
        """A pillar's rank path ``(n, T)`` and first year: the published ranks up to the
        pillar's anchor, then the rank of its score in the pillar's field."""
        hist = self.history.get(rid, pd.Series(dtype=float))
        anchor = self.anchor_year(rid)
        known = np.array([yr in hist.index and yr <= anchor for yr in self.years])
        out = np.empty_like(score)
        out[:, ~known] = pf.rank_path(self.years[~known], score[:, ~known],
                                      params["field_growth"], params.get("lower_spread"))
        for j in np.flatnonzero(known):
            out[:, j] = hist[int(self.years[j])]
        first = int(min([anchor, *[y for y in hist.index if START_YEAR <= y <= anchor]]))
        return out, first

    # ------------------------------------------------------------------ public API
    def validate(self, raw) -> Scenario:
        """Validate a raw scenario against this dataset (see :func:`validate_scenario`)."""
        return validate_scenario(raw, self.dataset.levers, self.dataset.assumptions, self.today)

    def assumptions_for(self, scenario: Scenario) -> AssumptionSet:
        """The assumptions with the scenario's overrides applied."""
        return self.assumptions.with_overrides(scenario.overrides)

    def deterministic(self, scenario: Scenario = BASELINE) -> Outcomes:
        """The central run: every drawn parameter at its median, no draws (the headline)."""
        return self.run(scenario, self._drawn_for(scenario, None, 1))

    DRAWN_KEPT = 8
    """Sets of drawn parameters kept (:meth:`_drawn_for`)."""

    def _drawn_for(self, scenario: Scenario, seed: int | None, n: int) -> dict:
        """:meth:`parameters` of the scenario's assumptions, drawn with ``seed`` (``None``: at
        their medians), kept per assumption overrides, seed and count: the draws do not
        depend on the lever settings, so a lever move reuses them. The arrays are read-only."""
        key = (tuple(sorted(scenario.overrides.items())), seed, int(n))
        found = self._drawn.get(key)
        if found is not None:
            return found
        rng = None if seed is None else np.random.default_rng(int(seed))
        found = self.parameters(self.assumptions_for(scenario), rng, int(n))
        for value in found.values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
        with self._drawn_lock:
            self._drawn[key] = found
            while len(self._drawn) > self.DRAWN_KEPT:
                del self._drawn[next(iter(self._drawn))]
        return found

    def project(self, scenario: Scenario = BASELINE, name: str = "scenario") -> pd.DataFrame:
        """Deterministic projection as a tidy frame.

        Parameters
        ----------
        scenario : Scenario
            A validated scenario (baseline by default).
        name : str
            Value of the ``scenario`` column.

        Returns
        -------
        pandas.DataFrame
            ``indicator, scenario, year, value, unit, kind, basis``. ``kind`` is ``history``
            for an observed year, ``trend`` for a year before the anchor with no observation
            (the trend's value), ``projection`` after the anchor. ``basis`` says what the value
            rests on today (:func:`planner.horizon.basis`): ``observed`` (the official figure),
            ``estimate`` (the year has ended, no figure yet: the model's nowcast) or
            ``projection`` (the year has not ended). Years before an outcome's first value are
            left out.
        """
        out = self.deterministic(scenario)
        return self._tidy(out, lambda ind, a: {"value": a[0]}, name)

    def anchor_year(self, indicator: str) -> int:
        """Last year of history of an outcome (after it, values are projected)."""
        if indicator in (OVERALL, RANK):
            return int(self.history[OVERALL].index.max())
        if indicator in PILLAR_RANKS:
            return int(self.trends[pillar_of_rank(indicator)].anchor_year)
        return int(self.trends[indicator].anchor_year)

    def caveat(self, indicator: str) -> str:
        """Catalogue key of a caveat on comparing an indicator with its targets, or ``""``.

        The digital economy's 7.1% of GRDP (2024) does not say which method measured it, while
        its targets (20% in 2025, 30% or 35% in 2030) were set in 2022, before the national
        series by two methods (statistics office, ministry) were published; the pages show the
        caveat next to such a comparison.
        """
        key = CAVEAT_KEY.format(indicator)
        return key if has_key(key) else ""

    def is_assumed(self, indicator: str) -> bool:
        """Whether an outcome has no measurement: its path starts from an assumed level.

        Such a path is what the assumption implies, never a trend; the pages and exports say
        "assumed level, no measurement".
        """
        tr = self.trends.get(indicator)
        return tr is not None and tr.note == "assumed_level"

    def observed_points(self, indicator: str) -> int:
        """How many observed figures of the province an outcome's series rests on (0 for an
        assumed level; :func:`planner.standing.observed_figures`: an inferred value or one read
        two ways is not counted)."""
        if indicator in self.trends and self.is_assumed(indicator):
            return 0
        return observed_figures(self.obs, indicator)

    def unit_of(self, indicator: str, year: int | None = None) -> str:
        """Unit of an outcome (ranks: out of 63 or 34 depending on the year)."""
        if is_rank(indicator) and year is not None:
            return f"rank_of_{self.field.size(int(year))}"
        return self.indicator_unit[indicator]

    def _skeleton(self, out: Outcomes) -> tuple[pd.DataFrame, list[tuple[str, np.ndarray]]]:
        """Static columns of the tidy frame (indicator, year, unit, kind, basis), built once."""
        key = tuple(sorted(out.first_year.items()))
        cached = self._skeletons.get(key)
        if cached is not None:
            return cached
        parts, masks = [], []
        for ind in self.outcome_ids:
            keep = out.years >= out.first_year[ind]
            yrs = out.years[keep]
            anchor = self.anchor_year(ind)
            observed = set(self.history.get(ind, pd.Series(dtype=float)).index)
            kinds = ["history" if (y in observed and y <= anchor) else
                     ("trend" if y <= anchor else "projection") for y in yrs]
            parts.append(pd.DataFrame({
                "indicator": ind, "year": yrs,
                "unit": [self.unit_of(ind, y) for y in yrs], "kind": kinds,
                "basis": [basis(int(y), k == "history", self.today)
                          for y, k in zip(yrs, kinds, strict=True)]}))
            masks.append((ind, keep))
        skel = (pd.concat(parts, ignore_index=True), masks)
        self._skeletons[key] = skel
        return skel

    def _tidy(self, out: Outcomes, stat, name: str) -> pd.DataFrame:
        skel, masks = self._skeleton(out)
        cols: dict[str, list[np.ndarray]] = {}
        for ind, keep in masks:
            for k, v in stat(ind, out.values[ind]).items():
                cols.setdefault(k, []).append(np.asarray(v)[keep])
        data = {"indicator": skel["indicator"].to_numpy(), "scenario": name,
                "year": skel["year"].to_numpy()}
        data.update({k: np.concatenate(v) for k, v in cols.items()})
        data["unit"] = skel["unit"].to_numpy()
        data["kind"] = skel["kind"].to_numpy()
        data["basis"] = skel["basis"].to_numpy()
        return pd.DataFrame(data)

    def simulate(self, scenario: Scenario = BASELINE, draws: int = DEFAULT_DRAWS,
                 seed: int = DEFAULT_SEED,
                 name: str = "scenario") -> Simulation:
        """Monte Carlo simulation of every outcome.

        Parameters
        ----------
        scenario : Scenario
            A validated scenario.
        draws : int
            Number of draws (at least 1).
        seed : int
            Seed of ``numpy.random.default_rng``; the same scenario and seed give the same
            numbers.
        name : str
            Value of the ``scenario`` column.

        Returns
        -------
        Simulation
            Percentiles per outcome and year, and the raw draws.
        """
        if int(draws) < 1:
            raise ValueError("draws must be at least 1")
        out = self.run(scenario, self._drawn_for(scenario, int(seed), int(draws)))
        det = self.deterministic(scenario)
        return Simulation(self, scenario, out, det, name, int(draws), int(seed))

    def field_growth_known(self, year: int) -> tuple[float, float, float]:
        """The field's growth as it could be assumed at the end of ``year``: ``(low, mode, high)``.

        The rule of ``dti_field_logit_growth`` applied to the published averages up to ``year``
        only: from no growth to the fastest yearly step seen so far, or to
        ``dti_field_growth_latest_multiple`` times the latest step when that is higher, the
        latest step most likely. A hold-out predicting the year after uses it instead of the
        published average of the year it predicts (or the assumption, whose range rests on later
        years).

        Parameters
        ----------
        year : int
            The last year whose data may be used.

        Returns
        -------
        tuple of float
            ``(low, mode, high)`` on the logit scale; ``(0, 0, 0)`` with fewer than two
            published averages.
        """
        avg = self.field.avg_x[self.field.avg_x.index <= year].sort_index()
        steps = np.diff(avg.to_numpy(dtype=float))
        if len(steps) == 0:
            return 0.0, 0.0, 0.0
        latest = max(float(steps[-1]), 0.0)
        multiple = (self.assumptions.value(GROWTH_MULTIPLE) if GROWTH_MULTIPLE in self.assumptions
                    else 1.0)
        return 0.0, latest, max(float(steps.max()), multiple * latest)

    def _hold_out_draws(self, year_from: int, rng: np.random.Generator | None,
                        n: int) -> dict[str, np.ndarray]:
        """Draws of what moves Quảng Ninh's pillars one year on from ``year_from`` (data up to it).

        ``g``: the field's growth (:meth:`field_growth_known`); ``rel``: Quảng Ninh's relative
        growth plus one year of its swing against the field; ``steps``: the pillars'
        year-to-year steps, shape ``(n, 3)``; ``weights``, ``offset``, ``scale``: the
        composite; ``lower``: the field's spread below its average. Without a generator, the
        medians (the central prediction).
        """
        a = self.assumptions
        lo, mode, hi = self.field_growth_known(year_from)
        if rng is None:
            g = np.full(n, triangular_median(lo, mode, hi))
        else:
            g = rng.triangular(lo, mode, hi, size=n) if hi > lo else np.full(n, mode)
        rel = a.draw(RELATIVE_GROWTH, rng, n)
        steps = np.zeros((n, len(PILLARS)))
        if rng is not None and PILLAR_NOISE in a:
            steps = a.draw(PILLAR_NOISE, rng, n)[:, None] * rng.standard_normal(steps.shape)
        swing = np.zeros(n)
        if rng is not None and RELATIVE_SWING in a:
            swing = a.draw(RELATIVE_SWING, rng, n) * rng.standard_normal(n)
        lower = (a.draw(LOWER_SPREAD, rng, n) if LOWER_SPREAD in a
                 else np.full(n, self.field.lower_spread))
        weights = draw_weights(a, rng, n)
        offset, scale = composite_for(self.history, weights, self.composite["years"])
        return {"g": g, "rel": rel + swing, "steps": steps, "weights": weights,
                "offset": offset, "scale": scale, "lower": lower}

    def _hold_outs(self, rng: np.random.Generator | None, n: int) -> list[tuple]:
        """The hold-out predictions: ``(indicator, year, observed, predictions)``.

        Each uses only data of earlier years: the pillars in their anchor year, from the year
        before's scores moved by the field's growth as known then, the relative growth and a
        year's steps; the rank of the year after the last published score, from the fields
        published up to then, the pillars moved as above. (The overall DTI of 2020 is cast back
        with the composite calibrated on later years, so it is no hold-out.)
        """
        out = []
        anchor = max(self.trends[ind].anchor_year for ind in PILLARS)
        prev = anchor - 1
        if all(prev in self.history[ind].index for ind in PILLARS):
            d = self._hold_out_draws(prev, rng, n)
            for i, ind in enumerate(PILLARS):
                x = logit(self.history[ind][prev]) + d["g"] + d["rel"] + d["steps"][:, i]
                out.append((ind, anchor, float(self.history[ind][anchor]), expit(x)))
        d = self._hold_out_draws(anchor, rng, n)
        hist_o, hist_r = self.history[OVERALL], self.history[RANK]
        last = int(hist_o.index.max())
        if last + 1 in hist_r.index:
            past = Field({k: c for k, c in self.field.curves.items() if k[0] <= last},
                         self.field.switch_year, lower_spread=self.field.lower_spread)
            pil = np.stack([expit(logit(self.history[p][last]) + d["g"] + d["rel"]
                                  + d["steps"][:, i]) for i, p in enumerate(PILLARS)], axis=1)
            score = d["offset"] + d["scale"] * (d["weights"] * pil).sum(axis=1)
            out.append((RANK, last + 1, float(hist_r[last + 1]),
                        past.rank(last + 1, score, d["g"], (d["offset"], d["scale"]),
                                  d["lower"])))
        return out

    def backtest(self) -> pd.DataFrame:
        """How well the model reproduces history, with genuine hold-outs and their bands.

        Rows:

        * each trend cast back from its anchor to every observed year (the anchor itself, and
          both points of a line through two points, are zero by construction);
        * each pillar cast back from its anchor with the published averages (in sample), and
          the hold-out: its 2022 score predicted from data up to 2021 only (:meth:`_hold_outs`:
          the field's growth drawn on the range the averages up to 2021 allow, not the
          published 2022 average);
        * the overall DTI as the calibrated composite of the observed pillars (the calibration
          years are zero by construction; 2020, scored by an older method, is cast back: the
          calibration rests on later years, so it is in sample, not a hold-out);
        * the rank of the observed overall score in each year's own field, and the hold-out:
          2023's rank predicted from data up to 2022 only (the fields published up to 2022,
          moved and with the pillars moved as above), against the inferred rank 12; the 2023
          rank of the model itself is calibrated on that rank (by construction: its error is
          the gap between the median and the most likely value of the drawn rank).

        A hold-out's ``modelled`` is its central prediction (every draw at its median) and
        ``p10``, ``p90`` its band over :data:`BACKTEST_DRAWS` draws (seed
        :data:`DEFAULT_SEED`); ``inside`` says whether the observed value falls in the band.

        Returns
        -------
        pandas.DataFrame
            ``indicator, year, observed, modelled, error, by_construction, hold_out, p10, p90,
            inside`` (the last three empty for rows that are not hold-outs).
        """
        rows = []
        a = self.assumptions
        for ind, tr in self.trends.items():
            if ind in PILLARS:
                continue
            two_point_line = tr.method in ("linear", "logit_linear") and tr.n_points == 2
            for y, v in self.history.get(ind, pd.Series(dtype=float)).items():
                if y >= START_YEAR:
                    m = float(tr.path(np.array([y]))[0, 0])
                    rows.append((ind, int(y), float(v), m, two_point_line or y == tr.anchor_year,
                                 False, np.nan, np.nan))
        g = np.array([a.central(FIELD_GROWTH)])
        rel = a.central(RELATIVE_GROWTH)
        for ind in PILLARS:
            hist, anchor = self.history[ind], self.trends[ind].anchor_year
            for y, v in hist.items():
                move = self.field.location_change(int(y), np.array([anchor]), g)[0, 0]
                m = float(expit(logit(hist[anchor]) - move - rel * (anchor - y)))
                rows.append((ind, int(y), float(v), m, y == anchor, False, np.nan, np.nan))
        w = pillar_weights(a)
        for y in self.composite["all_years"]:
            comp = sum(w[i] * self.history[p][y] for i, p in enumerate(PILLARS))
            m = self.composite["offset"] + self.composite["scale"] * comp
            rows.append((OVERALL, int(y), float(self.history[OVERALL][y]), float(m),
                         y in self.composite["years"], False, np.nan, np.nan))
        rows += self._rank_backtest(g)
        central = self._hold_outs(None, 1)
        drawn = self._hold_outs(np.random.default_rng(DEFAULT_SEED), BACKTEST_DRAWS)
        for (ind, y, obs, mid), (*_, draws) in zip(central, drawn, strict=True):
            lo, hi = np.percentile(draws, BAND)
            rows.append((ind, y, obs, float(mid[0]), False, True, float(lo), float(hi)))
        cols = ["indicator", "year", "observed", "modelled", "by_construction", "hold_out",
                "p10", "p90"]
        df = pd.DataFrame(rows, columns=cols)
        df["error"] = df["modelled"] - df["observed"]
        df["inside"] = pd.array([bool(lo <= o <= hi) if h else pd.NA for o, lo, hi, h in
                                 zip(df["observed"], df["p10"], df["p90"], df["hold_out"],
                                     strict=True)], dtype="boolean")
        return df[["indicator", "year", "observed", "modelled", "error", "by_construction",
                   "hold_out", "p10", "p90", "inside"]]

    def calibration(self, backtest: pd.DataFrame | None = None) -> dict:
        """How often the hold-outs fall inside their own 10–90 % band.

        Parameters
        ----------
        backtest : pandas.DataFrame, optional
            :meth:`backtest` (computed when omitted).

        Returns
        -------
        dict
            ``band`` (the percentiles), ``nominal`` (the share expected inside: 0.8),
            ``hold_outs`` (how many), ``inside`` (how many fell inside), ``coverage`` (the
            share), and ``rows``: each hold-out's ``indicator, year, observed, modelled, p10,
            p90, error, inside``.
        """
        bt = self.backtest() if backtest is None else backtest
        held = bt[bt["hold_out"]]
        inside = int(held["inside"].sum())
        rows = [{"indicator": r.indicator, "year": int(r.year), "observed": float(r.observed),
                 "modelled": float(r.modelled), "p10": float(r.p10), "p90": float(r.p90),
                 "error": float(r.error), "inside": bool(r.inside)}
                for r in held.itertuples(index=False)]
        return {"band": list(BAND), "nominal": (BAND[1] - BAND[0]) / 100,
                "hold_outs": len(held), "inside": inside,
                "coverage": inside / len(held) if len(held) else float("nan"), "rows": rows}

    def _rank_backtest(self, g: np.ndarray) -> list[tuple]:
        """The rank of each year's overall score (observed, else the central estimate) in the
        year's own field; the rank held for the evidence year is by construction."""
        rows = []
        ranks = self.obs[(self.obs["indicator"] == RANK) & (self.obs["geography"] == PROVINCE)
                         & (self.obs["kind"].isin(KIND_PREFERENCE))]
        hist_o = self.history[OVERALL]
        base = self.deterministic().values[OVERALL][0]
        for r in ranks.drop_duplicates("year").sort_values("year").itertuples(index=False):
            y = int(r.year)
            score = hist_o.get(y, base[y - START_YEAR] if START_YEAR <= y <= END_YEAR else None)
            if score is None:
                continue
            try:
                m = float(self.field.rank(y, np.array([score]), g)[0])
            except KeyError:  # no field at or before that year
                continue
            evidence = self.rank_evidence is not None and y == self.rank_evidence[0]
            rows.append((RANK, y, float(r.value), m, evidence, False, np.nan, np.nan))
        return rows

    def rank_hold_out_draws(self, draws: int = BACKTEST_DRAWS,
                            seed: int = DEFAULT_SEED) -> tuple[int, np.ndarray]:
        """The rank hold-out's draws (:meth:`_hold_outs`): the year after the last published
        overall score, predicted from the data up to it.

        Parameters
        ----------
        draws, seed : int
            As in :meth:`simulate`.

        Returns
        -------
        tuple of (int, numpy.ndarray)
            The held-out year and its drawn ranks, shape ``(draws,)``.
        """
        for ind, year, _, pred in self._hold_outs(np.random.default_rng(int(seed)), int(draws)):
            if ind == RANK:
                return year, pred
        raise ValueError("no rank hold-out: no published rank follows the last overall score")

    def backtest_summary(self) -> pd.DataFrame:
        """Mean absolute and largest backtest error per outcome and kind of test.

        Rows that are zero by construction are left out.
        """
        bt = self.backtest()
        bt = bt[~bt["by_construction"]]
        g = bt.groupby(["indicator", "hold_out"])["error"]
        return pd.DataFrame({"n": g.size(), "mae": g.apply(lambda e: e.abs().mean()),
                             "max_abs_error": g.apply(lambda e: e.abs().max())}).reset_index()


class Simulation:
    """Result of :meth:`PlannerResults.simulate`.

    Attributes
    ----------
    draws_out : Outcomes
        Arrays of shape ``(draws, T)`` per outcome.
    det : Outcomes
        The deterministic run (one row).
    """

    def __init__(self, model: PlannerResults, scenario: Scenario, out: Outcomes, det: Outcomes,
                 name: str, draws: int, seed: int) -> None:
        self.model, self.scenario, self.draws_out, self.det = model, scenario, out, det
        self.name, self.draws, self.seed = name, draws, seed

    def frame(self) -> pd.DataFrame:
        """Tidy percentiles: ``indicator, scenario, year, value, p10, p50, p90, mean, unit, kind,
        basis`` (``kind`` and ``basis`` as in :meth:`PlannerResults.project`).

        ``value`` is the central run (:meth:`PlannerResults.deterministic`: every drawn
        parameter at its median), the middle of the draws.
        """
        det = self.det.values
        pct = {ind: np.percentile(arr, PERCENTILES, axis=0) for ind, arr in self.draws_out.values.items()}
        means = {ind: arr.mean(axis=0) for ind, arr in self.draws_out.values.items()}

        def stat(ind, arr):
            return {"value": det[ind][0], "p10": pct[ind][0], "p50": pct[ind][1],
                    "p90": pct[ind][2], "mean": means[ind]}

        return self.model._tidy(self.draws_out, stat, self.name)

    def values(self, indicator: str, year: int) -> np.ndarray:
        """The draws of one outcome in one year, shape ``(draws,)``."""
        return self.draws_out.values[indicator][:, year - START_YEAR]
