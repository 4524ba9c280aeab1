"""The field of other provinces, and Quảng Ninh's rank within it.

Method
------
For a year with enough published points (at least ``field_min_peers`` other provinces with both a
score and a rank, in the same grouping of 63 or 34 provinces), the field is the curve "how many
other provinces score above a given score", built from those points: a province at rank ``r``
has ``r - 1`` provinces above it, less one when Quảng Ninh was known to be among them that year
(ties count half). The provincial average sits at the share of provinces above it given by the
assumption ``field_average_percentile``. The ends are fixed: a score of 1 has nobody above, a
score of 0 has everybody above. Between points the count is interpolated linearly on the logit
of the score.

For a year without enough points (2023, 2024 out of 63, and every year from 2025), the latest
earlier field of the same grouping is moved up by the field's growth (assumption
``dti_field_logit_growth``, on the logit scale, per year). From 2025 the grouping is 34 provinces
(assumption ``field_size_switch_year``), anchored on the 2024 ranking out of 34.

Quảng Ninh's rank is ``1 + count above`` its score, clipped to ``[1, N]``; under the Monte Carlo
simulation the rank is a range (10th to 90th percentile of the draws).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.ids import OVERALL, PROVINCE, PROVINCIAL_AVERAGE, RANK
from planner.trend import logit


@dataclass(frozen=True)
class FieldCurve:
    """The field of one anchor year and grouping.

    Attributes
    ----------
    year : int
        Year of the published points.
    size : int
        Number of provinces in the grouping (63 or 34).
    x : numpy.ndarray
        Logit of the scores, increasing.
    above : numpy.ndarray
        Number of other provinces above each score (decreasing).
    peers : int
        Number of published peer points the curve rests on.
    """

    year: int
    size: int
    x: np.ndarray
    above: np.ndarray
    peers: int


def _size_of(unit: str) -> int:
    return int(str(unit).rsplit("_", 1)[-1])


def build_curves(observations: pd.DataFrame, own_ranks: dict[tuple[int, int], float],
                 average_percentile: float, min_peers: int) -> dict[tuple[int, int], FieldCurve]:
    """Field curves for every (year, grouping) with at least ``min_peers`` peer points.

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

    Returns
    -------
    dict
        ``{(year, size): FieldCurve}``.
    """
    obs = observations[observations["kind"].isin(["observed", "external", "derived"])]
    others = obs[obs["geography"] != PROVINCE]
    scores = others[others["indicator"] == OVERALL][["year", "geography", "value"]]
    ranks = others[others["indicator"] == RANK][["year", "geography", "value", "unit"]]
    pairs = scores.merge(ranks, on=["year", "geography"], suffixes=("_score", "_rank"))
    avg = obs[obs["indicator"] == PROVINCIAL_AVERAGE].groupby("year")["value"].first()
    curves = {}
    for (year, unit), grp in pairs.groupby(["year", "unit"]):
        size = _size_of(unit)
        grp = grp.drop_duplicates("geography")
        if len(grp) < min_peers:
            continue
        own = own_ranks.get((int(year), size))
        pts = []
        for s, r in zip(grp["value_score"], grp["value_rank"], strict=True):
            above = r - 1 - (1 if own is not None and own < r else 0)
            pts.append((float(s), above + 0.5))
        if year in avg.index:
            pts.append((float(avg[year]), average_percentile * (size - 1)))
        pts += [(1.0, 0.0), (0.0, float(size - 1))]
        pts.sort()
        x = logit(np.array([p[0] for p in pts]))
        above = np.minimum.accumulate(np.array([p[1] for p in pts]))  # non-increasing in score
        curves[(int(year), size)] = FieldCurve(int(year), size, x, above, len(grp))
    return curves


class Field:
    """Rank of a score among the provinces, for any modelled year.

    Parameters
    ----------
    curves : dict
        From :func:`build_curves`.
    switch_year : int
        First year ranked out of the smaller grouping.
    """

    def __init__(self, curves: dict[tuple[int, int], FieldCurve], switch_year: int) -> None:
        if not curves:
            raise ValueError("no year has enough published peer points to build the field")
        self.curves = curves
        self.switch_year = int(switch_year)
        sizes = sorted({s for _, s in curves}, reverse=True)
        self.size_before, self.size_after = sizes[0], sizes[-1]

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
        return max(cands, key=lambda c: c.year)

    def rank(self, year: int, score: np.ndarray, growth: np.ndarray | float) -> np.ndarray:
        """Quảng Ninh's rank (as a real number) for scores, vectorised over draws.

        Parameters
        ----------
        year : int
            The year.
        score : numpy.ndarray
            Overall DTI scores, shape ``(n,)``.
        growth : array_like
            The field's logit growth per year, shape ``(n,)`` or scalar.

        Returns
        -------
        numpy.ndarray
            Ranks in ``[1, N]``, shape ``(n,)``.
        """
        c = self.curve_for(year)
        shift = np.asarray(growth, dtype=float) * (year - c.year)
        xs = logit(np.asarray(score, dtype=float)) - shift
        above = np.interp(xs, c.x, c.above)
        return np.clip(1.0 + above, 1.0, float(c.size))
