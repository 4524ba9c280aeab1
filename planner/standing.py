"""Where the province stands: pick the headline values out of the baseline observations.

Pure pandas over the tidy observations frame (columns ``indicator, geography, year, period,
value, unit, kind, source, source_date, quote, note, conflict``). For one indicator and one
year, several rows may exist; :func:`pick` chooses one by :func:`planner.ids.values_by_year` and
keeps the rest reachable through :func:`alternatives`.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from planner.ids import KIND_PREFERENCE, PROVINCE, values_by_year


def rank_indicator(score_indicator: str) -> str:
    """Return the id of the rank indicator that goes with a DTI score indicator.

    Parameters
    ----------
    score_indicator : str
        For example ``"dti_overall"``.

    Returns
    -------
    str
        For example ``"dti_overall_rank"``.
    """
    return f"{score_indicator}_rank"


def years_with_value(
    obs: pd.DataFrame,
    indicator: str,
    geography: str = PROVINCE,
    kinds: Sequence[str] = KIND_PREFERENCE,
) -> list[int]:
    """List the years in which an indicator has a value of one of ``kinds``.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    indicator : str
        Indicator id.
    geography : str, optional
        Geography, the province by default.
    kinds : sequence of str, optional
        Kinds of values to consider.

    Returns
    -------
    list of int
        Sorted years.
    """
    rows = values_by_year(obs, indicator, geography, kinds)
    return [int(y) for y in rows["year"]]


def pick(
    obs: pd.DataFrame,
    indicator: str,
    year: int | None = None,
    geography: str = PROVINCE,
    kinds: Sequence[str] = KIND_PREFERENCE,
) -> pd.Series | None:
    """Choose the one value to show for an indicator in a year.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    indicator : str
        Indicator id.
    year : int, optional
        The year; by default the latest year that has a value of one of ``kinds``.
    geography : str, optional
        Geography, the province by default.
    kinds : sequence of str, optional
        Acceptable kinds, most preferred first (observed, then external, then derived).

    Returns
    -------
    pandas.Series or None
        The chosen row (with its original index as ``name``), or ``None`` when there is none.
    """
    rows = values_by_year(obs, indicator, geography, kinds)
    if rows.empty:
        return None
    if year is not None:
        rows = rows.loc[rows["year"].astype(int) == int(year)]
        if rows.empty:
            return None
    return rows.iloc[-1]


def alternatives(obs: pd.DataFrame, row: pd.Series) -> pd.DataFrame:
    """Return the other values of the same indicator, geography and year as ``row``.

    These are the rows :func:`pick` passed over (other kinds, other sources), plus any row
    that shares ``row``'s conflict id.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    row : pandas.Series
        A row of ``obs``.

    Returns
    -------
    pandas.DataFrame
        The other rows, possibly empty.
    """
    same = (
        (obs["indicator"] == row["indicator"])
        & (obs["geography"] == row["geography"])
        & (obs["year"] == row["year"])
    )
    conflict = row.get("conflict")
    if isinstance(conflict, str) and conflict.strip():
        same = same | (obs["conflict"] == conflict)
    others = obs.loc[same]
    return others.loc[others.index != row.name]


@dataclass(frozen=True)
class Change:
    """A value, the value of the year before, and the difference.

    Attributes
    ----------
    current : pandas.Series
        The chosen row of the latest year.
    previous : pandas.Series or None
        The chosen row of the year before ``current``, if any.
    """

    current: pd.Series
    previous: pd.Series | None = None

    @property
    def year(self) -> int:
        """Year of the current value."""
        return int(self.current["year"])

    @property
    def value(self) -> float:
        """The current value."""
        return float(self.current["value"])

    @property
    def delta(self) -> float | None:
        """Current minus previous value, or ``None`` without a previous value."""
        if self.previous is None:
            return None
        return float(self.current["value"]) - float(self.previous["value"])


def change(
    obs: pd.DataFrame,
    indicator: str,
    year: int | None = None,
    geography: str = PROVINCE,
    kinds: Sequence[str] = KIND_PREFERENCE,
) -> Change | None:
    """Pick a year's value and the previous year's value of an indicator.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    indicator : str
        Indicator id.
    year : int, optional
        The year; by default the latest with a value.
    geography : str, optional
        Geography, the province by default.
    kinds : sequence of str, optional
        Acceptable kinds, most preferred first.

    Returns
    -------
    Change or None
        ``None`` when the indicator has no value in that year.
    """
    current = pick(obs, indicator, year, geography, kinds)
    if current is None:
        return None
    previous = pick(obs, indicator, int(current["year"]) - 1, geography, kinds)
    return Change(current=current, previous=previous)


@dataclass(frozen=True)
class Standing:
    """A DTI score with its rank in the same year.

    Attributes
    ----------
    indicator : str
        The score indicator id.
    score : Change
        The latest score and the one of the year before.
    rank : Change or None
        The rank in the score's year and the rank of the year before.
    later_ranks : tuple of pandas.Series
        Ranks published for years after the latest score (a rank without a score).
    """

    indicator: str
    score: Change
    rank: Change | None = None
    later_ranks: tuple[pd.Series, ...] = field(default_factory=tuple)

    @property
    def year(self) -> int:
        """Year of the score."""
        return self.score.year

    @property
    def places_gained(self) -> int | None:
        """Rank places gained since the year before (positive is better), if known."""
        if self.rank is None or self.rank.delta is None:
            return None
        return int(round(-self.rank.delta))


def standing(
    obs: pd.DataFrame,
    indicator: str,
    geography: str = PROVINCE,
    kinds: Sequence[str] = KIND_PREFERENCE,
) -> Standing | None:
    """Latest DTI score of ``indicator`` with its change and its rank.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    indicator : str
        A score indicator, such as ``"dti_overall"`` or ``"dti_digital_economy"``; its rank
        is ``<indicator>_rank``.
    geography : str, optional
        Geography, the province by default.
    kinds : sequence of str, optional
        Acceptable kinds, most preferred first.

    Returns
    -------
    Standing or None
        ``None`` when the score has no value at all.
    """
    score = change(obs, indicator, None, geography, kinds)
    if score is None:
        return None
    rank_id = rank_indicator(indicator)
    rank = change(obs, rank_id, score.year, geography, kinds)
    later = tuple(
        row
        for y in years_with_value(obs, rank_id, geography, kinds)
        if y > score.year
        for row in [pick(obs, rank_id, y, geography, kinds)]
        if row is not None
    )
    return Standing(indicator=indicator, score=score, rank=rank, later_ranks=later)


def latest_facts(
    obs: pd.DataFrame,
    indicators: Iterable[str],
    geography: str = PROVINCE,
    kinds: Sequence[str] = KIND_PREFERENCE,
) -> list[Change]:
    """The latest value of each indicator that has one, in the given order.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    indicators : iterable of str
        Indicator ids; those without any value are left out.
    geography : str, optional
        Geography, the province by default.
    kinds : sequence of str, optional
        Acceptable kinds, most preferred first.

    Returns
    -------
    list of Change
        One per indicator that has a value.
    """
    out = []
    for indicator in indicators:
        found = change(obs, indicator, None, geography, kinds)
        if found is not None:
            out.append(found)
    return out


def targets(obs: pd.DataFrame, indicator: str, geography: str = PROVINCE) -> pd.DataFrame:
    """Every target row of an indicator, by year then source.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    indicator : str
        Indicator id.
    geography : str, optional
        Geography, the province by default.

    Returns
    -------
    pandas.DataFrame
        Rows of kind ``target`` (possibly several per year when sources disagree).
    """
    mask = (
        (obs["indicator"] == indicator)
        & (obs["geography"] == geography)
        & (obs["kind"] == "target")
        & obs["value"].notna()
    )
    return obs.loc[mask].sort_values(["year", "source"], kind="mergesort")


UNCERTAIN_MARKS: tuple[str, ...] = ("UNCERTAIN", "INFERRED")
"""Words at the start of a note (or anywhere, for INFERRED) that flag a value as uncertain."""


def is_uncertain(row: pd.Series) -> bool:
    """Whether an observation is flagged uncertain in the data (say so wherever it is shown).

    A note that starts with ``UNCERTAIN`` (seed 002's 2023 "2/63 chính quyền số", which
    conflicts with the 4th place of 2022) or that says ``INFERRED`` (the 2023 overall rank 12).

    Parameters
    ----------
    row : pandas.Series
        A row of the observations.

    Returns
    -------
    bool
        True when the value is flagged.
    """
    note = row.get("note_en")
    text = note.strip() if isinstance(note, str) else ""
    return text.startswith(UNCERTAIN_MARKS[0]) or UNCERTAIN_MARKS[1] in text


def pillar_averages(obs: pd.DataFrame, pillars: Sequence[str], overall: str,
                    geography: str) -> tuple[int, dict[str, float], float] | None:
    """The latest year with a published average of every pillar and of the overall score.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    pillars : sequence of str
        The pillar score ids (their averages are ``<pillar>_provincial_average``).
    overall : str
        The overall score id.
    geography : str
        Where the averages are recorded (the country).

    Returns
    -------
    tuple or None
        ``(year, {pillar: average}, overall average)``, or None without such a year.
    """
    series = {i: values_by_year(obs, f"{i}{AVERAGE_SUFFIX}", geography)
              for i in (*pillars, overall)}
    years = set.intersection(*(set(s["year"].astype(int)) for s in series.values()))
    if not years:
        return None
    year = max(years)

    def at(i: str) -> float:
        s = series[i]
        return float(s[s["year"].astype(int) == year]["value"].iloc[0])

    return year, {p: at(p) for p in pillars}, at(overall)


TWO_READINGS_MARKS: tuple[str, ...] = ("TWO READINGS", "HAI CÁCH ĐỌC")
"""Words at the start of a note (English, Vietnamese) that flag a derived value whose source
reads two ways (the 2021 online filing rate, from "tăng hơn 31%": 31 points or 31%)."""

REFINED_BASES: dict[str, str] = {"not_found": "estimate", "two_readings": "observed"}
"""What a value rests on, beyond :data:`planner.horizon.BASES`, each with the basis it refines:
``not_found``, an ended year whose ranking was published without the province's score found
(an estimate); ``two_readings``, a value derived from a statement that reads two ways (shown
as a figure on the charts, never called official)."""

AVERAGE_SUFFIX = "_provincial_average"
"""A DTI score's average of the provinces is ``<score>_provincial_average``."""


