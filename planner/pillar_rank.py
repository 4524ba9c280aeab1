"""Quảng Ninh's rank on each DTI pillar, in a field built like the overall one.

Method
------
The sources publish pillar ranks (Quảng Ninh's for 2020 to 2022, other provinces' for 2020 to
2023), a few pillar scores of other provinces (Trà Vinh 2022, Bắc Ninh 2020) and the pillars'
provincial averages of 2024, but no full pillar ranking. So a pillar's field is the overall
field of the same year (:class:`planner.rank.Field`: its published points and its drawn tail
below the average) placed on the pillar's own scale:

``logit(pillar score) = a_year + k × (x − x_avg)``,

where ``x`` is the logit of an overall score, ``x_avg`` the logit of the overall average of that
year, ``a_year`` the logit of the pillar's average and ``k`` how widely the pillar's scores are
spread against the overall ones.

* ``a`` and ``k`` are fitted (least squares on the logit) on the year with the most provinces
  having both a pillar score and a pillar rank (at least ``pillar_field_min_points``, Quảng
  Ninh included; the latest such year): 2022, from Quảng Ninh's and Trà Vinh's. Each point
  sits where the overall field of that year has as many other provinces above it.
* The pillar's average is then known in the fit year (fitted) and in the years its provincial
  average was published (2024); between them it moves on the logit scale by the share of the
  way the overall average was published to have moved (2023: 84%); after the
  last it moves as the overall average was published to move, then by the field's growth
  (``dti_field_logit_growth``), on the logit scale like Quảng Ninh's pillars, so a pillar growing
  at the field's pace keeps its rank.
* A pillar without such a year (fewer points, or a fit that does not put a higher score higher)
  has too thin evidence: its rank is not projected (:func:`fit_pillar_fields` gives ``None``) and
  the pages say so instead of drawing a line.

Ranks are out of the same number of provinces as the overall rank that year (63 up to 2023,
34 from 2024); the named top places that floor the overall rank are not applied to pillars.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.ids import NATION, PILLAR_RANKS, PROVINCE, history_series, pillar_of_rank
from planner.rank import Field
from planner.trend import logit

AVERAGE = "{}_provincial_average"
"""Indicator of a pillar's provincial average (geography :data:`planner.ids.NATION`)."""


@dataclass(frozen=True)
class PillarField:
    """The field of one pillar: the overall field on the pillar's scale.

    Attributes
    ----------
    indicator : str
        The pillar rank's id (``dti_digital_economy_rank``).
    field : planner.rank.Field
        The overall field.
    k : float
        Spread of the pillar's scores against the overall scores (logit), positive.
    location : pandas.Series
        Logit of the pillar's average in the years it is known (fitted or published), by year.
    fit_year : int
        The year ``k`` and its location were fitted on.
    points : int
        Number of provinces with a pillar score and rank in the fit year.
    """

    indicator: str
    field: Field
    k: float
    location: pd.Series
    fit_year: int
    points: int

    def __post_init__(self) -> None:
        # plain copies for the per-year look-ups of a run (pandas is slow per element)
        object.__setattr__(self, "_known", {int(y): float(v) for y, v in self.location.items()})
        object.__setattr__(self, "_avg", {int(y): float(v)
                                          for y, v in self.field.avg_x.items()})

    def location_at(self, year: int, growth: np.ndarray | float) -> np.ndarray:
        """Logit of the pillar's average in ``year``, per draw of the field's growth.

        Parameters
        ----------
        year : int
            The year.
        growth : array_like
            The field's logit growth per year after the last published average.

        Returns
        -------
        numpy.ndarray
            Shape ``(n,)`` (``(1,)`` for a scalar growth).
        """
        g = np.atleast_1d(np.asarray(growth, dtype=float))
        known, avg = self._known, self._avg
        first, last = min(known), max(known)
        if first <= year <= last:
            return np.full(g.shape, self._between(year))
        if year < first:
            move = avg[year] - avg[first] if year in avg and first in avg else 0.0
            return np.full(g.shape, known[first] + move)
        move = self.field.location_change(last, np.array([year]), g)[:, 0]
        return known[last] + move

    def _between(self, year: int) -> float:
        """The location in a year between two known ones: the share of the way the overall
        average was published to have moved by then (linear in time without it)."""
        known, avg = self._known, self._avg
        if year in known:
            return known[year]
        y0 = max(y for y in known if y < year)
        y1 = min(y for y in known if y > year)
        if all(y in avg for y in (y0, y1, year)) and avg[y1] != avg[y0]:
            share = (avg[year] - avg[y0]) / (avg[y1] - avg[y0])
        else:
            share = (year - y0) / (y1 - y0)
        return known[y0] + share * (known[y1] - known[y0])

    def rank(self, year: int, score: np.ndarray, growth: np.ndarray | float,
             lower_spread: np.ndarray | float | None = None) -> np.ndarray:
        """Quảng Ninh's rank on the pillar for pillar scores, vectorised over draws.

        Parameters
        ----------
        year : int
            The year.
        score : numpy.ndarray
            Quảng Ninh's pillar scores, shape ``(n,)``.
        growth : array_like
            The field's logit growth per year, scalar or ``(n,)``.
        lower_spread : array_like, optional
            The overall field's spread below its average (:meth:`planner.rank.Field.rank`).

        Returns
        -------
        numpy.ndarray
            Ranks in ``[1, N]``, shape ``(n,)``.
        """
        c = self.field.curve_for(year)
        spread = self.field.lower_spread if lower_spread is None else lower_spread
        x = c.avg_x + (logit(score) - self.location_at(year, growth)) / self.k
        return np.clip(1.0 + c.above_at(x, spread), 1.0, float(c.size))

    def rank_path(self, years: np.ndarray, score: np.ndarray, growth: np.ndarray | float,
                  lower_spread: np.ndarray | float | None = None) -> np.ndarray:
        """:meth:`rank` for several years at once (years sharing a curve in one pass).

        Parameters
        ----------
        years : numpy.ndarray
            Years, shape ``(T,)``.
        score : numpy.ndarray
            Quảng Ninh's pillar scores, shape ``(n, T)``.
        growth, lower_spread
            As in :meth:`rank`, scalars or ``(n,)``.

        Returns
        -------
        numpy.ndarray
            Ranks, shape ``(n, T)``.
        """
        spread = self.field.lower_spread if lower_spread is None else lower_spread
        spread = np.asarray(spread, dtype=float)
        spread = spread[:, None] if spread.ndim else spread
        out = np.empty(np.shape(score), dtype=float)
        groups: dict[tuple[int, int], list[int]] = {}
        for j, y in enumerate(years):
            c = self.field.curve_for(int(y))
            groups.setdefault((c.year, c.size), []).append(j)
        for idx in groups.values():
            c = self.field.curve_for(int(years[idx[0]]))
            loc = np.stack([self.location_at(int(years[j]), growth) for j in idx], axis=1)
            x = c.avg_x + (logit(score[:, idx]) - loc) / self.k
            out[:, idx] = np.clip(1.0 + c.above_at(x, spread), 1.0, float(c.size))
        return out


