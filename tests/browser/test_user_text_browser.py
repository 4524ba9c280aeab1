"""Names, notes and authors of saved scenarios are text on every page, in the real browser.

A scenario named with Markdown (bold, a link, an image) and one named with HTML are opened on
the briefing (heading, captions, ten charts with legends and hover labels), the scenarios page,
the saved page and the compare page. No element of the page may point at the payloads' host,
and no bold element may hold the payload's word.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from planner import saved as sv
from planner.engine import load_model
from planner.store import DuckDBStore
from tests.browser.waits import LOAD_TIMEOUT, wait_quiet, watch_changes

MARKDOWN_NAME = ("**BOLD** [phish](http://evil.example/login) "
                 "![px](http://evil.example/p.png)")
HTML_NAME = '<a href="http://evil.example">x</a>'
NOTE = "<b>BOLD</b> see http://evil.example/note and www.evil.example"
AUTHOR = "[author](http://evil.example/a)"
SETTINGS = {"levers": {"cashless": {"2030": 80}}, "overrides": {}}

# every element whose address attribute names the payloads' host, and bold text holding BOLD
_INJECTED = """() => {
  const host = /evil\\.example/;
  const where = /^(href|src|srcset|action|xlink:href|data|poster)$/i;
  const linked = [...document.querySelectorAll('*')].filter(
      e => [...e.attributes].some(a => where.test(a.name) && host.test(a.value))).map(
      e => (e.parentElement || e).outerHTML.slice(0, 300));
  const bold = [...document.querySelectorAll('b, strong')].filter(
      e => /BOLD/.test(e.textContent)).map(e => e.outerHTML.slice(0, 120));
  return linked.concat(bold);
}"""


# the innermost elements whose text holds the whole name as typed (a name read as Markdown or
# HTML would have lost its asterisks, brackets or tags); the invisible word joiners the app puts
# after "http" so that no address turns into a link are not part of what a reader sees
_SHOWN_AS_TEXT = """(name) => {
  const seen = (e) => e.textContent.replace(/[\u2060\u200b]/g, '').includes(name);
  return [...document.querySelectorAll('body *')].filter(
      e => seen(e) && ![...e.children].some(seen)).length;
}"""


@pytest.fixture(scope="module")
def hostile(served_db: Path) -> Iterator[list[str]]:
    """Two saved scenarios with hostile names; deleted afterwards."""
    store = DuckDBStore(served_db)
    model = load_model(store)
    made = [sv.save_scenario(store, model, SETTINGS, name, NOTE, AUTHOR, "en")
            for name in (MARKDOWN_NAME, HTML_NAME)]
    try:
        yield [saved.id for saved, _ in made]
    finally:
        for saved, token in made:
            sv.delete_scenario(store, saved.id, token)


def _check(page, url: str, shown: str) -> None:
    """Open ``url`` and, once the page has drawn, find the name as typed and nothing it
    could have turned into."""
    page.goto(url, wait_until="domcontentloaded")
    start = shown.split("http")[0]  # up to the first address, where a word joiner may stand
    expect(page.get_by_text(start, exact=False).first).to_be_attached(timeout=LOAD_TIMEOUT)
    wait_quiet(page, 500)  # the run is over and the charts and popovers are drawn
    # the whole name is on the page as letters (escaped, not read as Markdown or HTML)
    as_text = page.evaluate(_SHOWN_AS_TEXT, shown)
    assert as_text > 0, (url, shown)
    found = page.evaluate(_INJECTED)
    assert found == [], (url, found)


def test_hostile_names_stay_text_in_the_browser(new_page, app_server, hostile,
                                                external_requests, screenshot):
    markdown_id, html_id = hostile
    page = new_page(1280, 1600)
    watch_changes(page)
    for sid, shown in ((markdown_id, MARKDOWN_NAME), (html_id, HTML_NAME)):
        _check(page, f"{app_server}/briefing?lang=en&s={sid}", shown)
        # the charts' legends carry the name, as typed
        legend = page.locator(".legendtext", has_text=shown[:8]).first  # "**BOLD**", "<a href="
        expect(legend).to_be_attached(timeout=LOAD_TIMEOUT)
        _check(page, f"{app_server}/planner?lang=en&s={sid}", shown)
        _check(page, f"{app_server}/saved?lang=en&s={sid}", shown)
        _check(page, f"{app_server}/compare?lang=en&c={sid},baseline", shown)
    screenshot(page, "hostile-names-compare")
    assert external_requests == []
