"""The field of other provinces, and Quảng Ninh's rank within it.

Method
------
Each year's field is rebuilt from what was published for that year: the provincial average
(``dti_overall_provincial_average``) and the scores and ranks of other provinces (peer points).

* A year with at least ``field_min_peers`` other provinces with both a score and a rank in the
  same grouping (2021, 2022 out of 63; 2024 out of 34) gets its own curve "how many other
  provinces score above a given score": a province at rank ``r`` has ``r - 1`` provinces above
  it, less one when Quảng Ninh was known to be among them that year (ties count half). The
  provincial average sits at the share of provinces above it given by ``field_average_percentile``.
  A score of 1 has nobody above. Between points the count is interpolated linearly on the logit
  of the score.
* Below the lowest published point (the average: no score below it was published for a year
  with a curve) the field is a half-normal tail on the logit scale: the share of the remaining
  provinces above a score ``d`` logit below that point is ``2 Φ(d / σ) − 1``, with ``σ`` the
  field's spread below its average (assumption ``field_lower_spread``, drawn; 0.39 from
  Quảng Nam's 0.5803 at 57th of 63 in 2024, 0.505 logit below the average of 0.6961), so a
  score well below the average ranks in the lower half and the last places are reachable.
* A year with a published average but too few peer points (2020, 2023) takes the shape of the
  nearest curve of the same grouping (earlier first), moved on the logit scale so that its average
  sits at the year's published average and stretched about it (within the range of the assumption ``field_stretch``) so that the
  year's published peer scores fall at their ranks as closely as possible (2023: Đà Nẵng's 0.834
  at the top).
* Ranks of other provinces published without a score still count: when places ``1..k`` of a year
  are all held by other provinces, Quảng Ninh's rank that year is at least ``k + 1`` (as a real
  number, at least ``k + 0.5``): 2023 (places 1 to 11 named), 2024 out of 34 (places 1 to 7).
* A year after the last published average (2025 on) moves the latest curve of its grouping up by
  the field's growth (``dti_field_logit_growth``, logit per year); the floor of published places
  does not carry forward. The field's scores move through the same map as Quảng Ninh's overall
  score: a score ``s`` stands for the mean pillar level ``u = (s − offset) / scale`` of the
  composite, and ``t`` years of growth ``g`` move it to
  ``offset + scale × expit(logit(u) + g t)``, so a province whose pillars grow at the field's
  pace keeps its place whatever that pace.

Ranks are out of 63 up to ``field_size_switch_year - 1`` and out of 34 from it: the DTI 2024 was
published in October 2025 out of the 34 provinces after the merger, on averages of the former
provinces. Quảng Ninh's rank is ``1 + count above`` its score, clipped to ``[floor, N]``; under
the Monte Carlo simulation it is a range (10th to 90th percentile of the draws).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.special import erf, erfinv

from planner.ids import OVERALL, PROVINCE, PROVINCIAL_AVERAGE, RANK, history_series
from planner.trend import expit, logit

NATIONAL = "Việt Nam"
"""Geography of the provincial averages."""

STRETCH_STEPS = 171

_TINY = np.finfo(float).eps


@dataclass(frozen=True)
class FieldCurve:
    """The field of one year and grouping.

    Attributes
    ----------
    year : int
        Year of the published points.
    size : int
        Number of provinces in the grouping (63 or 34).
    x : numpy.ndarray
        Logit of the scores, increasing (the first and last are the ends, scores 0 and 1).
    above : numpy.ndarray
        Number of other provinces above each score (non-increasing).
    peers : int
        Number of published peer points (score and rank) of that year.
    avg_x : float
        Logit of the year's provincial average (``nan`` when none was published).
    floor : float
        Lowest rank Quảng Ninh can hold that year (``k + 0.5`` when places ``1..k`` are held by
        named other provinces; 1 otherwise).
    template : int or None
        Year of the curve whose shape was used when the year has too few peer points.
    spread : float
        How widely the field is spread against its template (the stretch of a rebuilt curve;
        1 for a curve of the year's own points): scales the tail below the lowest point too.
    """

    year: int
    size: int
    x: np.ndarray
    above: np.ndarray
    peers: int
    avg_x: float = float("nan")
    floor: float = 1.0
    template: int | None = None
    spread: float = 1.0

    def above_at(self, x: np.ndarray, lower_spread: np.ndarray | float) -> np.ndarray:
        """Number of other provinces above logit scores ``x`` (the tail below the lowest point).

        Parameters
        ----------
        x : numpy.ndarray
            Logit of scores, shape ``(n,)``.
        lower_spread : array_like
            The field's spread below its lowest published point (logit), scalar or ``(n,)``.

        Returns
        -------
        numpy.ndarray
            Counts in ``[0, size - 1]``, shape ``(n,)``.
        """
        x = np.asarray(x, dtype=float)
        lo_x, lo_above = self.x[0], self.above[0]
        sigma = np.maximum(np.asarray(lower_spread, dtype=float) * self.spread, _TINY)
        rest = (self.size - 1) - lo_above
        tail = lo_above + rest * erf(np.maximum(lo_x - x, 0.0) / (sigma * np.sqrt(2)))
        return np.where(x >= lo_x, np.interp(x, self.x, self.above), tail)

    def x_at(self, above: np.ndarray, lower_spread: np.ndarray | float) -> np.ndarray:
        """The logit score with ``above`` other provinces above it (inverse of :meth:`above_at`)."""
        above = np.clip(np.asarray(above, dtype=float), 0.0, self.size - 1.0)
        lo_x, lo_above = self.x[0], self.above[0]
        sigma = np.maximum(np.asarray(lower_spread, dtype=float) * self.spread, _TINY)
        rest = max((self.size - 1) - lo_above, _TINY)
        share = np.clip((above - lo_above) / rest, 0.0, 1.0 - _TINY)
        tail = lo_x - sigma * np.sqrt(2) * erfinv(share)
        inner = np.interp(-above, -self.above, self.x)
        return np.where(above <= lo_above, inner, tail)


def upper_spread(curves: dict[tuple[int, int], FieldCurve]) -> float:
    """The field's spread above its average, measured like the tail below it (logit).

    Each published point above the average of a curve of the year's own points, ``d`` logit
    above it with a share ``q`` of the provinces above the average still above it, gives
    ``σ = d / (√2 erfinv(1 − q))`` (the half-normal of :meth:`FieldCurve.above_at`); the median
    over all of them. The spread below the average when no assumption gives it.

    Raises
    ------
    ValueError
        When no curve has a published point between its top and its average.
    """
    sigmas = []
    for c in curves.values():
        if c.template is not None or np.isnan(c.avg_x):
            continue
        mid = float(np.interp(c.avg_x, c.x, c.above))
        for x, a in zip(c.x[:-1], c.above[:-1], strict=True):
            if x > c.avg_x and 0 < a < mid:
                sigmas.append((x - c.avg_x) / (np.sqrt(2) * erfinv(1 - a / mid)))
    if not sigmas:
        raise ValueError("no published score above the average to measure the field's spread")
    return float(np.median(sigmas))


def _size_of(unit: str) -> int:
    return int(str(unit).rsplit("_", 1)[-1])


def provincial_average(observations: pd.DataFrame) -> pd.Series:
    """The published provincial average of the overall DTI, one value a year.

    Parameters
    ----------
    observations : pandas.DataFrame
        The tidy baseline.

    Returns
    -------
    pandas.Series
        Average by year (the preferred value where sources disagree: 0.5786 for 2022).
    """
    return history_series(observations, PROVINCIAL_AVERAGE, geography=NATIONAL)


def _floors(others: pd.DataFrame) -> dict[tuple[int, int], float]:
    """``k + 0.5`` for each (year, size) whose places ``1..k`` are held by named other provinces."""
    out = {}
    ranks = others[others["indicator"] == RANK]
    for (year, unit), grp in ranks.groupby(["year", "unit"]):
        held = set(np.round(grp["value"].astype(float)).astype(int))
        k = 0
        while k + 1 in held:
            k += 1
        if k:
            out[(int(year), _size_of(unit))] = k + 0.5
    return out


def _stretch(template: FieldCurve, avg_x: float, year: int, peers: list[tuple[float, float]],
             floor: float, stretch: tuple[float, float], lower_spread: float) -> FieldCurve:
    """The template's shape moved to ``avg_x`` and stretched to fit the year's peer points."""
    inner_x = template.x[:-1]

    def mapped(b: float) -> np.ndarray:
        return avg_x + b * (inner_x - template.avg_x)

    def curve(b: float) -> FieldCurve:
        x = np.concatenate([mapped(b), [template.x[-1]]])
        order = np.argsort(x, kind="mergesort")
        return FieldCurve(year, template.size, x[order], template.above[order], len(peers),
                          avg_x, floor, template.year, template.spread * b)

    best = 1.0
    if peers:
        px = logit(np.array([p[0] for p in peers]))
        pa = np.array([p[1] for p in peers])
        grid = np.linspace(stretch[0], stretch[1], STRETCH_STEPS)
        errs = []
        for b in grid:
            fitted = curve(b).above_at(px, lower_spread)
            errs.append(float(np.sum((fitted - pa) ** 2)))
        errs = np.asarray(errs)
        near = grid[np.isclose(errs, errs.min())]
        best = float(near[np.argmin(np.abs(near - 1.0))])
    return curve(best)


def build_curves(observations: pd.DataFrame, own_ranks: dict[tuple[int, int], float],
                 average_percentile: float, min_peers: int,
                 switch_year: int | None = None,
                 stretch: tuple[float, float] = (1.0, 1.0),
                 lower_spread: float | None = None) -> dict[tuple[int, int], FieldCurve]:
    """Field curves for every year with peer points enough, or a published average.

    Parameters
    ----------
    observations : pandas.DataFrame
        The tidy baseline (all geographies).
    own_ranks : dict
        Quảng Ninh's known overall rank per ``(year, size)``.
    average_percentile : float
        Share of provinces above the provincial average.
    min_peers : int
        Fewest other provinces with both a score and a rank for a year to get its own curve.
    switch_year : int, optional
        First year ranked out of the smaller grouping; years with an average but too few peer
        points get a curve of the grouping they are ranked in (none when omitted).
    stretch : tuple of float, optional
        Range of the stretch factor of such a rebuilt curve (assumption ``field_stretch``).
    lower_spread : float, optional
        The field's spread below its lowest point (assumption ``field_lower_spread``), used to
        fit a rebuilt curve to peer scores below it; :func:`upper_spread` when omitted.

    Returns
    -------
    dict
        ``{(year, size): FieldCurve}``.
    """
    obs = observations[observations["kind"].isin(["observed", "external", "derived"])]
    others = obs[(obs["geography"] != PROVINCE) & (obs["geography"] != NATIONAL)]
    scores = others[others["indicator"] == OVERALL][["year", "geography", "value"]]
    ranks = others[others["indicator"] == RANK][["year", "geography", "value", "unit"]]
    pairs = scores.merge(ranks, on=["year", "geography"], suffixes=("_score", "_rank"))
    avg = provincial_average(observations)
    floors = _floors(others)
    sizes = sorted({_size_of(u) for u in ranks["unit"]} | {63}, reverse=True)

    def peer_points(grp: pd.DataFrame, year: int, size: int) -> list[tuple[float, float]]:
        own = own_ranks.get((year, size))
        pts = []
        for s, r in zip(grp["value_score"], grp["value_rank"], strict=True):
            above = r - 1 - (1 if own is not None and own < r else 0)
            pts.append((float(s), above + 0.5))
        return pts

    curves: dict[tuple[int, int], FieldCurve] = {}
    for (year, unit), grp in pairs.groupby(["year", "unit"]):
        year, size = int(year), _size_of(unit)
        grp = grp.drop_duplicates("geography")
        if len(grp) < min_peers:
            continue
        pts = peer_points(grp, year, size)
        avg_x = float(logit(avg[year])) if year in avg.index else float("nan")
        if year in avg.index:
            pts.append((float(avg[year]), average_percentile * (size - 1)))
        pts.append((1.0, 0.0))
        pts.sort()
        x = logit(np.array([p[0] for p in pts]))
        above = np.minimum.accumulate(np.array([p[1] for p in pts]))  # non-increasing in score
        curves[(year, size)] = FieldCurve(year, size, x, above, len(grp), avg_x,
                                          floors.get((year, size), 1.0))
    if switch_year is None or not curves:
        return curves
    if lower_spread is None:
        lower_spread = upper_spread(curves)
    for year, value in avg.items():
        year = int(year)
        size = sizes[-1] if year >= switch_year else sizes[0]
        if (year, size) in curves:
            continue
        cands = [c for (y, s), c in curves.items() if s == size and not np.isnan(c.avg_x)
                 and c.template is None]
        if not cands:
            continue
        template = min(cands, key=lambda c: (abs(c.year - year) + (0.5 if c.year > year else 0)))
        grp = pairs[(pairs["year"] == year) & (pairs["unit"] == f"rank_of_{size}")]
        pts = peer_points(grp.drop_duplicates("geography"), year, size)
        curves[(year, size)] = _stretch(template, float(logit(value)), year, pts,
                                        floors.get((year, size), 1.0), stretch, lower_spread)
    return curves


class Field:
    """Rank of a score among the provinces, for any modelled year.

    Parameters
    ----------
    curves : dict
        From :func:`build_curves`.
    switch_year : int
        First year ranked out of the smaller grouping.
    average : pandas.Series, optional
        The published provincial averages by year (:func:`provincial_average`): the field's
        location up to the last of them.
    lower_spread : float, optional
        The field's spread below its lowest published point when a call gives none
        (assumption ``field_lower_spread`` at its value; :func:`upper_spread` when omitted).
    """

    def __init__(self, curves: dict[tuple[int, int], FieldCurve], switch_year: int,
                 average: pd.Series | None = None,
                 lower_spread: float | None = None) -> None:
        if not curves:
            raise ValueError("no year has enough published peer points to build the field")
        self.lower_spread = float(upper_spread(curves) if lower_spread is None else lower_spread)
        self.curves = curves
        self.switch_year = int(switch_year)
        sizes = sorted({s for _, s in curves}, reverse=True)
        self.size_before, self.size_after = sizes[0], sizes[-1]
        self._published_moves: dict[tuple[int, bytes], np.ndarray] = {}
        avg = pd.Series(dtype=float) if average is None else average
        self.avg_x = pd.Series(logit(avg.to_numpy(dtype=float)), index=avg.index.astype(int))

    def size(self, year: int) -> int:
        """Number of provinces ranked in ``year``."""
        return self.size_after if year >= self.switch_year else self.size_before

    def curve_for(self, year: int) -> FieldCurve:
        """The curve used for ``year``: its own, else the latest earlier of the same grouping.

        Raises
        ------
        KeyError
            If no curve of that grouping exists at or before ``year``.
        """
        size = self.size(year)
        cands = [c for (y, s), c in self.curves.items() if s == size and y <= year]
        if not cands:
            raise KeyError(f"no field of {size} provinces at or before {year}")
        c = max(cands, key=lambda c: c.year)
        return c if c.year == year else replace(c, floor=1.0)

    @property
    def last_published_year(self) -> int | None:
        """The last year with a published provincial average (``None`` when there is none)."""
        return int(self.avg_x.index.max()) if len(self.avg_x) else None

    def location_change(self, year_from: int, years: np.ndarray,
                        growth: np.ndarray | float) -> np.ndarray:
        """How far the field moved (logit of the average) from ``year_from`` to each year.

        Published averages give the move up to the last of them; after it the field grows by
        ``growth`` a year.

        Parameters
        ----------
        year_from : int
            A year with a published average.
        years : numpy.ndarray
            Years, shape ``(T,)``.
        growth : array_like
            The field's logit growth per year after the last published average, shape ``(n,)``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, T)``; zero up to ``year_from``.
        """
        g = np.atleast_1d(np.asarray(growth, dtype=float))[:, None]
        yrs = np.asarray(years, dtype=int)
        last = self.last_published_year
        if last is None or year_from not in self.avg_x.index:
            return g * np.maximum(yrs - year_from, 0)[None, :]
        key = (int(year_from), yrs.tobytes())
        pub = self._published_moves.get(key)
        if pub is None:  # the published part is the same for every draw and run
            known = self.avg_x.reindex(range(year_from, last + 1)).interpolate()
            base = float(self.avg_x[year_from])
            pub = np.array([float(known[min(max(y, year_from), last)]) - base for y in yrs])
            self._published_moves[key] = pub
        return pub[None, :] + g * np.maximum(yrs - last, 0)[None, :]

    def moved_back(self, score: np.ndarray, shift: np.ndarray | float,
                   composite: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """Logit of the score that, moved by ``shift`` logit of growth, becomes ``score``.

        With ``composite = (offset, scale)`` the move goes through the composite's map (the
        score stands for the mean pillar level ``(score − offset) / scale``, moved on the logit
        scale as Quảng Ninh's pillars are); without it, the score itself moves on the logit
        scale.

        Parameters
        ----------
        score : numpy.ndarray
            Scores, shape ``(n,)``.
        shift : array_like
            Logit growth to undo, scalar or ``(n,)``.
        composite : tuple of numpy.ndarray, optional
            Offset and scale of the overall DTI on the pillars, scalars or ``(n,)``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n,)``.
        """
        score = np.asarray(score, dtype=float)
        shift = np.asarray(shift, dtype=float)
        if composite is None:
            return logit(score) - shift
        offset, scale = (np.asarray(c, dtype=float) for c in composite)
        level = logit((score - offset) / scale)
        return logit(offset + scale * expit(level - shift))

    def rank(self, year: int, score: np.ndarray, growth: np.ndarray | float,
             composite: tuple[np.ndarray, np.ndarray] | None = None,
             lower_spread: np.ndarray | float | None = None) -> np.ndarray:
        """Quảng Ninh's rank (as a real number) for scores, vectorised over draws.

        Parameters
        ----------
        year : int
            The year.
        score : numpy.ndarray
            Overall DTI scores, shape ``(n,)``.
        growth : array_like
            The field's logit growth per year, shape ``(n,)`` or scalar (used only for years
            after the latest curve of the grouping).
        composite : tuple of numpy.ndarray, optional
            ``(offset, scale)`` of the overall DTI on the pillars, per draw: the field grows
            through the same map as Quảng Ninh's score (:meth:`moved_back`). Without it the
            field's scores move on the logit scale.
        lower_spread : array_like, optional
            The field's spread below its lowest point (logit), scalar or ``(n,)``; the field's
            default when omitted.

        Returns
        -------
        numpy.ndarray
            Ranks in ``[floor, N]``, shape ``(n,)``.
        """
        c = self.curve_for(year)
        spread = self.lower_spread if lower_spread is None else lower_spread
        shift = np.asarray(growth, dtype=float) * (year - c.year)
        xs = self.moved_back(score, shift, composite) if year > c.year else logit(score)
        above = c.above_at(xs, spread)
        return np.clip(1.0 + above, c.floor, float(c.size))

    def score_at(self, year: int, rank: np.ndarray,
                 lower_spread: np.ndarray | float | None = None) -> np.ndarray:
        """The overall score that holds ``rank`` in the year's own field (inverse of :meth:`rank`).

        Parameters
        ----------
        year : int
            A year with its own (or rebuilt) curve.
        rank : numpy.ndarray
            Real-valued ranks, shape ``(n,)``.
        lower_spread : array_like, optional
            As in :meth:`rank`.

        Returns
        -------
        numpy.ndarray
            Scores, shape ``(n,)``.
        """
        c = self.curves[(int(year), self.size(year))]
        spread = self.lower_spread if lower_spread is None else lower_spread
        return expit(c.x_at(np.asarray(rank, dtype=float) - 1.0, spread))
