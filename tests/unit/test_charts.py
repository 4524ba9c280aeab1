"""Chart defaults (planner.figures): Okabe-Ito colours, separators per locale."""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path

import plotly.graph_objects as go
from hypothesis import given
from hypothesis import strategies as st

from planner.figures import outcomes
from planner.figures.style import (
    HEADER_PAD,
    KIND_COLOURS,
    KIND_SYMBOLS,
    LINE_HEIGHT,
    OKABE_ITO,
    PALETTE,
    TEXT_COLOUR,
    TITLE_SIZE,
    TITLE_WRAP,
    apply_layout,
    base_layout,
    header_layout,
    legend_entries,
    plot_margins,
    title_lines,
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
    out = [str(fig.layout.title.text or "")] + [str(a.text or "") for a in fig.layout.annotations]
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
             outcomes.as_figure({"data": [], "layout": outcomes.layout("en")})]
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


def _rows(head: dict) -> list[tuple[float, float]]:
    """Each header row's band above the plot's top edge: (bottom, top) in pixels."""
    out = []
    for note in head["annotations"]:
        lines = note["text"].count("<br>") + 1
        out.append((note["yshift"], note["yshift"] + lines * note["font"]["size"] * LINE_HEIGHT))
    return out


def test_a_header_stacks_title_subtitle_and_notes_from_the_top():
    head = header_layout("Provincial DTI – overall score", "Rests on 3 observed years",
                         [(2020.5, "method changed (2020: 108 components)")])
    note, subtitle, title = head["annotations"]
    assert [a["text"] for a in (note, subtitle, title)] == [
        "method changed (2020: 108 components)", "Rests on 3 observed years",
        "Provincial DTI – overall score"]
    # the note starts at its line and runs right, so it never reaches left of the plot
    assert (note["xref"], note["x"], note["xanchor"]) == ("x", 2020.5, "left")
    assert (title["xref"], title["x"], title["xanchor"]) == ("paper", 0, "left")
    assert note["yshift"] < subtitle["yshift"] < title["yshift"]
    assert head["margin"]["t"] >= max(top for _, top in _rows(head))
    # no subtitle, no notes: the title alone, and less room
    alone = header_layout("DTI")
    assert [a["text"] for a in alone["annotations"]] == ["DTI"]
    assert alone["margin"]["t"] < head["margin"]["t"]
    # larger type on a wall: every row larger, the header taller, still stacked
    wall = header_layout("Provincial DTI – overall score", "Rests on 3 observed years",
                         [(2020.5, "method changed (2020: 108 components)")], scale=1.25)
    assert [a["font"]["size"] for a in wall["annotations"]] == [15, 16, 22]
    assert wall["margin"]["t"] > head["margin"]["t"]
    assert wall["margin"]["t"] >= max(top for _, top in _rows(wall))


def test_a_long_title_breaks_into_lines_and_the_header_grows_with_them():
    short = header_layout("Tỷ lệ nộp hồ sơ trực tuyến", "Dựa trên 1 năm có số liệu")
    long = header_layout("Tỷ lệ hồ sơ xử lý hoàn toàn trực tuyến", "Dựa trên 1 năm có số liệu")
    lines = long["annotations"][-1]["text"].split("<br>")
    assert lines == ["Tỷ lệ hồ sơ xử lý", "hoàn toàn trực tuyến"]  # about even
    assert long["margin"]["t"] > short["margin"]["t"]


@given(st.text(min_size=1, max_size=120), st.text(max_size=40),
       st.lists(st.tuples(st.floats(2019.5, 2030.5), st.text(min_size=1, max_size=40)),
                max_size=2, unique_by=lambda n: n[0]))
def test_header_rows_never_meet_and_fit_the_margin(title, subtitle, notes):
    head = header_layout(title, subtitle, notes)
    bands = sorted(set(_rows(head)))  # the notes share one row
    for (_, top), (bottom, _) in zip(bands, bands[1:], strict=False):
        assert bottom >= top, bands
    assert bands[0][0] > 0  # clear of the plot
    assert head["margin"]["t"] >= bands[-1][1] + HEADER_PAD
    titles = [a for a in head["annotations"] if a["font"]["size"] == TITLE_SIZE]
    for line in (titles[0]["text"].split("<br>") if titles else []):
        assert len(line) <= TITLE_WRAP or " " not in line, line


