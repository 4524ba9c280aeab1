"""The briefing's first answer: where the DTI score and rank will be, and what a scenario moves.

* :func:`outlook_years` — the years the first screen answers for: the first year not ended and
  the plan's last year (2027 and 2030 in late 2026).
* :func:`dti_outlook` — the overall score and rank in those years: the central path (the
  frame's ``value``, the number every page shows) with the 10–90% range of the draws.
* :func:`newest_rank` and :func:`published_pillar_ranks` — the newest published ranks of the
  province, overall and per pillar (what the first screen says when a rank is not projected).
* :func:`card_groups` — the headline targets grouped one card per (year, indicator).
* :func:`source_short` — a target source's short name (its document number when it names one).
* :func:`lever_settings` — a scenario's lever settings beside the baseline's value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from planner.formatting import fmt_rank
from planner.horizon import shown_years
from planner.i18n import t
from planner.ids import OVERALL, PILLAR_RANKS, RANK, values_by_year
from planner.standing import is_uncertain, pick


def outlook_years(on) -> tuple[int, ...]:
    """The years whose DTI score and rank the briefing's first screen states.

    Parameters
    ----------
    on : datetime.date
        Today (a fitted model's ``today``).

    Returns
    -------
    tuple of int
        The first year ahead (the first not begun) and :data:`~planner.horizon.END_YEAR`:
        ``(2027, 2030)`` on 2026-11-27; ``(2030,)`` from 2029 on (the plan's last year, ahead,
        under way or ended): :func:`planner.horizon.shown_years`.
    """
    return shown_years(on)


@dataclass(frozen=True)
class DtiOutlook:
    """The overall DTI of one year: score and rank, each central value with its 10–90% range.

    Attributes
    ----------
    year : int
    score, score_low, score_high : float
        The central path's score and the 10th and 90th percentiles of the draws.
    rank, rank_best, rank_worst : int or None
        The central path's rank and the range's best (10th percentile) and worst (90th) places,
        as whole ranks (at least 1); ``None`` without a rank.
    field : int
        Provinces ranked that year (63 up to the merger's switch year, 34 from it).
    basis : str
        ``projection``, or ``estimate`` for a year that has ended.
    """

    year: int
    score: float
    score_low: float
    score_high: float
    rank: int | None
    rank_best: int | None
    rank_worst: int | None
    field: int
    basis: str


def _whole(x: float) -> int:
    return max(1, int(round(float(x))))


def _field(model, year: int, rank: pd.Series | None) -> int:
    """Provinces ranked in ``year``: the model's field, else the rank's unit's size."""
    if model is not None:
        return int(model.field.size(int(year)))
    unit = "" if rank is None else str(rank.get("unit", ""))
    tail = unit.removeprefix("rank_of_")
    return int(tail) if unit.startswith("rank_of_") and tail.isdigit() else 0


def dti_outlook(frame: pd.DataFrame, model, years: tuple[int, ...]) -> list[DtiOutlook]:
    """The overall DTI score and rank in each of ``years``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A simulation frame (``indicator, year, value, p10, p90, basis``).
    model : planner.projection.PlannerResults or None
        The fitted model (its field sizes); without it (a stored snapshot read alone) the
        field is the size in the rank's unit (``rank_of_34``).
    years : tuple of int
        The years (:func:`outlook_years`).

    Returns
    -------
    list of DtiOutlook
        One per year that has a score in the frame, in the order of ``years``.
    """
    out = []
    for year in years:
        score = frame[(frame["indicator"] == OVERALL) & (frame["year"] == year)]
        if score.empty:
            continue
        s = score.iloc[0]
        rank = frame[(frame["indicator"] == RANK) & (frame["year"] == year)]
        r = None if rank.empty else rank.iloc[0]
        out.append(DtiOutlook(
            year=int(year), score=float(s["value"]), score_low=float(s["p10"]),
            score_high=float(s["p90"]),
            rank=None if r is None else _whole(r["value"]),
            rank_best=None if r is None else _whole(r["p10"]),
            rank_worst=None if r is None else _whole(r["p90"]),
            field=_field(model, year, r), basis=str(s.get("basis", "projection"))))
    return out


def newest_rank(obs: pd.DataFrame) -> pd.Series | None:
    """The province's newest published overall rank (2023's inferred 12/63 on today's data).

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.

    Returns
    -------
    pandas.Series or None
        The observation row (:func:`planner.standing.pick`'s choice for the latest year).
    """
    return pick(obs, RANK)


def rank_before(obs: pd.DataFrame, row: pd.Series) -> pd.Series | None:
    """The province's published overall rank of the latest earlier year in the same field as
    ``row`` (2022's 3/63 before 2023's 12/63), or ``None``.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    row : pandas.Series
        A rank row (:func:`newest_rank`).
    """
    ranks = values_by_year(obs, RANK)
    earlier = ranks[(ranks["year"] < row["year"]) & (ranks["unit"] == row["unit"])]
    return None if earlier.empty else earlier.sort_values("year").iloc[-1]


def published_kind(row: pd.Series, lang: str) -> str:
    """A published row's kind in a word: inferred (a note saying ``INFERRED``), an estimate
    (flagged uncertain), else its kind (observed, derived, external).

    Parameters
    ----------
    row : pandas.Series
        An observation row.
    lang : str
        ``"vi"`` or ``"en"``.
    """
    if "INFERRED" in str(row.get("note_en") or ""):
        return t("outlook.inferred", lang)
    if is_uncertain(row):
        return t("standing.basis_estimate", lang)
    return t(f"kind.{row['kind']}", lang)


def published_rank_text(row: pd.Series, units: pd.DataFrame, lang: str) -> str:
    """A published rank as the pages write it, ``12/63``: its unit's ``max`` is the field.

    Parameters
    ----------
    row : pandas.Series
        A rank observation (``value``, ``unit``).
    units : pandas.DataFrame
        ``units.csv`` (``id``, ``max``).
    lang : str
    """
    match = units.loc[units["id"] == row["unit"]]
    size = match.iloc[0]["max"] if not match.empty else None
    return fmt_rank(row["value"], size, lang)


def published_pillar_ranks(obs: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """Each pillar's newest published rank of the province, in :data:`~planner.ids.PILLAR_RANKS`
    order (a pillar with none is left out).

    Returns
    -------
    list of (str, pandas.Series)
        ``(pillar rank id, observation row)``; :func:`planner.standing.is_uncertain` tells a
        flagged row (2023's digital-government 2/63).
    """
    found = [(rid, pick(obs, rid)) for rid in PILLAR_RANKS]
    return [(rid, row) for rid, row in found if row is not None]


def card_groups(cards: pd.DataFrame, last_ended_year: int | None = None) -> list[pd.DataFrame]:
    """The headline targets one group per (year, indicator): one card each.

    Parameters
    ----------
    cards : pandas.DataFrame
        Rows of :func:`planner.views.headline_targets` (``year``, ``indicator``, ``target``).
    last_ended_year : int, optional
        With it, the years after it (what a scenario can still change) come first, then the
        ended years; the order is otherwise the rows' own.

    Returns
    -------
    list of pandas.DataFrame
        One frame per card: every target stated for that indicator and year, lowest first
        (the 30% and 35% digital-economy targets for 2030 share one card).
    """
    if cards.empty:
        return []
    if last_ended_year is not None:
        cards = cards.sort_values("year", key=lambda y: y <= last_ended_year, kind="mergesort")
    keys = list(dict.fromkeys(zip(cards["year"], cards["indicator"], strict=True)))
    return [cards[(cards["year"] == y) & (cards["indicator"] == i)]
            .sort_values("target", kind="mergesort").reset_index(drop=True) for y, i in keys]


_DOCUMENT = re.compile(r"\b\d+(?:-[A-ZĐ]+)?/[A-ZĐ]+(?:-[A-ZĐa-z]+)?")
"""A Vietnamese legal document's number: ``09-NQ/TU``, ``97/KH-UBND``, ``749/QĐ-TTg``."""


def source_short(source_ids, sources: pd.DataFrame, words: int = 4) -> str:
    """A short name for where a target is stated, for a card's line.

    The first source whose title names a document gives its number (``09-NQ/TU``,
    ``97/KH-UBND``: the same in both languages); else the first source's title, cut to
    ``words`` words with ``…``.

    Parameters
    ----------
    source_ids : sequence of str
        The target's sources (the ``sources`` column of
        :func:`planner.targets.evaluate_targets`).
    sources : pandas.DataFrame
        ``sources.csv`` (``id``, ``title``).
    words : int, optional
        Most words of a title.

    Returns
    -------
    str
        The short name; ``""`` without a known source.
    """
    titles = sources.set_index("id")["title"] if len(sources) else pd.Series(dtype=str)
    known = [str(titles[s]) for s in source_ids if s in titles.index and isinstance(titles[s], str)]
    for title in known:
        found = _DOCUMENT.search(title)
        if found:
            return found.group(0)
    if not known:
        return ""
    cut = known[0].split()
    return " ".join(cut[:words]) + ("…" if len(cut) > words else "")


@dataclass(frozen=True)
class LeverSetting:
    """One lever setting of a scenario beside the baseline's value of that lever and year.

    Attributes
    ----------
    lever, indicator : str
        The lever and the indicator it sets.
    year : int
    value : float
        The scenario's setting.
    trend : float
        The baseline's central value of the indicator that year.
    """

    lever: str
    indicator: str
    year: int
    value: float
    trend: float


def lever_settings(model, scenario, baseline: pd.DataFrame) -> list[LeverSetting]:
    """A scenario's lever settings, each with the baseline's value beside it.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model (its levers).
    scenario : planner.scenario.Scenario
        The scenario.
    baseline : pandas.DataFrame
        The baseline's projection or simulation frame (``indicator, year, value``).

    Returns
    -------
    list of LeverSetting
        Sorted by lever id, then year; ``trend`` is ``nan`` for a year the frame lacks.
    """
    out = []
    for lid, path in sorted(scenario.levers.items()):
        indicator = model.levers[lid].indicator
        for year, value in sorted(path.items()):
            row = baseline[(baseline["indicator"] == indicator) & (baseline["year"] == int(year))]
            trend = float(row.iloc[0]["value"]) if not row.empty else float("nan")
            out.append(LeverSetting(lid, indicator, int(year), float(value), trend))
    return out

