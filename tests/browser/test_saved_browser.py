"""Saved scenarios in a real browser: save from a link, open the short link in a fresh browser
context and see the identical numbers; tampered links get a message; hostile names stay text."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from planner.saved import delete_scenario, list_scenarios
from planner.store import DuckDBStore
from tests.browser.waits import (
    LOAD_TIMEOUT,
    wait_idle,
    wait_quiet,
    wait_run_started,
    wait_until,
    watch_changes,
    watch_next_run,
)

XSS = "<img src=x onerror=alert(1)>"
MARKDOWN_PAYLOAD = "**bold** [x](javascript:alert(1))"
LINK_WITH_LEVERS = "/saved?lang=vi&online_filing.2027=95&cashless.2027=60"


def metrics(page, container: str) -> list[tuple[str, str]]:
    """``(label, value)`` of every metric inside the container with key ``container``."""
    box = page.locator(f".st-key-{container}")
    # all nine drawn: 3 outcomes in 2025, 2027, 2030 (they arrive one after another)
    expect(box.get_by_test_id("stMetricValue")).to_have_count(9, timeout=LOAD_TIMEOUT)
    labels = box.get_by_test_id("stMetricLabel").all_inner_texts()
    values = box.get_by_test_id("stMetricValue").all_inner_texts()
    assert len(labels) == len(values) == 9, (labels, values)  # 3 outcomes in 2025, 2027, 2030
    return [(a.strip(), b.strip()) for a, b in zip(labels, values, strict=True)]


def no_injected_markup(page) -> None:
    assert page.locator('img[src="x"]').count() == 0, "a name was rendered as HTML"
    assert page.locator('a[href^="javascript:"]').count() == 0, "a note was rendered as a link"
    assert page.locator("strong", has_text=re.compile(r"^bold$")).count() == 0


def test_save_then_open_the_short_link_in_a_fresh_context(
        new_page, app_server, served_db, external_requests, screenshot):
    saved: dict[str, str] = {}
    try:
        check_save_and_open(new_page, app_server, external_requests, screenshot, saved)
    finally:  # the server's database is shared by the whole run: leave it as it was
        if saved:
            delete_scenario(DuckDBStore(served_db), saved["id"], saved["token"])


def check_save_and_open(new_page, app_server, external_requests, screenshot, saved) -> None:
    author_page = new_page()
    author_page.goto(f"{app_server}{LINK_WITH_LEVERS}", wait_until="domcontentloaded")
    form = author_page.get_by_test_id("stForm")
    expect(form).to_be_visible(timeout=LOAD_TIMEOUT)
    form.get_by_role("textbox", name="Tên kịch bản").fill(XSS)
    form.get_by_role("textbox", name="Ghi chú").fill(MARKDOWN_PAYLOAD)
    form.get_by_role("textbox", name="Người lưu").fill("Phòng Kế hoạch")
    form.get_by_role("button", name="Lưu", exact=True).click()

    result = author_page.locator(".st-key-saved_link_result")
    expect(result).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(result.get_by_text("Đã lưu kịch bản.")).to_be_visible()
    scenario_id = author_page.locator(".st-key-saved_link_result_id code").inner_text().strip()
    link = author_page.locator(".st-key-saved_link_result_link code").inner_text().strip()
    token = author_page.locator(".st-key-saved_link_result_token code").inner_text().strip()
    saved.update(id=scenario_id, token=token)
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", scenario_id), scenario_id
    assert len(token) == 32
    assert link.endswith(f"/s/{scenario_id}"), link  # the plain page, to read
    shown_after_save = metrics(author_page, "saved_link_result_headline")
    # the numbers are in the Vietnamese style
    assert any(re.fullmatch(r"\d+,\d%", v) for _, v in shown_after_save), shown_after_save
    # the hostile name is on screen as typed, and nothing of it became markup
    expect(result.get_by_text(XSS, exact=True)).to_be_visible()
    no_injected_markup(author_page)
    screenshot(author_page, "saved-after-save-vi")

    # the saved page's link (handed out before, still working), in a fresh browser context
    # (no shared session or storage)
    reader = new_page()
    reader.goto(f"{app_server}/saved?s={scenario_id}", wait_until="domcontentloaded")
    assert metrics(reader, "saved_detail_headline") == shown_after_save
    expect(reader.locator(".st-key-saved_detail_name").get_by_text(XSS, exact=True)).to_be_visible()
    expect(reader.locator(".st-key-saved_detail_note").get_by_text(MARKDOWN_PAYLOAD, exact=True)
           ).to_be_visible()
    expect(reader.get_by_text("Các con số dưới đây đúng như lúc lưu.")).to_be_visible()
    # the full table too: the online filing rate set in the link
    expect(reader.locator(".st-key-saved_detail_outcomes").get_by_text("95%", exact=True)
           .first).to_be_visible()
    # the owner token is not shown to the reader
    assert token not in reader.content()
    no_injected_markup(reader)
    screenshot(reader, "saved-short-link-fresh-context-vi", full_page=True)

    # the library lists it, as text
    library = new_page()
    library.goto(f"{app_server}/saved?lang=en", wait_until="domcontentloaded")
    expect(library.get_by_text(XSS, exact=True).first).to_be_visible(timeout=LOAD_TIMEOUT)
    no_injected_markup(library)
    screenshot(library, "saved-library-en", full_page=True)
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


def test_tampered_links_show_a_message(new_page, app_server, external_requests, screenshot):
    page = new_page()
    # a well-formed id that does not exist (a changed character of a saved id)
    page.goto(f"{app_server}/saved?s=AAAAAAAAAAAAAAAB", wait_until="domcontentloaded")
    expect(page.get_by_text(re.compile("Không tìm thấy kịch bản"))).to_be_visible(
        timeout=LOAD_TIMEOUT)
    expect(page.get_by_role("heading", name="Kịch bản dựng sẵn")).to_be_visible()
    screenshot(page, "saved-unknown-id-vi")

    page = new_page()
    page.goto(f"{app_server}/saved?lang=en&online_filing.2027=999&cashless.2027=abc",
              wait_until="domcontentloaded")
    expect(page.get_by_text(re.compile(r"online_filing\.2027.: 999 is outside"))
           ).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(page.get_by_text(re.compile(r"cashless\.2027.: “abc” is not a number"))
           ).to_be_visible()
    screenshot(page, "saved-tampered-levers-en")

    page = new_page()
    page.goto(f"{app_server}/planner?online_filing.2027=999", wait_until="domcontentloaded")
    alert = page.get_by_test_id("stAlert").filter(has_text="999")
    expect(alert.first).to_be_visible(timeout=LOAD_TIMEOUT)
    screenshot(page, "planner-tampered-link-vi")

    page = new_page()
    page.goto(f"{app_server}/compare?lang=en&c=baseline,nosuch,AAAAAAAAAAAAAAAB",
              wait_until="domcontentloaded")
    expect(page.get_by_text(re.compile("No scenario “nosuch” was found"))).to_be_visible(
        timeout=LOAD_TIMEOUT)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    screenshot(page, "compare-bad-link-en", full_page=True)
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


PLANNER_HEADLINE = ("dti_overall", "dti_overall_rank", "digital_economy_share_grdp")


def planner_numbers(page) -> dict[str, str]:
    """The scenarios page's 2030 results, by outcome."""
    out = {}
    for ind in PLANNER_HEADLINE:
        value = page.locator(f"[data-testid=headline-{ind}-2030]")
        expect(value).to_be_visible(timeout=LOAD_TIMEOUT)
        out[ind] = value.inner_text().strip()
    return out


