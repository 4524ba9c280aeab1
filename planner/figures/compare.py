"""Charts of the compare page: one outcome, one line per compared scenario.

Each slot (``A``..``D``) keeps one colour and one dash on every chart and in the page's key
(:data:`SLOT_COLOURS`, :data:`SLOT_DASHES`), so a scenario is recognisable without colour too.
Scenario names are user text: they are HTML-escaped for Plotly (:func:`planner.usertext.plain_label`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from planner.figures.outcomes import CHART_HEIGHT, field_switch_marks, value_format, years_layout
from planner.figures.style import OKABE_ITO
from planner.i18n import t
from planner.ids import is_rank
from planner.usertext import plain_label

SLOT_COLOURS: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
)
"""Colour of slot A, B, C, D (Okabe-Ito)."""

SLOT_DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot")
"""Line style of slot A, B, C, D."""

BAND_OPACITY = 0.15
NAME_LIMIT = 40
ESTIMATE_OPACITY = 0.55
"""Opacity of the years that have ended without an official figure (estimates)."""


def rgba(hex_colour: str, alpha: float) -> str:
    """``#RRGGBB`` as ``rgba(r,g,b,alpha)``."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def compare_figure(*, indicator: str, title: str, unit: str, lang: str,
                   series: Sequence[tuple[str, str, pd.DataFrame]],
                   history: pd.DataFrame | None = None, bands: bool = False,
                   field_sizes: tuple[int, int] | None = None,
                   switch_year: int | None = None,
                   targets: Sequence[tuple[int, float]] = (),
                   height: int = CHART_HEIGHT) -> go.Figure:
    """One outcome for every compared scenario.

    Parameters
    ----------
    indicator : str
        Outcome id (the rank's axis is reversed, 1 at the top).
    title : str
        Chart title.
    unit : str
        Unit id of the projected years (hover and tick formats).
    lang : str
        ``"vi"`` or ``"en"``.
    series : sequence of tuple
        ``(slot, name, frame)`` per scenario, in slot order; ``frame`` has ``year, value`` and
        ``p10, p90`` (the outcome's rows only), and ``basis`` when known: the years that ended
        without a figure (``estimate``) are drawn as a lighter dotted line, apart from the
        projection. ``name`` is shown as plain text.
    history : pandas.DataFrame, optional
        Observed values (``year, value``), drawn as black dots.
    bands : bool, optional
        Draw each scenario's 10-90% band.
    field_sizes : tuple of int, optional
        For the rank: the number of provinces before and from ``switch_year`` (63, 34); the
        change is marked with a dotted line and a label.
    switch_year : int, optional
        The first year ranked among ``field_sizes[1]`` provinces.
    targets : sequence of tuple, optional
        ``(year, value)`` of the outcome's targets, drawn as open diamonds.
    height : int, optional
        Height in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    fmt = value_format(unit)
    hover = f"%{{x}}: %{{y:{fmt['hover']}}}{fmt['suffix']}"
    data: list[dict[str, Any]] = []
    estimate = t("basis.estimate", lang)
    shown_estimate = False
    for i, (slot, name, frame) in enumerate(series):
        colour = SLOT_COLOURS[i % len(SLOT_COLOURS)]
        frame = frame.sort_values("year")
        years = [int(y) for y in frame["year"]]
        label = plain_label(f"{slot} · {name}", NAME_LIMIT)
        if bands and len(frame):
            data.append({"type": "scatter", "x": years + years[::-1],
                         "y": [float(v) for v in frame["p90"]]
                         + [float(v) for v in frame["p10"]][::-1],
                         "mode": "lines", "fill": "toself",
                         "fillcolor": rgba(colour, BAND_OPACITY), "line": {"width": 0},
                         "hoverinfo": "skip", "showlegend": False, "legendgroup": slot})
        values = [float(v) for v in frame["value"]]
        ended = ([b in ("observed", "estimate") for b in frame["basis"]] if "basis" in frame
                 else [False] * len(years))
        if any(ended[1:]):  # ended years without a figure: a lighter dotted line, apart
            cut = max(i for i, e in enumerate(ended) if e)
            data.append({"type": "scatter", "x": years[:cut + 1], "y": values[:cut + 1],
                         "mode": "lines+markers", "legendgroup": slot, "showlegend": False,
                         "opacity": ESTIMATE_OPACITY,
                         "line": {"color": colour, "width": 2, "dash": "dot"},
                         "marker": {"size": 6, "symbol": "circle-open"},
                         "hovertemplate": f"{plain_label(slot)} ({estimate}): {hover}"
                                          "<extra></extra>"})
            years, values = years[cut:], values[cut:]
            shown_estimate = True
        data.append({"type": "scatter", "x": years, "y": values,
                     "mode": "lines+markers", "name": label, "legendgroup": slot,
                     "line": {"color": colour, "width": 3,
                              "dash": SLOT_DASHES[i % len(SLOT_DASHES)]},
                     "marker": {"size": 5},
                     "hovertemplate": f"{plain_label(slot)}: {hover}<extra></extra>"})
    if shown_estimate:  # one legend entry says what the dotted part is
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "lines+markers",
                     "name": estimate, "opacity": ESTIMATE_OPACITY,
                     "line": {"color": OKABE_ITO["black"], "width": 2, "dash": "dot"},
                     "marker": {"size": 6, "symbol": "circle-open"}, "hoverinfo": "skip"})
    if history is not None and len(history):
        data.append({"type": "scatter", "x": [int(y) for y in history["year"]],
                     "y": [float(v) for v in history["value"]], "mode": "markers",
                     "name": t("compare.chart.history", lang),
                     "marker": {"color": OKABE_ITO["black"], "size": 9},
                     "hovertemplate": hover + "<extra></extra>"})
    if targets:
        data.append({"type": "scatter", "x": [int(y) for y, _ in targets],
                     "y": [float(v) for _, v in targets], "mode": "markers",
                     "name": t("compare.target_marker", lang),
                     "marker": {"symbol": "diamond-open", "size": 14, "line": {"width": 3},
                                "color": OKABE_ITO["vermillion"]},
                     "hovertemplate": t("compare.target_marker", lang) + " "
                     + hover + "<extra></extra>"})
    yaxis: dict[str, Any] = {"ticksuffix": fmt["suffix"], "tickformat": fmt["tick"],
                             "title": {"text": ""}}
    shapes: list[dict] = []
    annotations: list[dict] = []
    if is_rank(indicator):
        yaxis["autorange"] = "reversed"
        shapes, annotations = field_switch_marks(lang, field_sizes, switch_year)
    return go.Figure({"data": data, "layout": years_layout(
        lang, plain_label(title), height=height, yaxis=yaxis, shapes=shapes,
        annotations=annotations, data=data, widest_tick=fmt["widest"])})
