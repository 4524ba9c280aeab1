"""Trend models for short indicator series, shaped like statsmodels.

A :class:`TrendModel` is built from a series (years and values) and keyword options that are
checked on construction; :meth:`TrendModel.fit` returns a :class:`TrendResults` whose
:meth:`TrendResults.forecast` is a tidy frame ``year, mean, lower, upper``.

Methods
-------
``linear``
    Ordinary least squares of the value on the year (``statsmodels.api.OLS``).
``logit_linear``
    OLS of ``logit(value / scale)`` on the year, transformed back, so the trend never leaves
    ``[0, scale]`` (``scale`` is 100 for percentages, 1 for indices).
``logit_growth`` / ``linear_growth``
    No fit: an assumed level and an assumed growth per year (on the logit or the natural
    scale). Used when a series has one point or none.

Every trend is anchored at its last point (the last observation, or the assumed level at the
anchor year): the forecast continues from what was last measured, with the fitted or assumed
slope. With two points a line has no residual, so the slope's standard deviation comes from an
assumption (``slope_cv`` times the slope) and the result says so; with three or more points the
OLS standard error is used with Student's t. Intervals are central ``coverage`` intervals
(0.8 by default: the 10th to the 90th percentile).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from planner.validation import METHODS

FITTED_METHODS = ("linear", "logit_linear")
_EPS = 1e-6


def logit(p: np.ndarray | float, scale: float = 1.0) -> np.ndarray:
    """Logit of ``p / scale``, with ``p`` clipped just inside ``(0, scale)``.

    Parameters
    ----------
    p : array_like
        Values on ``[0, scale]``.
    scale : float
        Upper bound of the share (100 for percentages, 1 for indices).

    Returns
    -------
    numpy.ndarray
        The log-odds.
    """
    q = np.clip(np.asarray(p, dtype=float) / scale, _EPS, 1.0 - _EPS)
    return np.log(q / (1.0 - q))


def expit(x: np.ndarray | float, scale: float = 1.0) -> np.ndarray:
    """Inverse of :func:`logit`: ``scale / (1 + exp(-x))``.

    Parameters
    ----------
    x : array_like
        Log-odds.
    scale : float
        Upper bound of the share.

    Returns
    -------
    numpy.ndarray
        Values on ``[0, scale]``.
    """
    return scale / (1.0 + np.exp(-np.asarray(x, dtype=float)))


@dataclass(frozen=True)
class TrendResults:
    """A fitted (or assumed) trend.

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    anchor_year : int
        Year of the last point; the trend passes through it.
    anchor_value : float
        Value at the anchor year.
    slope : float
        Change per year on the working scale (logit or natural).
    slope_sd : float
        Standard deviation of the slope (``nan`` for assumed growth: its range is used).
    df : float
        Degrees of freedom for Student's t draws (``inf`` means normal).
    n_points : int
        How many points the trend rests on (0 for an assumed level).
    scale : float or None
        Upper bound for logit methods.
    rsquared : float
        Coefficient of determination of the fit (``nan`` when not defined).
    note : str
        Plain statement of what the trend rests on.
    slope_low, slope_high : float
        For assumed growth, the range of the growth (for intervals).
    """

    method: str
    anchor_year: int
    anchor_value: float
    slope: float
    slope_sd: float
    df: float
    n_points: int
    scale: float | None
    rsquared: float
    note: str
    slope_low: float = float("nan")
    slope_high: float = float("nan")

    @property
    def is_logit(self) -> bool:
        """Whether the trend works on the logit scale."""
        return self.method in ("logit_linear", "logit_growth")

    def _to_work(self, v):
        return logit(v, self.scale) if self.is_logit else np.asarray(v, dtype=float)

    def _from_work(self, x):
        return expit(x, self.scale) if self.is_logit else np.asarray(x, dtype=float)

    def path(self, years: np.ndarray, slope: np.ndarray | float | None = None,
             anchor_value: np.ndarray | float | None = None) -> np.ndarray:
        """Values of the trend at ``years``, vectorised over draws.

        Parameters
        ----------
        years : numpy.ndarray
            Years, shape ``(T,)``.
        slope : array_like, optional
            Slopes, shape ``(n,)``; the fitted slope when omitted.
        anchor_value : array_like, optional
            Anchor values, shape ``(n,)``; the fitted anchor when omitted.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, T)``.
        """
        s = np.atleast_1d(self.slope if slope is None else slope).astype(float)[:, None]
        a = np.atleast_1d(self.anchor_value if anchor_value is None else anchor_value)
        base = self._to_work(a.astype(float))[:, None]
        return self._from_work(base + s * (np.asarray(years, dtype=float) - self.anchor_year))

    def slope_quantiles(self, q: np.ndarray) -> np.ndarray:
        """Quantiles of the slope's distribution.

        Parameters
        ----------
        q : numpy.ndarray
            Probabilities.

        Returns
        -------
        numpy.ndarray
            Slope quantiles.
        """
        if np.isnan(self.slope_sd):
            return np.asarray([triangular_ppf(p, self.slope_low, self.slope, self.slope_high)
                               for p in np.atleast_1d(q)])
        if np.isinf(self.df):
            return self.slope + self.slope_sd * stats.norm.ppf(q)
        return self.slope + self.slope_sd * stats.t.ppf(q, self.df)

    def forecast(self, years: range | list[int] | np.ndarray, coverage: float = 0.8) -> pd.DataFrame:
        """Forecast frame for the given years.

        Parameters
        ----------
        years : iterable of int
            Years to forecast (any, including those before the anchor).
        coverage : float
            Central coverage of the interval, in ``(0, 1)``.

        Returns
        -------
        pandas.DataFrame
            Columns ``year, mean, lower, upper``. ``mean`` is the central path; ``lower`` and
            ``upper`` come from the slope's quantiles (they widen with the distance to the
            anchor).
        """
        if not 0.0 < coverage < 1.0:
            raise ValueError(f"coverage must be in (0, 1), got {coverage!r}")
        yrs = np.asarray(list(years), dtype=int)
        lo_q, hi_q = (1 - coverage) / 2, 1 - (1 - coverage) / 2
        s_lo, s_hi = self.slope_quantiles(np.array([lo_q, hi_q]))
        mean = self.path(yrs)[0]
        a = self.path(yrs, slope=np.array([s_lo]))[0]
        b = self.path(yrs, slope=np.array([s_hi]))[0]
        return pd.DataFrame({"year": yrs, "mean": mean,
                             "lower": np.minimum(a, b), "upper": np.maximum(a, b)})


def triangular_ppf(p: float, low: float, mode: float, high: float) -> float:
    """Quantile of a triangular distribution (degenerate ranges give the mode).

    Parameters
    ----------
    p : float
        Probability.
    low, mode, high : float
        The distribution's bounds and mode.

    Returns
    -------
    float
        The ``p`` quantile.
    """
    if high <= low:
        return float(mode)
    c = (mode - low) / (high - low)
    return float(stats.triang.ppf(p, c, loc=low, scale=high - low))


class TrendModel:
    """A trend model for one indicator series.

    Parameters
    ----------
    years, values : sequence
        The points the trend rests on (fitted methods) — may be empty for assumed growth.
    method : str
        One of :data:`METHODS`.
    scale : float, optional
        Upper bound of the share for logit methods (100 for percent, 1 for an index).
    slope_cv : float, optional
        Relative standard deviation of the slope when a line rests on exactly two points.
    level : float, optional
        Assumed level at ``anchor_year`` (growth methods without observations).
    anchor_year : int, optional
        Year of the assumed level; defaults to the last point's year.
    growth, growth_low, growth_high : float, optional
        Assumed growth per year and its range (growth methods).

    Raises
    ------
    ValueError
        If an option is missing, unknown or inconsistent (checked on construction).
    """

    def __init__(self, years, values, *, method: str, scale: float | None = None,
                 slope_cv: float | None = None, level: float | None = None,
                 anchor_year: int | None = None, growth: float | None = None,
                 growth_low: float | None = None, growth_high: float | None = None) -> None:
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        self.years = np.asarray(list(years), dtype=float)
        self.values = np.asarray(list(values), dtype=float)
        if self.years.shape != self.values.shape:
            raise ValueError("years and values must have the same length")
        if np.isnan(self.values).any() or np.isnan(self.years).any():
            raise ValueError("years and values must be numbers")
        if len(np.unique(self.years)) != len(self.years):
            raise ValueError("years must be distinct")
        order = np.argsort(self.years)
        self.years, self.values = self.years[order], self.values[order]
        if method.startswith("logit"):
            if scale is None or scale <= 0:
                raise ValueError("logit methods need a positive scale (100 for percent, 1 for an index)")
            if ((self.values < 0) | (self.values > scale)).any():
                raise ValueError(f"values must lie in [0, {scale}] for a logit method")
        if method in FITTED_METHODS:
            if len(self.years) < 2:
                raise ValueError(f"{method} needs at least two points, got {len(self.years)}")
            if len(self.years) == 2 and (slope_cv is None or slope_cv <= 0):
                raise ValueError("a line through two points needs slope_cv > 0 for its interval")
        else:
            if growth is None or growth_low is None or growth_high is None:
                raise ValueError(f"{method} needs growth, growth_low and growth_high")
            if not growth_low <= growth <= growth_high:
                raise ValueError("growth must lie within [growth_low, growth_high]")
            if level is None and len(self.years) == 0:
                raise ValueError(f"{method} needs an observed point or an assumed level")
            if level is not None and anchor_year is None:
                raise ValueError("an assumed level needs its anchor_year")
        self.method, self.scale, self.slope_cv = method, scale, slope_cv
        self.level, self.anchor_year = level, anchor_year
        self.growth, self.growth_low, self.growth_high = growth, growth_low, growth_high

    def fit(self) -> TrendResults:
        """Fit the trend (OLS for fitted methods) and anchor it at the last point.

        Returns
        -------
        TrendResults
            The fitted trend.
        """
        n = len(self.years)
        logit_m = self.method.startswith("logit")
        if self.method in FITTED_METHODS:
            y = logit(self.values, self.scale) if logit_m else self.values
            x = sm.add_constant(self.years - self.years[-1])
            res = sm.OLS(y, x).fit()
            slope = float(res.params[1])
            if n == 2:
                sd, df = abs(slope) * float(self.slope_cv), float("inf")
                note = "two_points"
                r2 = float("nan")
            else:
                sd, df = float(res.bse[1]), float(n - 2)
                note = "fitted"
                r2 = float(res.rsquared)
            return TrendResults(self.method, int(self.years[-1]), float(self.values[-1]),
                                slope, sd, df, n, self.scale, r2, note)
        if self.level is not None:
            anchor_year, anchor_value, note, n_used = int(self.anchor_year), float(self.level), "assumed_level", 0
        else:
            anchor_year, anchor_value, n_used = int(self.years[-1]), float(self.values[-1]), n
            note = "one_point" if n == 1 else "assumed_growth"
        return TrendResults(self.method, anchor_year, anchor_value, float(self.growth),
                            float("nan"), float("inf"), n_used, self.scale, float("nan"), note,
                            float(self.growth_low), float(self.growth_high))


_ABOVE = ("trên", "hơn", "ít nhất", "lower bound")
_BELOW = ("gần", "upper bound")
_ABOUT = ("khoảng",)


def qualifier_bounds(value: float, note: str, margin: float, low: float = -np.inf,
                     high: float = np.inf) -> tuple[float, float, float]:
    """The range a stated figure stands for, from the qualifier its note records.

    The notes of ``observations.csv`` keep a figure's qualifier as ``qualifier 'trên'`` (or
    ``'hơn'``, ``'ít nhất'``: at least the figure), ``qualifier 'gần'`` (nearly: at most),
    ``qualifier 'khoảng'`` (about: either side), or say that a derived figure is an
    ``upper bound`` or a ``lower bound``.

    Parameters
    ----------
    value : float
        The figure.
    note : str
        The row's note.
    margin : float
        How far a qualified figure may be from the stated one, relative to it.
    low, high : float, optional
        Bounds of the unit (the range is clipped to them).

    Returns
    -------
    tuple of float
        ``(low, mode, high)``: the figure itself when no qualifier is recorded.
    """
    text = str(note or "")
    m = re.search(r"qualifier '([^']+)'", text)
    word = m.group(1) if m else next(
        (w for w in ("upper bound", "lower bound") if w in text), "")
    lo, hi = value, value
    if word in _ABOVE:
        hi = value * (1.0 + margin)
    elif word in _BELOW:
        lo = value * (1.0 - margin)
    elif word in _ABOUT:
        lo, hi = value * (1.0 - margin), value * (1.0 + margin)
    return float(max(lo, low)), float(value), float(min(hi, high))
