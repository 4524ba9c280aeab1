"""Briefing: where Quảng Ninh stands now and, for the chosen scenario (the baseline unless one
is open), every 2025 and 2030 target and every outcome to 2030; each number with its source one
click away. Large type for a wall, columns that stack on a phone."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.formatting import fmt_int, fmt_rank, fmt_signed, fmt_value, is_missing
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
from planner.views import fmt_gap, fmt_outcome, headline_targets, outcome_order
from ui.charts import PLOTLY_CONFIG, PLOTLY_THEME
from ui.data import frames
from ui.lang import current_lang
from ui.model import baseline_projection, get_model, history, model_facts, simulation
from ui.outcome_charts import by_indicator, outcome_figure
from ui.scenario_state import (
    computation,
    init_scenario,
    link_problems,
    opened_notice,
    show_link_problems,
    write_url,
)
from ui.sources import kind_label, render_source, source_popover
from ui.status import status_line, status_rule
from ui.text import escape_markdown

AVERAGE = "dti_overall_provincial_average"
NATION = "Việt Nam"

lang = current_lang()
URL_PATH = "briefing"
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


# Large type for a wall or a projector; metrics keep Streamlit's high-contrast colours.
st.html(
    "<style>"
    "[data-testid='stMetricValue']{font-size:clamp(2rem,4.2vw,3rem);font-weight:700;}"
    "[data-testid='stMetricLabel'] p{font-size:1.05rem;}"
    "</style>"
)
st.title(t("briefing.title", lang, province=PROVINCE))
current_model = get_model()
scenario = init_scenario(current_model)
write_url(scenario, lang)
# a saved scenario still as opened is computed as saved: its pinned dataset version, draws, seed
calc = computation(scenario, current_model)
model, scenario = calc.model, calc.scenario
# the targets' sources come from the dataset version the scenario's numbers are computed on
scenario_data = data if model.version == current_model.version else frames(model.version)
show_link_problems(link_problems(), lang)

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
            st.markdown(f"**{escape_markdown(ind_label(indicator))}** ({when})")
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


# --- the chosen scenario: targets for 2025 and 2030, and every outcome to 2030 --------------
def scenario_name() -> str:
    if calc.opened is not None:
        return calc.opened.name(lang)
    if scenario.is_baseline():
        return t("briefing.scenario.baseline_name", lang)
    return t("briefing.scenario.open_name", lang)


def settings_summary() -> str:
    units_by_lever = {lid: lv.unit for lid, lv in model.levers.items()}
    parts = []
    for lid, path in sorted(scenario.levers.items()):
        lv = model.levers[lid]
        name = lv.label_en if lang == "en" else lv.label_vi
        for year, value in sorted(path.items()):
            parts.append(t("briefing.scenario.setting", lang, name=name, year=year,
                           value=fmt_value(value, units_by_lever[lid], lang, units)))
    frame = model.assumptions.frame().set_index("id")
    for aid, value in sorted(scenario.overrides.items()):
        parts.append(t("briefing.scenario.override", lang, name=label(frame.loc[aid], lang),
                       value=fmt_value(value, str(frame.loc[aid, "unit"]), lang, units)))
    return "; ".join(parts)


def how_it_is_made() -> str:
    return t("briefing.scenario.how_text", lang, **model_facts(model, calc.draws, calc.seed))


def target_sources(row: dict) -> None:
    """The rows stating one target, each with its source and quote (of the dataset version the
    scenario is computed on)."""
    rows = scenario_data["observations"]
    stated = rows[(rows["indicator"] == row["indicator"]) & (rows["kind"] == "target")
                  & (rows["year"] == row["year"]) & (rows["value"] == row["target"])]
    for j, (_, goal) in enumerate(stated.iterrows()):
        if j:
            st.divider()
        st.markdown(f"**{t('briefing.scenario.target_source', lang, value=value_text(goal), year=int(goal['year']))}**")
        render_source(goal, lang, scenario_data["sources"], scenario_data["units"])


def target_card(row: dict, i: int) -> None:
    ind, year = row["indicator"], int(row["year"])
    with st.container(border=True, key=f"target_card_{i}"):
        name = t("briefing.scenario.card_label", lang, label=ind_label(ind), year=year)
        # the label above the number wraps on narrow screens (a metric label would be cut)
        st.markdown(f"**{escape_markdown(name)}**")
        st.metric(name, fmt_outcome(row["projected"], ind, year, model, lang),
                  label_visibility="collapsed")
        status_line(str(row["status"]), float(row["probability"]), lang,
                    observed=row["basis"] == "observed")
        gap = (t("planner.table.reached", lang) if row["reached"] else
               t("planner.table.short_by", lang, gap=fmt_gap(row["gap"], ind, year, model, lang)))
        st.markdown(t("briefing.scenario.target_line", lang,
                      target=escape_markdown(fmt_outcome(row["target"], ind, year, model, lang)),
                      gap=escape_markdown(gap)))
        st.caption(t("briefing.scenario.range_line", lang,
                     low=fmt_outcome(row["p10"], ind, year, model, lang),
                     high=fmt_outcome(row["p90"], ind, year, model, lang)))
        if row["conflict"]:
            st.caption(t("briefing.scenario.conflict", lang))
        with st.popover(t("briefing.scenario.sources", lang), icon=":material/info:",
                        type="tertiary", key=f"target_src_{i}"):
            st.markdown(f"**{t('briefing.scenario.how', lang)}**")
            st.markdown(how_it_is_made())
            st.divider()
            target_sources(row)


st.divider()
# a name typed by a person is text; the catalogue's names are Markdown already
st.header(t("briefing.scenario.heading", lang, name=escape_markdown(scenario_name())
            if calc.opened is not None else scenario_name()))
opened_notice(calc, lang, current_model, URL_PATH)
if not scenario.is_baseline():
    st.caption(t("briefing.scenario.settings", lang, settings=settings_summary()))
st.page_link("app_pages/planner_page.py", label=t("briefing.scenario.open_planner", lang),
             icon=":material/tune:")
results = simulation(model, scenario, calc.draws, calc.seed)
sim_frame, sim_targets = results["frame"], results["targets"]
base_frame = baseline_projection(model)
cards = headline_targets(sim_targets, model)
st.caption(t("briefing.scenario.explained", lang, draws=fmt_int(calc.draws, lang)))
if cards.empty:
    st.info(t("briefing.scenario.no_targets", lang))
card_rows = cards.to_dict("records")
for start in range(0, len(card_rows), 3):  # rows of three cards; they stack on a phone
    for j, col in enumerate(st.columns(3)):
        if start + j < len(card_rows):
            with col:
                target_card(card_rows[start + j], start + j)
assumed = model.assumptions_for(scenario)
st.caption(status_rule(lang, assumed.value("status_on_track_probability"),
                       assumed.value("status_at_risk_probability")))

st.subheader(t("briefing.scenario.charts_heading", lang))
st.caption(t("planner.charts_help", lang))
series = by_indicator(sim_frame, ("year", "value", "p10", "p90"))
base_series = by_indicator(base_frame, ("year", "value"))
goals_by_ind: dict[str, list[dict]] = {}
for goal_row in sim_targets.to_dict("records"):
    goals_by_ind.setdefault(goal_row["indicator"], []).append(goal_row)
hist = history(model)
chart_cols = st.columns(2)
for i, ind in enumerate(o for o in outcome_order(model) if o in series):
    fig = outcome_figure(model, ind, lang=lang, title=ind_label(ind), scenario=series[ind],
                         baseline=base_series[ind], targets=goals_by_ind.get(ind, []),
                         history=hist[ind], is_baseline=scenario.is_baseline(),
                         scenario_name=scenario_name())
    with chart_cols[i % 2]:
        st.plotly_chart(fig, config=PLOTLY_CONFIG, theme=PLOTLY_THEME, key=f"briefing_fan_{ind}",
                        width="stretch")
with st.popover(t("briefing.scenario.how", lang), icon=":material/info:", type="tertiary",
                key="briefing_how"):
    st.markdown(how_it_is_made())
