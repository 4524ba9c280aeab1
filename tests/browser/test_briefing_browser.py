"""The briefing in a real browser: Vietnamese number format, language switch, screenshots."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def open_briefing(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    expect(page.get_by_test_id("stMetricValue").first).to_be_visible(timeout=60_000)


def test_briefing_shows_2022_dti_in_vietnamese_then_english(
    page, app_server, external_requests, screenshot
):
    open_briefing(page, app_server)
    score = page.get_by_test_id("stMetricValue").filter(has_text=re.compile(r"^0,7024$"))
    expect(score).to_be_visible()
    expect(page.get_by_text("3/63", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]lang=vi\b"))
    screenshot(page, "briefing-vi-desktop-1280x800")

    # the number's source is one click away
    page.get_by_role("button", name=re.compile(r"^Nguồn")).first.click()
    expect(page.get_by_text("Trích dẫn").first).to_be_visible()
    screenshot(page, "briefing-vi-source-popover")
    page.keyboard.press("Escape")

    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(
        page.get_by_test_id("stMetricValue").filter(has_text=re.compile(r"^0\.7024$"))
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]lang=en\b"))
    expect(page.get_by_role("heading", name=re.compile("The three pillars"))).to_be_visible()
    screenshot(page, "briefing-en-desktop-1280x800")

    # the language stays with a page switch, in the page and in the URL
    page.get_by_test_id("stSidebar").get_by_role("link", name="Data and sources").click()
    expect(page.get_by_role("heading", name="Data and sources")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/data\?(.*&)?lang=en\b"))
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    screenshot(page, "data-en-desktop-1280x800")
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


def test_briefing_on_a_phone(new_page, app_server, external_requests, screenshot):
    page = new_page(390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)
    open_briefing(page, app_server)
    expect(
        page.get_by_test_id("stMetricValue").filter(has_text=re.compile(r"^0,7024$"))
    ).to_be_visible()
    screenshot(page, "briefing-vi-phone-390x844")
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


def test_english_link_opens_in_english(page, app_server):
    open_briefing(page, f"{app_server}/?lang=en")
    expect(
        page.get_by_test_id("stMetricValue").filter(has_text=re.compile(r"^0\.7024$"))
    ).to_be_visible()


def test_deep_link_to_data_page(page, app_server, external_requests):
    page.goto(f"{app_server}/data?lang=en", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Data and sources")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


def test_the_briefing_says_how_2025_went_and_lists_every_target(page, app_server,
                                                                  external_requests, screenshot):
    """Today 2025 has ended: its targets are likely met or missed, never on track; the count of
    targets on track covers the years ahead; every target of the data is one click away."""
    page.goto(f"{app_server}/?lang=en", wait_until="domcontentloaded")
    heading = page.get_by_text("How the ended years' targets went")
    expect(heading).to_be_visible(timeout=60_000)
    heading.scroll_into_view_if_needed()
    expect(page.get_by_text(re.compile(r"^2025: .*1 likely met · 1 likely missed"))).to_be_visible()
    expect(page.get_by_text("Targets ahead on track")).to_be_visible()
    card = page.locator(".st-key-target_card_0")
    expect(card).to_contain_text("estimate for 2025 (year ended)")
    expect(card).not_to_contain_text("On track")
    expect(page.get_by_text("Assumed level, no measurement").first).to_be_attached()
    screenshot(page, "briefing-ended-year-en-desktop")
    page.get_by_text(re.compile(r"^Every target in the data \(\d+\)")).click()
    expect(page.get_by_text(re.compile(r"^Every target in the data"))).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    screenshot(page, "briefing-register-en-desktop")
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"
