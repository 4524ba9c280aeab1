"""The first screen first: on a session's first visit the browser says when it has drawn a
page's key numbers (ui.paint), and the data page's table arrives a box's worth first, then whole.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.waits import LOAD_TIMEOUT, wait_idle
from ui.paint import KEY_MARKS, SIGNAL_KEY


@pytest.mark.parametrize("page_name", ["planner", "data"])
def test_the_browser_reports_the_key_numbers_drawn(new_page, app_server, page_name):
    page = new_page(1440, 900)
    with page.expect_response(lambda r: "/paint/" in r.url, timeout=LOAD_TIMEOUT) as answer:
        page.goto(f"{app_server}/{page_name}?lang=vi")
    assert answer.value.status == 204
    assert answer.value.request.method == "POST"
    expect(page.locator(KEY_MARKS[page_name]).first).to_be_visible()
    signal = page.locator(f"[class*='st-key-{SIGNAL_KEY}_']")
    expect(signal).to_have_count(1)
    expect(signal).to_be_hidden()  # nothing of it to see


SIZER = ".st-key-static_data_table tr.sizer"
COLUMN_WIDTHS = """() => Array.from(document.querySelectorAll(
  '.st-key-static_data_table th')).map((e) => e.getBoundingClientRect().width)"""


def test_the_data_table_ends_with_every_row_and_its_columns_keep_their_widths(page, app_server):
    page.goto(f"{app_server}/data?lang=vi")
    page.wait_for_selector(SIZER, state="attached", timeout=LOAD_TIMEOUT)
    first = page.evaluate(COLUMN_WIDTHS)  # the first rows, sized by the hidden row
    expect(page.locator(SIZER)).to_have_count(0, timeout=LOAD_TIMEOUT)  # the whole table came
    wait_idle(page)
    whole = page.evaluate(COLUMN_WIDTHS)
    assert len(first) == len(whole) > 3
    # the hidden row holds each column's longest text: widths move a few pixels at most
    assert max(abs(a - b) for a, b in zip(first, whole, strict=True)) <= 16, (first, whole)
    rows = page.locator(".st-key-static_data_table table tbody tr")
    caption = page.get_by_text(re.compile(r"^Đang hiện [\d.]+/")).first.inner_text()
    total = int(re.match(r"Đang hiện ([\d.]+)/", caption).group(1).replace(".", ""))
    expect(rows).to_have_count(total)
    assert total > 20  # more rows than the first box's worth
