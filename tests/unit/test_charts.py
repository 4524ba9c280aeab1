"""Chart defaults: Okabe-Ito colours, one colour per series everywhere, separators per locale."""

from __future__ import annotations

import plotly.graph_objects as go

from ui.charts import (
    KIND_COLOURS,
    KIND_SYMBOLS,
    OKABE_ITO,
    PALETTE,
    SERIES_COLOURS,
    apply_layout,
    base_layout,
    series_colour,
)
from ui.sources import md_escape


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
