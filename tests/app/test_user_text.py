"""A saved scenario's name is text on the briefing and the saved page: its heading, captions,
notices and chart legends show it exactly as typed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner import saved as sv
from planner.engine import load_model
from planner.i18n import t
from planner.store import DuckDBStore
from planner.usertext import escape_markdown
from tests.app.saved_helpers import (
    APP,
    MARKDOWN_KINDS,
    SAVED_PAGE,
    TIMEOUT,
    assert_clean,
    open_page,
)
from tests.markdown_support import streamlit_draws

NAME = "**BOLD** [phish](http://evil.example/login) ![px](http://evil.example/p.png)"
HTML_NAME = '<a href="http://evil.example">x</a>'


@pytest.mark.parametrize("name", (NAME, HTML_NAME))
@pytest.mark.parametrize("lang", ("vi", "en"))
def test_the_briefing_shows_a_saved_name_as_typed(loaded_db: Path, tmp_path: Path, monkeypatch,
                                                  name, lang):
    db = tmp_path / "planner.duckdb"
    shutil.copy(loaded_db, db)
    store = DuckDBStore(db)
    saved, _ = sv.save_scenario(store, load_model(store),
                                {"levers": {"cashless": {"2030": 80}}, "overrides": {}},
                                name, "", "", lang)
    monkeypatch.setenv("PLANNER_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.query_params["s"] = saved.id
    at.run()
    assert_clean(at)
    heading = t("briefing.scenario.heading", lang, name=escape_markdown(name))
    assert [h.value for h in at.header] == [heading]
    for el in [*at.header, *at.caption, *at.markdown, *at.info, *at.warning]:
        assert "](http" not in str(el.value) and "<a " not in str(el.value), el.value
        assert "http://" not in str(el.value), el.value  # no address left to auto-link
    charts = at.get("plotly_chart")
    assert charts
    for chart in charts:
        assert "<a href" not in chart.proto.spec and "evil.example/login)" not in chart.proto.spec


SHORTCODE_NAME = ":material/home: :smile: :streamlit: :red[đỏ] a -> b >= c"
"""Streamlit would draw a house icon, an emoji, its logo, red text, an arrow and a sign."""


def markdown_values(at: AppTest) -> list[str]:
    """The source of every element of the page that Streamlit renders as Markdown."""
    return [str(el.value) for kind in MARKDOWN_KINDS for el in at.get(kind)]


def assert_shown_as_typed(values: list[str], name: str) -> int:
    """Each value holding the escaped name makes Streamlit draw nothing more than it would
    with a plain word in its place; returns how many values hold the name."""
    escaped = escape_markdown(name)
    holding = [v for v in values if escaped in v]
    for value in holding:
        assert streamlit_draws(value) == streamlit_draws(value.replace(escaped, "x")), value
    return len(holding)


def test_the_briefing_draws_no_icon_emoji_or_colour_from_a_name(loaded_db: Path,
                                                                 tmp_path: Path, monkeypatch):
    db = tmp_path / "planner.duckdb"
    shutil.copy(loaded_db, db)
    store = DuckDBStore(db)
    saved, _ = sv.save_scenario(store, load_model(store),
                                {"levers": {"cashless": {"2030": 80}}, "overrides": {}},
                                SHORTCODE_NAME, "", "", "en")
    monkeypatch.setenv("PLANNER_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.query_params["s"] = saved.id
    at.run()
    assert_clean(at)
    name = escape_markdown(SHORTCODE_NAME)
    assert [h.value for h in at.header] == [t("briefing.scenario.heading", "en", name=name)]
    assert t("planner.opened", "en", name=name) in [c.value for c in at.caption]
    assert assert_shown_as_typed(markdown_values(at), SHORTCODE_NAME) >= 2


def test_the_saved_page_draws_no_icon_emoji_or_colour_from_a_name(loaded_db: Path,
                                                                  tmp_path: Path, monkeypatch):
    """The saved page shows a name as plain text (``st.text``), and no Markdown of the page
    draws anything the name asks for."""
    db = tmp_path / "planner.duckdb"
    shutil.copy(loaded_db, db)
    store = DuckDBStore(db)
    saved, _ = sv.save_scenario(store, load_model(store), {"levers": {"cashless": {"2030": 70}}},
                                SHORTCODE_NAME, SHORTCODE_NAME, SHORTCODE_NAME, "en")
    at = open_page(db, monkeypatch, SAVED_PAGE, "en", {"s": saved.id})
    assert_clean(at)
    assert SHORTCODE_NAME in [str(el.value) for el in at.text]
    asked = set(streamlit_draws(SHORTCODE_NAME))
    assert {":material_home:", ":smile:", ":streamlit:", "->"} <= asked
    drawn = {d for value in markdown_values(at) for d in streamlit_draws(value)}
    assert not drawn & asked, drawn & asked
    assert_shown_as_typed(markdown_values(at), SHORTCODE_NAME)
