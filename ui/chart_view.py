"""Charts redrawn on every lever move, drawn by the page's own plotly.js and updated in place.

``st.plotly_chart`` names a chart by its figure, so a changed figure is a new element: Streamlit
mounts a new chart, and after mounting it draws it a second time. :func:`live_chart` is a custom
component (``st.components.v2``) holding one figure: the browser loads plotly.js once, from
this server (:data:`ROUTE`, the installed plotly package's own copy; nothing is fetched from
outside), and a changed figure is drawn again in the same place (``Plotly.react``), once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import plotly
import streamlit as st
from plotly.io.json import to_json_plotly
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from planner.i18n import t
from ui.chart_options import PLOTLY_CONFIG

ROUTE = "/_planner/plotly.min.js"
"""Where the server serves plotly.js (``app.py`` adds the route)."""

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
"""The installed plotly package's plotly.js: the same version the figures are built for."""

CHART_COMPONENT = "planner_chart"
"""The component's name."""

_HERE = Path(__file__).parent / "charts"
_COMPONENT = st.components.v2.component(
    CHART_COMPONENT,
    css=(_HERE / "chart.css").read_text(encoding="utf-8"),
    js=(_HERE / "chart.js").read_text(encoding="utf-8"),
    isolate_styles=False,  # plotly.js puts its styles in the document's head
)


async def plotly_js(request: Request) -> Response:
    """The route's answer: plotly.js, kept by the browser (its address names the version)."""
    return FileResponse(PLOTLY_JS, media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})


def script_url() -> str:
    """plotly.js's address for the browser, naming the version (the server's own routes sit
    at its root, whatever ``server.baseUrlPath`` says, as ``/api`` does)."""
    return f"{ROUTE}?v={plotly.__version__}"


def live_chart(spec: Mapping[str, Any], key: str, label: str, lang: str) -> None:
    """Draw the figure ``spec`` (its ``data`` and ``layout`` as a dict:
    :func:`planner.figures.outcomes.outcome_spec`) as the component keyed ``key`` (always the
    same key for the same chart, so that it is updated in place); ``label`` is the chart's
    accessible name; if plotly.js cannot be loaded the chart's place says so in ``lang``.

    The dict goes to the browser as plotly's JSON encoder writes it (numbers, dates and arrays
    as plotly.js reads them), without building a plotly Figure: the Figure's construction and its
    JSON took about 12 ms a lever move on a quiet machine (five charts), 45 ms on a busy one."""
    data: dict[str, Any] = {"figure": json.loads(to_json_plotly(spec)), "config": PLOTLY_CONFIG,
                            "src": script_url(), "label": label,
                            "unavailable": t("chart.unavailable", lang)}
    _COMPONENT(key=key, data=data, height="content")
