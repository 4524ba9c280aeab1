"""The compare page in a real browser: the table soon, targets per scenario, charts in a tab."""

from __future__ import annotations

import time

from playwright.sync_api import expect

TABLE = ".st-key-static_compare_table table"  # the outcomes, a static table


def test_compare_shows_the_table_then_targets_and_charts_on_request(new_page, app_server,
                                                                    external_requests,
                                                                    screenshot):
    page = new_page(1440, 900)
    page.goto(f"{app_server}/compare?lang=vi", wait_until="domcontentloaded")
    expect(page.locator(TABLE)).to_be_visible(timeout=60_000)  # warm the server's caches
    started = time.monotonic()
    page.goto(f"{app_server}/compare?lang=vi", wait_until="domcontentloaded")
    expect(page.locator(TABLE)).to_be_visible(timeout=60_000)
    print(f"compare: table after {time.monotonic() - started:.2f} s")
    # the targets by scenario, status and chance, in the open tab; no chart drawn yet
    targets = page.locator("[data-testid=stDataFrame]").first
    expect(targets).to_be_visible()
    expect(page.locator("[data-testid=stPlotlyChart]")).to_have_count(0)
    screenshot(page, "compare-vi-1440x900")
    page.get_by_role("tab", name="Biểu đồ").click()
    expect(page.locator("[data-testid=stPlotlyChart]").first).to_be_visible(timeout=30_000)
    expect(page.locator("[data-testid=stPlotlyChart]")).to_have_count(3)
    screenshot(page, "compare-vi-charts-1440x900")
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


def test_compare_on_a_phone(new_page, app_server, screenshot):
    page = new_page(390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(f"{app_server}/compare?lang=en", wait_until="domcontentloaded")
    phone_table = ".st-key-static_compare_table table"  # a static table, cells wrapping
    expect(page.locator(phone_table)).to_be_visible(timeout=60_000)
    box = page.locator(phone_table).bounding_box()
    assert box and box["x"] + box["width"] <= 390
    screenshot(page, "compare-en-phone-390x844")
