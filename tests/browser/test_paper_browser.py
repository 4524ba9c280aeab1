"""Every page on paper, in both languages: every table row and column as text, no control,
charts at least 45 mm high, the briefing on three A4 pages at most.

Each page is printed with Chromium's own ``page.pdf`` (A4, the print stylesheet) and read back
with poppler's ``pdftotext`` (``.ci/run`` installs poppler-utils). The tables' cells come from
the page itself, read under the print stylesheet (an expander prints open, so its tables
count): the first and the last cell of every row of every table must be in the PDF's text
(compared without white space, so a cell wrapped over lines, or an address broken anywhere,
still matches). A chart's height on paper is read from the PDF too: the test marks the top and
the bottom of each chart with a word of its own (absolutely placed, so nothing moves), and
``pdftotext -bbox`` gives where each word is printed.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.test_print_browser import _poppler, pages_text
from tests.browser.waits import wait_quiet

PAGES = ("briefing", "planner", "compare", "data", "saved", "update")
MAX_BRIEFING_PAGES = 3
MIN_CHART_MM = 45
MM_PER_POINT = 25.4 / 72

# The first and last cell of every row of every table paper shows (read under print media).
_TABLE_CELLS = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] table.paper-table, [data-testid="stMain"] [data-testid="stTable"] table')]
  .filter((table) => table.checkVisibility())
  .map((table) => [...table.querySelectorAll('tbody tr')].map((row) => {
    const cells = [...row.querySelectorAll('th, td')];
    return [cells[0].textContent, cells[cells.length - 1].textContent];
  }))"""
# Controls that would print: selects, text boxes, buttons, uploaders, tabs not shown, sliders'
# tracks. (A slider prints its label and value as text.)
_CONTROLS = """() => [...document.querySelectorAll([
    '[data-testid="stSelectbox"]', '[data-testid="stMultiSelect"]', '[data-testid="stTextInput"]',
    '[data-testid="stNumberInput"]', '[data-testid="stFileUploader"]', '[data-testid="stCheckbox"]',
    '[data-testid="stRadio"]', '[data-testid="stMain"] button', '[data-testid="stSliderTickBar"]',
    '[role="tab"][aria-selected="false"]', '[data-testid="stSidebar"]'].join(','))]
  .filter((e) => e.checkVisibility() && e.getBoundingClientRect().width > 0)
  .map((e) => e.getAttribute('data-testid') || e.tagName + ' ' + (e.textContent || '').slice(0, 40))"""
CHART = '[data-testid="stPlotlyChart"], .planner-chart'
"""A chart: Streamlit's, or one drawn in place (the scenarios page's, ui.chart_view)."""
CHART_MARKS_CSS = """
:is(CHART) { position: relative; }
[data-testid="stMain"] { counter-reset: chart; }
:is(CHART) { counter-increment: chart; }
:is(CHART)::before {
  content: "CHS" counter(chart) "Q"; position: absolute; top: 0; left: 0; font-size: 5px;
}
:is(CHART)::after {
  content: "CHE" counter(chart) "Q"; position: absolute; bottom: 0; left: 0; font-size: 5px;
}
""".replace("CHART", CHART)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(CH[SE]\d+Q)</word>")


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _chart_heights_mm(pdf) -> dict[int, float]:
    """Each marked chart's printed height in millimetres (top mark to bottom mark)."""
    out = subprocess.run([_poppler("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = out.split("<page ")
    tops: dict[int, tuple[int, float]] = {}
    bottoms: dict[int, tuple[int, float]] = {}
    for number, text in enumerate(pages):
        for _x0, y0, _x1, y1, word in _WORD.findall(text):
            n = int(word[3:-1])
            if word.startswith("CHS"):
                tops[n] = (number, float(y0))
            else:
                bottoms[n] = (number, float(y1))
    return {n: (bottoms[n][1] - tops[n][1]) * MM_PER_POINT for n in tops
            if n in bottoms and bottoms[n][0] == tops[n][0]}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_page_prints_every_table_row_and_column_and_no_control(
    shared_pages, artifacts, path, lang
):
    """On the session's shared page (opened here unless a check that only reads it opened it
    before); the media and the chart marks are set back after, as the page was."""
    _poppler("pdfinfo")
    page = shared_pages.get(f"/{path}?lang={lang}", 1440, 900)
    try:
        _check_paper(page, artifacts, path, lang)
    finally:
        page.emulate_media(media="null")
        page.evaluate(_UNMARK)
    assert shared_pages.external == []


# Takes the chart marks (CHART_MARKS_CSS) off the page again.
_UNMARK = """() => document.querySelectorAll('style').forEach(
  (s) => { if (s.textContent.includes('"CHS"')) s.remove(); })"""


def _check_paper(page, artifacts, path: str, lang: str) -> None:
    expect(page.locator("h1").first).to_be_visible(timeout=90_000)
    wait_quiet(page, 1_000)
    charts = page.locator(CHART)
    page.emulate_media(media="print")  # charts far below the view are drawn for paper now
    if charts.count():
        page.wait_for_function("""(chart) => [...document.querySelectorAll(chart)]
            .every((c) => c.querySelector('.main-svg'))""", arg=CHART)

    tables = page.evaluate(_TABLE_CELLS)
    controls = page.evaluate(_CONTROLS)
    page.emulate_media(media="null")  # page.pdf prints with the print stylesheet again
    assert controls == [], f"controls on paper: {controls}"
    page.add_style_tag(content=CHART_MARKS_CSS)
    wait_quiet(page, 1_000)  # every chart drawn at its final size, its zoom for paper set
    pdf = artifacts / f"paper-{path}-{lang}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    texts = pages_text(pdf)
    print(f"PAGES {path} {lang}: {len(texts)}")  # the count per page and language (-s shows it)
    raw = subprocess.run([_poppler("pdftotext"), "-raw", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    whole = _bare(raw)
    missing = [(i, row) for i, rows in enumerate(tables) for row in rows
               if any(_bare(cell) not in whole for cell in row)]
    assert not missing, f"{len(missing)} rows not whole on paper, e.g. {missing[:3]}"
    if path in ("planner", "compare", "data", "briefing"):
        assert tables, "the page's tables were found"
    if path == "briefing":
        assert len(texts) <= MAX_BRIEFING_PAGES, f"{len(texts)} A4 pages"
    heights = _chart_heights_mm(pdf)
    assert len(heights) == sum(1 for n in range(charts.count())
                               if charts.nth(n).evaluate("e => e.checkVisibility()")), heights
    short = {n: round(h, 1) for n, h in heights.items() if h < MIN_CHART_MM}
    assert not short, f"charts under {MIN_CHART_MM} mm on paper: {short}"
