"""Chart defaults: one colour-blind-safe palette (Okabe-Ito) and locale-aware Plotly layout.

The same kind of value gets the same colour and marker on every chart (:data:`KIND_COLOURS`,
:data:`KIND_SYMBOLS`); the outcome charts colour their series by role
(:data:`planner.figures.outcomes.ROLE_COLOURS`), the compare charts by slot.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

# Order in which colours are handed to series without a fixed colour.
PALETTE: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
)

KIND_COLOURS: dict[str, str] = {
    "observed": OKABE_ITO["blue"],
    "external": OKABE_ITO["bluish_green"],
    "derived": OKABE_ITO["orange"],
    "target": OKABE_ITO["vermillion"],
    "assumption": OKABE_ITO["reddish_purple"],
}

KIND_SYMBOLS: dict[str, str] = {
    "observed": "circle",
    "external": "square",
    "derived": "diamond-open",
    "target": "star",
    "assumption": "x",
}

# Plotly's `separators`: decimal mark, then thousands separator.
SEPARATORS: dict[str, str] = {"vi": ",.", "en": ".,"}

FONT_SIZE = 16
FONT_FAMILY = '"Source Sans", "Source Sans Pro", sans-serif'
"""The app's own font (Streamlit's "sans serif"), so charts read like the page around them."""
TEXT_COLOUR = "#111111"
"""The theme's text colour (``.streamlit/config.toml``), for high contrast on a wall."""


TITLE_SIZE = 18
SUBTITLE_SIZE = 13
NOTE_SIZE = 12
"""Font sizes of a chart's header (:func:`header_layout`): title, subtitle, notes."""
LINE_HEIGHT = 1.3
"""A header line's height as a multiple of its font size (Plotly's line spacing)."""
HEADER_PAD = 6
"""Room between the header's rows, above the title and above the plot, in pixels."""
TITLE_WRAP = 30
"""A title longer than this many characters is broken into lines at spaces: at
:data:`TITLE_SIZE` a line of it fits a phone's chart (about 300 pixels beside the value
axis's labels)."""


def title_lines(title: str, limit: int = TITLE_WRAP) -> list[str]:
    """``title`` in as few lines of at most ``limit`` characters as it takes (broken at
    spaces; a longer word keeps a line of its own), the lines about as long as each other.

    Parameters
    ----------
    title : str
    limit : int, optional
        The longest line, in characters (:data:`TITLE_WRAP` for a chart's title).

    Returns
    -------
    list of str
        No line for a blank title.
    """
    lines = textwrap.wrap(title, limit, break_long_words=False)
    if len(lines) < 2:
        return lines
    for width in range(math.ceil(len(title) / len(lines)), limit):
        even = textwrap.wrap(title, width, break_long_words=False)
        if len(even) == len(lines):
            return even
    return lines


def header_layout(title: str, subtitle: str = "",
                  notes: Sequence[tuple[float, str]] = (), scale: float = 1.0) -> dict[str, Any]:
    """A chart's header, rows stacked so nothing in it can meet: the title (in lines of at most
    :data:`TITLE_WRAP` characters, :func:`title_lines`), the subtitle, and a row of notes just above
    the plot; and the top margin that holds them.

    Each row is an annotation placed from the plot's top edge up, at a fixed height (Plotly's
    own title misplaces a title of several lines and its subtitle). The title and subtitle
    start at the plot's left edge; each note starts at its place on the x axis (a line drawn
    there, say) and runs right, so none reaches left of the plot. The texts are used as given
    (escape user text first: :func:`planner.usertext.plain_label`).

    Parameters
    ----------
    title : str
        The title.
    subtitle : str, optional
        A line under the title.
    notes : sequence of (float, str), optional
        ``(x, text)``: a note starting at ``x`` on the x axis.
    scale : float, optional
        Every font size times this (larger type on a wall).

    Returns
    -------
    dict
        Layout overrides: ``margin`` (its top, in pixels) and ``annotations`` (the notes, the
        subtitle and the title, in that order).
    """
    def row(text: str, size: int, shift: int, **place: Any) -> dict[str, Any]:
        return {"text": text, "font": {"size": size}, "showarrow": False, "yref": "paper",
                "y": 1, "yanchor": "bottom", "yshift": shift, "xanchor": "left",
                "align": "left", **place}

    def height(size: int, lines: int = 1) -> int:
        return math.ceil(size * LINE_HEIGHT * lines)

    note_size, subtitle_size, title_size = (round(size * scale) for size in (
        NOTE_SIZE, SUBTITLE_SIZE, TITLE_SIZE))
    annotations = []
    shift = HEADER_PAD // 2  # from the plot's top edge up
    for x, text in notes:
        annotations.append(row(text, note_size, shift, xref="x", x=x, xshift=2))
    if notes:
        shift += height(note_size) + HEADER_PAD
    if subtitle:
        annotations.append(row(subtitle, subtitle_size, shift, xref="paper", x=0))
        shift += height(subtitle_size) + HEADER_PAD // 2
    lines = title_lines(title)
    if lines:
        annotations.append(row("<br>".join(lines), title_size, shift, xref="paper", x=0))
        shift += height(title_size, len(lines))
    return {"margin": {"t": shift + HEADER_PAD}, "annotations": annotations}


