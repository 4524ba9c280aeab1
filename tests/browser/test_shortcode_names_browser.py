"""A name written like Streamlit's shortcodes shows as typed in the real browser.

``:material/home:`` would draw a house icon, ``:streamlit:`` the logo, ``:red[…]`` red text and
``->`` an arrow. Opened on the briefing, the scenario's heading and the "Open scenario" caption
hold the name's characters (the invisible word joiners aside) and no icon, image or colour.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from planner import saved as sv
from planner.engine import load_model
from planner.store import DuckDBStore

NAME = ":material/home: :smile: :streamlit: :red[đỏ] a -> b >= c"
LOAD_TIMEOUT = 60_000

# the text of the scenario's heading and of each caption, joiners removed, once the page has
# drawn them; and what in them is not text
_SHOWN = """() => {
  const plain = e => e.innerText.replace(/\\u2060/g, '');
  const boxes = [...document.querySelectorAll(
      '.st-key-briefing_heading, [data-testid=stCaptionContainer]')];
  return {
    texts: boxes.map(plain),
    drawn: boxes.flatMap(e => [...e.querySelectorAll(
        'span[role=img], img, .stMarkdownColoredText, .stMarkdownColoredBackground,'
        + ' .stMarkdownBadge')].map(x => x.outerHTML.slice(0, 120))),
  };
}"""


@pytest.fixture(scope="module")
def named(served_db: Path) -> Iterator[str]:
    """A saved scenario with the shortcode name; deleted afterwards."""
    store = DuckDBStore(served_db)
    saved, token = sv.save_scenario(store, load_model(store),
                                    {"levers": {"cashless": {"2030": 80}}, "overrides": {}},
                                    NAME, "", "", "en")
    try:
        yield saved.id
    finally:
        sv.delete_scenario(store, saved.id, token)


def test_a_shortcode_name_shows_as_typed_on_the_briefing(page, app_server, named,
                                                         external_requests):
    page.goto(f"{app_server}/briefing?lang=en&s={named}", wait_until="domcontentloaded")
    # drawn once the heading and the caption hold the name's last word, however it looks
    page.wait_for_function(
        """() => [...document.querySelectorAll('.st-key-briefing_heading')].some(
               e => e.innerText.includes('đỏ'))
           && [...document.querySelectorAll('[data-testid=stCaptionContainer]')].some(
               e => e.innerText.includes('Open scenario') && e.innerText.includes('đỏ'))""",
        timeout=LOAD_TIMEOUT)
    shown = page.evaluate(_SHOWN)
    assert sum(NAME in text for text in shown["texts"]) >= 2, shown["texts"]
    assert shown["drawn"] == [], shown["drawn"]
    assert external_requests == []
