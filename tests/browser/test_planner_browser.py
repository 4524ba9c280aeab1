"""The scenarios page and the briefing's outlook in a real browser: keyboard, language, phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from planner.i18n import t
from tests.browser.waits import wait_idle
from ui.results_near import MARGIN_PX, QUIET_MS

# the lever panel's inputs, in its shadow root (Playwright's selectors look inside)
LEVER = "[data-testid=lever-cashless-2030]"
PREVIEW = "[data-testid=lever-preview]"
PREVIEW_DTI_2030 = "[data-testid=preview-dti_overall-2030]"
DTI_2030 = "[data-testid=headline-dti_overall-2030]"
VI_SCORE = re.compile(r"^0,\d{4}$")
EN_SCORE = re.compile(r"^0\.\d{4}$")


def open_planner(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    expect(page.locator(DTI_2030)).to_be_visible(timeout=60_000)
    expect(page.locator(LEVER)).to_be_attached()


def test_keyboard_lever_move_changes_the_2030_number_and_the_link(
    page, app_server, external_requests, screenshot
):
    open_planner(page, f"{app_server}/planner")
    number = page.locator(DTI_2030)
    expect(number).to_have_text(VI_SCORE)
    before = number.inner_text().strip()
    expect(page).to_have_url(re.compile(r"/planner\?lang=vi$"))
    screenshot(page, "planner-vi-desktop-1280x800")

    lever = page.locator(LEVER)
    lever.focus()
    start = lever.get_attribute("aria-valuetext")
    page.keyboard.press("ArrowRight")
    expect(number).not_to_have_text(before, timeout=30_000)
    expect(number).to_have_text(VI_SCORE)
    moved = lever.get_attribute("aria-valuetext")
    assert moved != start
    # the lever lives in the link, with the value the slider shows: only what differs from the
    # baseline
    value = float(moved.rstrip("%").replace(",", "."))
    expect(page).to_have_url(re.compile(rf"[?&]cashless\.2030={value:g}(&|$)"))
    assert "online_filing" not in page.url
    # and back: the same number as before, a clean link
    page.keyboard.press("ArrowLeft")
    expect(number).to_have_text(before, timeout=30_000)
    expect(page).to_have_url(re.compile(r"/planner\?lang=vi$"))
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


# Every text the preview's 2030 DTI shows, in order (an observer inside the panel's shadow root).
_RECORD = """(cell) => {
  window.__shown = [cell.textContent];
  new MutationObserver(() => {
    const now = cell.textContent;
    if (now !== window.__shown[window.__shown.length - 1]) window.__shown.push(now);
  }).observe(cell, {subtree: true, childList: true, characterData: true});
}"""


def test_the_headline_follows_a_drag_and_each_key_step(page, app_server, external_requests):
    """During a mouse drag the panel's 2030 number changes many times, marked as a preview,
    and nothing reaches the server until the release; then the server's headline shows the
    same number and the mark goes. Arrow keys step a lever with its value read out in the
    page's language, and only the last step is sent."""
    open_planner(page, f"{app_server}/planner?lang=en")
    preview, cell = page.locator(PREVIEW), page.locator(PREVIEW_DTI_2030)
    expect(cell).to_have_text(EN_SCORE)
    expect(preview).to_have_attribute("data-state", "confirmed")
    wait_idle(page)
    panel = page.locator("[data-renders]")  # the panel's box: how often the server drew it
    drawn = panel.get_attribute("data-renders")
    cell.evaluate(_RECORD)
    lever = page.locator(LEVER)
    lever.scroll_into_view_if_needed()
    box = lever.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24  # a touch target of at least 24 px
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 0.2 * box["width"], y)
    page.mouse.down()
    for i in range(1, 21):
        page.mouse.move(box["x"] + (0.2 + 0.035 * i) * box["width"], y)
    shown = page.evaluate("window.__shown.length")
    assert shown >= 6, page.evaluate("window.__shown")
    expect(preview).to_have_attribute("data-state", "preview")
    assert "cashless.2030" not in page.url  # nothing sent during the drag
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"[?&]cashless\.2030=\d"), timeout=60_000)
    expect(preview).to_have_attribute("data-state", "confirmed", timeout=60_000)
    expect(page.locator(DTI_2030)).to_have_text(cell.inner_text(), timeout=60_000)
    # three key steps: each read out at once, one value sent
    other = page.locator("[data-testid=lever-ecommerce-2030]")
    other.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(other).to_have_attribute("aria-valuetext", "72%")
    expect(other).to_have_attribute("aria-valuenow", "72")
    assert other.evaluate("e => getComputedStyle(e).outlineStyle") != "none"  # focus shows
    expect(page).to_have_url(re.compile(r"[?&]ecommerce\.2030=72(&|$)"), timeout=60_000)
    expect(preview).to_have_attribute("data-state", "confirmed", timeout=60_000)
    expect(page.locator(DTI_2030)).to_have_text(cell.inner_text(), timeout=60_000)
    # the headline's component was updated in place, not drawn again beside the first
    expect(page.locator("[data-testid=headline-on-track]")).to_have_count(1)
    # the panel heard the values from the headline: the moves did not redraw it
    assert panel.get_attribute("data-renders") == drawn
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


