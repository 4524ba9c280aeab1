"""Every page on a phone (390×844, touch): nothing overlaps, no chart toolbar over a title.

On a touch screen Plotly's mode bar stays shown and covered the charts' titles and legends;
the charts are drawn without it. The briefing's first screen holds where the province stands,
the targets summary and the top of the first card; compare's tables fit the screen's width
(their cells wrap) instead of scrolling sideways. The overlap check takes what a reader sees of each heading,
metric, chart, table, button and caption (its box, cut by any scrolling or folded ancestor)
and finds no two that cover each other, and inside each chart no title over the legend.

On every page in both languages: each table shows each row as a card whose cells (the
indicator, year, value, target, status...) lie inside the table's box and the screen; every
touch target is at least 24×24 px or has WCAG 2.2's spacing (2.5.8: a 24 px circle on it
meets no other target); and a Vietnamese page, on a phone and on a wide screen, carries none of
Streamlit's English accessible names (aria-label, title, alt, placeholder, visually hidden
text) from :data:`STREAMLIT_ENGLISH`, collected from Streamlit 1.67's frontend. These checks
only read a page: they share one opening of each page and language (the ``phone`` fixture).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import guarded_context
from tests.browser.waits import wait_quiet, watch_changes

PHONE = {"width": 390, "height": 844}
PAGES = ("briefing", "planner", "saved", "compare", "data", "update")

# What a reader sees of each element: its box cut by every ancestor that clips (a folded
# expander, a scrolling table); headings by their text, not their line box. Returns the pairs
# that overlap by more than a pixel each way, and each chart's own problems.
_OVERLAPS = """() => {
  const kinds = ['[data-testid="stHeading"] h1', '[data-testid="stHeading"] h2',
    '[data-testid="stHeading"] h3', '[data-testid="stMarkdownContainer"] h3',
    '[data-testid="stMarkdownContainer"] h4', '[data-testid="stMetric"]',
    '[data-testid="stPlotlyChart"]', '.planner-chart', '[data-testid="stDataFrame"]',
    '[data-testid="stTable"]',
    '[data-testid="stButton"] button', '[data-testid="stPopover"] button',
    '[data-testid="stDownloadButton"] button', '[data-testid="stCaptionContainer"]',
    '[data-testid="stPageLink"]', '[data-testid="stSlider"]', '[data-testid="stSelectbox"]'];
  const main = document.querySelector('[data-testid="stMain"]');
  const seen = (e) => {
    let r = e.getBoundingClientRect();
    if (/^H[1-4]$/.test(e.tagName)) {
      const range = document.createRange(); range.selectNodeContents(e);
      r = range.getBoundingClientRect();
    }
    let box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    for (let a = e.parentElement; a && a !== main; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.display === 'none' || style.visibility === 'hidden') return null;
      if (style.overflow === 'visible' && a.tagName !== 'DETAILS') continue;
      const c = a.getBoundingClientRect();
      box = {left: Math.max(box.left, c.left), top: Math.max(box.top, c.top),
             right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom)};
    }
    return box.right - box.left > 1 && box.bottom - box.top > 1 ? box : null;
  };
  const name = (e) => (e.closest('[data-testid]').getAttribute('data-testid') + ' '
    + (e.innerText || '').trim().split('\\n')[0].slice(0, 40));
  const items = [...main.querySelectorAll(kinds.join(','))]
    .map((e) => [e, seen(e)]).filter(([, box]) => box);
  const overlaps = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) {
    const [a, r] = items[i], [b, s] = items[j];
    if (a.contains(b) || b.contains(a)) continue;
    const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
    const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
    if (w > 1 && h > 1) overlaps.push(`${name(a)} | ${name(b)} (${Math.round(w)}×${Math.round(h)})`);
  }
  const charts = [];
  for (const plot of main.querySelectorAll('.js-plotly-plot')) {
    const title = plot.querySelector('.gtitle');
    const label = title ? title.textContent : '(untitled)';
    const bar = plot.querySelector('.modebar');
    if (bar && bar.getBoundingClientRect().width > 0 && getComputedStyle(bar).display !== 'none'
        && getComputedStyle(bar).opacity !== '0') charts.push(`mode bar shown on ${label}`);
    const legend = plot.querySelector('.legend');
    if (title && legend) {
      const r = title.getBoundingClientRect(), s = legend.getBoundingClientRect();
      if (Math.min(r.right, s.right) - Math.max(r.left, s.left) > 1
          && Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top) > 1) {
        charts.push(`legend over the title of ${label}`);
      }
    }
  }
  return {count: items.length, overlaps, charts};
}"""



def open_phone(new_page, url: str):
    """A touch phone's page at ``url``, once the page has been still for a second."""
    page = new_page(PHONE["width"], PHONE["height"], is_mobile=True, has_touch=True)
    return _opened(page, url)


