"""Charts of projected outcomes, shared by the briefing, the planner, compare and the exports.

Every chart draws the same series in the same colour and style (Okabe-Ito, see
:data:`ROLE_COLOURS`): observed history as black dots, the baseline as a black dotted line, the
scenario as a blue line with its 10-90% band, targets as vermillion stars and the required path
to a target as a vermillion dashed line. Numbers in axes and hovers follow the language's
separators (:func:`planner.figures.style.apply_layout`).

What a value rests on is drawn too: observed figures are solid dots; the years that have ended
without an official figure (estimates) are hollow markers on a dotted, lighter line; the years
ahead (projections) the solid line. The DTI series break where the index's method changed
(:data:`METHOD_CHANGE_YEAR`). Under the title, each chart says how many observed years its series
rests on, or "assumed level, no measurement".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from planner.dataset import source_ids
from planner.figures.style import (
    FONT_SIZE,
    LABEL_WRAP,
    OKABE_ITO,
    base_layout,
    header_layout,
    legend_entries,
    plot_margins,
    title_lines,
)
from planner.formatting import fmt_chance, fmt_date, is_missing
from planner.horizon import END_YEAR, START_YEAR
from planner.i18n import t
from planner.ids import is_rank
from planner.standing import refined_basis
from planner.usertext import plain_label
from planner.views import fmt_outcome, status_label

ROLE_COLOURS: dict[str, str] = {
    "history": OKABE_ITO["black"],
    "baseline": OKABE_ITO["black"],
    "scenario": OKABE_ITO["blue"],
    "target": OKABE_ITO["vermillion"],
    "required_path": OKABE_ITO["vermillion"],
    "increase": OKABE_ITO["bluish_green"],
    "decrease": OKABE_ITO["orange"],
    "total": OKABE_ITO["blue"],
}
"""Colour of each series role, the same on every page."""

BAND_OPACITY = 0.2
STATUS_COLOURS: dict[str, str] = {
    "met": OKABE_ITO["bluish_green"],
    "on_track": OKABE_ITO["bluish_green"],
    "at_risk": OKABE_ITO["orange"],
    "off_track": OKABE_ITO["vermillion"],
    "missed": OKABE_ITO["vermillion"],
    "likely_met": OKABE_ITO["bluish_green"],
    "likely_missed": OKABE_ITO["vermillion"],
    "no_measurement": OKABE_ITO["black"],
    "not_modelled": OKABE_ITO["black"],
    "national_reference": OKABE_ITO["sky_blue"],
}
"""Traffic-light colours of the target statuses (always shown with an icon and a word)."""

CHART_HEIGHT = 420
LEGEND_SIZE = 13
"""The legend's font size on a chart over the years."""

METHOD_CHANGE_YEAR = 2021
"""First year of the DTI's current method: the 2020 assessment used 108 components, so a DTI
series is not joined across 2020-2021."""

X_LABEL_STANDOFF = 14
"""Pixels between the plot's foot and the years' labels."""

ESTIMATE_OPACITY = 0.6
"""Opacity of the estimate part of a scenario's line (ended years, no official figure)."""


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


VALIDATE = False
"""Whether figures are validated property by property when built. The figures here are
fixed structures checked by the unit tests (which build them with validation on); skipping
the check in the app halves the cost of a chart in a rerun after each lever move."""