def has_two_readings(row: pd.Series | dict) -> bool:
    """Whether an observation is a derived value whose source reads two ways (its note starts
    with a mark of :data:`TWO_READINGS_MARKS`).

    Parameters
    ----------
    row : pandas.Series or dict
        A row of the observations.

    Returns
    -------
    bool
    """
    for col in ("note_en", "note_vi"):
        note = row.get(col)
        if isinstance(note, str) and note.strip().upper().startswith(TWO_READINGS_MARKS):
            return True
    return False


def _evidence_index(obs: pd.DataFrame) -> tuple[frozenset, frozenset]:
    """``(published, marked)`` of a frame of observations, built once per frame: the
    ``(indicator, geography, year)`` with a figure (a score's average of the provinces counted
    as a figure of every place but its own), and the province rows read two ways."""
    key = id(obs)
    hit = _EVIDENCE_CACHE.get(key)
    if hit is not None and hit[0]() is obs and hit[1] == len(obs):
        return hit[2]
    rows = obs[obs["kind"].isin(list(KIND_PREFERENCE)) & obs["value"].notna()
               & obs["year"].notna()]
    figures = frozenset(zip(rows["indicator"].astype(str), rows["geography"].astype(str),
                            rows["year"].astype(int), strict=True))
    marked = frozenset((str(r["indicator"]), str(r["geography"]), int(r["year"]))
                       for _, r in rows.iterrows() if has_two_readings(r))
    index = (figures, marked)
    _EVIDENCE_CACHE[key] = (weakref.ref(obs), len(obs), index, {})
    weakref.finalize(obs, _EVIDENCE_CACHE.pop, key, None)
    return index


