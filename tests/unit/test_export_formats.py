"""Each export format read back: numbers, language, and user text shown as plain text."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation

from planner.engine import load_model
from planner.export import FORMATS, file_name, render
from planner.export.charts import YEARS, chart_series
from planner.export.csvfile import frame_csv
from planner.export.pdffile import write_pdf
from planner.export.pptxfile import write_pptx
from planner.export.xlsxfile import write_xlsx
from planner.targets import STATUSES
from planner.views import status_label
from tests.export_support import AUTHOR, NAME, NOTE, PAYLOADS, real_bundle
from tests.needs import missing


@pytest.fixture(scope="module")
def model(loaded_db):
    from planner.store import DuckDBStore

    return load_model(DuckDBStore(loaded_db))


@pytest.fixture(scope="module")
def bundle(model):
    return real_bundle(model)


def pdf_text(data: bytes, tmp_path, layout: bool = True) -> str:
    """The PDF's text; ``layout=False`` reads cell by cell (a wrapped cell's words together)."""
    if shutil.which("pdftotext") is None:
        missing("poppler's pdftotext", "apt-get install poppler-utils; .ci/run installs it")
    path = tmp_path / "b.pdf"
    path.write_bytes(data)
    mode = ["-layout"] if layout else []
    return subprocess.run(["pdftotext", *mode, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


# ---------------------------------------------------------------------------------- PowerPoint
def test_pptx_is_16_9_with_native_charts_holding_the_projection(bundle):
    prs = Presentation(io.BytesIO(write_pptx(bundle)))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    charts = [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart]
    headline = bundle.headline_targets()
    assert len(charts) == len(headline) > 0
    for chart, row in zip(charts, headline.to_dict("records"), strict=True):
        expected = chart_series(bundle, row["indicator"], [row])
        hist, scen, p10, p90, target = chart.plots[0].series
        assert list(chart.plots[0].categories) == [str(y) for y in YEARS]
        assert scen.values == pytest.approx(expected.scenario)
        assert p10.values == pytest.approx(expected.p10)
        assert p90.values == pytest.approx(expected.p90)
        assert hist.values == pytest.approx(expected.history)
        assert target.values[YEARS.index(row["year"])] == pytest.approx(row["target"])
        # the projected value of the target's year is the scenario point of that year
        assert scen.values[YEARS.index(row["year"])] == pytest.approx(row["projected"])
    # the embedded workbook holds the data, so the chart can be edited in PowerPoint
    assert all(c.part.chart_workbook.xlsx_part is not None for c in charts)


def test_pptx_text_is_plain_runs_without_links(bundle):
    prs = Presentation(io.BytesIO(write_pptx(bundle)))
    texts = []
    for slide in prs.slides:
        assert not [r for r in slide.part.rels.values() if r.reltype.endswith("/hyperlink")]
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            for frame in frames:
                for p in frame.paragraphs:
                    for run in p.runs:
                        assert run.hyperlink.address is None
                        texts.append(run.text)
    joined = "\n".join(texts)
    for payload in PAYLOADS:
        assert payload in joined
    assert "Vị trí hiện nay của tỉnh" in joined and "0,7024" in joined


# ---------------------------------------------------------------------------------- PDF
def test_pdf_holds_vietnamese_labels_and_locale_numbers(bundle, tmp_path):
    data = write_pdf(bundle)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "Vị trí hiện nay của tỉnh" in text
    assert "Chỉ số DTI cấp tỉnh – điểm tổng" in text
    assert "0,7024" in text and "3/63" in text
    assert "Nguồn của các số liệu" in text and "điểm số DTI đạt 0,7024" in text
    for payload in (NAME, NOTE, AUTHOR):
        assert payload in " ".join(text.split())


def test_pdf_in_english_uses_english_separators(model, tmp_path):
    text = pdf_text(write_pdf(real_bundle(model, "en")), tmp_path)
    assert "Where the province stands" in text and "0.7024" in text


def test_pdf_uses_only_the_shipped_fonts(bundle):
    data = write_pdf(bundle)
    assert b"DejaVuSans" in data
    assert b"/URI" not in data  # no link annotation anywhere


# ---------------------------------------------------------------------------------- all formats
BASIS_OF_STATUS = {"met": "observed", "missed": "observed", "likely_met": "estimate",
                   "likely_missed": "estimate", "no_measurement": "estimate",
                   "on_track": "projection", "at_risk": "projection", "off_track": "projection",
                   "not_modelled": "", "national_reference": ""}


def every_status(bundle):
    """The bundle with one target row per status (each with the basis it comes with)."""
    row = bundle.targets.iloc[0]
    rows = [row.copy() for _ in STATUSES]
    for r, status in zip(rows, STATUSES, strict=True):
        r["status"], r["basis"] = status, BASIS_OF_STATUS[status]
    return replace(bundle, targets=pd.DataFrame(rows).reset_index(drop=True))


def test_the_targets_table_has_a_label_for_every_status_and_basis(bundle):
    b = every_status(bundle)
    header, rows = b.targets_table()
    assert header[4] == "Cơ sở"
    assert [r[5] for r in rows] == [status_label(s, "vi") for s in STATUSES]
    assert [r[4] for r in rows] == ["quan sát", "quan sát", "ước tính", "ước tính",
                                    "dự báo", "dự báo", "dự báo", "ước tính", "–", "–"]
    # a chance only where the draws give evidence: not for a published figure, a level that
    # is an assumption, or a target the model does not project
    assert [r[6] == "–" for r in rows] == [True, True, False, False, False, False, False,
                                           True, True, True]


def test_every_status_and_basis_has_its_words_in_each_file(bundle, tmp_path):
    b = every_status(bundle)
    labels = [status_label(s, "vi") for s in STATUSES]
    words = ["Có thể đã đạt", "Có thể không đạt", "Chưa có số đo", "Mô hình chưa dự báo"]
    pdf = " ".join(pdf_text(write_pdf(b), tmp_path, layout=False).split())
    prs = Presentation(io.BytesIO(write_pptx(b)))
    pptx = " ".join(c.text_frame.text for sl in prs.slides for sh in sl.shapes if sh.has_table
                    for row in sh.table.rows for c in row.cells)
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(b)))
    sheet = list(book["Mục tiêu"].iter_rows(min_row=2, values_only=True))
    assert [r[9] for r in sheet] == labels
    assert [r[10] for r in sheet][:3] == ["quan sát", "quan sát", "ước tính"]
    for text in (pdf, pptx):
        for word in [*words, "ước tính", "quan sát", "dự báo"]:
            assert word in text
        for status in STATUSES:
            assert status not in text  # never the status id itself


def test_exports_list_the_settable_years_only(bundle):
    """The scenario sets 2027 (the first year not begun on 2026-11-27) and 2030, never 2025;
    the headline targets are those of the pages: the last ended year (2025, with its ended
    statuses) and the settable years."""
    assert {s.year for s in bundle.settings if s.kind == "lever"} == {2027}
    assert bundle.headline_years() == (2025, 2027, 2030)
    assert set(bundle.headline_targets()["year"]) <= {2025, 2027, 2030}
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(bundle)))
    years = [r[2] for r in book["Thiết lập"].iter_rows(min_row=2, values_only=True)]
    assert years == [2027, None]


# ---------------------------------------------------------------------------------- Excel
def test_xlsx_numbers_are_numbers_and_text_is_never_a_formula(bundle):
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(bundle)))
    assert book.sheetnames == ["Thông tin", "Kết quả", "Mục tiêu", "Thiết lập", "Nguồn",
                               "Biểu đồ"]
    outcomes = book["Kết quả"]
    rows = list(outcomes.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(bundle.outcomes)
    for row, expected in zip(rows, bundle.outcomes.to_dict("records"), strict=True):
        assert row[0] == expected["indicator"] and row[2] == expected["year"]
        for got, col in zip(row[3:7], ("value", "p10", "p50", "p90"), strict=True):
            assert isinstance(got, float | int) and got == pytest.approx(expected[col])
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                assert cell.hyperlink is None
    about = {r[0]: r[1] for r in book["Thông tin"].iter_rows(values_only=True)}
    assert about["Kịch bản"] == NAME and about["Ghi chú"] == NOTE
    assert about["Người lập"] == AUTHOR
    targets = list(book["Mục tiêu"].iter_rows(min_row=2, values_only=True))
    for got, want in zip(targets, bundle.targets.to_dict("records"), strict=True):
        chance = bundle.chance(want)  # a number where there is a chance to give, else blank
        assert got[8] is None if chance is None else got[8] == pytest.approx(chance)
        assert got[10] == bundle.basis_label(want["basis"], want["assumed"])


def test_xlsx_has_native_charts(bundle):
    with zipfile.ZipFile(io.BytesIO(write_xlsx(bundle))) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        xml = zf.read(charts[0]).decode()
    assert len(charts) == bundle.modelled_targets()["indicator"].nunique()
    assert "<c:lineChart>" in xml and "Kết quả" in xml


# ---------------------------------------------------------------------------------- CSV
def test_outcomes_csv_quotes_formula_text_and_keeps_numbers(bundle):
    data = render(bundle, "csv")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(frame["value"]) == pytest.approx(list(bundle.outcomes["value"]))
    assert set(frame["scenario"]) == {NAME}
    hostile = pd.DataFrame({"text": list(PAYLOADS) + ["-3", "+0,4", "\tx", "ok"],
                            "n": range(8)})
    text = frame_csv(hostile).decode("utf-8-sig").splitlines()
    assert text[1] == "<img src=x onerror=alert(1)>,0"
    assert text[2] == "\"'=HYPERLINK(\"\"http://x\"\")\",1"
    assert text[3:5] == ["'+cmd,2", "'@SUM(1),3"]
    assert text[5:7] == ["-3,4", "\"+0,4\",5"]
    assert text[7] == "'\tx,6"


def test_every_format_has_a_file_name(bundle):
    names = {fmt: file_name(bundle.file_stem(), fmt) for fmt in FORMATS}
    assert names["pptx"].endswith(".pptx") and names["png"].endswith("-charts-png.zip")
    with pytest.raises(ValueError, match="unknown export format"):
        render(bundle, "docx")


# ---------------------------------------------------------------------------------- targets
def test_every_export_carries_every_target_row_with_its_place(bundle, model, tmp_path):
    obs = model.obs
    rows = obs[obs["kind"] == "target"]
    keys = set(zip(rows["indicator"], rows["geography"], rows["year"], rows["value"], strict=True))
    assert len(bundle.targets) == len(keys) == 25
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(bundle)))
    sheet = list(book["Mục tiêu"].iter_rows(min_row=2, values_only=True))
    assert len(sheet) == len(keys)
    national = [r for r in sheet if r[13] == "Việt Nam"]
    assert len(national) == 5 and {r[9] for r in national} == {status_label("national_reference", "vi")}
    assert all(r[8] is None for r in national)  # never a chance
    uptake = next(r for r in national if r[0] == "Tỷ lệ dân số mua sắm trực tuyến")
    assert uptake[16] == "Quảng Ninh: 45,2% (mức giả định)"  # the central path: the median
    gdp = next(r for r in national if r[0].startswith("Tỷ trọng kinh tế số trong GDP") and r[1] == 2030)
    assert gdp[16].startswith("Quảng Ninh: Tỷ trọng kinh tế số trong GRDP: ")  # its own share
    header, table = bundle.targets_table()
    assert len(table) == len(keys)
    assert "Tỷ lệ dân số mua sắm trực tuyến (Việt Nam)" in [r[0] for r in table]
    prs = Presentation(io.BytesIO(write_pptx(bundle)))
    cells = [row.cells[0].text_frame.text for sl in prs.slides for sh in sl.shapes if sh.has_table
             for row in sh.table.rows]
    assert sum(c in {r[0] for r in table} for c in cells) >= len(keys)
    pdf = " ".join(pdf_text(write_pdf(bundle), tmp_path, layout=False).split())
    assert pdf.count("Tham chiếu quốc gia") == 5


def test_unmeasured_outcomes_read_assumed_level_in_the_workbook_and_csv(bundle):
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(bundle)))
    rows = {(r[0], r[2]): r[8] for r in book["Kết quả"].iter_rows(min_row=2, values_only=True)}
    for ind in ("cashless_adoption", "ecommerce_uptake"):
        assert {rows[(ind, y)] for y in (2023, 2024, 2025, 2030)} == {"mức giả định, chưa có số đo"}
    assert rows[("online_filing_rate", 2025)] == "ước tính"
    csv = pd.read_csv(io.BytesIO(render(bundle, "csv")), encoding="utf-8-sig")
    cashless = csv[(csv["indicator"] == "cashless_adoption") & csv["year"].between(2023, 2025)]
    assert set(cashless["basis"]) == {"assumed_level"}