def _points(observations: pd.DataFrame, indicator: str, field: Field
            ) -> dict[int, list[tuple[float, float]]]:
    """``{year: [(pillar score, other provinces above), ...]}`` for years with a field curve."""
    pillar = pillar_of_rank(indicator)
    obs = observations[observations["kind"].isin(["observed", "external", "derived"])]
    own_score = history_series(observations, pillar)
    own_rank = history_series(observations, indicator)
    others = obs[(obs["geography"] != PROVINCE) & (obs["geography"] != NATION)]
    scores = others[others["indicator"] == pillar][["year", "geography", "value"]]
    ranks = others[others["indicator"] == indicator][["year", "geography", "value", "unit"]]
    pairs = scores.merge(ranks, on=["year", "geography"], suffixes=("_score", "_rank"))
    out: dict[int, list[tuple[float, float]]] = {}
    for year, size in field.curves:
        if field.size(year) != size or np.isnan(field.curves[(year, size)].avg_x):
            continue
        pts = []
        own = own_rank.get(year)
        if year in own_score.index and own is not None:
            pts.append((float(own_score[year]), float(own) - 1.0))
        grp = pairs[(pairs["year"] == year) & (pairs["unit"] == f"rank_of_{size}")]
        for s, r in zip(grp.drop_duplicates("geography")["value_score"],
                        grp.drop_duplicates("geography")["value_rank"], strict=True):
            above = float(r) - 1.0 + 0.5 - (1.0 if own is not None and own < r else 0.0)
            pts.append((float(s), above))
        if pts:
            out[int(year)] = pts
    return out


def fit_pillar_field(observations: pd.DataFrame, indicator: str, field: Field,
                     min_points: int = 2) -> PillarField | None:
    """The field of one pillar, or ``None`` when the evidence is too thin (see the module).

    Parameters
    ----------
    observations : pandas.DataFrame
        The tidy baseline (all geographies).
    indicator : str
        A pillar rank's id (:data:`planner.ids.PILLAR_RANKS`).
    field : planner.rank.Field
        The overall field.
    min_points : int, optional
        Fewest provinces with a pillar score and rank in one year (assumption
        ``pillar_field_min_points``).

    Returns
    -------
    PillarField or None
    """
    pts = {y: p for y, p in _points(observations, indicator, field).items()
           if len(p) >= max(2, int(min_points))}
    if not pts:
        return None
    year = max(pts, key=lambda y: (len(pts[y]), y))
    c = field.curves[(year, field.size(year))]
    z = np.array([float(c.x_at(np.array([a]), field.lower_spread)[0]) for _, a in pts[year]])
    z = z - c.avg_x
    y = logit(np.array([s for s, _ in pts[year]]))
    if np.ptp(z) <= 1e-9:
        return None
    k, a = np.polyfit(z, y, 1)
    if not k > 0:
        return None
    location = {year: float(a)}
    avg = history_series(observations, AVERAGE.format(pillar_of_rank(indicator)), geography=NATION)
    for yy, v in avg.items():
        if int(yy) != year:
            location[int(yy)] = float(logit(v))
    loc = pd.Series(location).sort_index()
    return PillarField(indicator, field, float(k), loc, int(year), len(pts[year]))


def fit_pillar_fields(observations: pd.DataFrame, field: Field,
                      min_points: int = 2) -> dict[str, PillarField | None]:
    """:func:`fit_pillar_field` for every pillar, keyed by the pillar rank's id."""
    return {ind: fit_pillar_field(observations, ind, field, min_points) for ind in PILLAR_RANKS}
