"""Chart defaults: Okabe-Ito colours, one colour per series everywhere, separators per locale."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import plotly.graph_objects as go

from ui import outcome_charts
from ui.charts import (
    KIND_COLOURS,
    KIND_SYMBOLS,
    OKABE_ITO,
    PALETTE,
    PLOTLY_THEME,
    SERIES_COLOURS,
    TEXT_COLOUR,
    apply_layout,
    base_layout,
    series_colour,
)
from ui.sources import md_escape

REPO = Path(__file__).resolve().parents[2]


def test_every_colour_is_okabe_ito():
    allowed = set(OKABE_ITO.values())
    assert set(PALETTE) <= allowed
    assert set(SERIES_COLOURS.values()) <= allowed
    assert set(KIND_COLOURS.values()) <= allowed
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)  # kinds are told apart
    assert set(KIND_COLOURS) == set(KIND_SYMBOLS)


def test_series_colour_is_fixed_or_stable():
    assert series_colour("dti_overall") == OKABE_ITO["blue"]
    assert series_colour("dti_overall_rank") == series_colour("dti_overall")
    assert series_colour("some scenario") == series_colour("some scenario")
    assert series_colour("some scenario") in PALETTE


def test_separators_follow_the_language():
    assert base_layout("vi")["separators"] == ",."
    assert base_layout("en")["separators"] == ".,"
    fig = apply_layout(go.Figure(), "vi", yaxis_autorange="reversed")
    assert fig.layout.separators == ",."
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.font.size >= 14


def test_markdown_escape_keeps_text_literal():
    assert md_escape("a *b* [c](d) $x$ <e>") == r"a \*b\* \[c\](d) \$x\$ \<e\>"
    assert md_escape("0,7024 và 3.400.000") == "0,7024 và 3.400.000"
    assert md_escape(None) == ""


def test_figures_carry_their_own_look_and_no_plotly_template():
    """Charts are drawn with theme=None: no template may slip in (plotly's default one is
    several kilobytes the browser merges on every redraw), the look comes from the layout."""
    built = [apply_layout(go.Figure(go.Scatter(x=[2020, 2030], y=[1, 2])), "en"),
             outcome_charts._figure({"data": [], "layout": outcome_charts.layout("en")})]
    for fig in built:
        layout = json.loads(fig.to_json())["layout"]
        assert layout.get("template") in (None, {"layout": {}}), layout.get("template")
        assert "Source Sans" in layout["font"]["family"]
        assert layout["font"]["color"] == TEXT_COLOUR and layout["plot_bgcolor"] == "#FFFFFF"
        # without a template, axes make room for their tick labels only when told to
        assert layout["xaxis"]["automargin"] and layout["yaxis"]["automargin"]


def test_every_page_draws_charts_without_the_streamlit_theme():
    calls = []
    for path in sorted((REPO / "app_pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "plotly_chart"):
                theme = [k.value for k in node.keywords if k.arg == "theme"]
                calls.append((path.name, ast.unparse(theme[0]) if theme else None))
    assert len(calls) >= 5
    assert all(theme == "PLOTLY_THEME" for _, theme in calls), calls
    assert PLOTLY_THEME is None
