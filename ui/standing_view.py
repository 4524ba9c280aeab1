"""Where the province stands now: the briefing's first part, drawn from the data alone.

The latest DTI score and rank, the three pillars and their change, other headline facts with
their targets; each number with its source one click away and conflicting sources named. It
needs no fitted model, so the briefing draws it before the model is ready.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from planner.formatting import fmt_rank, fmt_signed, fmt_value, is_missing
from planner.i18n import label, t
from planner.ids import NATION, OVERALL, PILLARS, PROVINCIAL_AVERAGE
from planner.indicators import facts as fact_indicators
from planner.standing import (
    Change,
    Standing,
    alternatives,
    is_uncertain,
    pick,
    standing,
    targets,
)
from planner.usertext import escape_markdown
from planner.views import fmt_rank_change
from ui.sources import kind_label, render_source, source_popover


@dataclass(frozen=True)
class StandingView:
    """The frames of one dataset version (:func:`ui.data.frames`) read in one language.

    Attributes
    ----------
    lang : str
    obs, units, sources : pandas.DataFrame
        Observations (the tidy baseline), units and sources.
    indicators : pandas.DataFrame
        Indicators indexed by id.
    """

    lang: str
    obs: pd.DataFrame
    units: pd.DataFrame
    sources: pd.DataFrame
    indicators: pd.DataFrame

    @classmethod
    def of(cls, data: dict[str, pd.DataFrame], lang: str) -> StandingView:
        """The view of :func:`ui.data.frames`' result in ``lang``."""
        return cls(lang, data["observations"], data["units"], data["sources"],
                   data["indicators"].set_index("id", drop=False))

    def ind_label(self, indicator: str) -> str:
        if indicator in self.indicators.index:
            return label(self.indicators.loc[indicator], self.lang)
        return indicator

    def unit_of(self, row: pd.Series) -> pd.Series | str:
        hits = np.flatnonzero(self.units["id"].to_numpy(dtype=object) == row["unit"])
        return self.units.iloc[int(hits[0])] if hits.size else str(row["unit"])

    def unit_max(self, row: pd.Series) -> object:
        unit = self.unit_of(row)
        return None if isinstance(unit, str) else unit.get("max")

    def unit_decimals(self, row: pd.Series) -> int | None:
        unit = self.unit_of(row)
        if isinstance(unit, str) or is_missing(unit.get("decimals")):
            return None
        return int(unit["decimals"])

    def value_text(self, row: pd.Series) -> str:
        return fmt_value(row["value"], self.unit_of(row), self.lang)

    def since_text(self, previous: pd.Series) -> str:
        return t(
            "briefing.since",
            self.lang,
            year=int(previous["year"]),
            kind=kind_label(str(previous["kind"]), self.lang),
        )

    def sources_for(self, change: Change, key: str) -> None:
        """One popover with the current value's source and, if any, the previous year's."""
        row = change.current
        with st.popover(
            t("source.button", self.lang, kind=kind_label(str(row["kind"]), self.lang)),
            icon=":material/info:",
            type="tertiary",
            key=key,
        ):
            render_source(row, self.lang, self.sources, self.units, alternatives(self.obs, row))
            if change.previous is not None:
                st.divider()
                st.markdown(f"**{t('briefing.compared_with', self.lang, year=int(change.previous['year']))}**")
                render_source(
                    change.previous, self.lang, self.sources, self.units, alternatives(self.obs, change.previous)
                )

    def conflict_note(self, row: pd.Series) -> None:
        """Under a number whose self.sources disagree, say so and show every value of that year."""
        if not str(row.get("conflict", "")).strip():
            return
        same_year = pd.concat([row.to_frame().T, alternatives(self.obs, row)])
        same_year = same_year.loc[same_year["year"] == row["year"]]
        values = " / ".join(dict.fromkeys(self.value_text(r) for _, r in same_year.iterrows()))
        st.caption(t("briefing.conflict_note", self.lang, values=values))

    def uncertain_note(self, row: pd.Series) -> None:
        """Under a value the data flag as uncertain (:func:`planner.standing.is_uncertain`),
        say so and why: seed 002's 2023 "2/63" for digital government conflicts with 2022's
        4th place; the 2023 overall rank is inferred."""
        if not is_uncertain(row):
            return
        note = str(row.get("note_en") or "")  # the model's flags are in the English note
        why = "uncertain.inferred" if "INFERRED" in note else "uncertain.conflict_2022"
        st.caption(t("uncertain.note", self.lang, why=t(why, self.lang)))

    def score_metric(self, found: Standing, key: str) -> None:
        score = found.score
        delta = None
        description = None
        if score.delta is not None:
            delta = fmt_signed(score.delta, self.lang, self.unit_decimals(score.current))
            description = self.since_text(score.previous)
        st.metric(
            t("briefing.score_in", self.lang, year=score.year),
            self.value_text(score.current),
            delta=delta,
            delta_description=description,
            border=True,
        )
        self.conflict_note(score.current)
        self.sources_for(score, f"{key}_score_src")

    def rank_metric(self, found: Standing, key: str) -> None:
        rank = found.rank
        if rank is None:
            return
        row = rank.current
        gained = found.places_gained
        delta: object = None
        description = None
        if gained is not None:
            delta = 0 if gained == 0 else fmt_rank_change(gained, self.lang)
            description = self.since_text(rank.previous)
        st.metric(
            t("briefing.rank_in", self.lang, year=rank.year),
            fmt_rank(row["value"], self.unit_max(row), self.lang),
            delta=delta,
            delta_description=description,
            border=True,
        )
        self.conflict_note(row)
        self.uncertain_note(row)
        self.sources_for(rank, f"{key}_rank_src")

    def later_ranks(self, found: Standing, key: str) -> None:
        for i, row in enumerate(found.later_ranks):
            st.caption(
                t(
                    "briefing.later_rank",
                    self.lang,
                    year=int(row["year"]),
                    rank=fmt_rank(row["value"], self.unit_max(row), self.lang),
                    kind=kind_label(str(row["kind"]), self.lang),
                )
            )
            self.uncertain_note(row)
            source_popover(row, self.lang, self.sources, self.units, alternatives(self.obs, row), key=f"{key}_later_{i}")

    def draw(self) -> None:
        """Draw the score, rank and pillars, then the headline facts with their targets."""
        self.draw_dti()
        self.draw_facts()

    def draw_details(self) -> None:
        """Everything of the standing below the first screen, in one collapsed panel: the
        score and rank with the national average, the pillars, the other facts."""
        with st.expander(t("standing.details", self.lang), icon=":material/query_stats:",
                         key="briefing_standing_details"):
            self.draw()

    def draw_dti(self) -> None:
        """The overall DTI score and rank, the national average, and the three pillars."""
        overall = standing(self.obs, OVERALL)
        if overall is None:
            st.info(t("briefing.no_score", self.lang))
            return
        st.markdown(f"### {t('briefing.dti_heading', self.lang, year=overall.year)}")
        st.caption(t("briefing.dti_explained", self.lang))
        cols = st.columns(3)
        with cols[0]:
            self.score_metric(overall, "overall")
        with cols[1]:
            self.rank_metric(overall, "overall")
            self.later_ranks(overall, "overall")
        average = pick(self.obs, PROVINCIAL_AVERAGE, overall.year, geography=NATION)
        if average is not None:
            with cols[2]:
                st.metric(
                    t("briefing.average_in", self.lang, year=int(average["year"])),
                    self.value_text(average),
                    border=True,
                )
                self.conflict_note(average)
                source_popover(average, self.lang, self.sources, self.units, key="average_src")

        st.markdown(f"### {t('briefing.pillars_heading', self.lang)}")
        pillar_cols = st.columns(len(PILLARS))
        for col, pillar in zip(pillar_cols, PILLARS, strict=True):
            found = standing(self.obs, pillar)
            with col:
                st.markdown(f"#### {self.ind_label(pillar)}")
                if found is None:
                    st.caption(t("briefing.no_value", self.lang))
                    continue
                self.score_metric(found, pillar)
                self.rank_metric(found, pillar)
                self.later_ranks(found, pillar)

    def draw_facts(self) -> None:
        """Other headline facts (:func:`planner.indicators.facts`), each with its targets one
        click away."""
        facts = [(ind, pick(self.obs, ind)) for ind in fact_indicators(self.indicators)]
        facts = [(ind, row) for ind, row in facts if row is not None]
        if facts:
            st.markdown(f"### {t('briefing.facts_heading', self.lang)}")
            fact_cols = st.columns(min(len(facts), 3))
            for i, (indicator, row) in enumerate(facts):
                with fact_cols[i % len(fact_cols)]:
                    period = str(row.get("period", "")).strip()
                    when = period if period and period != str(int(row["year"])) else str(int(row["year"]))
                    # The label above the metric wraps on narrow screens (a metric label would be cut).
                    st.markdown(f"**{escape_markdown(self.ind_label(indicator))}** ({when})")
                    st.metric(
                        t("briefing.fact_label", self.lang, label=self.ind_label(indicator), year=when),
                        self.value_text(row),
                        border=True,
                        label_visibility="collapsed",
                    )
                    self.conflict_note(row)
                    source_popover(row, self.lang, self.sources, self.units, alternatives(self.obs, row), key=f"fact_{indicator}")
                    goals = targets(self.obs, indicator)
                    if not goals.empty:
                        by_year: dict[int, list[str]] = {}
                        for _, goal in goals.iterrows():
                            by_year.setdefault(int(goal["year"]), []).append(self.value_text(goal))
                        summary = "; ".join(
                            f"{y}: {' / '.join(dict.fromkeys(values))}" for y, values in by_year.items()
                        )
                        with st.popover(
                            t("briefing.targets", self.lang, targets=summary),
                            icon=":material/flag:",
                            type="tertiary",
                            key=f"targets_{indicator}",
                        ):
                            for j, (_, goal) in enumerate(goals.iterrows()):
                                if j:
                                    st.divider()
                                st.markdown(
                                    f"**{t('briefing.target_item', self.lang, year=int(goal['year']), value=self.value_text(goal))}**"
                                )
                                render_source(goal, self.lang, self.sources, self.units)
