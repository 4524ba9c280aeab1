"""The briefing's DTI block: the published score and rank, then the score and rank of the first
year ahead and of 2030 (:mod:`planner.outlook`), the pillar ranks and one line on why the
newest published rank and the projected ones are out of different fields.

Every box is a keyed container (``briefing_dti``, ``dti_published``, ``dti_outlook_<year>``,
``briefing_dti_notes``) so print, phone and wall styles can reach it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.formatting import fmt_value
from planner.i18n import t
from planner.ids import OVERALL, PROVINCE, RANK
from planner.outlook import (
    DtiOutlook,
    newest_rank,
    published_kind,
    published_pillar_ranks,
    published_rank_text,
    rank_before,
)
from planner.standing import is_uncertain, pick
from planner.views import (
    PILLAR_RANK_NAMES,
    fmt_change_between,
    fmt_outcome,
    fmt_rank_change,
    pillar_rank_line,
    places_gained,
    rank_delta_color,
)

CSS = (
    ".st-key-briefing_dti [data-testid='stMetricValue']{font-size:clamp(1.25rem,1.65vw,2rem);}"
    ".st-key-briefing_dti [data-testid='stMetricLabel'] p{font-size:0.85rem;}"
    ".st-key-briefing_dti [data-testid='stCaptionContainer']{font-size:0.8rem;}"
    ".st-key-briefing_dti [data-testid='stVerticalBlock']{gap:0.35rem;}"
    # on a phone the row's columns stack: each box whole width, its score and rank side by side
    "@media screen and (max-width:640px){"
    ".st-key-briefing_top [data-testid='stColumn']:has(.st-key-briefing_dti),"
    ".st-key-briefing_top .st-key-briefing_dti [data-testid='stColumn']{"
    "flex:1 1 100% !important;min-width:100% !important;width:100% !important;}"
    ".st-key-briefing_top .st-key-briefing_dti [class*='st-key-dti_'] [data-testid='stColumn']{"
    "flex:1 1 calc(50% - 0.25rem) !important;min-width:calc(50% - 0.25rem) !important;"
    "width:calc(50% - 0.25rem) !important;}}"
)
"""The block's own type sizes (six numbers in a row at 1440 px) and, on a phone, its boxes one
under another (the phone rules of ``ui/assets/layout.css`` halve every column of
``briefing_top``)."""


def _kind(row: pd.Series, lang: str) -> str:
    return published_kind(row, lang)


def _rank_text(row: pd.Series, units: pd.DataFrame, lang: str) -> str:
    return published_rank_text(row, units, lang)


def published_box(obs: pd.DataFrame, units: pd.DataFrame, lang: str) -> None:
    """The province's newest published score and rank (drawn from the data, before the model)."""
    score, rank = pick(obs, OVERALL), newest_rank(obs)
    with st.container(border=True, key="dti_published"):
        st.markdown(f"**{t('outlook.published', lang)}**")
        cols = st.columns(2)
        if score is not None:
            with cols[0]:
                st.metric(t("outlook.score", lang, year=int(score["year"])),
                          fmt_value(score["value"], str(score["unit"]), lang, units))
        before = None if rank is None else rank_before(obs, rank)
        gained = None if before is None else places_gained(before["value"], rank["value"])
        if rank is not None:
            with cols[1]:
                st.metric(t("outlook.rank", lang, year=int(rank["year"])),
                          _rank_text(rank, units, lang),
                          delta=None if gained is None else fmt_rank_change(gained, lang),
                          delta_color=rank_delta_color(gained))
        if score is not None and rank is not None:
            text = t("outlook.published_years", lang, score_year=int(score["year"]),
                     score_kind=_kind(score, lang), rank_year=int(rank["year"]),
                     rank_kind=_kind(rank, lang))
            if before is not None:  # what the rank's change is measured against
                text += " · " + t("outlook.rank_before", lang, year=int(before["year"]),
                                  rank=_rank_text(before, units, lang))
            st.caption(text)


def outlook_box(row: DtiOutlook, base: DtiOutlook | None, model, lang: str) -> None:
    """One year's score and rank: the central value, the change against the baseline as shown
    (none on the baseline, none when equal as shown) and the 10–90% range."""
    with st.container(border=True, key=f"dti_outlook_{row.year}"):
        st.markdown(f"**{t('outlook.year', lang, year=row.year, basis=t(f'basis.{row.basis}', lang))}**")
        cols = st.columns(2)
        score_delta = rank_delta = None
        if base is not None:
            score_delta = fmt_change_between(row.score, base.score, OVERALL, row.year, model, lang)
            if row.rank is not None and base.rank is not None:
                rank_delta = fmt_change_between(row.rank, base.rank, RANK, row.year, model, lang)
        with cols[0]:
            st.metric(t("outlook.score", lang, year=row.year),
                      fmt_outcome(row.score, OVERALL, row.year, model, lang),
                      delta=score_delta)
        if row.rank is not None:
            with cols[1]:
                st.metric(t("outlook.rank", lang, year=row.year),
                          fmt_outcome(row.rank, RANK, row.year, model, lang),
                          delta=rank_delta)
        ranges = [t("outlook.score_range", lang,
                    low=fmt_outcome(row.score_low, OVERALL, row.year, model, lang),
                    high=fmt_outcome(row.score_high, OVERALL, row.year, model, lang))]
        if row.rank is not None:
            ranges.append(t("outlook.rank_range", lang, best=row.rank_best, worst=row.rank_worst))
        st.caption(t("outlook.range", lang, ranges=" · ".join(ranges)))


def changed(rows: list[DtiOutlook], base: list[DtiOutlook], model, lang: str) -> bool:
    """Whether any score or rank of ``rows`` differs from the baseline's as shown."""
    by_year = {b.year: b for b in base}
    for r in rows:
        b = by_year.get(r.year)
        if b is None:
            continue
        if fmt_change_between(r.score, b.score, OVERALL, r.year, model, lang) is not None:
            return True
        if r.rank is not None and b.rank is not None and fmt_change_between(
                r.rank, b.rank, RANK, r.year, model, lang) is not None:
            return True
    return False


def pillar_line(obs: pd.DataFrame, units: pd.DataFrame, model, frame: pd.DataFrame, year: int,
                lang: str) -> list[str]:
    """The pillar ranks in words: projected ones (:func:`planner.views.pillar_rank_line`), or,
    when no pillar rank is projected, the newest published ones with their years and the one
    line saying none is projected."""
    projected = pillar_rank_line(model, frame, year, lang)
    if projected != t("rank.pillars_thin", lang):
        return [projected] if projected else []
    items = []
    for rid, row in published_pillar_ranks(obs):
        key = "outlook.pillar_item_uncertain" if is_uncertain(row) else "outlook.pillar_item"
        items.append(t(key, lang, pillar=t(PILLAR_RANK_NAMES[rid], lang),
                       rank=_rank_text(row, units, lang), year=int(row["year"])))
    lines = [t("outlook.pillars_published", lang, items="; ".join(items))] if items else []
    return [*lines, projected]


def rank_note(obs: pd.DataFrame, units: pd.DataFrame, model, lang: str) -> str | None:
    """One line: the newest published rank and its year, and why projected ranks are out of a
    different field (the merger to 34 provinces), when they are."""
    row = newest_rank(obs)
    if row is None:
        return None
    switch = int(model.field.switch_year)
    if int(row["year"]) >= switch:
        return None
    return t("outlook.newest_rank", lang, province=PROVINCE, rank=_rank_text(row, units, lang),
             year=int(row["year"]), kind=_kind(row, lang), switch=switch,
             size=model.field.size(switch))