EM_WIDTHS = {**dict.fromkeys("0123456789", 0.64), ",": 0.32, ".": 0.32, "%": 0.95, "-": 0.36}
"""Widths of a tick label's characters, in ems: DejaVu Sans's (the widest of the fonts a chart
is drawn in: the app's Source Sans, and DejaVu Sans where that is missing, as in Chromium
drawing the exports). Any other character counts as 0.7."""
TICK_GAP = 14
"""Pixels beside the value axis's widest label: the gap to the plot and room at the edge."""
LEGEND_ROW = (1.3, 16, 3)
"""A legend row's height: the larger of its font size times the first and the second, plus the
third, in pixels (Plotly's legend item)."""
LEGEND_PAD = 10
"""Pixels of a legend's own padding, above and below its rows."""
X_LABEL_GAP = 10
"""Pixels between the years' labels and the legend."""


def legend_entries(data: Sequence[Mapping[str, Any]]) -> int:
    """How many entries Plotly's legend shows for these traces (none when there is one trace
    and it does not ask for an entry: Plotly's own rule)."""
    shown = [d for d in data if d.get("showlegend", True)]
    if len(shown) < 2 and not any(d.get("showlegend") for d in data):
        return 0
    return len(shown)


def plot_margins(widest_tick: str, entries: int, font_size: int, legend_size: int,
                 standoff: int) -> dict[str, int]:
    """A chart's left, right and bottom margins, fixed beforehand: room for the value axis's
    widest label on the left, half the last year's label on the right, and the years' labels
    and a legend of one entry a row at the foot.

    Parameters
    ----------
    widest_tick : str
        The widest label of the value axis (``"100%"``).
    entries : int
        Legend entries (:func:`legend_entries`).
    font_size, legend_size : int
        The axes' and the legend's font sizes, in pixels.
    standoff : int
        Pixels between the plot and the years' labels.

    Returns
    -------
    dict
        ``{"l": ..., "r": ..., "b": ...}`` in pixels.
    """
    def width(text: str) -> float:
        return sum(EM_WIDTHS.get(c, 0.7) for c in text) * font_size

    row = max(legend_size * LEGEND_ROW[0], LEGEND_ROW[1]) + LEGEND_ROW[2]
    legend = entries * row + LEGEND_PAD if entries else 0
    years = standoff + font_size * LINE_HEIGHT + X_LABEL_GAP
    return {"l": math.ceil(width(widest_tick)) + TICK_GAP,
            "r": math.ceil(width("0000") / 2) + 4,  # a year's label, centred on the edge
            "b": math.ceil(years + legend)}


LABEL_WRAP = 22
"""A category label (a waterfall's bar) longer than this many characters is broken into
lines: beside the bars on a phone's chart it leaves the plot room."""


def base_layout(lang: str) -> dict[str, Any]:
    """Plotly layout defaults for ``lang``: number separators, large type, legend on top.

    Parameters
    ----------
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    dict
        Keyword arguments for ``Figure.update_layout``.
    """
    return {
        # no template: the app draws charts without Streamlit's theme
        # (ui.chart_options.PLOTLY_THEME), and this layout says everything the charts need
        "template": {"layout": {}},
        "separators": SEPARATORS[lang],
        "font": {"size": FONT_SIZE, "family": FONT_FAMILY, "color": TEXT_COLOUR},
        "colorway": list(PALETTE),
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "hovermode": "closest",
        "plot_bgcolor": "#FFFFFF",
        "xaxis": {"showgrid": False, "tickformat": "d", "automargin": True},
        "yaxis": {"gridcolor": "#E5E7EB", "zeroline": False, "automargin": True},
        "hoverlabel": {"align": "left", "font": {"family": FONT_FAMILY}},
    }


def apply_layout(fig: go.Figure, lang: str, **overrides: Any) -> go.Figure:
    """Apply :func:`base_layout` (then ``overrides``) to a figure and return it.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The figure.
    lang : str
        ``"vi"`` or ``"en"``.
    **overrides
        Further ``update_layout`` arguments.

    Returns
    -------
    plotly.graph_objects.Figure
        The same figure.
    """
    base = base_layout(lang)
    fig.layout.template = base.pop("template")  # replaced: an update would merge into plotly's
    fig.update_layout(**base)
    if overrides:
        fig.update_layout(**overrides)
    return fig
