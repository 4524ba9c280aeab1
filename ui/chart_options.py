"""How the pages show a Plotly figure: the options of every ``st.plotly_chart``.

The figures themselves are built in :mod:`planner.figures`, which the exports share.
"""

from __future__ import annotations

from typing import Any

PLOTLY_THEME = None
"""Passed as ``theme`` to ``st.plotly_chart``: no Streamlit theme. With Streamlit's theme the
browser merges a large template into every figure on every redraw, which after a lever move
costs the scenarios page's five charts about a quarter of their drawing time; these figures
carry their own look (:func:`planner.figures.style.base_layout`)."""

PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "showLink": False, "responsive": True,
                                 "displayModeBar": False}
"""Plotly options for every ``st.plotly_chart``: no logo, no link to the plotly cloud, and no
mode bar (on a touch screen it stays shown and covers the chart's title and legend; the chart's
own full-screen button and the pages' downloads remain)."""
