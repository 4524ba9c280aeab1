"""The briefing on paper and on a wall: printed to an A4 PDF, and in presentation mode.

The PDF is Chromium's own (``page.pdf``, what "Print" makes), read back with poppler's
``pdfinfo`` and ``pdftotext`` (``apt-get install poppler-utils``; ``.ci/run`` installs it).
Whether a card or a chart is split between pages is read from the paper itself: before
printing, the test marks the top and the bottom of each metric card and each chart with a word
of its own (absolutely placed, so the layout does not change), and both words of every mark
must come out on one page. The scenario's heading gets a mark too: it prints on the page of
the first card. Each chart prints with a note of its title and sources under it, and a table
prints every row as text (Streamlit's grid is a canvas: on paper it was a picture of the rows
in its scroll box).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from planner.i18n import t
from tests.browser.waits import wait_idle, wait_quiet, watch_changes
from tests.needs import missing

MAX_PAGES = 3
# Marks the first and last line of every card and chart: "MKS<n>Q" at its top, "MKE<n>Q" at its
# bottom. Absolutely placed pseudo-elements, so nothing moves.
MARKS_CSS = """
[data-testid="stMetric"], [data-testid="stPlotlyChart"] { position: relative; }
[data-testid="stMain"] { counter-reset: mark; }
[data-testid="stMetric"], [data-testid="stPlotlyChart"] { counter-increment: mark; }
[data-testid="stMetric"]::before, [data-testid="stPlotlyChart"]::before {
  content: "MKS" counter(mark) "Q"; position: absolute; top: 0; left: 0; font-size: 6px;
}
[data-testid="stMetric"]::after, [data-testid="stPlotlyChart"]::after {
  content: "MKE" counter(mark) "Q"; position: absolute; bottom: 0; left: 0; font-size: 6px;
}
.st-key-briefing_heading h2 { position: relative; }
.st-key-briefing_heading h2::after {
  content: "MKHEADQ"; position: absolute; top: 0; right: 0; font-size: 6px;
}
"""
# The mark number of the first card's metric: its place among the marked elements on paper.
_FIRST_CARD_MARK = """() => {
  const marked = [...document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stMetric"], [data-testid="stMain"] [data-testid="stPlotlyChart"]')]
    .filter((e) => e.getClientRects().length > 0);
  const card = document.querySelector('.st-key-target_card_0 [data-testid="stMetric"]');
  return marked.indexOf(card) + 1;
}"""
# The marks are in: the first card's top mark has its word.
_MARKED = """() => {
  const card = document.querySelector('[data-testid="stMetric"]');
  return !!card && getComputedStyle(card, '::before').content.includes('MKS');
}"""


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        missing(f"poppler's {tool}", "apt-get install poppler-utils; .ci/run installs it")
    return path


def open_settled(page, url: str) -> None:
    """Open ``url`` and wait until every chart is drawn and the page is still for a second."""
    watch_changes(page)
    page.goto(url, wait_until="domcontentloaded")
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=90_000)
    wait_quiet(page, 1_000)


def pages_text(pdf: Path) -> list[str]:
    """The text of each page of ``pdf``."""
    info = subprocess.run([_poppler("pdfinfo"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return [subprocess.run([_poppler("pdftotext"), "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, count + 1)]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_printed_briefing_is_at_most_three_a4_pages_with_no_card_split(
    shared_pages, artifacts, lang
):
    """It marks and prints the page: it takes the session's shared page (the briefing's first
    screen, its charts and its paper were checked on it before)."""
    _poppler("pdfinfo")
    page = shared_pages.take(f"/briefing?lang={lang}", 1440, 900)
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=90_000)
    wait_quiet(page, 1_000)
    # what paper shows (an expander prints open: the register and the pillars' metrics too)
    page.emulate_media(media="print")
    cards = page.get_by_test_id("stMetric").filter(visible=True).count()
    charts = page.get_by_test_id("stPlotlyChart").filter(visible=True).count()
    page.emulate_media(media="null")
    assert cards >= 6 and charts >= 6
    first_card = page.evaluate(_FIRST_CARD_MARK)
    assert first_card > 0
    page.add_style_tag(content=MARKS_CSS)
    page.wait_for_function(_MARKED)
    pdf = artifacts / f"briefing-{lang}-a4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)

    texts = pages_text(pdf)
    assert len(texts) <= MAX_PAGES, f"{len(texts)} A4 pages, at most {MAX_PAGES} wanted"
    starts = {int(n): i for i, text in enumerate(texts) for n in re.findall(r"MKS(\d+)Q", text)}
    ends = {int(n): i for i, text in enumerate(texts) for n in re.findall(r"MKE(\d+)Q", text)}
    assert len(starts) == cards + charts, "every card and chart is on paper"
    assert starts.keys() == ends.keys()
    split = sorted(n for n in starts if starts[n] != ends[n])
    assert not split, f"cards or charts split between pages: {split}"
    # the scenario's heading is on the paper page of its first card
    heading = [i for i, text in enumerate(texts) if "MKHEADQ" in text]
    assert heading == [starts[first_card]], (heading, starts[first_card])
    # under each chart, its title and sources (on screen they are in popovers)
    said = t("chart.paper.note", lang, title="TITLE", sources="SOURCES")
    source_word = said.split("TITLE")[1].split("SOURCES")[0].strip()  # ". Nguồn:"
    assert source_word
    # (a note wraps where its column ends: read its words with any white space between)
    assert sum(" ".join(text.split()).count(source_word) for text in texts) == charts, source_word

    # no sidebar, no buttons, no download menu, no source buttons; the "data as of" stamp
    whole = "\n".join(texts)
    for hidden in (t("app.language", lang), t("export.menu.heading", lang),
                   t("source.button", lang, kind=t("kind.observed", lang)),
                   t("layout.present.enter", lang)):
        assert hidden not in whole, f"{hidden!r} printed"
    stamp = t("layout.stamp", lang, date="DATE", version="VERSION").split("DATE")[0].strip()
    assert stamp in texts[0]
    assert re.search(r"[0-9a-f]{16}", texts[0]), "the dataset version is on the first page"
    assert shared_pages.external == []
    page.close()


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def test_printed_tables_hold_every_row(new_page, app_server, artifacts, data_dir):
    """Compare's tables on paper: every outcome's row as text (the outcomes a static table, the
    targets a grid whose static copy replaces it on paper)."""
    from planner.dataset import read_data_dir
    from planner.engine import fit_dataset
    from planner.horizon import settable_years
    from planner.i18n import label
    from planner.views import outcome_order

    _poppler("pdftotext")
    model = fit_dataset(read_data_dir(data_dir))
    indicators = model.dataset.indicators.set_index("id", drop=False)
    names = [label(indicators.loc[o], "en") for o in outcome_order(model)]
    page = new_page(1440, 900)
    page.goto(f"{app_server}/compare?lang=en", wait_until="domcontentloaded")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=90_000)
    wait_idle(page)
    outcomes = page.locator(".st-key-static_compare_table table")
    expect(outcomes.locator("tbody tr")).to_have_count(len(settable_years()) * len(names))
    grid = page.locator('[class*="st-key-table_"]').filter(
        has=page.locator('[data-testid="stDataFrame"]')).first
    copy = grid.locator("table.paper-table")  # the grid has an accessible table of its own
    page.emulate_media(media="print")
    expect(grid.get_by_test_id("stDataFrame")).to_be_hidden()
    expect(copy).to_be_visible()
    expect(outcomes).to_be_visible()
    page.emulate_media(media="screen")
    expect(copy).to_be_hidden()  # on screen the grid only
    page.emulate_media(media="null")  # page.pdf prints with the print stylesheet again

    pdf = artifacts / "compare-en-a4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    whole = _collapsed("\n".join(pages_text(pdf)))
    missing = [n for n in names if _collapsed(n) not in whole]
    assert not missing, f"rows not on paper: {missing}"


def test_stamp_shows_on_paper_only(page, app_server):
    page.goto(f"{app_server}/briefing?lang=en", wait_until="domcontentloaded")
    stamp = page.locator(".st-key-layout_stamp")
    expect(page.get_by_test_id("stMetricValue").first).to_be_visible(timeout=60_000)
    expect(stamp).to_be_attached()
    expect(stamp).to_be_hidden()
    page.emulate_media(media="print")
    expect(stamp).to_be_visible()
    expect(stamp).to_contain_text("Data as of")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()


def _metric_size(page) -> float:
    value = page.get_by_test_id("stMetricValue").first
    expect(value).to_be_visible(timeout=60_000)
    wait_idle(page)  # the run is over: the number measured is the one that stays
    return float(value.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def test_presentation_mode_hides_the_sidebar_enlarges_type_and_has_a_way_out(
    shared_pages, screenshot
):
    """It clicks through: it takes the session's shared page (the first screen's checks read
    it before)."""
    page = shared_pages.take("/briefing?lang=vi", 1920, 1080)
    normal = _metric_size(page)
    expect(page.get_by_test_id("stSidebar")).to_be_visible()

    page.get_by_test_id("stSidebar").get_by_role(
        "button", name=t("layout.present.enter", "vi")).click()
    expect(page).to_have_url(re.compile(r"[?&]present=1\b"), timeout=30_000)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    way_out = page.get_by_role("button", name=t("layout.present.exit", "vi"))
    expect(way_out).to_be_in_viewport()
    large = _metric_size(page)
    assert large >= 1.4 * normal, (normal, large)
    wait_quiet(page, 500)  # drawn whole, for the screenshot
    screenshot(page, "briefing-vi-present-1920x1080")

    # the mode goes with the reader to another page, and the way out stays in view there
    page.get_by_role("link", name=t("briefing.scenario.open_planner", "vi")).click()
    expect(page).to_have_url(re.compile(r"/planner\?(.*&)?present=1\b"), timeout=30_000)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(way_out).to_be_in_viewport()
    # scrolled far down, the way out is still on the screen
    page.get_by_test_id("stMain").evaluate("m => m.scrollTo(0, m.scrollHeight)")
    expect(way_out).to_be_in_viewport()

    way_out.click()
    expect(page.get_by_test_id("stSidebar")).to_be_visible(timeout=30_000)
    expect(page).not_to_have_url(re.compile(r"present="))
    expect(way_out).to_have_count(0)
    assert shared_pages.external == []
    page.close()


def test_presentation_link_opens_in_english_without_sidebar(new_page, app_server, screenshot):
    page = new_page(1920, 1080)
    watch_changes(page)
    page.goto(f"{app_server}/?lang=en&present=1", wait_until="domcontentloaded")
    _metric_size(page)
    expect(page).to_have_url(re.compile(r"/briefing\?(?=.*present=1)(?=.*lang=en)"))
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_role("button", name=t("layout.present.exit", "en"))).to_be_visible()
    wait_quiet(page, 500)  # drawn whole, for the screenshot
    screenshot(page, "briefing-en-present-1920x1080")