def settled_numbers(page) -> dict[str, str]:
    """:func:`planner_numbers` once the page has drawn the last rerun of quick key presses
    (the run over and the page unchanged for a second)."""
    wait_quiet(page, 1_000)
    return planner_numbers(page)


def test_save_in_the_planner_then_open_the_link_in_a_fresh_context(
        new_page, app_server, served_db, external_requests, screenshot):
    saved: dict[str, str] = {}
    try:
        author = new_page()
        watch_changes(author)
        author.goto(f"{app_server}/planner?lang=en", wait_until="domcontentloaded")
        before = planner_numbers(author)
        lever = author.locator("[data-testid=lever-ecommerce-2030]")
        lever.focus()
        for _ in range(3):
            author.keyboard.press("ArrowRight")
        expect(author.locator("[data-testid=headline-dti_overall-2030]")
               ).not_to_have_text(before["dti_overall"], timeout=LOAD_TIMEOUT)
        expect(author).to_have_url(re.compile(r"[?&]ecommerce\.2030="))
        shown = settled_numbers(author)  # once the last rerun has drawn them
        # the save panel draws its form when opened
        author.get_by_text("Save this scenario", exact=True).first.click()
        form = author.get_by_test_id("stForm")
        expect(form).to_be_visible(timeout=LOAD_TIMEOUT)
        form.get_by_role("textbox", name="Scenario name").fill("E-commerce push")
        form.get_by_role("button", name="Save", exact=True).click()
        result = author.locator(".st-key-planner_save_result")
        expect(result).to_be_visible(timeout=LOAD_TIMEOUT)
        scenario_id = author.locator(".st-key-planner_save_result_id code").inner_text().strip()
        token = author.locator(".st-key-planner_save_result_token code").inner_text().strip()
        link = author.locator(".st-key-planner_save_result_link code").inner_text().strip()
        saved.update(id=scenario_id, token=token)
        assert link.endswith(f"/s/{scenario_id}?lang=en"), link  # the plain page, to read
        screenshot(author, "planner-after-save-en")

        # the saved page in a fresh context shows the same 2030 numbers
        reader = new_page()
        reader.goto(f"{app_server}/saved?lang=en&s={scenario_id}", wait_until="domcontentloaded")
        saved_values = [v for _, v in metrics(reader, "saved_detail_headline")]
        for ind, value in shown.items():
            assert value in saved_values, (ind, value, saved_values)
        # and the scenarios page opened from the id shows them exactly too
        planner = new_page()
        planner.goto(f"{app_server}/planner?lang=en&s={scenario_id}",
                     wait_until="domcontentloaded")
        assert planner_numbers(planner) == shown
        expect(planner.get_by_text(re.compile("Open scenario: .E-commerce push."))).to_be_visible()
        assert external_requests == [], f"the app tried to reach the internet: {external_requests}"
    finally:  # the server's database is shared by the whole run: leave it as it was
        if saved:
            delete_scenario(DuckDBStore(served_db), saved["id"], saved["token"])


