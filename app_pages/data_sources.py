"""Data and sources: every value with its quote, searchable and filterable; conflicts shown."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from planner.browse import (
    KINDS,
    backtest_summary_table,
    backtest_table,
    calibration_table,
    conflict_groups,
    conflict_title,
    display_table,
    register_table,
    subindex_table,
)
from planner.figures.style import KIND_COLOURS, KIND_SYMBOLS, apply_layout
from planner.formatting import fmt_date, fmt_int, fmt_percent, fmt_value
from planner.i18n import label, t
from planner.ids import OVERALL, PROVINCE
from planner.projection import BACKTEST_DRAWS
from ui.chart_options import PLOTLY_CONFIG, PLOTLY_THEME
from ui.data import frames
from ui.data_views import backtest, baseline_register, values_view
from ui.export_menu import export_menu_for_rows
from ui.lang import current_lang
from ui.layout_css import paper_table, static_table
from ui.model import get_model
from ui.paint import first_paint, first_visit
from ui.sources import kind_label

URL_PATH = "data"
FILTERS_KEY = "data_filters"
TABLE_HEIGHT = 460
# rows drawn first on a session's first visit: more than the box shows (a row is at least 30 px)
FIRST_ROWS = 20
MARKER_SIZES = {"external": 15, "target": 18, "observed": 11}

lang = current_lang()
data = frames()
obs: pd.DataFrame = data["observations"]
units: pd.DataFrame = data["units"]
sources: pd.DataFrame = data["sources"]
indicators: pd.DataFrame = data["indicators"]
ind_labels = {str(r["id"]): label(r, lang) for r in indicators.to_dict("records")}
unit_labels = {str(r["id"]): label(r, lang) for r in units.to_dict("records")}
src_titles = {
    str(r["id"]): str(r["title"]) if isinstance(r.get("title"), str) and r["title"] else str(r["id"])
    for r in sources.to_dict("records")
}


def indicator_name(indicator: str) -> str:
    return ind_labels.get(indicator, indicator)


st.title(t("data.title", lang))
st.caption(
    t(
        "data.intro",
        lang,
        values=fmt_int(len(obs), lang),
        indicators=fmt_int(obs["indicator"].nunique(), lang),
        sources=fmt_int(len(sources), lang),
    )
)

# --- filters -------------------------------------------------------------------------------
indicator_ids = sorted(obs["indicator"].dropna().unique(), key=lambda i: indicator_name(i).casefold())
kind_ids = [k for k in KINDS if k in set(obs["kind"])]
source_ids = sorted(obs["source"].dropna().unique(), key=lambda s: src_titles.get(s, s).casefold())

# The filters' place is kept (ui/assets/layout.css) while the table is drawn first (their
# values are read from the session before they are drawn), so nothing moves when they come.
# The search's help is a caption above it (a help tooltip's button is named "Help for …" in
# English), drawn with the table: the place kept below holds the widgets alone, of known height.
st.caption(t("data.search_help", lang))
with st.container(key=FILTERS_KEY):
    # an empty container may not be drawn at all: the place holds an empty block until then
    filters = st.empty()
    filters.html('<div class="place-kept"></div>')


def draw_filters() -> None:
    """The search box and the three filters, in their place above the table."""
    with filters.container():
        st.text_input(t("data.search", lang), key="data_search",
                      placeholder=t("data.search_hint", lang))
        f1, f2, f3 = st.columns(3)
        with f1:
            st.multiselect(t("data.filter_indicator", lang), indicator_ids,
                           format_func=indicator_name, key="data_ind",
                           placeholder=t("data.choose", lang))
        with f2:
            st.multiselect(t("data.filter_kind", lang), kind_ids,
                           format_func=lambda k: kind_label(k, lang), key="data_kind",
                           placeholder=t("data.choose", lang))
        with f3:
            st.multiselect(t("data.filter_source", lang), source_ids,
                           format_func=lambda s: src_titles.get(s, s), key="data_src",
                           placeholder=t("data.choose", lang))


# each filter's value as the reader left it (empty on a first visit)
search = str(st.session_state.get("data_search") or "")
chosen_indicators = list(st.session_state.get("data_ind") or [])
chosen_kinds = list(st.session_state.get("data_kind") or [])
chosen_sources = list(st.session_state.get("data_src") or [])

# made once per dataset version, language and filters (a session's first visit finds it ready)
shown, table, conflict_mask = values_view(lang, search, chosen_indicators, chosen_kinds,
                                          chosen_sources)
n_conflict = sum(conflict_mask)
st.caption(
    t(
        "data.shown",
        lang,
        shown=fmt_int(len(shown), lang),
        total=fmt_int(len(obs), lang),
        conflicts=fmt_int(n_conflict, lang),
    )
)


# every row, long quotes wrapping, conflicts highlighted: a static table that shows as soon as
# it arrives (the search and filters above do what a grid's sorting would)
# on a session's first visit a box's worth of rows first, every row once the page is drawn
whole_table = static_table(table, "data_table", height=TABLE_HEIGHT, marked=conflict_mask,
                           first_rows=FIRST_ROWS if first_visit(URL_PATH) else None)
first_paint(URL_PATH)  # the table on screen before the filters and the rest arrive
draw_filters()
# --- download: the rows the filters show, made only when clicked -------------------------------
export_menu_for_rows(shown, lang, key="data_csv")

# --- conflicts -----------------------------------------------------------------------------
groups = conflict_groups(obs)
if groups:
    with st.expander(t("data.conflicts", lang, n=fmt_int(len(groups), lang)), icon=":material/warning:"):
        st.caption(t("data.conflicts_explained", lang))
        for cid, rows in groups.items():
            st.markdown(f"**{conflict_title(cid, lang, obs, indicators)}**")
            paper_table(display_table(rows, lang, indicators, units, sources), f"conflict_{cid}",
                        hide_index=True, width="stretch")

# --- every target, its status under the baseline ---------------------------------------------
model = get_model()
register = baseline_register(model)
st.markdown(f"### {t('data.register_heading', lang)}")
st.caption(t("data.register_intro", lang, n=fmt_int(len(register), lang)))
paper_table(register_table(register, obs, lang, indicators, units, sources), "register_table",
            hide_index=True, width="stretch")

# --- Quảng Ninh's DTI sub-indices ------------------------------------------------------------
subindices = subindex_table(obs, lang, indicators, units)
if not subindices.empty:
    st.markdown(f"### {t('data.subindex_heading', lang)}")
    weakest = subindices.iloc[:2, 0].tolist()
    st.caption(t("data.subindex_intro", lang, weakest=" · ".join(weakest)))
    paper_table(subindices, "subindex_table", hide_index=True, width="stretch")

# --- how well the model reproduces history -----------------------------------------------------
rows_bt, summary_bt = backtest(model)
units_of = dict(zip(indicators["id"].astype(str), indicators["unit"].astype(str), strict=True))
st.markdown(f"### {t('data.backtest_heading', lang)}")
st.caption(t("data.backtest_intro", lang))
paper_table(backtest_summary_table(summary_bt, lang, indicators, units_of, units),
            "backtest_summary", hide_index=True, width="stretch")
calibration = model.calibration(rows_bt)
st.markdown(f"#### {t('data.calibration_heading', lang)}")
st.caption(t("data.calibration_text", lang, inside=fmt_int(calibration["inside"], lang),
             n=fmt_int(calibration["hold_outs"], lang),
             share=fmt_percent(100 * calibration["coverage"], lang, 0),
             draws=fmt_int(BACKTEST_DRAWS, lang)))
paper_table(calibration_table(rows_bt, lang, indicators, units_of, units),
            "backtest_calibration", hide_index=True, width="stretch")
with st.expander(t("data.backtest_rows", lang, n=fmt_int(len(rows_bt), lang))):
    paper_table(backtest_table(rows_bt, lang, indicators, units_of, units), "backtest_rows",
                hide_index=True, width="stretch")

# --- chart of one indicator ----------------------------------------------------------------
st.markdown(f"### {t('data.chart_heading', lang)}")
c1, c2 = st.columns(2)
with c1:
    default_index = indicator_ids.index(OVERALL) if OVERALL in indicator_ids else 0
    chart_indicator = st.selectbox(
        t("data.chart_indicator", lang),
        indicator_ids,
        index=default_index,
        format_func=indicator_name,
        key="chart_ind",
    )
points = obs.loc[(obs["indicator"] == chart_indicator) & obs["value"].notna()]
geographies = sorted(points["geography"].dropna().unique())
with c2:
    geo_index = geographies.index(PROVINCE) if PROVINCE in geographies else 0
    chart_geo = st.selectbox(
        t("data.chart_geography", lang), geographies, index=geo_index, key="chart_geo"
    )
points = points.loc[points["geography"] == chart_geo].sort_values("year")

fig = go.Figure()
# Drawn in this order so an observed point stays visible on top of an equal external one.
for kind in ("assumption", "external", "derived", "observed", "target"):
    rows = points.loc[points["kind"] == kind]
    if rows.empty:
        continue
    text = [fmt_value(v, str(u), lang, units) for v, u in zip(rows["value"], rows["unit"], strict=True)]
    hover_sources = [src_titles.get(s, s) for s in rows["source"]]
    fig.add_trace(
        go.Scatter(
            x=rows["year"].astype(int),
            y=rows["value"].astype(float),
            mode="markers",
            name=kind_label(kind, lang),
            marker={
                "color": KIND_COLOURS[kind],
                "symbol": KIND_SYMBOLS[kind],
                "size": MARKER_SIZES.get(kind, 12),
                "line": {"width": 2, "color": KIND_COLOURS[kind]},
            },
            customdata=list(zip(text, hover_sources, strict=True)),
            hovertemplate="%{x}: <b>%{customdata[0]}</b><br>%{customdata[1]}<extra>"
            + kind_label(kind, lang)
            + "</extra>",
        )
    )
unit_id = str(points["unit"].iloc[0]) if not points.empty else ""
layout: dict = {
    "yaxis_title": unit_labels.get(unit_id, unit_id),
    "xaxis_title": t("column.year", lang),
    "xaxis_dtick": 1,
    "showlegend": True,
}
if unit_id.startswith("rank"):
    layout["yaxis_autorange"] = "reversed"
apply_layout(fig, lang, **layout)
st.markdown(f"**{indicator_name(chart_indicator)} · {chart_geo}**")
st.plotly_chart(fig, config=PLOTLY_CONFIG, theme=PLOTLY_THEME, key="indicator_chart")

# --- sources -------------------------------------------------------------------------------
st.markdown(f"### {t('data.sources_heading', lang)}")
counts = (
    sources.set_index("id")["n_values"]
    if "n_values" in sources
    else obs["source"].value_counts()
)
src_table = pd.DataFrame(
    {
        t("column.title", lang): sources["title"].fillna(""),
        t("column.source_kind", lang): sources["kind"].map(lambda k: t(f"source_kind.{k}", lang)),
        t("column.publisher", lang): sources["publisher"].fillna(""),
        t("column.date", lang): sources["date"].map(lambda d: fmt_date(d, lang)),
        t("column.address", lang): sources["address"].fillna(""),
        t("column.n_values", lang): sources["id"].map(lambda s: int(counts.get(s, 0))),
        t("column.source_id", lang): sources["id"].astype(str),
    }
)
address_col = t("column.address", lang)
paper_table(src_table, "sources_table", hide_index=True, width="stretch",
            column_config={address_col: st.column_config.LinkColumn(address_col)})
whole_table()  # every row, now that the rest of the page is drawn
