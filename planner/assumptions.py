"""The model's assumptions: every number that is not an observation.

Each assumption has a value, a unit, a plausible range ``[low, high]`` and a rationale (see
``data/assumptions.csv``). A scenario may override values within their ranges. In the Monte
Carlo simulation the assumptions that are drawn (levels, growths, elasticities) follow a
triangular distribution on ``[low, high]`` with its mode at the (possibly overridden) value;
the central path (no draws) takes each one's median (:func:`triangular_median`), so the
headline sits in the middle of the draws rather than at their most likely value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd


def triangular_median(low: float, mode: float, high: float) -> float:
    """Median of the triangular distribution on ``[low, high]`` with its mode at ``mode``.

    Parameters
    ----------
    low, mode, high : float
        Bounds and mode; a degenerate range (or a mode outside it) gives the mode.

    Returns
    -------
    float
        ``low + sqrt((high - low)(mode - low) / 2)`` when the mode lies in the upper half of
        the range, else ``high - sqrt((high - low)(high - mode) / 2)``.
    """
    if high <= low or not low <= mode <= high:
        return float(mode)
    width = high - low
    if mode - low >= width / 2:
        return float(low + np.sqrt(width * (mode - low) / 2))
    return float(high - np.sqrt(width * (high - mode) / 2))


@dataclass(frozen=True)
class Assumption:
    """One assumption row."""

    id: str
    value: float
    unit: str
    low: float
    high: float
    label_vi: str
    label_en: str
    rationale_vi: str
    rationale_en: str
    source: str


class AssumptionSet:
    """The assumptions of one dataset version, with optional overrides.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of ``assumptions.csv``.
    overrides : mapping of str to float, optional
        Values replacing the defaults; must be validated beforehand
        (:func:`planner.scenario.validate_scenario`).
    """

    def __init__(self, frame: pd.DataFrame, overrides: Mapping[str, float] | None = None) -> None:
        self._rows = {
            str(r.id): Assumption(str(r.id), float(r.value), str(r.unit), float(r.low),
                                  float(r.high), str(r.label_vi), str(r.label_en),
                                  str(r.rationale_vi), str(r.rationale_en),
                                  "" if pd.isna(r.source) else str(r.source))
            for r in frame.itertuples(index=False)
        }
        self._overrides = dict(overrides or {})

    def __contains__(self, key: str) -> bool:
        return key in self._rows

    def __iter__(self):
        return iter(self._rows.values())

    def row(self, key: str) -> Assumption:
        """The assumption ``key`` as declared (without overrides)."""
        return self._rows[key]

    def value(self, key: str) -> float:
        """The value in force (override or default).

        Parameters
        ----------
        key : str
            Assumption id.

        Returns
        -------
        float
            The value.
        """
        if key in self._overrides:
            return float(self._overrides[key])
        return self._rows[key].value

    def with_overrides(self, overrides: Mapping[str, float]) -> AssumptionSet:
        """A copy with further overrides applied (validated beforehand)."""
        new = AssumptionSet.__new__(AssumptionSet)
        new._rows = self._rows
        new._overrides = {**self._overrides, **dict(overrides)}
        return new

    def draw(self, key: str, rng: np.random.Generator | None, n: int) -> np.ndarray:
        """Draw ``n`` values of assumption ``key``.

        Parameters
        ----------
        key : str
            Assumption id.
        rng : numpy.random.Generator or None
            Random generator; ``None`` returns the distribution's median ``n`` times (the
            central path, :meth:`central`).
        n : int
            Number of draws.

        Returns
        -------
        numpy.ndarray
            Shape ``(n,)``: triangular draws on ``[low, high]`` with mode at the value.
        """
        v = self.value(key)
        a = self._rows[key]
        if rng is None or a.high <= a.low:
            return np.full(n, self.central(key))
        return rng.triangular(a.low, v, a.high, size=n)

    def central(self, key: str) -> float:
        """The median of the assumption's distribution (the value in force is its mode).

        A value overridden to the edge of its range, or a range of one point, is its own
        median.
        """
        a = self._rows[key]
        return triangular_median(a.low, self.value(key), a.high)

    def frame(self) -> pd.DataFrame:
        """The assumptions with the values in force and an ``overridden`` flag."""
        rows = []
        for a in self._rows.values():
            rows.append({**a.__dict__, "default": a.value, "value": self.value(a.id),
                         "overridden": a.id in self._overrides})
        return pd.DataFrame(rows)