def as_figure(spec: Mapping[str, Any]) -> go.Figure:
    """A figure's dict (``data``, ``layout``) as a plotly Figure, validated as :data:`VALIDATE`
    says.

    Parameters
    ----------
    spec : mapping
        What :func:`fan_spec` or :func:`outcome_spec` returns.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    return go.Figure(spec, _validate=VALIDATE)


def layout(lang: str, **overrides: Any) -> dict[str, Any]:
    """:func:`planner.figures.style.base_layout` with ``overrides`` merged one level deep (a dict value
    updates the base's dict of the same name). Building the layout as a dict is much faster
    than ``Figure.update_layout``, which matters in a rerun after each lever move."""
    out = base_layout(lang)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def value_format(unit: str) -> dict[str, str]:
    """Plotly hover and tick formats for a unit (``percent``, ``index_0_1``, ranks), and the
    widest tick label the unit's range can give (``widest``; empty where it is not known)."""
    if unit == "percent":  # 0-100 (data/units.csv)
        return {"hover": ",.1f", "suffix": "%", "tick": ",.0f", "widest": "100%"}
    if unit.startswith("rank_of_"):  # at most 63 provinces
        return {"hover": ",.0f", "suffix": "", "tick": ",d", "widest": "63"}
    if unit == "index_0_1":
        return {"hover": ",.4f", "suffix": "", "tick": ",.2f", "widest": "0,00"}
    return {"hover": ",.3~f", "suffix": "", "tick": "", "widest": ""}


def fan_spec(
    *,
    indicator: str,
    title: str,
    unit: str,
    lang: str,
    history: Mapping[str, Sequence],
    baseline: Mapping[str, Sequence],
    scenario: Mapping[str, Sequence],
    targets: Sequence[Mapping[str, Any]] = (),
    scenario_name: str | None = None,
    show_baseline: bool = True,
    field_sizes: tuple[int, int] | None = None,
    switch_year: int | None = None,
    height: int = CHART_HEIGHT,
    estimate_until: int | None = None,
    subtitle: str = "",
    break_before: int | None = None,
    estimate_notes: Mapping[int, str] | None = None,
    text_scale: float = 1.0,
) -> dict[str, Any]:
    """One outcome: history, baseline, scenario with its 10-90% band, targets, required paths.

    The figure as a plain dict (``data``, ``layout``), what plotly.js draws: a lever move
    sends it to the browser as it is (:func:`ui.chart_view.live_chart`), without the cost of
    a plotly Figure; :func:`fan_chart` makes one.

    Parameters
    ----------
    indicator : str
        Outcome id (the rank gets a reversed axis with 1 at the top).
    title : str
        Chart title.
    unit : str
        Unit id of the projected years (hover and tick formats).
    lang : str
        ``"vi"`` or ``"en"`` (separators and legend names).
    history : mapping
        Columns ``year, value`` and optionally ``hover`` (observed values); a DataFrame or a
        dict of sequences.
    baseline : mapping
        Columns ``year, value`` of the baseline from the last observed year on.
    scenario : mapping
        Columns ``year, value, p10, p90`` of the scenario from the last observed year on.
    targets : sequence of mapping
        Rows with ``year, target, required_path`` ([(year, value)]) and optionally ``hover``.
    scenario_name : str, optional
        Legend name of the scenario line.
    show_baseline : bool, optional
        Draw the baseline line (off when the scenario is the baseline).
    field_sizes : tuple of int, optional
        ``(63, 34)``: for the rank, the field sizes before and from ``switch_year``.
    switch_year : int, optional
        First year of the second field size.
    height : int, optional
        Height in pixels.
    estimate_until : int, optional
        The last ended year: the scenario's line up to it is an estimate, drawn dotted with
        hollow markers (legend ``chart.estimate``), the rest the projection.
    subtitle : str, optional
        A line under the title (what the series rests on); plain text.
    break_before : int, optional
        The history line is not joined between ``break_before - 1`` and ``break_before`` (a
        method change); the years stay as dots.
    estimate_notes : mapping, optional
        ``{year: text}``: what an ended year's estimate is, where more can be said than
        ``chart.estimate`` (a ranking published without the province's score).
    text_scale : float, optional
        Every font size times this (larger type on a wall).

    Returns
    -------
    dict
        ``{"data": [...], "layout": {...}}``.
    """
    fmt = value_format(unit)
    hover = f"%{{x}}: %{{y:{fmt['hover']}}}{fmt['suffix']}"
    scen_colour = ROLE_COLOURS["scenario"]
    data: list[dict[str, Any]] = []
    if _rows(scenario):
        years = [int(y) for y in scenario["year"]]
        data.append({"type": "scatter", "x": years + years[::-1],
                     "y": [float(v) for v in scenario["p90"]]
                     + [float(v) for v in scenario["p10"]][::-1],
                     "mode": "lines", "fill": "toself",
                     "fillcolor": _rgba(scen_colour, BAND_OPACITY),
                     "line": {"width": 0}, "hoverinfo": "skip",
                     "name": t("planner.chart.band", lang), "legendrank": 4})
    if show_baseline and _rows(baseline):
        data.append({"type": "scatter", "x": [int(y) for y in baseline["year"]],
                     "y": [float(v) for v in baseline["value"]],
                     "mode": "lines", "name": t("planner.chart.baseline", lang),
                     "line": {"color": ROLE_COLOURS["baseline"], "dash": "dot", "width": 2},
                     "hovertemplate": hover, "legendrank": 2})
    if _rows(scenario):
        values = [float(v) for v in scenario["value"]]
        cut = estimate_until if estimate_until is not None else years[0] - 1
        ended = [(y, v) for y, v in zip(years, values, strict=True) if y <= cut]
        ahead = [(y, v) for y, v in zip(years, values, strict=True) if y >= cut]
        if len(ended) > 1:
            notes = estimate_notes or {}
            data.append({"type": "scatter", "x": [y for y, _ in ended],
                         "y": [v for _, v in ended], "mode": "lines+markers",
                         "name": t("chart.estimate", lang), "opacity": ESTIMATE_OPACITY,
                         "line": {"color": scen_colour, "width": 3, "dash": "dot"},
                         "marker": {"size": 8, "symbol": "circle-open"},
                         "text": [plain_label(notes.get(y, t("chart.estimate", lang)))
                                  for y, _ in ended],
                         "hovertemplate": hover + " · %{text}<extra></extra>",
                         "legendrank": 3})
        if len(ahead) > 0:
            data.append({"type": "scatter", "x": [y for y, _ in ahead],
                         "y": [v for _, v in ahead], "mode": "lines+markers",
                         "name": plain_label(scenario_name or t("planner.chart.scenario", lang)),
                         "line": {"color": scen_colour, "width": 3}, "marker": {"size": 6},
                         "hovertemplate": hover, "legendrank": 3})
    if _rows(history):
        h_text = [plain_label(h) for h in history["hover"]] if "hover" in history else None
        h_years = [int(y) for y in history["year"]]
        h_values: list[float | None] = [float(v) for v in history["value"]]
        if break_before is not None and (break_before - 1) in h_years and break_before in h_years:
            at = h_years.index(break_before)  # a gap (None) where the method changed
            h_years = h_years[:at] + [None] + h_years[at:]
            h_values = h_values[:at] + [None] + h_values[at:]
            if h_text is not None:
                h_text = h_text[:at] + [""] + h_text[at:]
        data.append({"type": "scatter", "x": h_years,
                     "y": h_values,
                     "mode": "markers+lines", "name": t("planner.chart.history", lang),
                     "line": {"color": ROLE_COLOURS["history"], "width": 1},
                     "marker": {"color": ROLE_COLOURS["history"], "size": 10},
                     "text": h_text,
                     "hovertemplate": hover + ("<br>%{text}" if h_text else "") + "<extra></extra>",
                     "legendrank": 1})
    paths = [path for tg in targets if len(path := list(tg.get("required_path") or [])) > 1]
    for i, path in enumerate(paths):  # one legend entry for them all
        data.append({"type": "scatter", "x": [p[0] for p in path], "y": [p[1] for p in path],
                     "mode": "lines", "name": t("planner.chart.required_path", lang),
                     "legendgroup": "required", "showlegend": i == 0,
                     "line": {"color": ROLE_COLOURS["required_path"], "dash": "dash",
                              "width": 2},
                     "hovertemplate": hover, "legendrank": 6})
    if targets:
        data.append({"type": "scatter", "x": [tg["year"] for tg in targets],
                     "y": [tg["target"] for tg in targets], "mode": "markers",
                     "name": t("planner.chart.target", lang),
                     "marker": {"symbol": "star", "size": 18, "color": ROLE_COLOURS["target"],
                                "line": {"color": "#000000", "width": 1}},
                     "text": [plain_label(tg.get("hover", "")) for tg in targets],
                     "hovertemplate": hover + "<br>%{text}<extra></extra>", "legendrank": 5})
    yaxis: dict[str, Any] = {"ticksuffix": fmt["suffix"], "tickformat": fmt["tick"],
                             "title": {"text": ""}}
    shapes, annotations = [], []
    if is_rank(indicator):
        top = max(field_sizes) if field_sizes else None
        yaxis.update({"autorange": "reversed", "rangemode": "tozero"})
        if top:
            yaxis.update({"autorange": False, "range": [min(top, _worst(scenario, history)) + 1,
                                                        0.5]})
        shapes, annotations = field_switch_marks(lang, field_sizes, switch_year, text_scale)
    notes = []
    if break_before is not None:
        notes.append((break_before - 0.5, t("chart.method_change", lang)))
        shapes = [*shapes, {"type": "line", "x0": break_before - 0.5, "x1": break_before - 0.5,
                            "yref": "paper", "y0": 0, "y1": 1,
                            "line": {"color": "#999999", "dash": "dashdot", "width": 1}}]
    return {"data": data, "layout": years_layout(
        lang, plain_label(title), height=height, yaxis=yaxis, shapes=shapes,
        annotations=annotations, subtitle=plain_label(subtitle) if subtitle else "",
        notes=notes, scale=text_scale, data=data, widest_tick=fmt["widest"])}



def fan_chart(**kwargs: Any) -> go.Figure:
    """:func:`fan_spec` (the same keyword arguments) as a plotly Figure."""
    return as_figure(fan_spec(**kwargs))


def years_layout(lang: str, title: str, *, height: int, yaxis: Mapping[str, Any],
                 shapes: Sequence[Mapping] = (), annotations: Sequence[Mapping] = (),
                 subtitle: str = "", notes: Sequence[tuple[float, str]] = (),
                 scale: float = 1.0, data: Sequence[Mapping] = (),
                 widest_tick: str = "") -> dict[str, Any]:
    """The layout of a chart over the years (the fan charts and the compare charts): its
    header (:func:`planner.figures.style.header_layout`), the years' axis, the legend at the
    chart's foot, one entry a row.

    With ``widest_tick`` the margins are fixed here (:func:`planner.figures.style.plot_margins`)
    and Plotly does not fit them to the labels: fitting them draws a new chart twice, and
    every lever move draws the open tab's charts anew (Streamlit replaces a chart whose figure
    changed), about 2.5 times the browser's time of a chart drawn once.

    Parameters
    ----------
    lang : str
    title, subtitle : str
        Header texts, escaped for Plotly.
    height : int
        Height in pixels.
    yaxis : mapping
        The value axis.
    shapes, annotations : sequence of mapping, optional
        The chart's own marks (the header's notes are added to the annotations).
    notes : sequence of (float, str), optional
        Notes above the plot, each starting at a year (:func:`header_layout`).
    scale : float, optional
        Every font size times this (larger type on a wall).
    data : sequence of mapping, optional
        The figure's traces (how many legend entries there are).
    widest_tick : str, optional
        The widest label the value axis can have (:func:`value_format`); empty: Plotly fits
        the margins.

    Returns
    -------
    dict
        The figure's layout.
    """
    head = header_layout(title, subtitle, notes, scale)
    font_size, legend_size = round(FONT_SIZE * scale), round(LEGEND_SIZE * scale)
    margin = {"l": 10, "r": 10, "t": head["margin"]["t"], "b": 10}
    fixed = bool(widest_tick)
    if fixed:
        margin.update(plot_margins(widest_tick, legend_entries(data), font_size, legend_size,
                                   X_LABEL_STANDOFF))
    return layout(
        lang,
        font={"size": font_size},
        height=height,
        margin=margin,
        # the legend at the chart's foot, below the years' labels, one entry a row (as many
        # rows at every width, so the margins above hold it); "normal", not Plotly's
        # "grouped", which puts each legend group in a column of its own
        legend={"orientation": "v", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0,
                "traceorder": "normal", "font": {"size": legend_size}},
        # the years' labels clear of the lowest value's label at the corner between them
        xaxis={"range": [START_YEAR - 0.5, END_YEAR + 0.5], "dtick": 2, "tickformat": "d",
               "ticklabelstandoff": X_LABEL_STANDOFF, "automargin": not fixed},
        yaxis={**yaxis, "automargin": not fixed},
        shapes=list(shapes),
        annotations=[*annotations, *head["annotations"]],
    )


def rank_field(model) -> tuple[tuple[int, int], int]:
    """The field sizes before and from the year the field changes, and that year.

    Parameters
    ----------
    model : planner.projection.PlannerResults

    Returns
    -------
    tuple
        ``((63, 34), 2025)`` with the data shipped: the model's field of provinces
        (:class:`planner.rank.Field`) and the first year of its smaller grouping.
    """
    switch = model.field.switch_year
    return (model.field.size(switch - 1), model.field.size(switch)), switch


def field_switch_marks(lang: str, field_sizes: tuple[int, int] | None,
                       switch_year: int | None, scale: float = 1.0
                       ) -> tuple[list[dict], list[dict]]:
    """A dotted line where the number of provinces changes, labelled "63 → 34 provinces".

    Parameters
    ----------
    lang : str
    field_sizes : tuple of int or None
        ``(before, after)``.
    switch_year : int or None
        The first year of the new field.
    scale : float, optional
        The label's font size times this.

    Returns
    -------
    tuple of list
        Plotly ``shapes`` and ``annotations`` (both empty without a switch).
    """
    if not (switch_year and field_sizes):
        return [], []
    x = switch_year - 0.5
    shape = {"type": "line", "x0": x, "x1": x, "yref": "paper", "y0": 0, "y1": 1,
             "line": {"color": "#555555", "dash": "dot", "width": 1}}
    note = {"x": x, "yref": "paper", "y": 0.0, "xanchor": "center", "yanchor": "bottom",
            "showarrow": False, "bgcolor": "rgba(255,255,255,0.85)",
            "font": {"size": round(12 * scale)},
            "text": t("planner.chart.field_switch", lang, before=field_sizes[0],
                      after=field_sizes[1])}
    return [shape], [note]


def _rows(cols: Mapping[str, Sequence]) -> int:
    return len(cols["year"]) if "year" in cols else 0


def _worst(scenario: Mapping[str, Sequence], history: Mapping[str, Sequence]) -> float:
    values = [1.0]
    if _rows(scenario):
        values.append(float(max(scenario["p90"])))
    if _rows(history):
        values.append(float(max(history["value"])))
    return max(values) + 2


def contribution_chart(
    *,
    title: str,
    unit: str,
    lang: str,
    steps: Sequence[tuple[int, str, str, float, str]],
    height: int | None = None,
) -> go.Figure:
    """A horizontal waterfall: baseline, what each lever adds, the scenario; per year.

    The value axis is zoomed on the levels the bars reach, so that small contributions show.

    Parameters
    ----------
    title : str
        Chart title.
    unit : str
        Unit id (formats).
    lang : str
        ``"vi"`` or ``"en"``.
    steps : sequence of tuple
        ``(year, label, measure, value, text)`` with ``measure`` ``"absolute"`` (the
        baseline), ``"relative"`` (a lever's contribution) or ``"total"`` (the scenario), and
        ``text`` the value written on the bar (formatted for the language). A year starts
        with its ``absolute`` step.
    height : int, optional
        Height in pixels (by default from the number of bars).

    Returns
    -------
    plotly.graph_objects.Figure
        The figure.
    """
    fmt = value_format(unit)
    levels, level = [], 0.0
    for _, _, measure, value, _ in steps:
        level = value if measure in ("absolute", "total") else level + value
        levels.append(level)
    lo, hi = (min(levels), max(levels)) if levels else (0.0, 1.0)
    pad = max((hi - lo) * 0.35, abs(hi) * 0.01, 1e-6)
    names = [title_lines(plain_label(f"{s[0]} · {s[1]}"), LABEL_WRAP) for s in steps]
    lines = max((len(name) for name in names), default=1)
    trace = {
        "type": "waterfall",
        "orientation": "h",
        "y": ["<br>".join(name) for name in names],
        "measure": [s[2] for s in steps],
        "x": [s[3] for s in steps],
        "increasing": {"marker": {"color": ROLE_COLOURS["increase"]}},
        "decreasing": {"marker": {"color": ROLE_COLOURS["decrease"]}},
        "totals": {"marker": {"color": ROLE_COLOURS["total"]}},
        "connector": {"line": {"color": "#555555", "dash": "dot", "width": 1}},
        "text": [plain_label(s[4]) for s in steps],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    head = header_layout(plain_label(title))
    return as_figure({"data": [trace], "layout": layout(
        lang, annotations=head["annotations"],
        # a bar's row holds its label's lines
        height=height or 80 + max(34, 22 * lines + 4) * len(steps), showlegend=False,
        margin={"l": 10, "r": 60, "t": head["margin"]["t"], "b": 10},
        xaxis={"ticksuffix": fmt["suffix"], "tickformat": fmt["tick"],
               "range": [lo - pad, hi + pad], "showgrid": True, "gridcolor": "#E5E7EB"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"})})


def by_indicator(frame: pd.DataFrame, columns: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Split a tidy frame by indicator once: ``{indicator: {column: numpy array}}``.

    Charts of several outcomes then slice arrays instead of filtering the frame each time.
    """

    ind = frame["indicator"].to_numpy()
    cols = {c: frame[c].to_numpy() for c in columns}
    out: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(ind):
        mask = ind == name
        out[str(name)] = {c: v[mask] for c, v in cols.items()}
    return out


def outcome_spec(
    model,
    indicator: str,
    *,
    lang: str,
    title: str,
    scenario: Mapping[str, Any],
    baseline: Mapping[str, Any],
    targets: Sequence[Mapping[str, Any]],
    history: pd.DataFrame,
    is_baseline: bool,
    scenario_name: str | None = None,
    height: int = CHART_HEIGHT,
    text_scale: float = 1.0,
) -> dict[str, Any]:
    """:func:`fan_spec` of one outcome from the model's results.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model (anchor years, units, the field of provinces).
    indicator : str
        The outcome.
    lang : str
        ``"vi"`` or ``"en"``.
    title : str
        Chart title.
    scenario : mapping
        The outcome's rows of the scenario's simulation frame as arrays
        (``year, value, p10, p90``; see :func:`by_indicator`).
    baseline : mapping
        The outcome's baseline projection as arrays (``year, value``).
    targets : sequence of mapping
        The outcome's target rows (:func:`planner.targets.evaluate_targets`).
    history : pandas.DataFrame
        ``year, value, kind, source`` of the outcome.
    is_baseline : bool
        Whether the scenario is the baseline (then no separate baseline line).
    scenario_name : str, optional
        Legend name of the scenario.
    height : int, optional
        Height in pixels.
    text_scale : float, optional
        Every font size times this (larger type on a wall).

    Returns
    -------
    dict
        The figure's ``data`` and ``layout`` (:func:`outcome_figure` makes a Figure).
    """
    anchor = model.anchor_year(indicator)
    keep = scenario["year"] >= anchor
    scen = {c: scenario[c][keep] for c in ("year", "value", "p10", "p90")}
    keep_b = baseline["year"] >= anchor
    base = {c: baseline[c][keep_b] for c in ("year", "value")}
    source_word = t("planner.chart.source", lang)
    obs = model.obs
    hist = {
        "year": list(history["year"]), "value": list(history["value"]),
        "hover": [f"{t('basis.two_readings', lang) if two else t(f'kind.{k}', lang)}"
                  f" · {source_word}: {s}"
                  for k, s, two in zip(history["kind"], history["source"],
                                       [refined_basis(obs, indicator, int(y), "observed")
                                        == "two_readings" for y in history["year"]],
                                       strict=True)],
    }
    ended_years = [int(y) for y in scen["year"] if int(y) <= model.last_ended_year]
    estimate_notes = {y: t("basis.not_found", lang) for y in ended_years
                      if refined_basis(obs, indicator, y, "estimate") == "not_found"}
    goals = []
    for r in targets:
        year = int(r["year"])
        prob = ("" if r["basis"] == "observed" or r.get("assumed")
                else f" · {fmt_chance(r['probability'], lang)}")
        goals.append({
            "year": year, "target": float(r["target"]),
            "required_path": r["required_path"] if year > anchor else [],
            "hover": (f"{t('planner.chart.target', lang)} {year}: "
                      f"{fmt_outcome(r['target'], indicator, year, model, lang)} · "
                      f"{status_label(str(r['status']), lang)}{prob} · "
                      f"{source_word}: {', '.join(r['sources'])}"),
        })
    unit = model.unit_of(indicator, END_YEAR)
    field_sizes, switch = rank_field(model) if is_rank(indicator) else (None, None)
    return fan_spec(
        indicator=indicator, title=title, unit=unit, lang=lang, history=hist,
        baseline=base, scenario=scen, targets=goals, scenario_name=scenario_name,
        show_baseline=not is_baseline, field_sizes=field_sizes, switch_year=switch,
        height=height, estimate_until=model.last_ended_year,
        subtitle=evidence_text(model, indicator, lang),
        break_before=METHOD_CHANGE_YEAR if indicator.startswith("dti_") else None,
        estimate_notes=estimate_notes, text_scale=text_scale,
    )



def outcome_figure(model, indicator: str, **kwargs: Any) -> go.Figure:
    """:func:`outcome_spec` (the same arguments) as a plotly Figure."""
    return as_figure(outcome_spec(model, indicator, **kwargs))


def evidence_text(model, indicator: str, lang: str) -> str:
    """What a series rests on: "assumed level, no measurement" for an indicator with no
    measurement, else how many years have an observed figure (``evidence.points``, or
    ``evidence.point`` for one;
    :func:`planner.standing.observed_figures`: an inferred value or one derived from a
    statement read two ways is not counted)."""
    if model.is_assumed(indicator):
        return t("evidence.assumed_level", lang)
    n = model.observed_points(indicator)
    return t("evidence.point", lang) if n == 1 else t("evidence.points", lang, n=n)


NOTE_SOURCES = 2
"""How many sources a chart's paper note names (the newest figures' first)."""
NOTE_TITLE_LIMIT = 90
"""A source title in a chart's paper note is cut to this many characters."""


def chart_note(model, indicator: str, title: str, history: pd.DataFrame, lang: str) -> str:
    """What a printed chart says under it: its title, its sources and their dates.

    On screen these are one click away (the chart's hover, the cards' popovers); on paper
    the note is all there is (:func:`ui.layout_css.paper_note`).

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The model (its dataset's sources; whether the outcome is measured at all).
    indicator : str
        The outcome.
    title : str
        The chart's title, plain text.
    history : pandas.DataFrame
        ``year, source`` of the outcome's observed values (:func:`ui.model.history`).
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        Plain text: catalogue ``chart.paper.note``, the newest figures' sources first, at
        most :data:`NOTE_SOURCES` of them named and the rest counted.
    """
    ids: list[str] = []
    rows = history.sort_values("year", ascending=False) if not history.empty else history
    for cell in rows.get("source", []):
        for sid in source_ids("" if is_missing(cell) else str(cell)):
            if sid not in ids:
                ids.append(sid)
    sources = model.dataset.sources.set_index("id", drop=False)
    named = []
    for sid in ids[:NOTE_SOURCES]:
        if sid not in sources.index:
            named.append(sid)
            continue
        row = sources.loc[sid]
        name = "" if is_missing(row.get("title")) else str(row["title"]).strip()
        name = name or sid
        if len(name) > NOTE_TITLE_LIMIT:
            name = name[: NOTE_TITLE_LIMIT - 1].rstrip() + "…"
        date = row.get("date")
        named.append(name if is_missing(date) or not str(date).strip()
                     else t("chart.paper.source_dated", lang, source=name,
                            date=fmt_date(str(date).strip(), lang)))
    if not named:
        said = t("evidence.assumed_level", lang) if model.is_assumed(indicator) else "–"
    else:
        said = "; ".join(named)
        if len(ids) > NOTE_SOURCES:
            said += " " + t("chart.paper.more_sources", lang, n=len(ids) - NOTE_SOURCES)
    return t("chart.paper.note", lang, title=plain_label(title), sources=said)
