"""The projection engine: baseline trends, lever effects, outcomes to 2030.

Method
------
``PlannerModel(dataset).fit()`` fits every trend declared in ``models.csv`` (see
:mod:`planner.trend`) and calibrates the overall DTI on the pillars; the returned
:class:`PlannerResults` projects scenarios.

For a scenario, each lever's path is its baseline trend plus a deviation that is zero at the
lever's anchor (last observation, or assumed level) and equals the set value minus the baseline
in 2025 and in 2030, linear in between; unset years keep the baseline. Outcomes respond to the
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
projection is one draw at the assumptions' values; the Monte Carlo simulation
(:meth:`PlannerResults.simulate`) draws the trend slopes (normal or Student's t around the fit)
and every drawn assumption (triangular on its range, mode at its value) together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.assumptions import AssumptionSet
from planner.horizon import END_YEAR, SETTABLE_YEARS, START_YEAR
from planner.rank import PROVINCE, RANK, SCORE, Field, build_curves
from planner.scenario import BASELINE, Scenario, validate_scenario
from planner.targets import targets_from
from planner.trend import TrendModel, TrendResults

MODEL_VERSION = "1.0"
"""Version of the model's equations; saved with every scenario."""

PILLARS = ("dti_digital_government", "dti_digital_economy", "dti_digital_society")
OVERALL = SCORE
RANK_ID = RANK
KIND_PREFERENCE = ("observed", "external", "derived")
PERCENTILES = (10, 50, 90)
PILLAR_WEIGHT = "dti_weight_{}"
RELATIVE_GROWTH = "dti_qn_relative_logit_growth"
FIELD_GROWTH = "dti_field_logit_growth"


def preferred_history(observations: pd.DataFrame, indicator: str) -> pd.Series:
    """Quảng Ninh's history of one indicator, one value a year.

    Where several rows give a year (a conflict, or a value both published and derived), the
    preferred kind wins: observed, then external, then derived.

    Parameters
    ----------
    observations : pandas.DataFrame
        The tidy baseline.
    indicator : str
        Indicator id.

    Returns
    -------
    pandas.Series
        Values indexed by year, sorted.
    """
    o = observations[(observations["indicator"] == indicator)
                     & (observations["geography"] == PROVINCE)
                     & (observations["kind"].isin(KIND_PREFERENCE))].copy()
    if o.empty:
        return pd.Series(dtype=float)
    o["_rank"] = o["kind"].map({k: i for i, k in enumerate(KIND_PREFERENCE)})
    o = o.sort_values(["year", "_rank"]).drop_duplicates("year")
    return pd.Series(o["value"].to_numpy(dtype=float), index=o["year"].astype(int).to_numpy())


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


@dataclass(frozen=True)
class Outcomes:
    """Outcome arrays of one run, shape ``(n, T)`` each, for years ``START_YEAR..END_YEAR``."""

    years: np.ndarray
    values: dict[str, np.ndarray]
    first_year: dict[str, int]


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

    def fit(self) -> PlannerResults:
        """Fit every trend and calibrate the composite.

        Returns
        -------
        PlannerResults
            The fitted model.
        """
        return PlannerResults(self.dataset)


