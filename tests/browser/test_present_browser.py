"""The briefing on a 1920×1080 wall in presentation mode (``?present=1``).

Each of the briefing's sections (the first screen, the ended years with every target, each
row of two charts) is a screen of its own: every section's content fits the screen, and the
"next section" button, or a clicker's Page Down, brings each section's top to the top of the
screen, so every chart is seen whole at some step. A compact menu at the top leads to the
other pages without the sidebar.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from planner.i18n import t
from tests.browser.waits import wait_quiet, watch_changes

WALL = (1920, 1080)
SECTIONS = ("section_first", "section_ended", "section_charts_0")
"""The briefing's first sections; every further row of charts is one more."""

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
    return _drawn(page)


def _shared(shared_pages, lang: str, *, take: bool = False):
    """The wall's briefing in ``lang``, the session's shared page (taken by a check that moves
    it), drawn as :func:`_open` waits for it."""
    pick = shared_pages.take if take else shared_pages.get
    return _drawn(pick(f"/briefing?lang={lang}&present=1", *WALL))


def _drawn(page):
    """``page`` once its charts, first card and section buttons are there and it is still."""
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
def test_the_first_section_fills_one_wall_screen(shared_pages, screenshot, lang):
    """Only read: the session's shared page (Page Down's check takes it after)."""
    page = _shared(shared_pages, lang)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    found = page.evaluate(_SECTIONS)
    assert set(SECTIONS) <= set(found["sections"]), sorted(found["sections"])
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


# One step of the wall: where each section and each chart is on the screen, and what the fixed
# page menu and section buttons cover.
_STEP = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const pad = parseFloat(getComputedStyle(main).scrollPaddingTop) || 0;
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const sections = [];
  for (const el of main.querySelectorAll(
      '[data-testid="stVerticalBlock"][class*="st-key-section_"]')) {
    const drawn = [...el.children].filter((c) => c.getBoundingClientRect().height > 0);
    sections.push({name: /st-key-(section_\\w+)/.exec(el.className)[1],
                   top: el.getBoundingClientRect().top - pad,
                   bottom: Math.max(0, ...drawn.map((c) => c.getBoundingClientRect().bottom))});
  }
  const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')].map((el) => ({
    name: (/st-key-(chart_\\S+)/.exec(el.closest('[class*="st-key-chart_"]').className)
           || [])[1], ...box(el)}));
  const fixed = ['.st-key-layout_exit', '#planner-present-nav']
    .map((s) => document.querySelector(s)).filter(Boolean).map(box);
  return {scroll: main.scrollTop, end: main.scrollHeight - main.clientHeight, sections, charts,
          fixed, width: window.innerWidth, height: window.innerHeight};
}"""


def _meets(a: dict, b: dict) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_page_down_shows_each_section_whole_and_every_chart_at_some_step(
    shared_pages, screenshot, lang
):
    """It scrolls: it takes the shared page the first section's check read."""
    page = _shared(shared_pages, lang, take=True)
    steps = [page.evaluate(_STEP)]
    while steps[-1]["scroll"] < steps[-1]["end"] - 1 and len(steps) < 30:
        before = steps[-1]["scroll"]
        page.keyboard.press("PageDown")
        page.wait_for_function(
            "(before) => document.querySelector('[data-testid=stMain]').scrollTop !== before",
            arg=before)
        steps.append(page.evaluate(_STEP))
        screenshot(page, f"briefing-{lang}-present-step{len(steps) - 1}-1920x1080")

    names = [s["name"] for s in sorted(steps[0]["sections"], key=lambda s: s["top"])]
    assert names[:3] == list(SECTIONS) and len(names) >= 6, names  # five rows of charts
    height, width = steps[0]["height"], steps[0]["width"]
    for i, name in enumerate(names):  # step i brings section i to the top, and all of it fits
        section = next(s for s in steps[i]["sections"] if s["name"] == name)
        assert abs(section["top"]) <= 2, f"step {i}: {name} is {section['top']:.0f} px down"
        assert section["bottom"] <= height, (
            f"{name} ends at {section['bottom']:.0f} px, the screen at {height}")
    # every chart is whole on the screen at some step, clear of the fixed menu and buttons
    charts = {c["name"] for c in steps[0]["charts"]}
    assert len(charts) == len(steps[0]["charts"]) >= 10, sorted(charts)
    whole = {c["name"] for step in steps for c in step["charts"]
             if c["top"] >= -0.5 and c["left"] >= -0.5 and c["bottom"] <= height + 0.5
             and c["right"] <= width + 0.5
             and not any(_meets(c, fixed) for fixed in step["fixed"])}
    assert whole == charts, f"never whole on screen: {sorted(charts - whole)}"


def test_page_down_on_a_page_without_sections_moves_a_screen_at_most(new_page, app_server):
    """The scenarios page has no sections and one top heading: Page Down still shows all of
    it, a screen (less a few lines kept in view) at a time, to its end."""
    page = new_page(*WALL)
    watch_changes(page)
    page.goto(f"{app_server}/planner?lang=en&present=1", wait_until="domcontentloaded")
    expect(page.locator("[data-testid=headline-dti_overall-2030]")).to_be_visible(timeout=90_000)
    expect(page.locator("#planner-present-nav button").first).to_be_attached()
    wait_quiet(page, 500)
    where = "() => { const m = document.querySelector('[data-testid=stMain]');" \
            " return [m.scrollTop, m.scrollHeight - m.clientHeight, m.clientHeight]; }"
    now, end, screen = page.evaluate(where)
    assert end > 2 * screen, "the page is longer than two screens"
    moves = []
    while now < end - 1 and len(moves) < 20:
        page.keyboard.press("PageDown")
        page.wait_for_function(
            f"(before) => ({where})()[0] !== before", arg=now)
        after = page.evaluate(where)[0]
        moves.append(after - now)
        now = after
    assert now >= end - 1, f"stopped at {now:.0f} of {end:.0f} after {len(moves)} steps"
    assert all(0 < move <= screen for move in moves), moves
