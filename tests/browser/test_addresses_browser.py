"""Every address the README names opens its page on a fresh server, with no "Page not found".

Streamlit serves its default page at ``/`` and never at that page's ``url_path``; the app's
own links and the README use ``/briefing``. A server of its own (not the session's), so the
first address is opened on a server that has served nobody yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.waits import LOAD_TIMEOUT, wait_idle

# (address, text of the page's title in that address's language)
ADDRESSES = (
    ("/briefing", "chuyển đổi số hiện nay"),  # first: on the server's first session
    ("/", "chuyển đổi số hiện nay"),
    ("/briefing?lang=en", "digital transformation today"),
    ("/briefing?s=plan_targets", "chuyển đổi số hiện nay"),
    ("/planner", "Kịch bản"),
    ("/planner?lang=en&s=plan_targets", "Scenarios"),
    ("/data?lang=en", "Data"),
    ("/saved", "Kịch bản đã lưu"),
    ("/saved?s=plan_targets&lang=en", "Saved"),
    ("/compare?lang=en", "Compare"),
    ("/?lang=en&s=plan_targets", "digital transformation today"),
)


@pytest.fixture(scope="module")
def fresh_server(serve: Callable, served_db: Path, artifacts: Path) -> Iterator[str]:
    with serve(served_db, artifacts / "streamlit-server-fresh.log") as url:
        yield url


def test_every_address_opens_its_page(new_page, fresh_server, external_requests):
    page = new_page()
    for address, title in ADDRESSES:
        page.goto(f"{fresh_server}{address}", wait_until="domcontentloaded")
        heading = page.locator("h1").first
        expect(heading).to_contain_text(title, timeout=LOAD_TIMEOUT)
        # the page's numbers or tables are drawn (the run went through), then no dialog
        expect(page.get_by_test_id("stSidebar")).to_be_visible(timeout=LOAD_TIMEOUT)
        wait_idle(page)  # the run is over: a "Page not found" would be drawn by now
        assert page.get_by_text("Page not found").count() == 0, address
        if address.startswith("/?") or address == "/":
            assert "/briefing" in page.url, page.url
        if "s=plan_targets" in address:
            assert "s=plan_targets" in page.url, page.url
    assert external_requests == []


def test_the_briefing_link_in_the_sidebar_and_back(new_page, fresh_server):
    page = new_page()
    page.goto(f"{fresh_server}/planner?lang=en", wait_until="domcontentloaded")
    expect(page.locator("h1").first).to_contain_text("Scenarios", timeout=LOAD_TIMEOUT)
    page.get_by_test_id("stSidebarNav").get_by_text("Briefing").click()
    expect(page.locator("h1").first).to_contain_text("digital transformation today", timeout=LOAD_TIMEOUT)
    assert "/briefing" in page.url
    page.reload(wait_until="domcontentloaded")
    expect(page.locator("h1").first).to_contain_text("digital transformation today", timeout=LOAD_TIMEOUT)
    wait_idle(page)
    assert page.get_by_text("Page not found").count() == 0