def test_language_switch_keeps_the_scenario(page, app_server, external_requests, screenshot):
    open_planner(page, f"{app_server}/planner?lang=vi&ecommerce.2030=90")
    number = page.locator(DTI_2030)
    expect(number).to_have_text(VI_SCORE)
    vi_value = number.inner_text().strip()
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(number).to_have_text(EN_SCORE, timeout=30_000)
    assert number.inner_text().strip() == vi_value.replace(",", ".")
    # the lever panel speaks English too, and keeps the scenario
    lever = page.get_by_role("slider", name="E-commerce uptake — 2030")
    expect(lever).to_have_attribute("aria-valuetext", "90%")
    expect(page.locator(PREVIEW_DTI_2030)).to_have_text(number.inner_text().strip())
    expect(page).to_have_url(re.compile(r"[?&]lang=en\b"))
    expect(page).to_have_url(re.compile(r"[?&]ecommerce\.2030=90\b"))
    expect(page.get_by_role("heading", name="What would it take?")).to_be_visible()
    screenshot(page, "planner-en-desktop-1280x800")
    # the briefing shows the same scenario, in English
    page.get_by_test_id("stSidebar").get_by_role("link", name="Briefing").click()
    expect(page.get_by_role("heading", name=re.compile("Outlook to 2030: the open scenario"))
           ).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(r"[?&]ecommerce\.2030=90\b"))
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


def test_a_bad_link_value_is_named(page, app_server):
    open_planner(page, f"{app_server}/planner?lang=en&cashless.2027=abc&cashless.2030=75")
    expect(page.get_by_text(re.compile(r"cashless\.2027")).first).to_be_visible()
    expect(page.locator(LEVER)).to_have_attribute("aria-valuetext", "75%")
    expect(page).to_have_url(re.compile(r"cashless\.2030=75"))
    assert "cashless.2027" not in page.url


def test_planner_on_a_phone(new_page, app_server, external_requests, screenshot):
    page = new_page(390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)
    open_planner(page, f"{app_server}/planner?cashless.2027=60")
    expect(page.locator(DTI_2030)).to_have_text(VI_SCORE)
    # the lever columns stack: the three lever boxes sit one above the other
    boxes = [page.locator(f"[data-testid=lever-box-{lid}]").bounding_box()
             for lid in ("online_filing", "cashless", "ecommerce")]
    assert all(boxes)
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    assert max(b["x"] + b["width"] for b in boxes) <= 390
    screenshot(page, "planner-vi-phone-390x844")
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


