"""The data page in Chromium: Vietnamese chrome, searching, and what a screen reader hears.

- The document's language is the page's (``<html lang="vi">``), Streamlit's skip link reads
  Vietnamese, and no table on a Vietnamese page shows Streamlit's English toolbar ("Download as
  CSV", "Search"); the page offers its own download button instead.
- A number typed the English way finds the value shown the Vietnamese way.
- Sidebar links are named by their page titles only: the Material icon's name ("dashboard",
  "table_view") is not part of a link's accessible name.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from planner.browse import filter_observations
from planner.dataset import read_data_dir
from planner.formatting import fmt_int
from planner.i18n import t
from tests.browser.waits import LOAD_TIMEOUT, wait_idle, wait_quiet

REPO = Path(__file__).resolve().parents[2]

VALUES = ".st-key-static_data_table table"  # the values: a static table
GRID = "[data-testid=stDataFrame]:visible"  # the first grid shown (the targets', below)
ICON_WORDS = ("dashboard", "tune", "table_view", "bookmarks", "compare_arrows", "upload_file")


def _toolbar(page):
    """The toolbar of the first grid shown."""
    return (page.locator(GRID).first
            .locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]")
            .locator('[data-testid="stElementToolbar"]'))


def _shared(shared_pages, lang: str):
    """The data page in ``lang`` at 1440×900, the session's shared one: its values, its first
    grid shown, and still for half a second."""
    page = shared_pages.get(f"/data?lang={lang}", 1440, 900)
    expect(page.locator(VALUES).first).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(page.locator(GRID).first).to_be_visible(timeout=LOAD_TIMEOUT)
    wait_quiet(page, 500)
    return page


def _mouse_away(page) -> None:
    """The pointer off every element, as on a page just opened (a hover shows a toolbar)."""
    page.mouse.move(0, 0)


def test_vietnamese_data_page_speaks_vietnamese(shared_pages, screenshot):
    """Only read (the hover is undone): the session's shared page."""
    page = _shared(shared_pages, "vi")
    assert page.evaluate("document.documentElement.lang") == "vi"
    skip = page.get_by_test_id("stSkipToContent")
    assert skip.inner_text() == t("streamlit.skip_link", "vi")
    table = page.locator(GRID).first
    table.hover()
    wait_quiet(page, 300)  # what the hover shows is drawn
    toolbar = _toolbar(page)
    assert not toolbar.is_visible()
    assert page.get_by_role("button", name="Download as CSV").count() == 0
    # no help button named "Help for …" (Streamlit's English)
    assert page.locator('[aria-label^="Help for"]').count() == 0
    expect(page.get_by_role("button", name=t("export.data.csv", "vi"))).to_be_visible()
    screenshot(page, "data-vi-1440")
    _mouse_away(page)


def test_help_buttons_are_named_in_vietnamese(shared_pages):
    """Streamlit's help buttons (the briefing's targets summary has one) read "Trợ giúp cho …".
    Only read: the session's shared page."""
    page = shared_pages.get("/briefing?lang=vi", 1440, 900)
    helped = page.locator('[aria-label^="' + t("streamlit.help_for", "vi", label="") + '"]')
    expect(helped.first).to_be_attached(timeout=LOAD_TIMEOUT)
    wait_idle(page)  # every help button of the run is drawn, and renamed as it came
    assert page.locator('[aria-label^="Help for"]').count() == 0


def test_english_data_page_keeps_the_table_toolbar(shared_pages):
    """Only read (the hover is undone): the session's shared page."""
    page = _shared(shared_pages, "en")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.locator(GRID).first.hover()
    toolbar = _toolbar(page)
    expect(toolbar).to_be_visible(timeout=5_000)
    _mouse_away(page)


def test_sidebar_links_are_named_without_icon_words(shared_pages):
    """Only read: the session's shared page."""
    page = _shared(shared_pages, "vi")
    nav = page.get_by_test_id("stSidebarNav")
    links = nav.get_by_role("link")
    expect(links.first).to_be_visible(timeout=LOAD_TIMEOUT)
    names = [link.evaluate("e => e.getAttribute('aria-label') || ''") for link in links.all()]
    spoken = []
    for link in links.all():
        spoken.append(link.evaluate(
            "e => Array.from(e.querySelectorAll('*')).concat([e])"
            ".filter(n => n.childNodes.length && Array.from(n.childNodes).some("
            "c => c.nodeType === 3 && c.textContent.trim()))"
            ".filter(n => !n.closest('[aria-hidden=\"true\"]'))"
            ".map(n => Array.from(n.childNodes).filter(c => c.nodeType === 3)"
            ".map(c => c.textContent.trim()).join(' ')).join(' ').trim()"))
    titles = {t(f"nav.{p}", "vi") for p in ("briefing", "planner", "data", "saved", "compare",
                                            "update")}
    assert set(spoken) <= titles, spoken
    for word in ICON_WORDS:
        assert all(word not in s for s in spoken), spoken
        assert all(word not in n for n in names), names
    # each link can be found by its title alone, as a screen reader names it
    for title in titles:
        expect(page.get_by_role("link", name=title, exact=True)).to_have_count(1)


