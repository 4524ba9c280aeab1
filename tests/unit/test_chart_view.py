"""The route that gives the browser plotly.js for the charts drawn in place (ui.chart_view)."""

from __future__ import annotations

import plotly
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from ui.chart_view import PLOTLY_JS, ROUTE, plotly_js, script_url


def test_the_route_serves_the_installed_plotly_js_for_a_year():
    client = TestClient(Starlette(routes=[Route(ROUTE, plotly_js)]))
    answer = client.get(script_url())
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert "immutable" in answer.headers["cache-control"]
    assert answer.content == PLOTLY_JS.read_bytes()
    assert answer.content.lstrip().startswith(b"/**\n* plotly.js v")


def test_its_address_names_the_plotly_version():
    assert script_url() == f"{ROUTE}?v={plotly.__version__}"