def test_briefing_outlook_on_desktop_and_phone(new_page, app_server, external_requests,
                                               screenshot):
    page = new_page(1280, 800)
    page.goto(f"{app_server}/?lang=vi", wait_until="domcontentloaded")
    heading = page.get_by_role("heading", name=re.compile("Dự báo đến năm 2030"))
    expect(heading).to_be_visible(timeout=60_000)
    heading.scroll_into_view_if_needed()
    expect(page.get_by_text(re.compile("Chệch hướng")).first).to_be_visible()
    expect(page.locator("[data-testid=stPlotlyChart]").first).to_be_attached()
    screenshot(page, "briefing-outlook-vi-desktop-1280x800")
    phone = new_page(390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(f"{app_server}/?lang=en&cashless.2027=60", wait_until="domcontentloaded")
    heading = phone.get_by_role("heading", name=re.compile("Outlook to 2030"))
    expect(heading).to_be_visible(timeout=60_000)
    heading.scroll_into_view_if_needed()
    card = phone.locator(".st-key-target_card_0")
    expect(card).to_be_visible()
    box = card.bounding_box()
    assert box and box["width"] > 300  # one card per row on a phone
    screenshot(phone, "briefing-outlook-en-phone-390x844")
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


def test_the_headline_stays_in_view_while_moving_levers(new_page, app_server, screenshot):
    page = new_page(1440, 900)
    open_planner(page, f"{app_server}/planner?lang=vi")
    number = page.locator(DTI_2030)
    expect(number).to_have_text(VI_SCORE)
    before = number.inner_text().strip()
    # the lowest lever, named by its lever and year (its accessible name)
    lever = page.get_by_role("slider", name="Dân số mua sắm trực tuyến — 2030")
    expect(lever).to_have_count(1)
    lever.focus()
    page.keyboard.press("ArrowRight")
    expect(number).not_to_have_text(before, timeout=30_000)
    box = number.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 900, box
    # the first settable year is in the headline too
    expect(page.locator("[data-testid=headline-dti_overall-2027]")
           ).to_have_text(VI_SCORE)
    screenshot(page, "planner-vi-lever-moved-1440x900")
    # opening the assumptions keeps the levers where they were and the headline in view
    top = lever.bounding_box()["y"]
    page.get_by_text("Giả định của mô hình", exact=False).first.click()
    expect(page.get_by_role("slider").nth(10)).to_be_attached(timeout=30_000)
    assert abs(lever.bounding_box()["y"] - top) < 2
    # the last assumption (the goal-seek panel's goal slider lies further down, below the
    # levers' column, where the headline no longer sticks)
    page.locator("[data-testid=stExpander] input[type=range]").last.scroll_into_view_if_needed()
    box = number.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 900, box


def test_the_targets_table_has_no_inner_scroll(new_page, app_server):
    page = new_page(1440, 900)
    open_planner(page, f"{app_server}/planner?lang=vi")
    table = page.locator(".st-key-static_planner_table")  # the targets table
    expect(table.locator("table.paper-table")).to_be_visible(timeout=60_000)
    expect(table.locator(".static-scroll")).to_have_count(0)  # no box of its own
    rows = table.locator("tbody tr").count()
    assert rows >= 20
    last = table.locator("tbody tr").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()


TABLE_BOX = ".st-key-static_planner_table .planner-table"
STALE_NOTE = ".planner-near"


def _results_out_of_sight(page) -> bool:
    """Whether the results start further below the view than ``ui.results_near`` counts as
    near."""
    return page.evaluate("""(margin) => {
        const host = [...document.querySelectorAll('*')].find(
          (e) => e.shadowRoot && e.shadowRoot.querySelector('.planner-near'));
        return host.getBoundingClientRect().top > window.innerHeight + margin; }""", MARGIN_PX)


def _press_and_wait(page) -> None:
    """Step the cashless lever once and wait for the headline's new number and the end of the
    runs it starts."""
    old = page.locator(DTI_2030).inner_text()
    page.locator(LEVER).focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(DTI_2030)).not_to_have_text(old, timeout=30_000)
    wait_idle(page)


def _keep_table(page) -> str:
    """Mark the targets table's box (a new box would be seen) and return its HTML."""
    box = page.locator(TABLE_BOX)
    expect(box.locator("table.paper-table tbody tr").first).to_be_attached(timeout=60_000)
    wait_idle(page)
    return box.evaluate("(el) => { el.__kept = true; return el.innerHTML; }")


def _wait_table_changed(page, before: str) -> None:
    page.wait_for_function("""([sel, before]) => { const el = document.querySelector(sel);
        return el && el.__kept && el.innerHTML !== before; }""",
                           arg=[TABLE_BOX, before], timeout=30_000)


def test_a_lever_move_leaves_the_results_out_of_sight_for_later(new_page, app_server):
    """With the levers in view and the results below the fold, a move redraws the headline
    only; the results say they are from before and are brought up to date in place as they
    are scrolled to."""
    page = new_page(1280, 900)  # the lever on screen, the results starting 300 px below it
    open_planner(page, f"{app_server}/planner?lang=vi")
    before = _keep_table(page)
    note = page.locator(STALE_NOTE)
    expect(note).to_be_hidden()
    page.locator(LEVER).focus()
    assert _results_out_of_sight(page)
    # the browser tells the server once the page has been still a moment
    expect(note).to_have_attribute("data-heard", "false")
    _press_and_wait(page)
    expect(note).to_have_text(t("planner.results_stale", "vi"))
    expect(note).to_be_visible()
    assert page.locator(TABLE_BOX).evaluate("(el) => el.innerHTML") == before
    page.locator(TABLE_BOX).scroll_into_view_if_needed()
    _wait_table_changed(page, before)  # the same box, its new numbers
    expect(note).to_be_hidden()
    assert page.locator(TABLE_BOX).locator("table.paper-table tbody tr").count() >= 20