def test_a_number_typed_either_way_finds_it(shared_pages):
    """Both spellings on one page, the search emptied between them (every row shown again), so
    each finds the rows anew. It types: it takes the shared page, no other check gets it after
    (the other checks of the Vietnamese data page come before)."""
    data = read_data_dir(REPO / "data")
    n = len(filter_observations(data.observations, "802.000"))
    total = fmt_int(len(data.observations), "vi")
    page = shared_pages.take("/data?lang=vi", 1440, 900)
    box = page.get_by_role("textbox", name=t("data.search", "vi"))
    for query in ("802,000", "802000"):
        assert n >= 1 and n == len(filter_observations(data.observations, query)), query
        box.fill(query)
        box.press("Enter")
        shown = t("data.shown", "vi", shown=fmt_int(n, "vi"), total=total,
                  conflicts="").split(";")[0]
        expect(page.get_by_text(shown), f"the search for {query!r}").to_be_visible(
            timeout=LOAD_TIMEOUT)
        box.fill("")
        box.press("Enter")
        every = t("data.shown", "vi", shown=total, total=total, conflicts="").split(";")[0]
        expect(page.get_by_text(every), f"every row again after {query!r}").to_be_visible(
            timeout=LOAD_TIMEOUT)


def test_an_unknown_address_says_page_not_found_in_vietnamese(new_page, app_server):
    page = new_page(width=1440, height=900)
    page.goto(f"{app_server}/khong-co-trang-nay?lang=vi", wait_until="domcontentloaded")
    # the app's own page, and Streamlit's notice, both in Vietnamese
    expect(page.locator("h1").first).to_have_text(t("notfound.title", "vi"), timeout=LOAD_TIMEOUT)
    expect(page.get_by_text("/khong-co-trang-nay", exact=False).first).to_be_visible()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(t("streamlit.page_not_found", "vi"), timeout=LOAD_TIMEOUT)
    expect(dialog).to_contain_text(t("streamlit.page_not_found_text", "vi"))
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("You have requested page").count() == 0
    # closed, the notice leaves the way on: the briefing, still in Vietnamese
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    page.get_by_role("link", name=t("notfound.link", "vi")).click()
    expect(page.locator("h1").first).to_contain_text(
        t("briefing.title", "vi", province="").strip(": "), timeout=LOAD_TIMEOUT)
    assert "/briefing" in page.url and "lang=vi" in page.url


def test_an_address_below_a_page_opens_the_upper_one_instead_of_a_blank_page(new_page,
                                                                           app_server):
    page = new_page(width=1440, height=900)
    page.goto(f"{app_server}/khong-co-trang-nay/x/<b>?lang=en", wait_until="domcontentloaded")
    expect(page.locator("h1").first).to_have_text(t("notfound.title", "en"), timeout=LOAD_TIMEOUT)
    expect(page.get_by_role("dialog")).to_contain_text(t("streamlit.page_not_found_text", "en"),
                                                       timeout=LOAD_TIMEOUT)
    assert page.url.endswith("/khong-co-trang-nay?lang=en") or "/?" in page.url, page.url


def test_the_values_scroll_under_their_header_and_conflicts_stand_out(shared_pages):
    """Only read (the box is scrolled back): the session's shared page."""
    page = _shared(shared_pages, "en")
    data = read_data_dir(REPO / "data")
    rows = page.locator(f"{VALUES} tbody tr")
    expect(rows).to_have_count(len(data.observations))  # every row, none cut by a scroll box
    box = page.locator(".st-key-static_data_table .static-scroll")
    assert box.bounding_box()["height"] <= 462
    header = page.locator(f"{VALUES} thead th").first
    top = header.bounding_box()["y"]
    box.evaluate("(e) => { e.scrollTop = 600; }")  # the box's layout follows at once
    assert abs(header.bounding_box()["y"] - top) <= 1  # the header stays in view
    box.evaluate("(e) => { e.scrollTop = 0; }")
    marked = page.locator(f"{VALUES} tr.marked td").first
    assert marked.evaluate("(e) => getComputedStyle(e).backgroundColor") == "rgb(251, 227, 214)"
