"""Chart defaults (planner.figures): Okabe-Ito colours, separators per locale."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import plotly.graph_objects as go

from planner.figures import outcomes
from planner.figures.style import (
    KIND_COLOURS,
    KIND_SYMBOLS,
    OKABE_ITO,
    PALETTE,
    TEXT_COLOUR,
    apply_layout,
    base_layout,
)
from planner.usertext import escape_markdown
from ui.chart_options import PLOTLY_THEME

REPO = Path(__file__).resolve().parents[2]


def test_every_colour_is_okabe_ito():
    allowed = set(OKABE_ITO.values())
    assert set(PALETTE) <= allowed
    assert set(KIND_COLOURS.values()) <= allowed
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)  # kinds are told apart
    assert set(KIND_COLOURS) == set(KIND_SYMBOLS)


def test_separators_follow_the_language():
    assert base_layout("vi")["separators"] == ",."
    assert base_layout("en")["separators"] == ".,"
    fig = apply_layout(go.Figure(), "vi", yaxis_autorange="reversed")
    assert fig.layout.separators == ",."
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.font.size >= 14


def test_markdown_escape_keeps_text_literal():
    assert escape_markdown("a *b* [c](d) $x$ <e>") == r"a \*b\* \[c\]\(d\) \$x\$ &lt;e&gt;"
    assert escape_markdown("0,7024 và 3.400.000") == r"0,7024 và 3\.400\.000"
    joiner = "\u2060"
    assert escape_markdown("http://a.b www.c d@e.f") == (
        f"http\\:{joiner}//a\\.b www{joiner}\\.c d{joiner}@e\\.f")
    assert escape_markdown(None) == escape_markdown(float("nan")) == ""


HOSTILE = '<a href="http://evil.example">x</a> <b>B</b> <img src="http://evil.example/p.png">'


def _texts(fig: go.Figure) -> list[str]:
    """Every string Plotly would draw as rich text: trace names, texts, categories, titles."""
    out = [str(fig.layout.title.text or "")]
    for trace in fig.data:
        out.append(str(trace.name or ""))
        for attr in ("text", "y", "hovertext"):
            values = getattr(trace, attr, None)
            if values is not None and not isinstance(values, str | int | float):
                out.extend(str(v) for v in values)
    return out


def test_user_text_reaches_plotly_escaped():
    scen = {"year": [2025, 2030], "value": [1.0, 2.0], "p10": [0.5, 1.5], "p90": [1.5, 2.5]}
    fan = outcomes.fan_chart(
        indicator="x", title=HOSTILE, unit="percent", lang="en",
        history={"year": [2020], "value": [1.0], "hover": [HOSTILE]},
        baseline={"year": [2025, 2030], "value": [1.0, 1.5]}, scenario=scen,
        targets=[{"year": 2030, "target": 3.0, "hover": HOSTILE}], scenario_name=HOSTILE)
    steps = [(2030, HOSTILE, "absolute", 1.0, HOSTILE), (2030, HOSTILE, "total", 2.0, "2")]
    waterfall = outcomes.contribution_chart(title=HOSTILE, unit="percent", lang="en",
                                                  steps=steps)
    for fig in (fan, waterfall):
        texts = _texts(fig)
        assert any("&lt;a href=" in s for s in texts), texts
        assert not any(tag in s for s in texts for tag in ("<a", "<b>", "<img")), texts


def test_figures_carry_their_own_look_and_no_plotly_template():
    """Charts are drawn with theme=None: no template may slip in (plotly's default one is
    several kilobytes the browser merges on every redraw), the look comes from the layout."""
    built = [apply_layout(go.Figure(go.Scatter(x=[2020, 2030], y=[1, 2])), "en"),
             outcomes._figure({"data": [], "layout": outcomes.layout("en")})]
    for fig in built:
        layout = json.loads(fig.to_json())["layout"]
        assert layout.get("template") in (None, {"layout": {}}), layout.get("template")
        assert "Source Sans" in layout["font"]["family"]
        assert layout["font"]["color"] == TEXT_COLOUR and layout["plot_bgcolor"] == "#FFFFFF"
        # without a template, axes make room for their tick labels only when told to
        assert layout["xaxis"]["automargin"] and layout["yaxis"]["automargin"]


def test_every_page_draws_charts_without_the_streamlit_theme():
    calls = []
    for path in sorted([*(REPO / "app_pages").glob("*.py"), *(REPO / "ui").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "plotly_chart"):
                theme = [k.value for k in node.keywords if k.arg == "theme"]
                calls.append((path.name, ast.unparse(theme[0]) if theme else None))
    assert len(calls) >= 4  # data, compare, the fan-chart grid (two pages), contributions
    assert all(theme == "PLOTLY_THEME" for _, theme in calls), calls
    assert PLOTLY_THEME is None
