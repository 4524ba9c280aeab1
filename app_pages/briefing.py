"""Briefing: where Quảng Ninh stands now and, for the chosen scenario (the baseline unless one
is open), the targets of the last ended year (met, missed or likely so) and of the years ahead,
how the ended years went, every target of the data, and every outcome to 2030; each number with
its source one click away. Large type for a wall, columns that stack on a phone.

The page's frame comes first: the title and where the province stands (read from the data,
no model needed), then the scenario's heading and numbers as soon as the model is ready (it is
fitted at server start, ``ui.model.warm_up``; a spinner says so while it is not).

Sections, each a screen of its own in presentation mode (``section_<name>`` containers, see
:mod:`ui.layout_css`): the first screen (the DTI published, in the first year ahead and in
2030, the pillar ranks, the targets summary, one card per outcome and year), how the ended
years went with every target, and each row of two charts (``section_charts_<i>``)."""

from __future__ import annotations

import streamlit as st

from planner.figures.outcomes import CHART_HEIGHT
from planner.formatting import fmt_int
from planner.horizon import headline_years
from planner.i18n import label, t
from planner.ids import PROVINCE
from planner.outlook import card_groups, dti_outlook, outlook_years
from planner.scenario import BASELINE
from planner.views import headline_targets, outcome_order
from ui.briefing_picker import scenario_picker
from ui.data import frames
from ui.dti_outlook import CSS as DTI_CSS
from ui.dti_outlook import changed, outlook_box, pillar_line, published_box, rank_note
from ui.export_menu import export_menu_for_computation, export_menu_for_saved
from ui.horizon_notice import show_horizon_notice
from ui.lang import current_lang
from ui.layout_css import WALL_CHART_HEIGHT, WALL_TABLE_HEIGHT, WALL_TEXT_SCALE, presenting
from ui.model import baseline_projection, get_model, simulation
from ui.outcome_grid import outcome_grid
from ui.paint import first_paint
from ui.planner_results import years_text
from ui.scenario_state import (
    computation,
    init_scenario,
    link_problems,
    opened_notice,
    show_link_problems,
    write_url,
)
from ui.snapshot_view import show_frozen
from ui.standing_view import StandingView
from ui.status import status_rule
from ui.target_cards import (
    card_changed,
    how_it_is_made,
    scenario_heading,
    scenario_name,
    settings_summary,
    target_cards,
)
from ui.target_register import ended_lines, register_panel, targets_summary

URL_PATH = "briefing"

lang = current_lang()
# Large type for a wall or a projector; metrics keep Streamlit's high-contrast colours.
st.html(
    "<style>"
    "[data-testid='stMetricValue']{font-size:clamp(1.8rem,3.4vw,2.8rem);font-weight:700;}"
    "[data-testid='stMetricLabel'] p{font-size:1rem;}"
    "[data-testid='stMainBlockContainer']{padding-top:4.5rem;}"
    "@media (min-width:768px){[data-testid='stMainBlockContainer']{padding-top:1rem;}}"
    ".st-key-section_first [data-testid='stVerticalBlock']{gap:0.5rem;}"
    ".st-key-briefing_title h1{font-size:clamp(1.4rem,2.1vw,2.2rem);padding:0 0 0.25rem;}"
    # on a phone a caption's last line and the link under it must not touch
    "@media (max-width:767px){[data-testid='stElementContainer']:has(> [data-testid='stPageLink'])"
    "{margin-top:1.25rem !important;}}"
    ".st-key-briefing_heading h2{font-size:clamp(1.2rem,1.6vw,1.7rem);padding:0.25rem 0 0.3rem;}"
    ".briefing-chips{display:flex;flex-wrap:wrap;gap:0.35rem;font-size:0.9rem;"
    "padding-bottom:0.4rem;}"
    f"{DTI_CSS}"
    ".st-key-briefing_cards [data-testid='stMetricValue']{font-size:clamp(1.4rem,2.2vw,2rem);}"
    ".st-key-briefing_cards [data-testid='stMarkdown'] p{font-size:0.9rem;}"
    ".st-key-briefing_cards [data-testid='stMetricValue'] p{font-size:inherit;}"
    ".card-target{font-size:0.85rem;line-height:1.75;}"
    ".st-key-briefing_cards [class*='st-key-target_card_'] [data-testid='stVerticalBlock']"
    "{gap:0.4rem;}"
    ".card-target > span:first-child{font-size:0.8rem;padding:0.05em 0.4em !important;}"
    ".card-target .nb{white-space:nowrap;}"
    "</style>"
)
# --- the first screen: where the province stands, the targets in a row, the headline cards ---
first = st.container(key="section_first")
ended = st.container(key="section_ended")  # how the ended years went, every target
charts = st.container()  # each row of charts a section of its own (section_charts_<i>)
with first:
    with st.container(key="briefing_title"):
        st.title(t("briefing.title", lang, province=PROVINCE))
    picker = st.container(key="briefing_picker")
    notices = st.container()  # the link's problems, once the model has read the link
data = frames()
view = StandingView.of(data, lang)
with first, st.container(key="briefing_top"):
    dti_col, targets_col = st.columns([3, 1.25])
    with dti_col, st.container(key="briefing_dti"):
        published_col, *year_cols = st.columns(3)
        with published_col:  # from the data alone: on screen before the model is ready
            published_box(data["observations"], data["units"], lang)
        dti_notes = st.container(key="briefing_dti_notes")
with first:  # the places of what follows, in screen order, filled once the model is ready
    top_notices = st.container()  # the horizon, a saved scenario's warnings
    scenario_box = st.container(key="briefing_scenario")  # heading, changes, cards: one page
    after_cards = st.container()
