"""A shared briefing (``/s/<id>``) through the real Streamlit server: read with JavaScript off
on a phone, no live session, an accessibility check (axe-core) and an HTML validator (tidy),
and printed on A4 as the briefing is (``test_print_browser``: its marks and ``pages_text``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.request

import pytest
from playwright.sync_api import expect

from planner import saved as sv
from planner.engine import load_model
from planner.formatting import fmt_rank, fmt_value
from planner.i18n import t
from planner.store import DuckDBStore
from tests.browser.test_print_browser import pages_text
from tests.needs import missing

LOAD_TIMEOUT = 60_000
MAX_PAGES = 3
"""A4 pages the shared briefing may print on (the briefing's own limit)."""
# The top and bottom of every DTI box, card and chart get a word of their own ("MKS<n>Q",
# "MKE<n>Q"), absolutely placed so nothing moves: both words of a mark on one page, or it split.
MARKS_CSS = """
main { counter-reset: mark; }
.box, .card, .charts figure { position: relative; counter-increment: mark; }
.box::before, .card::before, .charts figure::before {
  content: "MKS" counter(mark) "Q"; position: absolute; top: 0; left: 0; font-size: 6px;
}
.box::after, .card::after, .charts figure::after {
  content: "MKE" counter(mark) "Q"; position: absolute; bottom: 0; left: 0; font-size: 6px;
}
"""


@pytest.fixture(scope="module")
def shared(served_db):
    """A scenario saved into the shared server's database, and its expected first numbers."""
    store = DuckDBStore(served_db)
    saved, _ = sv.save_scenario(store, load_model(store), {"levers": {"cashless": {"2027": 60}}},
                                "Đọc không cần JavaScript", draws=300, seed=7)
    units = {str(r["id"]): {"id": str(r["id"]), "decimals": r["decimals"]}
             for r in store.dataset().units.to_dict("records")}
    rows = {(r["indicator"], r["year"]): r for r in saved.snapshot["outcomes"]}
    numbers = ["0,7024", "12/63"]
    for year in (2027, 2030):
        numbers.append(fmt_value(rows[("dti_overall", year)]["value"], units["index_0_1"], "vi"))
        numbers.append(fmt_rank(round(rows[("dti_overall_rank", year)]["value"]), 34, "vi"))
    return {"id": saved.id, "numbers": numbers, "version": saved.dataset_version}


def test_a_shared_briefing_reads_without_javascript_on_a_phone(app_server, shared, new_page,
                                                                external_requests, screenshot):
    page = new_page(390, 844, java_script_enabled=False)
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(f"{app_server}/s/{shared['id']}", wait_until="load")
    numbers = page.locator(".key-number")
    expect(numbers).to_have_count(len(shared["numbers"]), timeout=LOAD_TIMEOUT)
    expect(numbers).to_have_text(shared["numbers"])
    # the first key number is on the first screen
    assert numbers.first.bounding_box()["y"] < 844
    html = page.content()
    assert "<script" not in html.lower() and "_stcore" not in html
    assert not sockets, sockets  # no live session
    assert page.locator("figure svg").count() >= 10  # the charts, drawn on the server
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone
    expect(page.get_by_role("link", name="Mở kịch bản này trong trang Kịch bản")).to_have_attribute(
        "href", re.compile(rf"/planner\?s={shared['id']}&lang=vi$"))
    screenshot(page, "plain-briefing-phone-vi")
    assert not external_requests


def test_a_shared_briefing_passes_axe_and_tidy(app_server, shared, new_page, external_requests):
    from axe_playwright_python.sync_playwright import Axe

    url = f"{app_server}/s/{shared['id']}?lang=en"
    page = new_page(1280, 800, bypass_csp=True)  # axe is put in by the test, not the page
    page.goto(url, wait_until="load")
    expect(page.locator(".key-number").first).to_be_visible(timeout=LOAD_TIMEOUT)
    # on paper: no button, the numbers and the charts' words stay
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Open this scenario in the planner")).to_be_hidden()
    expect(page.locator(".key-number").first).to_be_visible()
    page.emulate_media(media="screen")
    results = Axe().run(page)
    assert results.response["passes"], "axe checked nothing"
    assert results.violations_count == 0, results.generate_report()
    assert not external_requests
    tidy = shutil.which("tidy")
    if tidy is None:
        missing("HTML Tidy (tidy)", "apt-get install tidy")
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback only
        body = response.read()
    checked = subprocess.run([tidy, "-q", "-e", "--show-warnings", "yes", "-utf8"], input=body,
                             capture_output=True, check=False)
    report = checked.stderr.decode("utf-8", "replace")
    assert checked.returncode == 0 and not report.strip(), report


def _collapsed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_shared_briefing_prints_on_three_a4_pages_with_nothing_split(
    app_server, shared, new_page, artifacts, lang
):
    page = new_page(1440, 900)
    page.goto(f"{app_server}/s/{shared['id']}?lang={lang}", wait_until="load")
    expect(page.locator(".key-number").first).to_be_visible(timeout=LOAD_TIMEOUT)
    marked = page.locator(".box, .card, .charts figure").count()
    assert page.locator(".charts figure svg").count() >= 10 and marked >= 15
    numbers = [_collapsed(n) for n in page.locator(".key-number").all_inner_texts()]
    sources = [_collapsed(n) for n in
               page.locator("table.sources td:first-child").all_inner_texts()]
    assert sources
    page.add_style_tag(content=MARKS_CSS)
    pdf = artifacts / f"plain-briefing-{lang}-a4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)

    texts = pages_text(pdf)
    assert len(texts) <= MAX_PAGES, f"{len(texts)} A4 pages, at most {MAX_PAGES} wanted"
    starts = {int(n): i for i, text in enumerate(texts) for n in re.findall(r"MKS(\d+)Q", text)}
    ends = {int(n): i for i, text in enumerate(texts) for n in re.findall(r"MKE(\d+)Q", text)}
    assert len(starts) == marked and starts.keys() == ends.keys(), "every box, card and chart"
    split = sorted(n for n in starts if starts[n] != ends[n])
    assert not split, f"boxes, cards or charts split between pages: {split}"
    # the key numbers and the "data as of" line on the first page; every source on paper
    first = _collapsed(texts[0])
    assert all(n in first for n in numbers), (numbers, first[:400])
    assert shared["version"] in first
    whole = _collapsed("\n".join(texts))
    missing_sources = [s for s in sources if s not in whole]
    assert not missing_sources, f"sources not on paper: {missing_sources}"
    # no controls on paper: the planner's button, the other language, the embed links
    for hidden in (t("plain.open_planner", lang), t("plain.embed.link", lang)):
        assert _collapsed(hidden) not in whole, f"{hidden!r} printed"
