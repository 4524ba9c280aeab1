"""The yearly update in a real browser: download the workbook from ``/update``, add the new
year's DTI, upload it, publish it with the editor's key, and see the new number on the
briefing. The app runs on its own copy of the loaded database, so the other browser tests keep
their data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from planner.dataio.credential import ENV_VAR, hash_secret
from planner.store import DuckDBStore
from tests.browser.conftest import REPO, SERVER_START_TIMEOUT, _stop, _wait_healthy, free_port
from tests.saved_support import copy_db
from tests.update_support import append_rows

EDITOR_KEY = "browser editor key"


@pytest.fixture(scope="module")
def update_server(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory,
                  artifacts: Path) -> Iterator[tuple[str, DuckDBStore]]:
    """The app on a copy of the loaded database, with an editor's key configured."""
    store = copy_db(loaded_db, tmp_path_factory.mktemp("update_browser") / "planner.duckdb")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PLANNER_DB": str(store.path), ENV_VAR: hash_secret(EDITOR_KEY),
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "PYTHONUNBUFFERED": "1"}
    log = artifacts / "streamlit-update-server.log"
    command = [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
               "--server.address", "127.0.0.1", "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            _wait_healthy(url, process, log, SERVER_START_TIMEOUT)
            yield url, store
        finally:
            _stop(process)


def test_a_downloaded_workbook_with_a_new_year_is_published_and_shown_on_the_briefing(
    page, chromium_executable, update_server, external_requests, screenshot
) -> None:
    url, store = update_server
    first = store.current_version()
    page.goto(f"{url}/update?lang=en", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Update data")).to_be_visible(timeout=60_000)

    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Download the Excel workbook")).click()
    download = info.value
    assert download.suggested_filename == f"planner-data-{first}.xlsx"
    workbook = Path(download.path()).read_bytes()

    page.locator("input[type=file]").set_input_files({
        "name": "dti-2023.xlsx", "buffer": append_rows(workbook),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    expect(page.get_by_text(re.compile(r"dti-2023\.xlsx is a valid dataset"))).to_be_visible(
        timeout=60_000)
    expect(page.get_by_text("The baseline's headline numbers in 2030")).to_be_visible()
    screenshot(page, "update-en-preview")

    key = page.get_by_role("textbox", name="Editor's key")
    key.fill(EDITOR_KEY)
    key.press("Enter")  # a field outside the form: sent now, with a rerun
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    page.get_by_role("textbox", name="Published by").fill("Sở TT&TT")
    page.get_by_role("textbox", name=re.compile("^Note")).fill("DTI 2023")
    page.get_by_role("button", name="Publish the new version").click()
    expect(page.get_by_text(re.compile(r"^Published: version"))).to_be_visible(timeout=60_000)
    new = store.current_version()
    assert new != first
    screenshot(page, "update-en-published")

    page.get_by_test_id("stSidebar").get_by_role("link", name="Briefing").click()
    expect(page.get_by_test_id("stMetricValue").filter(has_text=re.compile(r"^0\.7512$"))
           ).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stSidebar").get_by_text(re.compile(new))).to_be_visible()
    screenshot(page, "update-en-briefing-after")
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


def test_the_uploader_speaks_vietnamese_on_a_vietnamese_page(new_page, app_server):
    page = new_page(1440, 900)
    page.goto(f"{app_server}/update?lang=vi", wait_until="domcontentloaded")
    zone = page.get_by_test_id("stFileUploaderDropzone")
    expect(zone).to_be_visible(timeout=60_000)
    expect(zone.get_by_role("button", name="Tải lên")).to_be_visible(timeout=10_000)
    expect(zone).to_contain_text("mỗi tệp")
    assert "Upload" not in zone.inner_text() and "per file" not in zone.inner_text()
