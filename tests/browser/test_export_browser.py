"""The briefing's download menu in a real browser: each format is downloaded, opened, and
holds a Vietnamese label and a number of the page."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import expect
from pptx import Presentation

STANDING = "Vị trí hiện nay của tỉnh"
DTI = "Chỉ số DTI cấp tỉnh – điểm tổng"
BUTTONS = {"pptx": "Trình chiếu (PowerPoint)", "pdf": "Báo cáo in (PDF, A4)",
           "xlsx": "Bảng tính (Excel)", "png": "Biểu đồ (PNG, tệp zip)",
           "svg": "Biểu đồ (SVG, tệp zip)", "csv": "Số liệu (CSV)"}


def pptx_text(data: bytes) -> str:
    prs = Presentation(io.BytesIO(data))
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text_frame.text for row in shape.table.rows for c in row.cells]
    return "\n".join(parts)


def check_pptx(data: bytes, tmp_path) -> None:
    text = pptx_text(data)
    assert STANDING in text and DTI in text and "0,7024" in text


def check_pdf(data: bytes, tmp_path) -> None:
    path = tmp_path / "b.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert STANDING in text and "0,7024" in text and "3/63" in text


def check_xlsx(data: bytes, tmp_path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = {(r[0], r[2]): r for r in book["Kết quả"].iter_rows(min_row=2, values_only=True)}
    row = rows[("dti_overall", 2022)]
    assert row[1] == DTI and row[3] == pytest.approx(0.7024) and row[8] == "quan sát"


def check_png(data: bytes, tmp_path) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("dti_overall.png").startswith(b"\x89PNG")


def check_svg(data: bytes, tmp_path) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        svg = zf.read("dti_overall.svg").decode("utf-8")
    # a long title is drawn in lines (one <tspan> each): read the words with the tags out
    words = " ".join(re.sub(r"<[^>]+>", " ", svg).split())
    assert DTI in words, DTI
    assert re.search(r">0,\d+<", svg), "tick labels with a decimal comma"


def check_csv(data: bytes, tmp_path) -> None:
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    row = frame[(frame["indicator"] == "dti_overall") & (frame["year"] == 2022)].iloc[0]
    assert row["label"] == DTI and row["value"] == pytest.approx(0.7024)
    assert row["basis"] == "observed"


CHECKS = {"pptx": check_pptx, "pdf": check_pdf, "xlsx": check_xlsx, "png": check_png,
          "svg": check_svg, "csv": check_csv}


def test_each_format_downloads_from_the_briefing(page, app_server, external_requests,
                                                 screenshot, tmp_path):
    page.goto(app_server, wait_until="domcontentloaded")
    menu = page.locator(".st-key-briefing_export_menu")
    expect(menu).to_be_visible(timeout=90_000)
    menu.scroll_into_view_if_needed()
    screenshot(page, "briefing-vi-download-menu")
    for fmt, name in BUTTONS.items():
        button = menu.get_by_role("button", name=name)
        expect(button).to_be_enabled()
        with page.expect_download(timeout=60_000) as info:
            button.click()
        download = info.value
        assert download.failure() is None, (fmt, download.failure())
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        assert path.suffix == (".zip" if fmt in ("png", "svg") else f".{fmt}")
        CHECKS[fmt](path.read_bytes(), tmp_path)
    assert external_requests == [], f"the app tried to reach the internet: {external_requests}"


def _planner_csv(page, tmp_path, name: str) -> pd.DataFrame:
    """The scenarios page's CSV download, as the menu gives it now."""
    menu = page.locator(".st-key-planner_export_menu")
    menu.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        menu.get_by_role("button", name=BUTTONS["csv"]).click()
    path = tmp_path / name
    info.value.save_as(path)
    return pd.read_csv(path, encoding="utf-8-sig")


def _dti_2030(frame: pd.DataFrame) -> str:
    row = frame[(frame["indicator"] == "dti_overall") & (frame["year"] == 2030)].iloc[0]
    return f"{row['value']:.4f}".replace(".", ",")


def test_the_planners_download_holds_the_numbers_after_a_lever_move(page, app_server,
                                                                     tmp_path):
    """The scenarios page draws its menu once; a lever move hands it the new numbers."""
    from tests.browser.test_planner_browser import DTI_2030, LEVER, open_planner
    from tests.browser.waits import wait_idle

    open_planner(page, f"{app_server}/planner?lang=vi")
    wait_idle(page)
    number = page.locator(DTI_2030)
    before = _planner_csv(page, tmp_path, "before.csv")
    assert _dti_2030(before) == number.inner_text().strip()
    page.locator(LEVER).focus()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"[?&]cashless\.2030=\d"), timeout=60_000)
    expect(number).not_to_have_text(_dti_2030(before), timeout=60_000)
    wait_idle(page)
    after = _planner_csv(page, tmp_path, "after.csv")
    assert _dti_2030(after) == number.inner_text().strip() != _dti_2030(before)