class PlannerResults:
    """A fitted planner model: projects, simulates, evaluates.

    Build it with ``PlannerModel(dataset).fit()``. Fits are done here once; every projection
    reuses them.
    """

    def __init__(self, dataset) -> None:
        self.dataset = dataset
        self.version = getattr(dataset, "version", None)
        ds = dataset
        self.assumptions = AssumptionSet(ds.assumptions)
        units = ds.units.set_index("id")
        self.indicator_unit = dict(zip(ds.indicators["id"], ds.indicators["unit"], strict=True))
        self.obs = ds.observations
        self.years = np.arange(START_YEAR, END_YEAR + 1)
        self.history = {ind: preferred_history(self.obs, ind)
                        for ind in set(ds.models["indicator"]) | {OVERALL, RANK_ID}}
        # trends per modelled indicator
        self.trends: dict[str, TrendResults] = {}
        self.model_rows = {str(r.indicator): r for r in ds.models.itertuples(index=False)}
        for ind, r in self.model_rows.items():
            try:
                self.trends[ind] = self._fit_trend(ind, r, units)
            except ValueError as exc:  # name the indicator whose trend cannot be fitted
                raise ValueError(f"{ind}: {exc}") from exc
        # levers
        self.levers: dict[str, LeverSpec] = {}
        for r in ds.levers.itertuples(index=False):
            self.levers[str(r.id)] = LeverSpec(
                str(r.id), str(r.indicator), str(r.unit), float(r.min), float(r.max),
                float(r.step), str(r.label_vi), str(r.label_en), self.trends[str(r.indicator)],
                self.history.get(str(r.indicator), pd.Series(dtype=float)))
        self.lever_ids = tuple(self.levers)
        self.links = [(str(r.outcome), str(r.lever), str(r.assumption))
                      for r in ds.links.itertuples(index=False)]
        self.outcome_ids = tuple([lv.indicator for lv in self.levers.values()]
                                 + [i for i in self.trends if i not in
                                    {lv.indicator for lv in self.levers.values()}]
                                 + [OVERALL, RANK_ID])
        self._calibrate()
        own_ranks = {(int(y), 63): float(v) for y, v in self.history[RANK_ID].items()}
        curves = build_curves(self.obs, own_ranks, self.assumptions.value("field_average_percentile"),
                              int(self.assumptions.value("field_min_peers")))
        self.field = Field(curves, int(self.assumptions.value("field_size_switch_year")))
        self.targets = targets_from(self.obs, ds.indicators, self.outcome_ids)
        self._skeletons: dict = {}

    # ------------------------------------------------------------------ fitting
    def _fit_trend(self, ind: str, r, units: pd.DataFrame) -> TrendResults:
        unit = self.indicator_unit[ind]
        scale = float(units.loc[unit, "max"]) if unit in units.index else None
        hist = self.history.get(ind, pd.Series(dtype=float))
        method = str(r.method)
        a = self.assumptions
        if method in ("linear", "logit_linear"):
            start = int(r.fit_from_year) if not pd.isna(r.fit_from_year) else START_YEAR
            h = hist[hist.index >= start]
            cv_key = f"{self._lever_of(ind)}_trend_slope_cv" if self._lever_of(ind) else None
            cv = a.value(cv_key) if cv_key and cv_key in a else None
            return TrendModel(h.index, h.values, method=method, scale=scale, slope_cv=cv).fit()
        g = str(r.growth_assumption)
        level = None if pd.isna(r.level_assumption) or not str(r.level_assumption) else a.value(str(r.level_assumption))
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

    def _weights(self, a: AssumptionSet) -> np.ndarray:
        w = np.array([a.value(PILLAR_WEIGHT.format(p.removeprefix("dti_"))) for p in PILLARS])
        return w / w.sum()

    def _calibrate(self) -> None:
        a = self.assumptions
        first = int(a.value("dti_calibration_from_year"))
        years = sorted(set(self.history[OVERALL].index).intersection(
            *[set(self.history[p].index) for p in PILLARS]))
        cal = [y for y in years if y >= first]
        if len(cal) < 2:
            raise ValueError("the overall DTI needs two years with all pillars to calibrate")
        w = self._weights(a)
        x = np.array([sum(w[i] * self.history[p][y] for i, p in enumerate(PILLARS)) for y in cal])
        y = np.array([self.history[OVERALL][yy] for yy in cal])
        scale, offset = np.polyfit(x, y, 1)
        self.composite = {"scale": float(scale), "offset": float(offset), "years": cal,
                          "all_years": years}

    # ------------------------------------------------------------------ core
    def _params(self, assumptions: AssumptionSet, rng: np.random.Generator | None, n: int) -> dict:
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
            if tr.method in ("linear", "logit_linear"):
                if rng is None:
                    p[f"slope:{ind}"] = np.full(n, tr.slope)
                elif np.isinf(tr.df):
                    p[f"slope:{ind}"] = tr.slope + tr.slope_sd * rng.standard_normal(n)
                else:
                    p[f"slope:{ind}"] = tr.slope + tr.slope_sd * rng.standard_t(tr.df, n)
                p[f"level:{ind}"] = np.full(n, tr.anchor_value)
            else:
                p[f"slope:{ind}"] = draw(str(r.growth_assumption))
                if str(r.level_assumption):
                    p[f"level:{ind}"] = draw(str(r.level_assumption))
                else:
                    p[f"level:{ind}"] = np.full(n, tr.anchor_value)
            if ind in PILLARS:
                p[f"slope:{ind}"] = p[f"slope:{ind}"] + rel
        p["field_growth"] = draw(FIELD_GROWTH)
        for _, _, aid in self.links:
            p[f"e:{aid}"] = draw(aid)
        p["weights"] = self._weights(assumptions)
        return p

    def _baseline_path(self, ind: str, p: dict) -> tuple[np.ndarray, int]:
        tr = self.trends[ind]
        path = tr.path(self.years, slope=p[f"slope:{ind}"], anchor_value=p[f"level:{ind}"])
        hist = self.history.get(ind, pd.Series(dtype=float))
        for y, v in hist.items():
            if START_YEAR <= y <= tr.anchor_year:
                path[:, y - START_YEAR] = v
        first = int(min([tr.anchor_year, *[y for y in hist.index if y >= START_YEAR]]))
        return path, first

    def _deviation(self, lever: LeverSpec, settings: dict[int, float], base: np.ndarray) -> np.ndarray:
        """Lever deviation from its baseline, zero at the anchor, linear between set years."""
        n = base.shape[0]
        knots_y = [lever.trend.anchor_year]
        knots_v = [np.zeros(n)]
        for y in SETTABLE_YEARS:
            if y <= lever.trend.anchor_year:
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
            dev[:, j] = (1 - t) * kv[:, k - 1] + t * kv[:, k]
        return dev

    def run(self, scenario: Scenario, params: dict, lever_mask: np.ndarray | None = None) -> Outcomes:
        """Compute every outcome for given parameters (vectorised over draws).

        Parameters
        ----------
        scenario : Scenario
            A validated scenario.
        params : dict
            From :meth:`_params` (arrays of shape ``(n,)``).
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
        for ind, tr in self.trends.items():
            if ind in lever_inds:
                continue
            base, f0 = self._baseline_path(ind, params)
            for outcome, lid, aid in self.links:
                if outcome == ind:
                    base = base + params[f"e:{aid}"][:, None] * devs[lid]
            scale = tr.scale if tr.scale is not None else np.inf
            vals[ind], first[ind] = np.clip(base, 0.0, scale), f0
        w = params["weights"]
        comp = sum(w[i] * vals[p] for i, p in enumerate(PILLARS))
        overall = np.clip(self.composite["offset"] + self.composite["scale"] * comp, 0.0, 1.0)
        hist_o = self.history[OVERALL]
        anchor_o = int(hist_o.index.max())
        for y, v in hist_o.items():
            if START_YEAR <= y <= anchor_o:
                overall[:, y - START_YEAR] = v
        vals[OVERALL] = overall
        first[OVERALL] = int(min(hist_o.index.min(), anchor_o))
        rank = np.empty((n, len(self.years)))
        hist_r = self.history[RANK_ID]
        g = params["field_growth"]
        for j, yr in enumerate(self.years):
            if yr in hist_r.index and yr <= anchor_o:
                rank[:, j] = hist_r[yr]
            else:
                rank[:, j] = self.field.rank(int(yr), overall[:, j], g)
        vals[RANK_ID] = rank
        first[RANK_ID] = first[OVERALL]
        return Outcomes(self.years, vals, first)

    # ------------------------------------------------------------------ public API
    def validate(self, raw) -> Scenario:
        """Validate a raw scenario against this dataset (see :func:`validate_scenario`)."""
        return validate_scenario(raw, self.dataset.levers, self.dataset.assumptions)

    def assumptions_for(self, scenario: Scenario) -> AssumptionSet:
        """The assumptions with the scenario's overrides applied."""
        return self.assumptions.with_overrides(scenario.overrides)

    def deterministic(self, scenario: Scenario = BASELINE) -> Outcomes:
        """One run at the assumptions' values (no draws)."""
        return self.run(scenario, self._params(self.assumptions_for(scenario), None, 1))

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
            ``indicator, scenario, year, value, unit, kind`` with ``kind`` ``history`` for an
            observed year, ``trend`` for a year before the anchor with no observation (the
            trend's value), and ``projection`` after the anchor; years before an outcome's first
            value are left out.
        """
        out = self.deterministic(scenario)
        return self._tidy(out, lambda ind, a: {"value": a[0]}, name)

    def anchor_year(self, indicator: str) -> int:
        """Last year of history of an outcome (after it, values are projected)."""
        if indicator in (OVERALL, RANK_ID):
            return int(self.history[OVERALL].index.max())
        return int(self.trends[indicator].anchor_year)

    def unit_of(self, indicator: str, year: int | None = None) -> str:
        """Unit of an outcome (ranks: out of 63 or 34 depending on the year)."""
        if indicator == RANK_ID and year is not None:
            return f"rank_of_{self.field.size(int(year))}"
        return self.indicator_unit[indicator]

    def _skeleton(self, out: Outcomes) -> tuple[pd.DataFrame, list[tuple[str, np.ndarray]]]:
        """Static columns of the tidy frame (indicator, year, unit, kind), built once."""
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
            parts.append(pd.DataFrame({
                "indicator": ind, "year": yrs,
                "unit": [self.unit_of(ind, y) for y in yrs],
                "kind": ["history" if (y in observed and y <= anchor) else
                         ("trend" if y <= anchor else "projection") for y in yrs]}))
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
        return pd.DataFrame(data)

    def simulate(self, scenario: Scenario = BASELINE, draws: int = 2000, seed: int = 0,
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
        rng = np.random.default_rng(int(seed))
        params = self._params(self.assumptions_for(scenario), rng, int(draws))
        out = self.run(scenario, params)
        det = self.deterministic(scenario)
        return Simulation(self, scenario, out, det, name, int(draws), int(seed))

    def backtest(self) -> pd.DataFrame:
        """How well the baseline reproduces the observed history.

        For each outcome and observed year: the model's value and the error. Trends are cast
        back from their anchor (so the anchor year itself has no error and earlier years show
        how far the assumed or fitted slope is from what happened); the overall DTI is the
        calibrated composite of the observed pillars; the rank is the field's rank of the
        observed overall score (2023: against the inferred rank).

        Returns
        -------
        pandas.DataFrame
            ``indicator, year, observed, modelled, error``.
        """
        rows = []
        for ind, tr in self.trends.items():
            for y, v in self.history.get(ind, pd.Series(dtype=float)).items():
                if y >= START_YEAR:
                    m = float(tr.path(np.array([y]))[0, 0])
                    rows.append((ind, int(y), float(v), m))
        w = self._weights(self.assumptions)
        for y in self.composite["all_years"]:
            comp = sum(w[i] * self.history[p][y] for i, p in enumerate(PILLARS))
            m = self.composite["offset"] + self.composite["scale"] * comp
            rows.append((OVERALL, int(y), float(self.history[OVERALL][y]), float(m)))
        g = self.assumptions.value(FIELD_GROWTH)
        ranks = self.obs[(self.obs["indicator"] == RANK_ID) & (self.obs["geography"] == PROVINCE)
                         & (self.obs["kind"].isin(KIND_PREFERENCE))]
        for r in ranks.drop_duplicates("year").itertuples(index=False):
            y = int(r.year)
            score = self.history[OVERALL].get(y)
            if score is None:
                score = float(self.deterministic().values[OVERALL][0, y - START_YEAR])
            try:
                m = float(self.field.rank(y, np.array([score]), g)[0])
            except KeyError:  # no field at or before that year
                continue
            rows.append((RANK_ID, y, float(r.value), m))
        df = pd.DataFrame(rows, columns=["indicator", "year", "observed", "modelled"])
        df["error"] = df["modelled"] - df["observed"]
        return df

    def backtest_summary(self) -> pd.DataFrame:
        """Mean absolute and largest backtest error per outcome."""
        bt = self.backtest()
        g = bt.groupby("indicator")["error"]
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
        """Tidy percentiles: ``indicator, scenario, year, value, p10, p50, p90, mean, unit, kind``.

        ``value`` is the deterministic projection (the assumptions' values).
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