@given(st.text(max_size=150))
def test_title_lines_keep_every_word_in_as_few_lines_as_the_limit_allows(title):
    lines = title_lines(title)
    assert " ".join(lines).split() == title.split()
    greedy = textwrap.wrap(title, TITLE_WRAP, break_long_words=False)
    assert len(lines) == len(greedy)
    assert all(len(line) <= TITLE_WRAP or " " not in line for line in lines)


def test_the_required_path_has_one_legend_entry_even_when_the_first_target_has_none():
    """A target of an ended year has no path: the next target's path still gets the entry."""
    scen = {"year": [2025, 2030], "value": [1.0, 2.0], "p10": [0.5, 1.5], "p90": [1.5, 2.5]}
    fan = outcomes.fan_chart(
        indicator="x", title="X", unit="percent", lang="en",
        history={"year": [2023], "value": [1.0]}, baseline={}, scenario=scen,
        targets=[{"year": 2023, "target": 0.8, "required_path": []},
                 {"year": 2030, "target": 3.0, "required_path": [(2025, 1.0), (2030, 3.0)]},
                 {"year": 2028, "target": 2.5, "required_path": [(2025, 1.0), (2028, 2.5)]}])
    paths = [tr for tr in fan.data if tr.legendgroup == "required"]
    assert len(paths) == 2
    assert [tr.showlegend for tr in paths] == [True, False]
    assert fan.layout.legend.traceorder == "normal"  # entries in rows, not a column per group


def test_legend_entries_follow_plotlys_rule():
    """One trace without an entry of its own: no legend; two or more: each shown trace."""
    assert legend_entries([{"name": "a"}]) == 0
    assert legend_entries([{"name": "a", "showlegend": True}]) == 1
    assert legend_entries([{"name": "a"}, {"name": "b"}]) == 2
    assert legend_entries([{"name": "a"}, {"name": "b", "showlegend": False}]) == 0
    assert legend_entries([{"name": "a"}, {"name": "b"}, {"showlegend": False}]) == 2


def test_fixed_margins_hold_the_widest_label_and_grow_with_the_legend():
    """The left margin holds the widest value label (a percent's wider than a rank's); the
    foot holds the years' labels and one legend row more per entry."""
    rank = plot_margins("63", 0, 16, 13, 14)
    percent = plot_margins("100%", 0, 16, 13, 14)
    assert percent["l"] > rank["l"] >= 2 * 0.64 * 16
    four = plot_margins("0,00", 4, 16, 13, 14)["b"]
    five = plot_margins("0,00", 5, 16, 13, 14)["b"]
    assert five - four == 20  # a 13 px entry's row, as Plotly draws it
    assert four == 135  # what Plotly fits itself for four entries under the years (measured)
    assert plot_margins("0,00", 4, 20, 16, 14)["b"] > four  # a wall's larger type


def test_a_fan_chart_of_a_known_unit_has_fixed_margins_and_one_entry_a_row():
    """Plotly fitting the margins draws a new chart twice; with the unit's widest label known
    it is not asked to, and the legend has as many rows at every width."""
    scen = {"year": [2025, 2030], "value": [10.0, 20.0], "p10": [5.0, 15.0],
            "p90": [15.0, 25.0]}
    for unit, widest in (("percent", "100%"), ("rank_of_63", "63"), ("index_0_1", "0,00")):
        fan = outcomes.fan_chart(indicator="x", title="X", unit=unit, lang="vi",
                                 history={"year": [2023], "value": [1.0]}, baseline={},
                                 scenario=scen)
        lay = fan.layout
        assert lay.xaxis.automargin is False and lay.yaxis.automargin is False
        assert lay.legend.orientation == "v"
        entries = legend_entries([tr.to_plotly_json() for tr in fan.data])
        assert entries == 3  # band, scenario, history
        expected = plot_margins(widest, entries, lay.font.size, lay.legend.font.size,
                                lay.xaxis.ticklabelstandoff)
        assert (lay.margin.l, lay.margin.r, lay.margin.b) == (
            expected["l"], expected["r"], expected["b"])
    other = outcomes.fan_chart(indicator="x", title="X", unit="count", lang="vi",
                               history={"year": [2023], "value": [1.0]}, baseline={},
                               scenario=scen)
    assert other.layout.yaxis.automargin is True  # an unknown label width: Plotly fits it
