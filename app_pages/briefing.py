"""Briefing: where Quảng Ninh stands now, every number with its source one click away."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.formatting import fmt_rank, fmt_signed, fmt_value, is_missing
from planner.i18n import label, t
from planner.standing import (
    HEADLINE_FACTS,
    OVERALL,
    PILLARS,
    PROVINCE,
    Change,
    Standing,
    alternatives,
    pick,
    standing,
    targets,
)
from ui.data import frames
from ui.lang import current_lang
from ui.sources import kind_label, md_escape, render_source, source_popover

AVERAGE = "dti_overall_provincial_average"
NATION = "Việt Nam"

lang = current_lang()
data = frames()
obs: pd.DataFrame = data["observations"]
units: pd.DataFrame = data["units"]
sources: pd.DataFrame = data["sources"]
indicators: pd.DataFrame = data["indicators"].set_index("id", drop=False)


def ind_label(indicator: str) -> str:
    if indicator in indicators.index:
        return label(indicators.loc[indicator], lang)
    return indicator


def unit_of(row: pd.Series) -> pd.Series | str:
    match = units.loc[units["id"] == row["unit"]]
    return match.iloc[0] if not match.empty else str(row["unit"])


def unit_max(row: pd.Series) -> object:
    unit = unit_of(row)
    return None if isinstance(unit, str) else unit.get("max")


def unit_decimals(row: pd.Series) -> int | None:
    unit = unit_of(row)
    if isinstance(unit, str) or is_missing(unit.get("decimals")):
        return None
    return int(unit["decimals"])


def value_text(row: pd.Series) -> str:
    return fmt_value(row["value"], unit_of(row), lang)


def since_text(previous: pd.Series) -> str:
    return t(
        "briefing.since",
        lang,
        year=int(previous["year"]),
        kind=kind_label(str(previous["kind"]), lang),
    )


def sources_for(change: Change, key: str) -> None:
    """One popover with the current value's source and, if any, the previous year's."""
    row = change.current
    with st.popover(
        t("source.button", lang, kind=kind_label(str(row["kind"]), lang)),
        icon=":material/info:",
        type="tertiary",
        key=key,
    ):
        render_source(row, lang, sources, units, alternatives(obs, row))
        if change.previous is not None:
            st.divider()
            st.markdown(f"**{t('briefing.compared_with', lang, year=int(change.previous['year']))}**")
            render_source(
                change.previous, lang, sources, units, alternatives(obs, change.previous)
            )


def conflict_note(row: pd.Series) -> None:
    """Under a number whose sources disagree, say so and show every value of that year."""
    if not str(row.get("conflict", "")).strip():
        return
    same_year = pd.concat([row.to_frame().T, alternatives(obs, row)])
    same_year = same_year.loc[same_year["year"] == row["year"]]
    values = " / ".join(dict.fromkeys(value_text(r) for _, r in same_year.iterrows()))
    st.caption(t("briefing.conflict_note", lang, values=values))


def score_metric(found: Standing, key: str) -> None:
    score = found.score
    delta = None
    description = None
    if score.delta is not None:
        delta = fmt_signed(score.delta, lang, unit_decimals(score.current))
        description = since_text(score.previous)
    st.metric(
        t("briefing.score_in", lang, year=score.year),
        value_text(score.current),
        delta=delta,
        delta_description=description,
        border=True,
    )
    conflict_note(score.current)
    sources_for(score, f"{key}_score_src")


def rank_metric(found: Standing, key: str) -> None:
    rank = found.rank
    if rank is None:
        return
    row = rank.current
    gained = found.places_gained
    delta: object = None
    description = None
    if gained is not None:
        key_places = "briefing.place" if abs(gained) == 1 else "briefing.places"
        delta = 0 if gained == 0 else t(key_places, lang, n=fmt_signed(gained, lang, 0))
        description = since_text(rank.previous)
    st.metric(
        t("briefing.rank_in", lang, year=rank.year),
        fmt_rank(row["value"], unit_max(row), lang),
        delta=delta,
        delta_description=description,
        border=True,
    )
    conflict_note(row)
    sources_for(rank, f"{key}_rank_src")


def later_ranks(found: Standing, key: str) -> None:
    for i, row in enumerate(found.later_ranks):
        st.caption(
            t(
                "briefing.later_rank",
                lang,
                year=int(row["year"]),
                rank=fmt_rank(row["value"], unit_max(row), lang),
                kind=kind_label(str(row["kind"]), lang),
            )
        )
        source_popover(row, lang, sources, units, alternatives(obs, row), key=f"{key}_later_{i}")


st.title(t("briefing.title", lang, province=PROVINCE))

overall = standing(obs, OVERALL)
if overall is None:
    st.info(t("briefing.no_score", lang))
else:
    st.markdown(f"### {t('briefing.dti_heading', lang, year=overall.year)}")
    st.caption(t("briefing.dti_explained", lang))
    cols = st.columns(3)
    with cols[0]:
        score_metric(overall, "overall")
    with cols[1]:
        rank_metric(overall, "overall")
        later_ranks(overall, "overall")
    average = pick(obs, AVERAGE, overall.year, geography=NATION)
    if average is not None:
        with cols[2]:
            st.metric(
                t("briefing.average_in", lang, year=int(average["year"])),
                value_text(average),
                border=True,
            )
            conflict_note(average)
            source_popover(average, lang, sources, units, key="average_src")

    st.markdown(f"### {t('briefing.pillars_heading', lang)}")
    pillar_cols = st.columns(len(PILLARS))
    for col, pillar in zip(pillar_cols, PILLARS, strict=True):
        found = standing(obs, pillar)
        with col:
            st.markdown(f"#### {ind_label(pillar)}")
            if found is None:
                st.caption(t("briefing.no_value", lang))
                continue
            score_metric(found, pillar)
            rank_metric(found, pillar)
            later_ranks(found, pillar)

facts = [(ind, pick(obs, ind)) for ind in HEADLINE_FACTS]
facts = [(ind, row) for ind, row in facts if row is not None]
if facts:
    st.markdown(f"### {t('briefing.facts_heading', lang)}")
    fact_cols = st.columns(min(len(facts), 3))
    for i, (indicator, row) in enumerate(facts):
        with fact_cols[i % len(fact_cols)]:
            period = str(row.get("period", "")).strip()
            when = period if period and period != str(int(row["year"])) else str(int(row["year"]))
            # The label above the metric wraps on narrow screens (a metric label would be cut).
            st.markdown(f"**{md_escape(ind_label(indicator))}** ({when})")
            st.metric(
                t("briefing.fact_label", lang, label=ind_label(indicator), year=when),
                value_text(row),
                border=True,
                label_visibility="collapsed",
            )
            conflict_note(row)
            source_popover(row, lang, sources, units, alternatives(obs, row), key=f"fact_{indicator}")
            goals = targets(obs, indicator)
            if not goals.empty:
                by_year: dict[int, list[str]] = {}
                for _, goal in goals.iterrows():
                    by_year.setdefault(int(goal["year"]), []).append(value_text(goal))
                summary = "; ".join(
                    f"{y}: {' / '.join(dict.fromkeys(values))}" for y, values in by_year.items()
                )
                with st.popover(
                    t("briefing.targets", lang, targets=summary),
                    icon=":material/flag:",
                    type="tertiary",
                    key=f"targets_{indicator}",
                ):
                    for j, (_, goal) in enumerate(goals.iterrows()):
                        if j:
                            st.divider()
                        st.markdown(
                            f"**{t('briefing.target_item', lang, year=int(goal['year']), value=value_text(goal))}**"
                        )
                        render_source(goal, lang, sources, units)
