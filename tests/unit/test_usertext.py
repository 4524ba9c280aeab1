"""User text in Streamlit's Markdown shows as typed: no icon, emoji, colour or arrow from it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.usertext import escape_markdown
from tests.markdown_support import parsed_text, streamlit_draws

JOINER = "\u2060"

SHORTCODES = (
    ":material/home:",
    ":material_home:",
    ":smile: :+1: :streamlit:",
    ":red[text] :blue-background[x] :rainbow[y] :small[z] :green-badge[ok]",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "**:material/warning:** 12:30 ::x::",
)


@pytest.mark.parametrize("name", SHORTCODES)
def test_streamlit_draws_the_raw_shortcodes(name):
    """The model of Streamlit's Markdown finds what it would draw (so the next test can fail)."""
    assert streamlit_draws(name)


@pytest.mark.parametrize("name", SHORTCODES)
def test_escaped_shortcodes_show_as_typed(name):
    escaped = escape_markdown(name)
    assert streamlit_draws(escaped) == []
    assert parsed_text(escaped).replace(JOINER, "") == name


@given(st.text(alphabet=st.characters(exclude_characters="\r\n"), max_size=60)
       | st.lists(st.sampled_from([":", "material/", "_", "home", "smile", "red", "[", "]",
                                   "-", ">", "<", "=", "~", " ", "\\", "x"]),
                  max_size=20).map("".join))
def test_no_user_text_makes_streamlit_draw_anything(text):
    escaped = escape_markdown(text)
    assert streamlit_draws(escaped) == []
    assert parsed_text(escaped).replace(JOINER, "") == (text.replace(JOINER, "")
                                                         if text.strip() else "")
