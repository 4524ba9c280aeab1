"""The briefing's first screen holds the answer without scrolling: at 1440×900 and 1920×1080, in
Vietnamese and English, the DTI block (published, first year ahead, 2030, pillar ranks, the
newest-rank line) and every card end inside the viewport. The measured bottom edges are
printed (run with ``-s``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.waits import wait_quiet

SIZES = [(1440, 900), (1920, 1080)]


@pytest.mark.parametrize("scenario", ["", "plan_targets"])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_dti_block_and_every_card_fit_the_first_screen(
        shared_pages, screenshot, lang, width, height, scenario):
    """The baseline, and a ready-made scenario (its settings line and the changes beside the
    numbers take room too). Only read: the page is the session's shared one."""
    link = f"&s={scenario}" if scenario else ""
    page = shared_pages.get(f"/briefing?lang={lang}{link}", width, height)
    cards = page.locator("[class*='st-key-target_card_']")
    expect(cards.first).to_be_visible(timeout=90_000)
    wait_quiet(page)  # the run is over and the page has stopped changing
    expect(page.locator(".st-key-dti_outlook_2030 [data-testid=stMetricValue]").first
           ).to_be_visible(timeout=60_000)
    assert page.evaluate("() => window.scrollY") == 0
    dti = page.locator(".st-key-briefing_dti").bounding_box()
    summary = page.locator(".st-key-briefing_targets_summary").bounding_box()
    bottoms = [cards.nth(i).bounding_box() for i in range(cards.count())]
    assert bottoms, "no card"
    edges = [round(b["y"] + b["height"]) for b in bottoms]
    dti_bottom = round(dti["y"] + dti["height"])
    print(f"\n{scenario or 'baseline'} {lang} {width}x{height}: DTI block bottom {dti_bottom} px, first card bottom "
          f"{edges[0]} px, lowest card bottom {max(edges)} px, {len(edges)} cards")
    screenshot(page, f"briefing-first-screen-{scenario or 'baseline'}-{lang}-{width}x{height}")
    assert dti_bottom <= height, dti_bottom
    assert round(summary["y"] + summary["height"]) <= height
    for i, edge in enumerate(edges):
        assert edge <= height, f"card {i} ends at {edge} px, below the {height} px screen"
    # nothing of the first screen is cut at the right either
    for box in (dti, *bottoms):
        assert box["x"] + box["width"] <= width
    assert shared_pages.external == []
