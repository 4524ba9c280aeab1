"""Plain tables redrawn on every lever move, kept in place in the browser.

``st.html`` hands its body to the browser's sanitiser and markdown renderer each time it is
drawn: on the scenarios page, whose targets table and register are drawn again on every lever
move, that was the browser's largest single cost after the charts. :func:`live_table` is a
custom component (``st.components.v2``) holding one table made by
:func:`ui.layout_css.table_html`, which escapes every cell and column name and admits only
checked colours, so the browser can put it in as it is: once per change, in the same place.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

TABLE_COMPONENT = "planner_table"
"""The component's name."""

_COMPONENT = st.components.v2.component(
    TABLE_COMPONENT,
    js=(Path(__file__).parent / "tables" / "table.js").read_text(encoding="utf-8"),
    isolate_styles=False,  # the page's table styles (ui/assets/layout.css) apply
)


def live_table(table_html: str, key: str) -> None:
    """Draw ``table_html`` (from :func:`ui.layout_css.table_html` only: it is put in the page
    unsanitised) as the component keyed ``key``; the same key for the same table, so that it
    is updated in place."""
    _COMPONENT(key=key, data={"html": table_html}, height="content")