def saved_named(store: DuckDBStore, name: str) -> list:
    """The saved scenarios named ``name``, once there is one (a save under load can take
    longer than its click's rerun); fails after :data:`LOAD_TIMEOUT` (a lost one never comes)."""
    return wait_until(
        lambda: [r for r in list_scenarios(store, search=name)[0] if r.name == name],
        f"a saved scenario named {name!r}")


def _save_then_move(page, form, lever, store: DuckDBStore, name: str) -> list:
    """Click Save, move a lever as soon as the click's run has started (the save, in its
    callback, may still be running), and return the scenarios named ``name`` once the page has
    settled: no run going and no "Saving the scenario…" (a save written by a run that the
    lever's run overtook)."""
    watch_next_run(page)
    form.get_by_role("button", name="Save", exact=True).click()
    wait_run_started(page)
    lever.focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    expect(page.get_by_text("Saving the scenario…")).to_have_count(0, timeout=LOAD_TIMEOUT)
    wait_idle(page)
    return [r for r in list_scenarios(store, search=name)[0] if r.name == name]


def test_save_then_a_lever_move_right_after_is_answered(new_page, app_server, served_db):
    """Save, then move a lever as soon as the save's run has started, three times: each saved
    scenario is shown with its id and one-time token (never saved unseen); once the settings
    change it no longer reads as a new confirmation.

    A move that comes before the click's run reaches the save stops that run in Streamlit and
    the click is not seen at all: nothing is saved and no box claims it; the next click saves."""
    store = DuckDBStore(served_db)
    tokens: dict[str, str] = {}
    page = new_page()
    page.goto(f"{app_server}/planner?lang=en", wait_until="domcontentloaded")
    planner_numbers(page)
    page.get_by_text("Save this scenario", exact=True).first.click()
    form = page.get_by_test_id("stForm")
    expect(form).to_be_visible(timeout=LOAD_TIMEOUT)
    lever = page.locator("[data-testid=lever-cashless-2030]")  # room to move
    box = page.locator(".st-key-planner_save_result")
    try:
        for i in range(3):
            form.get_by_role("textbox", name="Scenario name").fill(f"quick {i}")
            shown_before = box.locator(".st-key-planner_save_result_id code").all_inner_texts()
            for _ in range(3):
                rows = _save_then_move(page, form, lever, store, f"quick {i}")
                if rows:
                    break
                # the click was not seen: the box still names what it named before
                assert box.locator(
                    ".st-key-planner_save_result_id code").all_inner_texts() == shown_before
            assert len(rows) == 1, f"click {i}: {len(rows)} scenarios saved"
            expect(box.locator(".st-key-planner_save_result_id code")).to_have_text(
                rows[0].id, timeout=LOAD_TIMEOUT)
            tokens[rows[0].id] = box.locator(
                ".st-key-planner_save_result_token code").inner_text().strip()
            # once a lever move follows the box's drawing, it says it was saved before the
            # change, not "Saved"
            page.keyboard.press("ArrowRight")
            expect(box.get_by_text("Saved before the settings changed")).to_be_visible(
                timeout=LOAD_TIMEOUT)
    finally:
        for sid, token in tokens.items():
            delete_scenario(store, sid, token)