def _opened(page, url: str):
    watch_changes(page)
    page.goto(url, wait_until="domcontentloaded")
    expect(page.locator("h1").first).to_be_visible(timeout=90_000)
    wait_quiet(page, 1_000)
    return page


@dataclass
class PhonePages:
    """Each page opened once on a touch phone for the checks that only read it (overlaps,
    tables, touch targets, accessible names): opening a page is most of such a check's time."""

    context: object
    base: str
    external: list[str] = field(default_factory=list)
    """Requests off this machine the pages tried (blocked)."""
    pages: dict = field(default_factory=dict)

    def get(self, path: str, lang: str):
        """``/<path>?lang=<lang>``, opened and still (the same page for every check)."""
        if (path, lang) not in self.pages:
            self.pages[path, lang] = _opened(self.context.new_page(),
                                             f"{self.base}/{path}?lang={lang}")
        return self.pages[path, lang]


@pytest.fixture(scope="module")
def phone(browser, app_server) -> Iterator[PhonePages]:
    """:class:`PhonePages` of the shared server, in one phone context for the module."""
    external: list[str] = []
    context = guarded_context(browser, external, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        yield PhonePages(context, app_server, external)
    finally:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_nothing_overlaps_on_a_phone(phone, screenshot, path):
    page = phone.get(path, "vi")
    found = page.evaluate(_OVERLAPS)
    screenshot(page, f"{path}-vi-phone-390x844")
    assert found["count"] > 2, "the check found the page's elements"
    assert found["charts"] == [], found["charts"]
    assert found["overlaps"] == [], "\n".join(found["overlaps"])
    # nothing wider than the screen makes the page scroll sideways
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth") <= 390
    assert phone.external == []


def test_chart_titles_are_clear_after_a_tap(new_page, app_server):
    """A tap on a chart (a touch screen's hover) shows no toolbar over its title: a chart has
    none (no Plotly mode bar, and Streamlit draws no toolbar of its own over it)."""
    page = open_phone(new_page, f"{app_server}/briefing?lang=en")
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.scroll_into_view_if_needed()
    chart.tap()
    wait_quiet(page, 300)  # what the tap shows is drawn
    found = page.evaluate(_OVERLAPS)
    assert found["charts"] == [], found["charts"]
    charts = page.locator('[data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"])')
    expect(charts.first).to_be_visible()
    for name in ("stElementToolbar", "stElementToolbarButton"):
        expect(charts.get_by_test_id(name)).to_have_count(0)
    expect(charts.locator(".modebar-btn")).to_have_count(0)


def test_briefing_first_screen_on_a_phone(new_page, app_server, screenshot):
    """The leader's first question answered on the first screen: the DTI published and its
    2027 and 2030 projections (score and rank) whole, stacked; the targets summary follows."""
    page = open_phone(new_page, f"{app_server}/briefing?lang=vi")
    main = page.get_by_test_id("stMain")
    assert main.evaluate("m => m.scrollTop") == 0

    def box(selector: str) -> dict:
        found = page.locator(selector).bounding_box()
        assert found is not None, selector
        return found

    last = box(".st-key-dti_outlook_2030")
    assert last["y"] + last["height"] <= PHONE["height"], last
    assert box(".st-key-briefing_targets_summary")["y"] >= last["y"] + last["height"]
    # score and rank side by side, neither covering the other nor cut at the screen's edge
    score, rank = (page.locator(".st-key-briefing_top [data-testid=stMetric]").nth(i)
                   .bounding_box() for i in (0, 1))
    assert abs(score["y"] - rank["y"]) <= 2 and score["x"] + score["width"] <= rank["x"] + 1
    assert rank["x"] + rank["width"] <= PHONE["width"]
    screenshot(page, "briefing-vi-phone-first-390x844")


# Every table shown: its right edge and, for Streamlit's grid, whether it scrolls sideways.
_TABLES = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stDataFrame"], [data-testid="stMain"] table')]
  .filter((e) => e.getClientRects().length > 0)
  .map((e) => {
    const scroller = e.querySelector('.dvn-scroller');
    return {kind: e.tagName, right: e.getBoundingClientRect().right,
            sideways: scroller ? scroller.scrollWidth - scroller.clientWidth : 0};
  })"""


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compare_tables_fit_a_phone(new_page, app_server, screenshot, lang):
    page = open_phone(new_page, f"{app_server}/compare?lang={lang}")
    tables = page.evaluate(_TABLES)
    assert len(tables) >= 2, tables  # the outcomes and the targets per scenario
    for found in tables:
        assert found["sideways"] <= 1, f"a table scrolls sideways by {found['sideways']} px"
        assert found["right"] <= PHONE["width"], found
    found = page.evaluate(_OVERLAPS)
    assert found["overlaps"] == [], "\n".join(found["overlaps"])
    screenshot(page, f"compare-{lang}-phone-390x844")


def test_the_planner_headline_comes_before_the_levers_on_a_phone(new_page, app_server, screenshot):
    page = open_phone(new_page, f"{app_server}/planner?lang=en")
    strip = page.locator(".st-key-planner_strip_box").bounding_box()
    slider = page.locator("[data-testid=lever-online_filing-2027]").bounding_box()  # the first
    assert strip and slider and strip["y"] + strip["height"] <= slider["y"], (strip, slider)
    assert strip["y"] < PHONE["height"], f"the headline starts at {strip['y']:.0f} px"
    screenshot(page, "planner-en-phone-headline-390x844")
    # each year's number sits under its year, side by side
    years = [page.locator(".st-key-planner_strip_box .hl-caption")
             .get_by_text(str(y), exact=True).bounding_box() for y in (2027, 2030)]
    values = [page.locator(f"[data-testid=headline-dti_overall-{year}]").bounding_box()
              for year in (2027, 2030)]
    assert abs(years[0]["y"] - years[1]["y"]) <= 2 and abs(values[0]["y"] - values[1]["y"]) <= 2
    assert values[0]["x"] + values[0]["width"] <= values[1]["x"] + 1


# Each table's cells with text: whether each lies inside its table's box and the screen's
# width. A table is a static copy shown as one card per row on a phone (its cells name their
# column), or Streamlit's st.table; the grid is not shown on a phone.
_TABLE_FIT = """(width) => [...document.querySelectorAll(
    '[data-testid="stMain"] table.paper-table, [data-testid="stMain"] [data-testid="stTable"] table,'
    + '[data-testid="stMain"] [data-testid="stDataFrame"]')]
  .filter((table) => table.checkVisibility())
  .map((table) => {
    if (table.getAttribute('data-testid') === 'stDataFrame') return {grid: true};
    const box = table.getBoundingClientRect();
    const row = table.querySelector('tbody tr');
    const out = [...(row ? row.querySelectorAll('td, th') : [])]
      .filter((cell) => cell.textContent.trim() && cell.checkVisibility())
      .filter((cell) => {
        const r = cell.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1 || r.right > width
          || r.left < 0;
      }).map((cell) => cell.getAttribute('data-label') || cell.textContent.slice(0, 30));
    return {right: box.right, out};
  })"""


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_table_shows_its_columns_on_a_phone(phone, path, lang):
    """A table's first row shows every column (indicator, year, value, target, status...) inside
    the table's box and the screen, with no sideways scrolling: one card per row."""
    page = phone.get(path, lang)
    tables = page.evaluate(_TABLE_FIT, PHONE["width"])
    assert not [t for t in tables if t.get("grid")], "a grid that scrolls sideways is shown"
    for found in tables:
        assert found["out"] == [], f"columns off the table or the screen: {found['out']}"
        assert found["right"] <= PHONE["width"] + 1, found
    if path in ("planner", "compare", "data"):
        assert tables, "the page's tables were found"


# Every target a finger may touch, seen on the page: its box, unless it is inline in a
# sentence (WCAG 2.5.8's exception) or visually hidden (a slider's range input: its thumb is
# the target).
_TARGETS = """() => {
  const sel = ['button', 'a[href]', 'input:not([type="hidden"]):not([type="range"])', 'select',
    'summary', '[role="slider"]', '[role="tab"]', '[role="checkbox"]', '[role="radio"]',
    '[data-testid="stSlider"] [role="group"] > div > div:has([data-testid="stSliderThumbValue"])',
    '[data-testid="stCheckbox"] label', '[data-testid="stRadio"] label'].join(',');
  const main = document.querySelector('[data-testid="stMain"]');
  const found = [];
  for (const e of main.querySelectorAll(sel)) {
    if (!e.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    // a select's text box: a tap anywhere on the field reaches it, so the field is the target
    const field = e.tagName === 'INPUT'
      && e.closest('[data-testid="stMultiSelect"], [data-testid="stSelectbox"]')
      && e.closest('[role="group"]');
    const r = (field || e).getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    let clipped = false;
    for (let a = e; a && a !== main; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.clipPath === 'inset(50%)' || s.clip === 'rect(0px, 0px, 0px, 0px)') clipped = true;
    }
    if (clipped) continue;
    if (e.tagName === 'A' && e.closest('p, li') && e.closest('p, li').textContent.trim()
        !== e.textContent.trim()) continue;  // a link inside a sentence
    found.push({name: (e.getAttribute('aria-label') || e.textContent || e.tagName).trim().slice(0, 40),
                x: r.left, y: r.top, w: r.width, h: r.height});
  }
  return found;
}"""


def _too_small(targets: list[dict]) -> list[str]:
    """Targets under 24×24 px whose 24 px circle, centred on them, meets another target."""
    def meets(cx: float, cy: float, other: dict) -> bool:
        nx = min(max(cx, other["x"]), other["x"] + other["w"])
        ny = min(max(cy, other["y"]), other["y"] + other["h"])
        return (nx - cx) ** 2 + (ny - cy) ** 2 < 12 ** 2

    bad = []
    for i, target in enumerate(targets):
        if target["w"] >= 23.5 and target["h"] >= 23.5:
            continue
        cx, cy = target["x"] + target["w"] / 2, target["y"] + target["h"] / 2
        near = [o for j, o in enumerate(targets) if j != i and not (
            o["x"] <= cx <= o["x"] + o["w"] and o["y"] <= cy <= o["y"] + o["h"]) and meets(cx, cy, o)]
        if near:
            bad.append(f"{target['name']!r} {target['w']:.0f}×{target['h']:.0f} near "
                       f"{near[0]['name']!r}")
    return bad


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_touch_targets_are_at_least_24_px_on_a_phone(phone, path, lang):
    """WCAG 2.2's target size (2.5.8): each target at least 24×24 px, or one whose 24 px circle
    touches no other target."""
    page = phone.get(path, lang)
    targets = page.evaluate(_TARGETS)
    assert len(targets) >= 2, targets
    bad = _too_small(targets)
    assert bad == [], "\n".join(bad)


# Streamlit's own English accessible names and hidden texts (its frontend's strings, collected
# from Streamlit 1.67's bundle): none may be left on a Vietnamese page.
STREAMLIT_ENGLISH = (
    "Link to heading", "Open", "Close", "Sidebar", "Collapse sidebar", "Expand sidebar",
    "App pages", "Choose an option", "Choose options", "Clear all", "Clear value",
    "Copy to clipboard", "file upload", "Main menu", "Show/hide columns", "Download as CSV",
    "Search", "Fullscreen", "Selected values", "Skip to main content", "Running...", "Menu",
    "Selectbox", "Multiselect", "Scroll tabs left", "Scroll tabs right", "Upload",
    "Drag and drop file here", "Page not found", "No results",
)
ENGLISH_PREFIXES = ("Help for ", "Remove ", "Upload ")
# Every accessible name, title, alt text, placeholder and visually hidden text a screen reader
# may read (elements rendered and not aria-hidden).
_NAMES = """() => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (!e.checkVisibility() || e.closest('[aria-hidden="true"]')) continue;
    for (const a of ['aria-label', 'title', 'alt', 'placeholder', 'aria-roledescription']) {
      const v = e.getAttribute(a);
      if (v) out.push(v.trim());
    }
    const s = getComputedStyle(e);
    if ((s.clipPath === 'inset(50%)' || s.clip === 'rect(0px, 0px, 0px, 0px)')
        && !e.children.length && e.textContent.trim()) out.push(e.textContent.trim());
  }
  return out;
}"""


def _english(names: list[str]) -> list[str]:
    return sorted({n for n in names if n in STREAMLIT_ENGLISH or n.startswith(ENGLISH_PREFIXES)})


def _names_once_renamed(page) -> list[str]:
    """The page's names (:data:`_NAMES`) once none is Streamlit's English, or after 10 s as
    they are: ``ui.lang`` renames an element one animation frame after it arrives, so a read
    can fall between the two. The page is brought to the front first: a shared page behind
    the one opened last gets no animation frames, and its late elements stayed English."""
    page.bring_to_front()
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(f"""([english, prefixes]) => ({_NAMES})().every(
            (n) => !english.includes(n) && !prefixes.some((p) => n.startsWith(p)))""",
                               arg=[list(STREAMLIT_ENGLISH), list(ENGLISH_PREFIXES)],
                               timeout=10_000)
    return page.evaluate(_NAMES)


@pytest.mark.parametrize("path", PAGES)
def test_vietnamese_pages_have_no_english_accessible_names(phone, new_page, app_server, path):
    names = _names_once_renamed(phone.get(path, "vi"))
    # on a wide screen too (the sidebar's own buttons)
    wide = new_page(1440, 900)
    watch_changes(wide)
    wide.goto(f"{app_server}/{path}?lang=vi", wait_until="domcontentloaded")
    expect(wide.locator("h1").first).to_be_visible(timeout=90_000)
    wait_quiet(wide, 1_000)
    names += _names_once_renamed(wide)
    assert len(names) > 5, names
    english = _english(names)
    assert english == [], f"English names on a Vietnamese page: {english}"
