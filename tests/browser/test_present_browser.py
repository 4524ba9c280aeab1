"""The briefing on a 1920×1080 wall in presentation mode (``?present=1``).

Each of the briefing's sections (the first screen, the ended years with every target, the
charts) is a screen of its own: the first one's content fits the screen, and the "next
section" button, or a clicker's Page Down, brings each section's top to the top of the
screen. A compact menu at the top leads to the other pages without the sidebar.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from planner.i18n import t
from tests.browser.waits import wait_quiet, watch_changes

WALL = (1920, 1080)
SECTIONS = ("section_first", "section_ended", "section_charts")

# Each section's top and the bottom of its last drawn child, relative to the scrolling main
# area's top edge, and the main area's snap padding.
_SECTIONS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const top = main.getBoundingClientRect().top;
  const pad = parseFloat(getComputedStyle(main).scrollPaddingTop) || 0;
  const out = {};
  for (const el of main.querySelectorAll('[class*="st-key-section_"]')) {
    const name = /st-key-(section_\\w+)/.exec(el.className)[1];
    const drawn = [...el.children].filter((c) => c.getBoundingClientRect().height > 0);
    const last = drawn.length ? drawn[drawn.length - 1].getBoundingClientRect().bottom : 0;
    out[name] = {top: el.getBoundingClientRect().top - top, bottom: last - top};
  }
  return {sections: out, pad, height: main.clientHeight};
}"""


def _open(new_page, app_server, lang: str):
    page = new_page(*WALL)
    watch_changes(page)
    page.goto(f"{app_server}/briefing?lang={lang}&present=1", wait_until="domcontentloaded")
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_attached(timeout=90_000)
    expect(page.locator(".st-key-target_card_0")).to_be_visible()
    expect(page.locator("#planner-present-nav button").first).to_be_attached()
    wait_quiet(page, 500)  # the stylesheet applied, every section drawn
    return page


def _top_of(page, name: str) -> float:
    found = page.evaluate(_SECTIONS)
    return found["sections"][name]["top"] - found["pad"]


def _comes_to_the_top(page, name: str) -> None:
    """Wait for section ``name``'s top to reach the screen's top (within 2 px); fail saying
    where it stopped."""
    try:
        page.wait_for_function(
            f"(name) => {{ const f = ({_SECTIONS})(); const s = f.sections[name];"
            " return !!s && Math.abs(s.top - f.pad) <= 2; }", arg=name, timeout=10_000)
    except PlaywrightTimeout:
        raise AssertionError(f"{name} stopped {_top_of(page, name):.0f} px from the top") from None


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_first_section_fills_one_wall_screen(new_page, app_server, screenshot, lang):
    page = _open(new_page, app_server, lang)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    found = page.evaluate(_SECTIONS)
    assert sorted(found["sections"]) == sorted(SECTIONS)
    first = found["sections"]["section_first"]
    assert first["bottom"] <= found["height"], (
        f"the first section ends at {first['bottom']:.0f} px, the screen at {found['height']}")
    # what it holds: where the province stands, the targets summary, every scenario card
    for box in (".st-key-briefing_top", ".st-key-briefing_targets_summary",
                ".st-key-briefing_cards"):
        expect(page.locator(box)).to_be_in_viewport(ratio=1)
    screenshot(page, f"briefing-{lang}-present-first-1920x1080")


def test_the_wall_moves_section_by_section_and_page_by_page(
    new_page, app_server, screenshot, external_requests
):
    page = _open(new_page, app_server, "vi")
    buttons = page.locator("#planner-present-nav button")
    back = buttons.filter(has_text=t("present.back", "vi"))
    forward = buttons.filter(has_text=t("present.next", "vi"))
    expect(forward).to_be_in_viewport()
    expect(back).to_be_in_viewport()
    assert abs(_top_of(page, "section_first")) <= 2

    for name in SECTIONS[1:]:  # each "next" brings the next section's top to the screen's
        forward.click()
        _comes_to_the_top(page, name)
    screenshot(page, "briefing-vi-present-charts-1920x1080")
    back.click()
    _comes_to_the_top(page, "section_ended")
    # a clicker's Page Up / Page Down do the same
    page.keyboard.press("PageUp")
    _comes_to_the_top(page, "section_first")
    page.keyboard.press("PageDown")
    _comes_to_the_top(page, "section_ended")

    # the top menu leads to another page; the mode, the menu and the buttons stay
    menu = page.locator(".st-key-layout_menu")
    expect(menu).to_be_in_viewport()
    menu.get_by_role("link", name=t("nav.compare", "vi")).click()
    expect(page).to_have_url(re.compile(r"/compare\?(.*&)?present=1\b"), timeout=30_000)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.locator(".st-key-layout_menu")).to_be_in_viewport()
    expect(forward).to_be_in_viewport()
    # leaving the mode takes the section buttons away with it
    page.get_by_role("button", name=t("layout.present.exit", "vi")).click()
    expect(page.get_by_test_id("stSidebar")).to_be_visible(timeout=30_000)
    expect(page.locator("#planner-present-nav")).to_have_count(0)
    assert external_requests == []
