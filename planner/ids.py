"""The domain's ids, defined once, and the rule that picks the one value of a year.

Several rows may give an indicator's value for one year (an observed value, an external one, a
derived one, or two sources in conflict). :func:`values_by_year` keeps one per year: the
preferred kind first (:data:`KIND_PREFERENCE`); among rows of one kind a row without conflict
first, then the earliest dated source (the closest to the original publication; undated last),
then the source id, so the choice is deterministic. The projection's history, the standing on
the briefing and the pages' history tables all use it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

PROVINCE = "Quảng Ninh"
"""The province the planner is about (its ``geography`` in the observations)."""

NATION = "Việt Nam"
"""The geography of national figures (averages of the provinces, national targets)."""

OVERALL = "dti_overall"
"""The overall DTI score."""

RANK = "dti_overall_rank"
"""The overall DTI rank."""

PILLARS: tuple[str, ...] = ("dti_digital_government", "dti_digital_economy", "dti_digital_society")
"""The three DTI pillar scores, in the order the province's programme names them."""

PILLAR_RANKS: tuple[str, ...] = tuple(f"{p}_rank" for p in PILLARS)
"""The three pillars' ranks, in the order of :data:`PILLARS`."""

RANKS: tuple[str, ...] = (RANK, *PILLAR_RANKS)
"""Every DTI rank the model projects: a smaller value is better, shown as whole places."""


def is_rank(indicator: str) -> bool:
    """Whether an indicator is one of the DTI ranks (:data:`RANKS`)."""
    return indicator in RANKS


def pillar_of_rank(indicator: str) -> str:
    """The pillar score whose rank ``indicator`` is (``dti_digital_economy_rank`` →
    ``dti_digital_economy``)."""
    return PILLARS[PILLAR_RANKS.index(indicator)]


PROVINCIAL_AVERAGE = "dti_overall_provincial_average"
"""The average overall DTI of the provinces (one value a year, geography :data:`NATION`)."""

DE_SHARE = "digital_economy_share_grdp"
"""The digital economy's share of the province's GRDP."""

BASELINE_ID = "baseline"
"""The ready-made scenario that sets nothing, the trend (its row of ``scenarios.csv``)."""

KIND_PREFERENCE: tuple[str, ...] = ("observed", "external", "derived")
"""Kinds of values that measure a year, most preferred first."""

def _text(value: object) -> str:
    """A cell as text, ``""`` for a missing one (as ``fillna("").astype(str)``)."""
    return "" if value is None or value is pd.NA or value != value else str(value)


def values_by_year(observations: pd.DataFrame, indicator: str, geography: str = PROVINCE,
                   kinds: Sequence[str] = KIND_PREFERENCE) -> pd.DataFrame:
    """The one value of each year of an indicator (see the module's rule).

    The rule is applied to the few rows of the indicator alone, in plain Python, and the frame
    is taken once (sorting and de-duplicating the rows as frames cost about 0.1 s a call on
    the real data, most of a model fit).

    Parameters
    ----------
    observations : pandas.DataFrame
        The tidy observations.
    indicator : str
        Indicator id.
    geography : str, optional
        Geography, the province by default.
    kinds : sequence of str, optional
        Acceptable kinds, most preferred first.

    Returns
    -------
    pandas.DataFrame
        The chosen rows (original index kept), one per year, sorted by year; empty when the
        indicator has no value of those kinds.
    """
    obs = observations
    order = {kind: i for i, kind in enumerate(kinds)}
    # compared on the columns' values (each comparison of a text column as a Series cost
    # ~0.3 ms); a missing cell equals nothing
    mask = ((obs["indicator"].to_numpy(dtype=object) == indicator)
            & (obs["geography"].to_numpy(dtype=object) == geography)
            & np.fromiter((k in order for k in obs["kind"].to_numpy(dtype=object)), bool,
                          len(obs))
            & obs["value"].notna().to_numpy(dtype=bool)
            & obs["year"].notna().to_numpy(dtype=bool))
    positions = np.flatnonzero(mask)
    if positions.size == 0:
        return obs.take(positions)

    def column(name: str) -> list:
        return obs[name].to_numpy(dtype=object)[positions].tolist()

    kind, conflict, date, source, year = (column(c) for c in
                                          ("kind", "conflict", "source_date", "source", "year"))
    keys = []
    for i in range(len(positions)):
        day = _text(date[i])
        # the rule: kind, no conflict first, dated first, earliest date, source id
        keys.append((order[kind[i]], _text(conflict[i]).strip() != "", day == "", day,
                     _text(source[i]), i))
    chosen: dict = {}
    for *_, i in sorted(keys):
        chosen.setdefault(year[i], i)
    return obs.take([int(positions[chosen[y]]) for y in sorted(chosen)])


def history_series(observations: pd.DataFrame, indicator: str, geography: str = PROVINCE,
                   kinds: Sequence[str] = KIND_PREFERENCE) -> pd.Series:
    """The values of :func:`values_by_year` as a series indexed by year (int)."""
    rows = values_by_year(observations, indicator, geography, kinds)
    if rows.empty:
        return pd.Series(dtype=float)
    return pd.Series(rows["value"].to_numpy(dtype=float),
                     index=rows["year"].astype(int).to_numpy())
