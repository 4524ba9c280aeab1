"""The model's assumptions: every number that is not an observation.

Each assumption has a value, a unit, a plausible range ``[low, high]`` and a rationale (see
``data/assumptions.csv``). A scenario may override values within their ranges. In the Monte
Carlo simulation the assumptions that are drawn (levels, growths, elasticities) follow a
triangular distribution on ``[low, high]`` with its mode at the (possibly overridden) value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd


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
            Random generator; ``None`` returns the value in force ``n`` times (deterministic).
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
            return np.full(n, v)
        return rng.triangular(a.low, v, a.high, size=n)

    def frame(self) -> pd.DataFrame:
        """The assumptions with the values in force and an ``overridden`` flag."""
        rows = []
        for a in self._rows.values():
            rows.append({**a.__dict__, "default": a.value, "value": self.value(a.id),
                         "overridden": a.id in self._overrides})
        return pd.DataFrame(rows)
