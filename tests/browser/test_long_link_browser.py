"""A link with more parameters than Streamlit reads opens its page with a notice, in its language.

Streamlit drops such a query string whole before the script runs (AppTest cannot see it: the
script never gets the query), so only a browser on a real server shows the server's redirect
(``ui.long_links``) and the page's notice.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from planner.links import DROPPED_KEY, MAX_QUERY_FIELDS

LOAD_TIMEOUT = 60_000


def test_a_link_with_too_many_parameters_says_it_was_not_applied(page, app_server,
                                                                  external_requests):
    params = ["lang=en", *(f"online_filing.2027={i % 100}" for i in range(MAX_QUERY_FIELDS))]
    page.goto(f"{app_server}/planner?{'&'.join(params)}", wait_until="domcontentloaded")
    expect(page.locator("h1").first).to_contain_text("Scenarios", timeout=LOAD_TIMEOUT)
    notice = page.get_by_test_id("stAlert").filter(
        has_text="The link was too long to be read")
    expect(notice).to_contain_text("1,001 parameters", timeout=LOAD_TIMEOUT)
    expect(notice).to_contain_text("None of it was applied")
    # the page's own address: the notice's parameter gone, none of the link's levers set
    expect(page).not_to_have_url(re.compile(DROPPED_KEY), timeout=LOAD_TIMEOUT)
    assert "online_filing" not in page.url
    assert external_requests == []