def test_a_lever_move_updates_the_targets_table_in_place(new_page, app_server):
    """On a screen tall enough that the results start near its bottom edge, a move redraws
    them too, in place, with no note."""
    page = new_page(1920, 1080)
    open_planner(page, f"{app_server}/planner?lang=en")
    before = _keep_table(page)
    _press_and_wait(page)
    _wait_table_changed(page, before)  # without scrolling
    expect(page.locator(STALE_NOTE)).to_be_hidden()
    assert page.locator(TABLE_BOX).locator("table.paper-table tbody tr").count() >= 20


# The overall DTI's fan chart: the Plotly graph inside the component that draws it in place.
FAN_DTI = ".st-key-chart_fan-dti_overall .planner-chart"
# Counts the chart's draws from now on, and marks the node, so a new one would be seen.
_COUNT_DRAWS = """(el) => { el.__kept = true; el.__draws = 0;
  el.on('plotly_afterplot', () => { el.__draws += 1; }); return JSON.stringify(el.data); }"""


def _moved_with_the_chart_out_of_sight(new_page, url: str):
    """Open the planner on a 1920x1080 screen (the results start near the view, so a move
    reruns them), count the overall DTI chart's draws, step a lever with the chart more than a
    screen further down, and wait until the new figure has reached the chart: ``(page, chart,
    its figure before)``."""
    page = new_page(1920, 1080)
    open_planner(page, url)
    chart = page.locator(FAN_DTI)
    chart.scroll_into_view_if_needed()  # a chart is first drawn once near the view
    expect(chart.locator(".main-svg").first).to_be_attached(timeout=60_000)
    wait_idle(page)
    before = chart.evaluate(_COUNT_DRAWS)
    page.locator(LEVER).focus()
    assert not _near_view(chart)  # the levers in view, the chart further down
    page.keyboard.press("ArrowRight")
    # the new figure reached the chart (the page's script has finished)
    page.wait_for_function("(sel) => document.querySelector(sel).__plannerNext",
                           arg=FAN_DTI, timeout=30_000)
    wait_idle(page)
    return page, chart, before


def test_a_lever_move_redraws_the_charts_in_place_once(new_page, app_server, external_requests):
    page, chart, before = _moved_with_the_chart_out_of_sight(new_page,
                                                             f"{app_server}/planner?lang=en")
    # the new figure is kept, not drawn, while the chart is out of sight
    assert chart.evaluate("(el) => el.__draws") == 0
    chart.scroll_into_view_if_needed()
    # the same chart, its figure changed: drawn where it was as it came into view, not replaced
    page.wait_for_function("""([sel, before]) => { const el = document.querySelector(sel);
        return el && el.__kept && el.__draws > 0 && JSON.stringify(el.data) !== before; }""",
                           arg=[FAN_DTI, before], timeout=30_000)
    assert chart.evaluate("(el) => el.__draws") == 1  # once, not twice
    assert chart.evaluate("(el) => el.getAttribute('aria-label')") == "Provincial DTI – overall score"
    # in view, the next move's figure is drawn as it arrives
    page.locator(LEVER).focus()
    page.keyboard.press("ArrowRight")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("(sel) => document.querySelector(sel).__draws === 2",
                           arg=FAN_DTI, timeout=30_000)
    assert external_requests == []


def test_a_chart_out_of_sight_is_drawn_before_printing(new_page, app_server):
    page, chart, before = _moved_with_the_chart_out_of_sight(new_page,
                                                             f"{app_server}/planner?lang=vi")
    assert chart.evaluate("(el) => el.__draws") == 0
    page.emulate_media(media="print")
    page.wait_for_function("""([sel, before]) => { const el = document.querySelector(sel);
        return el.__draws === 1 && JSON.stringify(el.data) !== before; }""",
                           arg=[FAN_DTI, before], timeout=30_000)
    page.emulate_media(media="null")


