"""Chart defaults: one colour-blind-safe palette (Okabe-Ito) and locale-aware plotly layout.

The same series gets the same colour on every page: use :func:`series_colour` for indicators
and scenarios, :data:`KIND_COLOURS` / :data:`KIND_SYMBOLS` for the kind of a value.
"""

from __future__ import annotations

import zlib
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

# Fixed colours of the modelled series (indicator ids of docs/DESIGN.md).
SERIES_COLOURS: dict[str, str] = {
    "dti_overall": OKABE_ITO["blue"],
    "dti_digital_government": OKABE_ITO["orange"],
    "dti_digital_economy": OKABE_ITO["bluish_green"],
    "dti_digital_society": OKABE_ITO["reddish_purple"],
    "dti_overall_provincial_average": OKABE_ITO["black"],
    "online_filing_rate": OKABE_ITO["sky_blue"],
    "dossiers_processed_fully_online": OKABE_ITO["blue"],
    "cashless_adoption": OKABE_ITO["vermillion"],
    "ecommerce_uptake": OKABE_ITO["orange"],
    "digital_economy_share_grdp": OKABE_ITO["bluish_green"],
}
for _score in ("dti_overall", "dti_digital_government", "dti_digital_economy", "dti_digital_society"):
    SERIES_COLOURS[f"{_score}_rank"] = SERIES_COLOURS[_score]

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

PLOTLY_THEME = None
"""Passed as ``theme`` to ``st.plotly_chart``: no Streamlit theme. With Streamlit's theme the
browser merges a large template into every figure on every redraw, which after a lever move
costs the scenarios page's five charts about a quarter of their drawing time; these figures
carry their own look (:func:`base_layout`)."""


def series_colour(key: str) -> str:
    """Return the colour of a series: fixed for known ids, otherwise stable by name.

    Parameters
    ----------
    key : str
        An indicator id, scenario id or other series name.

    Returns
    -------
    str
        A hex colour of the Okabe-Ito palette.
    """
    if key in SERIES_COLOURS:
        return SERIES_COLOURS[key]
    return PALETTE[zlib.crc32(key.encode("utf-8")) % len(PALETTE)]


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
        # no template: the app draws charts with theme=None (PLOTLY_THEME), and this layout
        # says everything the charts need
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


PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "showLink": False, "responsive": True,
                                 "displayModeBar": False}
"""Plotly options for every ``st.plotly_chart``: no logo, no link to the plotly cloud, and no
mode bar (on a touch screen it stays shown and covers the chart's title and legend; the chart's
own full-screen button and the pages' downloads remain)."""