first_paint(URL_PATH)  # where the province stands, on screen before the rest arrives
with st.spinner(t("notice.computing", lang)):
    current_model = get_model()
    scenario = init_scenario(current_model)
    write_url(scenario, lang)
    # a saved scenario still as opened is computed as saved: its pinned version, draws, seed
    calc = computation(scenario, current_model)
    model, scenario = calc.model, calc.scenario
    # a saved scenario today's model cannot reproduce shows its stored numbers, not a recompute
    results = None if calc.frozen else simulation(model, scenario, calc.draws, calc.seed)
with picker:
    scenario_picker(current_model, scenario, lang, URL_PATH)
with notices:
    show_link_problems(link_problems(), lang)
# the targets' sources come from the dataset version the scenario's numbers are computed on
scenario_data = data if model.version == current_model.version else frames(model.version)
labels = {str(r["id"]): label(r, lang) for r in scenario_data["indicators"].to_dict("records")}
with top_notices:
    show_horizon_notice(current_model, lang)  # once no year is left to set
    opened_notice(calc, lang, current_model, URL_PATH, plain_in=after_cards)
if calc.frozen and calc.opened is not None:
    with first:
        st.header(scenario_heading(calc, lang))
        show_frozen(calc.opened.id, calc.opened.name(lang), current_model, lang,
                    key="briefing_snapshot")
else:
    with targets_col:
        targets_summary(results["register"], lang, key="briefing_targets_summary")
    base_results = None if scenario.is_baseline() else simulation(model, BASELINE, calc.draws,
                                                                   calc.seed)
    # the score and rank of the first year ahead and of 2030, against the baseline's
    years_ahead = outlook_years(model.today)
    outlook = dti_outlook(results["frame"], model, years_ahead)
    base_outlook = ([] if base_results is None else
                    dti_outlook(base_results["frame"], model, years_ahead))
    base_by_year = {b.year: b for b in base_outlook}
    for col, row in zip(year_cols, outlook, strict=False):
        with col:
            outlook_box(row, base_by_year.get(row.year), model, lang)
    with dti_notes:
        lines = pillar_line(data["observations"], data["units"], model, results["frame"],
                            years_ahead[-1], lang)
        note = rank_note(data["observations"], data["units"], model, lang)
        st.caption("  \n".join([" ".join(lines), *([note] if note else [])]))
    cards = headline_targets(results["targets"], model)
    # the years ahead first (what the scenario changes), then the ended year's estimates
    groups = card_groups(cards, model.last_ended_year)
    base_values = None
    if base_results is not None:
        base_cards = headline_targets(base_results["targets"], model)
        base_values = {(int(r["year"]), str(r["indicator"])): float(r["projected"])
                       for r in base_cards.to_dict("records")}
    # the years the cards show (those of the headline years that hold a target), else all
    years = years_text(sorted(set(map(int, cards["year"]))) or headline_years(model.today), lang)
    # the heading, what the scenario changes and the cards in one box: on paper one page
    with scenario_box:
        with st.container(key="briefing_heading"):
            st.header(scenario_heading(calc, lang))
        if not scenario.is_baseline():
            with st.container(key="briefing_scenario_changes"):
                st.caption(t("outlook.settings", lang, settings=settings_summary(
                    calc, lang, base_results["frame"])))
                moved = changed(outlook, base_outlook, model, lang) or any(
                    card_changed(g, base_values, model, lang) for g in groups)
                if not moved:
                    st.info(t("outlook.no_effect", lang), icon=":material/info:")
        if cards.empty:
            st.info(t("targets.none_for_years", lang, years=years))
        target_cards(groups, calc, scenario_data, labels, lang, base_values)
    with after_cards:
        st.caption(t("targets.cards_explained", lang, years=years, draws=fmt_int(calc.draws, lang)))
        st.page_link("app_pages/planner_page.py",
                     label=t("briefing.scenario.open_planner", lang), icon=":material/tune:")

    # --- below the first screen: the details ---------------------------------------------
    with ended:
        st.divider()
        ended_lines(results["register"], model, lang, key="briefing_ended")
        st.caption(status_rule(lang, model.assumptions_for(scenario)))
        # on a wall the register is open (nobody clicks there), its table sized to the screen
        register_panel(results["register"], model, lang, labels, key="briefing_register",
                       expanded=presenting(), height=WALL_TABLE_HEIGHT if presenting() else None)
        view.draw_details()

    def charts_heading() -> None:
        st.subheader(t("briefing.scenario.charts_heading", lang))
        with st.container(key="screen_only_chart_help"):  # how to use a chart: not on paper
            st.caption(t("chart.help", lang))

    with charts:
        outcome_grid(model, outcome_order(model), lang, frame=results["frame"],
                     base=baseline_projection(model), targets=results["targets"],
                     labels=labels, is_baseline=scenario.is_baseline(),
                     key_prefix="briefing_fan_", scenario_name=scenario_name(calc, lang),
                     pillar_ranks=True, section="section_charts", heading=charts_heading,
                     height=WALL_CHART_HEIGHT if presenting() else CHART_HEIGHT,
                     text_scale=WALL_TEXT_SCALE if presenting() else 1.0)
        with st.popover(t("briefing.scenario.how", lang), icon=":material/info:",
                        type="tertiary", key="briefing_how"):
            st.markdown(how_it_is_made(calc, lang))
if calc.frozen:
    with ended:
        view.draw_details()

# --- downloads: the standing and this scenario, the numbers above, made only when clicked ----
if calc.frozen and calc.opened is not None:  # a saved scenario: its stored numbers
    export_menu_for_saved(calc.opened.id, current_model, lang, key="briefing_export",
                          url_path=URL_PATH)
else:
    export_menu_for_computation(calc, results["frame"], results["targets"], lang,
                                key="briefing_export", url_path=URL_PATH)