_EVIDENCE_CACHE: dict[int, tuple] = {}
""":func:`_evidence_index` per observations frame (by id, checked by a weak reference), with
the frame's :func:`observed_figures` counts and :func:`published_elsewhere` answers."""


def published_elsewhere(obs: pd.DataFrame, indicator: str, year: int,
                        geography: str = PROVINCE) -> bool:
    """Whether a year's figures of a DTI score (or its rank) were published for the other
    provinces, though not found for ``geography``: another province's score, or the average
    of the provinces, of that year is in the data.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    indicator : str
        A score (``dti_overall``) or its rank (``dti_overall_rank``).
    year : int
    geography : str, optional
        The province by default.

    Returns
    -------
    bool
    """
    score = indicator.removesuffix("_rank")
    figures, _ = _evidence_index(obs)
    year = int(year)
    answers = _EVIDENCE_CACHE[id(obs)][3]  # the frame's cache entry keeps the answers too
    key = ("published elsewhere", score, geography, year)
    if key not in answers:
        answers[key] = (
            any(ind == score and geo != geography and y == year for ind, geo, y in figures)
            or any(ind == f"{score}{AVERAGE_SUFFIX}" and y == year for ind, _, y in figures))
    return answers[key]


def refined_basis(obs: pd.DataFrame, indicator: str, year: int, basis: str,
                  geography: str = PROVINCE) -> str:
    """What a value of ``year`` rests on, told as the sources allow (:data:`REFINED_BASES`).

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    indicator : str
    year : int
    basis : str
        One of :data:`planner.horizon.BASES` (``observed``, ``estimate``, ``projection``).
    geography : str, optional

    Returns
    -------
    str
        ``two_readings`` for an observed value that is the province's figure derived from a
        statement read two ways; ``not_found`` for an estimate of a year whose ranking was
        published (:func:`published_elsewhere`); else ``basis``.
    """
    if basis == "observed":
        _, marked = _evidence_index(obs)
        if (indicator, geography, int(year)) not in marked:
            return basis
        row = pick(obs, indicator, int(year), geography)
        return "two_readings" if row is not None and has_two_readings(row) else basis
    if basis == "estimate" and published_elsewhere(obs, indicator, year, geography):
        return "not_found"
    return basis


def observed_figures(obs: pd.DataFrame, indicator: str, geography: str = PROVINCE) -> int:
    """How many years of an indicator have an observed figure of ``geography``: the value
    :func:`pick` shows for the year, unless the data flag it inferred or uncertain
    (:func:`is_uncertain`) or it is derived from a statement read two ways
    (:func:`has_two_readings`).

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    indicator : str
    geography : str, optional
        The province by default.

    Returns
    -------
    int
        For the data shipped: the overall rank rests on 3 (2020 to 2022; 2023's 12th is
        inferred), the online filing rate on 1 (2023; 2021's 45% reads two ways).
    """
    _evidence_index(obs)  # the frame's cache entry, which also keeps these counts
    counts = _EVIDENCE_CACHE[id(obs)][3]
    key = (indicator, geography)
    if key not in counts:
        rows = values_by_year(obs, indicator, geography)
        counts[key] = int(sum(not is_uncertain(r) and not has_two_readings(r)
                              for _, r in rows.iterrows()))
    return counts[key]
