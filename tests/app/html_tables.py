"""Read back the plain HTML tables a page draws (``ui.layout_css.table_html``) in AppTest: in
``st.html`` elements, or in the table component that keeps a table in place
(:mod:`ui.table_view`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser

import pandas as pd
from streamlit.testing.v1 import AppTest

from ui.table_view import TABLE_COMPONENT


class _Rows(HTMLParser):
    """Collects the cells of a ``<table>``: ``rows[0]`` the header, then one list per row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_in(body: str) -> pd.DataFrame | None:
    """The static table an ``st.html`` body holds, its cells as text, or None."""
    if 'class="paper-table"' not in body:
        return None
    parser = _Rows()
    parser.feed(body)
    head, *rows = parser.rows
    return pd.DataFrame(rows, columns=head)


def _bodies(node) -> Iterator[str]:
    """The HTML of every ``st.html`` element and table component under ``node``, in order."""
    if getattr(node, "type", None) == "html":
        yield node.proto.body
    elif (getattr(node, "type", None) == "bidi_component"
          and node.proto.component_name == TABLE_COMPONENT):
        yield json.loads(node.proto.json)["html"]
    for child in getattr(node, "children", {}).values():
        yield from _bodies(child)


def html_bodies(at: AppTest) -> list[str]:
    """The HTML of every ``st.html`` element and table component on the page, in order."""
    return list(_bodies(at._tree))


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every static table on the page, in order, its cells as text."""
    found = (table_in(body) for body in html_bodies(at))
    return [frame for frame in found if frame is not None]


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first static table on the page that has ``column``."""
    return next(frame for frame in html_tables(at) if column in frame.columns)
