"""Nothing written on a chart meets anything else written on it, nor leaves the chart.

On the briefing, the scenarios page (each of its chart tabs) and compare (its charts tab), at
1440×900, 1920×1080 and a 390×844 phone, in both languages, the boxes of every chart's title,
subtitle and notes (annotations), legend entries, axis titles and tick labels are collected
from Plotly's SVG: no two intersect, and each lies inside its chart's box.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.i18n import t
from tests.browser.waits import wait_quiet, watch_changes

SIZES = {"1440x900": (1440, 900), "1920x1080": (1920, 1080), "phone": (390, 844)}
PARTS = (".gtitle", ".gtitle-subtitle", ".annotation", ".legendtext", ".xtitle", ".ytitle",
         ".xtick text", ".ytick text")
"""What is written on a Plotly chart, as its SVG's selectors."""

# Every drawn chart's texts: any two that meet, any outside the chart's box.
_CLASHES = """(parts) => {
  const problems = [];
  let charts = 0;
  let texts = 0;
  for (const plot of document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')) {
    const frame = plot.getBoundingClientRect();
    if (frame.width === 0 || frame.height === 0) continue;
    charts += 1;
    const found = [];
    for (const el of plot.querySelectorAll(parts.join(','))) {
      const r = el.getBoundingClientRect();
      const text = (el.textContent || '').trim();
      if (r.width < 1 || r.height < 1 || !text) continue;
      found.push({text: text.slice(0, 60), kind: el.getAttribute('class') || 'tick', r});
    }
    texts += found.length;
    // the title is the chart's last annotation (planner.figures.style.header_layout)
    const chart = ([...found].reverse().find((p) => p.kind.includes('annotation'))
      || {text: '?'}).text;
    const say = (p) => `${p.kind} "${p.text}" [${Math.round(p.r.left)},${Math.round(p.r.top)}`
      + ` ${Math.round(p.r.right)},${Math.round(p.r.bottom)}]`;
    for (const p of found) {
      if (p.r.left < frame.left - 0.5 || p.r.right > frame.right + 0.5
          || p.r.top < frame.top - 0.5 || p.r.bottom > frame.bottom + 0.5) {
        problems.push(`${chart}: ${say(p)} leaves the chart [${Math.round(frame.left)},`
          + `${Math.round(frame.top)} ${Math.round(frame.right)},${Math.round(frame.bottom)}]`);
      }
    }
    for (let i = 0; i < found.length; i += 1) {
      for (let j = i + 1; j < found.length; j += 1) {
        const a = found[i].r, b = found[j].r;
        if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
            && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1) {
          problems.push(`${chart}: ${say(found[i])} meets ${say(found[j])}`);
        }
      }
    }
  }
  return {charts, texts, problems};
}"""


# Back to the top of the page, as it was opened (every scrolling box and the window).
_TO_THE_TOP = """() => { for (const e of [document.scrollingElement,
    ...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]) {
  if (e) e.scrollTop = 0; } window.scrollTo(0, 0); }"""


def _open(new_page, size: str, url: str):
    width, height = SIZES[size]
    phone = size == "phone"
    page = new_page(width, height, is_mobile=phone, has_touch=phone)
    watch_changes(page)
    page.goto(url, wait_until="domcontentloaded")
    expect(page.locator("h1").first).to_be_visible(timeout=90_000)
    return page


def _charts_drawn(page, at_least: int) -> None:
    """Wait for ``at_least`` charts with their SVG, then for the page to be still."""
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('[data-testid=\"stMain\"] .js-plotly-plot')]"
        ".filter((p) => p.querySelector('.main-svg') && p.getBoundingClientRect().width > 0)"
        ".length >= n", arg=at_least, timeout=90_000)
    wait_quiet(page, 800)


def _check(page, what: str) -> int:
    found = page.evaluate(_CLASHES, list(PARTS))
    assert found["charts"] > 0 and found["texts"] > 4 * found["charts"], (what, found)
    assert found["problems"] == [], f"{what}:\n" + "\n".join(found["problems"])
    return found["charts"]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_briefing_chart_texts_never_meet(shared_pages, screenshot, lang, size):
    """Only read (the scroll for the screenshot is undone): the session's shared page."""
    width, height = SIZES[size]
    page = shared_pages.get(f"/briefing?lang={lang}", width, height, phone=size == "phone")
    _charts_drawn(page, 10)
    assert _check(page, f"briefing {lang} {size}") >= 10
    page.locator("[data-testid=stPlotlyChart]").first.scroll_into_view_if_needed()
    screenshot(page, f"chart-texts-briefing-{lang}-{size}")
    page.evaluate(_TO_THE_TOP)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_planner_chart_texts_never_meet(new_page, app_server, screenshot, lang, size):
    # two levers moved: the baseline's line is drawn too, and what each lever adds
    page = _open(new_page, size,
                 f"{app_server}/planner?lang={lang}&cashless.2030=90&ecommerce.2030=90")
    names = [t("planner.tab_dti", lang), t("planner.tab_programme", lang),
             t("contrib.heading", lang)]
    checked = 0
    for name in names:  # each tab's charts are drawn when it is opened
        tab = page.get_by_role("tab", name=name)
        tab.scroll_into_view_if_needed()  # its charts are drawn once near the view
        if tab.get_attribute("aria-selected") != "true":
            tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
        _charts_drawn(page, 1)
        checked += _check(page, f"planner {lang} {size} {name}")
    assert checked >= 3
    screenshot(page, f"chart-texts-planner-{lang}-{size}")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compare_chart_texts_never_meet(new_page, app_server, screenshot, lang, size):
    page = _open(new_page, size, f"{app_server}/compare?lang={lang}")
    page.get_by_role("tab", name=t("compare.tab_charts", lang)).click()
    _charts_drawn(page, 3)
    assert _check(page, f"compare {lang} {size}") >= 3
    screenshot(page, f"chart-texts-compare-{lang}-{size}")