def test_charts_far_below_wait_for_the_view_or_the_paper(new_page, app_server):
    """Opened at its levers, the page neither loads plotly.js nor draws the charts far below;
    printed, every chart is drawn before the page is laid out for paper (plotly.js fetched
    then); scrolled to, a chart is drawn."""
    page = new_page(1280, 900)
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "plotly" in r.url else None)
    open_planner(page, f"{app_server}/planner?lang=en")
    charts = page.locator(".planner-chart")
    expect(charts.first).to_be_attached(timeout=60_000)
    wait_idle(page)
    assert charts.count() >= 2
    assert not _near_view(charts.first)
    assert asked == []
    assert page.locator(".planner-chart .main-svg").count() == 0
    page.emulate_media(media="print")
    page.wait_for_function("""() => [...document.querySelectorAll('.planner-chart')]
        .every((c) => c.querySelector('.main-svg'))""", timeout=30_000)
    page.emulate_media(media="null")
    assert asked  # fetched for the print
    fresh = new_page(1280, 900)
    open_planner(fresh, f"{app_server}/planner?lang=vi")
    chart = fresh.locator(FAN_DTI)
    expect(chart).to_be_attached(timeout=60_000)
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".main-svg").first).to_be_attached(timeout=60_000)


def test_results_left_for_later_say_so_on_paper(new_page, app_server):
    """Printed before the results were scrolled to, the page says they are from before."""
    page = new_page(1280, 900)
    open_planner(page, f"{app_server}/planner?lang=en")
    _keep_table(page)
    page.locator(LEVER).focus()
    assert _results_out_of_sight(page)
    expect(page.locator(STALE_NOTE)).to_have_attribute("data-heard", "false")
    _press_and_wait(page)
    page.emulate_media(media="print")
    expect(page.locator(STALE_NOTE)).to_have_text(t("planner.results_stale", "en"))
    expect(page.locator(STALE_NOTE)).to_be_visible()
    page.emulate_media(media="null")


def test_a_click_that_brings_the_results_near_is_answered(new_page, app_server):
    """Clicks on what is below the levers, as soon as the page shows its numbers, are
    answered: the save panel opens with its form, another chart tab shows its charts."""
    tab_name = t("planner.tab_programme", "en")
    page = new_page(1280, 800)
    open_planner(page, f"{app_server}/planner?lang=en")
    page.get_by_text(t("saved.form.heading", "en"), exact=True).first.click()
    expect(page.get_by_test_id("stForm")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name=tab_name).click()
    panel = page.get_by_role("tabpanel", name=tab_name)
    expect(panel.locator(".planner-chart .main-svg").first).to_be_attached(timeout=30_000)


# Scroll to the page's foot, then a key press every half of the quiet time, ten times.
_SCROLL_WHILE_PRESSING = """async (quiet) => {
  for (const e of [document.scrollingElement,
      ...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]) {
    if (e) e.scrollTop = e.scrollHeight; }
  for (let i = 0; i < 10; i++) {
    window.dispatchEvent(new KeyboardEvent("keydown", {key: "Shift"}));
    await new Promise((resolve) => setTimeout(resolve, quiet / 2));
  }
}"""


def test_the_answer_near_waits_for_a_still_page(new_page, app_server):
    """The browser tells the server the results came near only once the page has been still
    (no scroll, no input) for ``QUIET_MS``: sent at once, the answer could share Streamlit's
    message with the click that scrolled there, and that click's fragment would not be rerun
    (the save panel opened empty, a chart tab stayed blank)."""
    page = new_page(1280, 800)
    open_planner(page, f"{app_server}/planner?lang=en")
    note = page.locator(STALE_NOTE)
    expect(note).to_have_attribute("data-heard", "false")  # sent once the page stood still
    sent = int(note.get_attribute("data-sent"))
    page.evaluate(_SCROLL_WHILE_PRESSING, QUIET_MS)
    assert int(note.get_attribute("data-sent")) == sent  # nothing while keys were pressed
    expect(note).to_have_attribute("data-sent", str(sent + 1))  # then the answer, once
    expect(note).to_have_attribute("data-heard", "true")


def _near_view(locator) -> bool:
    """Whether an element is within a screen's height of the view (where a chart draws a new
    figure at once)."""
    return locator.evaluate("""(el) => { const r = el.getBoundingClientRect();
        const h = window.innerHeight; return r.bottom > -h && r.top < 2 * h; }""")


def test_a_chart_says_so_in_the_pages_language_when_plotly_js_cannot_load(page, app_server):
    page.route("**/_planner/plotly.min.js*", lambda route: route.abort())
    open_planner(page, f"{app_server}/planner?lang=vi")
    page.locator(FAN_DTI).scroll_into_view_if_needed()  # plotly.js is asked for once near
    expect(page.locator(FAN_DTI)).to_have_text(t("chart.unavailable", "vi"), timeout=60_000)
    expect(page.locator(DTI_2030)).to_have_text(VI_SCORE)  # the rest of the page is there
