"""Chart defaults: one colour-blind-safe palette (Okabe-Ito) and locale-aware Plotly layout.

The same kind of value gets the same colour and marker on every chart (:data:`KIND_COLOURS`,
:data:`KIND_SYMBOLS`); the outcome charts colour their series by role
(:data:`planner.figures.outcomes.ROLE_COLOURS`), the compare charts by slot.
"""

from __future__ import annotations

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
