"""The briefing as PowerPoint slides (python-pptx), 16:9, from ``templates/briefing.pptx``.

Slides: a title slide (scenario, date, dataset and model version, link, note and author), the
province's standing, one slide per headline target (the years a scenario sets, as on the
briefing) with a native line chart
(history, scenario, 10th and 90th percentiles as two lines, the target as a marker; the data is
embedded, so the chart can be restyled in PowerPoint) beside its numbers, the targets table,
the settings that differ from the baseline, and the sources with their quotes (as many slides
as they need). All text is plain runs: no hyperlink, no field, nothing interpreted.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Emu, Pt

from planner.export.bundle import ExportBundle
from planner.export.charts import ChartSeries, chart_series
from planner.formatting import fmt_date

TEMPLATE = Path(__file__).parent / "templates" / "briefing.pptx"
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5
SOURCES_PER_SLIDE = 8
TARGETS_PER_SLIDE = 10

BLACK, BLUE, VERMILLION, GREY = (RGBColor(0, 0, 0), RGBColor(0x00, 0x72, 0xB2),
                                 RGBColor(0xD5, 0x5E, 0x00), RGBColor(0x55, 0x55, 0x55))
MARGIN = Emu(609600)
TOP = Emu(1300000)


def _number_format(unit: str) -> str:
    if unit == "percent":
        return '0"%"'
    if unit.startswith("rank_of_"):
        return "0"
    if unit == "index_0_1":
        return "0.00"
    return "General"


def _text(frame, lines: Sequence[str | tuple[str, bool]], size: int = 16) -> None:
    """Fill a text frame with plain runs, one paragraph a line (``(text, bold)`` for bold)."""
    frame.word_wrap = True
    for i, line in enumerate(lines):
        text, bold = (line, False) if isinstance(line, str) else line
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = p.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold


def _title_only(prs, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    slide.shapes.title.text_frame.text = ""
    _text(slide.shapes.title.text_frame, [(title, True)], 28)
    return slide


def _table(slide, header: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[float], size: int = 12, top: Emu = TOP) -> None:
    width = slide.part.package.presentation_part.presentation.slide_width - 2 * MARGIN
    height = Emu(int(Pt(size * 2.2)) * (len(rows) + 1))
    table = slide.shapes.add_table(len(rows) + 1, len(header), MARGIN, top, width,
                                   height).table
    total = sum(widths)
    for j, w in enumerate(widths):
        table.columns[j].width = Emu(int(width * w / total))
    for i, row in enumerate([header, *rows]):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text_frame.text = ""
            _text(cell.text_frame, [(str(value), i == 0)], size)


def _style_line(series, colour: RGBColor, width: float, dash=None, marker: bool = False,
                marker_style=XL_MARKER_STYLE.CIRCLE, marker_size: int = 7) -> None:
    series.smooth = False
    line = series.format.line
    line.color.rgb = colour
    line.width = Pt(width)
    if dash is not None:
        line.dash_style = dash
    if marker:
        series.marker.style = marker_style
        series.marker.size = marker_size
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = colour
        series.marker.format.line.color.rgb = BLACK if colour == VERMILLION else colour
    else:
        series.marker.style = XL_MARKER_STYLE.NONE


def add_chart(slide, bundle: ExportBundle, series: ChartSeries, left: Emu, top: Emu,
              width: Emu, height: Emu):
    """A native line chart of one outcome; returns the chart.

    Series, in order: history, scenario, 10th percentile, 90th percentile, target.
    """
    data = CategoryChartData(number_format=_number_format(series.unit))
    data.categories = [str(y) for y in series.years]
    data.add_series(bundle.t("export.chart.history"), series.history)
    data.add_series(bundle.name or bundle.t("export.chart.scenario"), series.scenario)
    data.add_series(bundle.t("export.chart.p10"), series.p10)
    data.add_series(bundle.t("export.chart.p90"), series.p90)
    data.add_series(bundle.t("export.chart.target"), series.target_values())
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, left, top, width, height, data)
    chart = frame.chart
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(12)
    hist, scen, p10, p90, target = chart.plots[0].series
    _style_line(hist, BLACK, 1.5, marker=True, marker_size=8)
    _style_line(scen, BLUE, 3, marker=True, marker_size=5)
    _style_line(p10, BLUE, 1.25, MSO_LINE_DASH_STYLE.DASH)
    _style_line(p90, BLUE, 1.25, MSO_LINE_DASH_STYLE.DASH)
    _style_line(target, VERMILLION, 0.75, marker=True, marker_style=XL_MARKER_STYLE.DIAMOND,
                marker_size=13)
    target.format.line.fill.background()
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    value_axis.tick_labels.font.size = Pt(12)
    value_axis.tick_labels.number_format = _number_format(series.unit)
    value_axis.tick_labels.number_format_is_linked = False
    if series.reversed_axis:
        value_axis.reverse_order = True
        value_axis.minimum_scale = 1
    chart.category_axis.tick_labels.font.size = Pt(12)
    return chart


def _title_slide(prs, b: ExportBundle) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    slide.shapes.title.text_frame.text = ""
    _text(slide.shapes.title.text_frame, [(b.t("export.title"), True)], 34)
    body = slide.placeholders[1]
    # setting one coordinate of an inherited placeholder zeroes the others: set all four
    body.left, body.top = MARGIN, Emu(3500000)
    body.width, body.height = prs.slide_width - 2 * MARGIN, Emu(3000000)
    lines: list[str | tuple[str, bool]] = [(b.t("export.scenario", name=b.name), True),
                                           b.t("export.date", date=fmt_date(b.exported_on, b.lang)),
                                           b.facts_line()]
    if b.saved:
        lines.append(b.t("export.saved_note"))
    if b.note:
        lines.append(b.t("export.note", note=b.note))
    if b.author:
        lines.append(b.t("export.author", author=b.author))
    lines.append(b.t("export.link", link=b.link))
    body.text_frame.text = ""
    _text(body.text_frame, lines, 16)


def _none_slide(prs, b: ExportBundle, section: str, width: int = 10000000) -> None:
    """A section's slide saying it has nothing to show: ``export.<section>.none``."""
    slide = _title_only(prs, b.t(f"export.{section}.heading"))
    box = slide.shapes.add_textbox(MARGIN, TOP, Emu(width), Emu(800000))
    _text(box.text_frame, [b.t(f"export.{section}.none")], 18)


def _standing_slide(prs, b: ExportBundle) -> None:
    if not b.standing:
        _none_slide(prs, b, "standing")
        return
    slide = _title_only(prs, b.t("export.standing.heading"))
    _table(slide, *b.standing_table(), (4, 1, 1.3, 2.2, 1.3), size=16)


def _target_slide(prs, b: ExportBundle, row: dict) -> None:
    year = int(row["year"])
    slide = _title_only(prs, b.t("export.target.heading", label=row["label"], year=year))
    width = prs.slide_width
    series = chart_series(b, str(row["indicator"]), [row])
    add_chart(slide, b, series, MARGIN, TOP, Emu(int(width * 0.6)), Emu(5200000))
    unit = str(row["unit"])
    key = "export.target.observed" if row["basis"] == "observed" else "export.target.projected"
    lines: list[str | tuple[str, bool]] = [
        b.t(key, year=year), (b.fmt(row["projected"], unit), True), "", *b.target_lines(row)]
    left = Emu(int(width * 0.6) + MARGIN + Emu(200000))
    box = slide.shapes.add_textbox(left, TOP, width - left - MARGIN, Emu(5000000))
    _text(box.text_frame, lines, 18)
    box.text_frame.paragraphs[1].runs[0].font.size = Pt(40)


def _targets_slides(prs, b: ExportBundle) -> None:
    header, rows = b.targets_table()
    if not rows:
        _none_slide(prs, b, "targets")
        return
    for start in range(0, len(rows), TARGETS_PER_SLIDE):
        slide = _title_only(prs, b.t("export.targets.heading"))
        _table(slide, header, rows[start:start + TARGETS_PER_SLIDE],
               (3.4, 0.7, 1.1, 1.3, 1.1, 1.7, 1.1, 1.5), size=13)
        box = slide.shapes.add_textbox(MARGIN, prs.slide_height - Emu(1000000),
                                       prs.slide_width - 2 * MARGIN, Emu(700000))
        _text(box.text_frame, b.targets_notes(), 11)


def _settings_slide(prs, b: ExportBundle) -> None:
    if not b.settings:
        _none_slide(prs, b, "settings", width=10500000)
        return
    slide = _title_only(prs, b.t("export.settings.heading"))
    _table(slide, *b.settings_table(), (4, 1.3, 0.9, 1.6, 1.6), size=15)


def _sources_slides(prs, b: ExportBundle) -> None:
    header, rows = b.sources_table()
    for start in range(0, max(len(rows), 1), SOURCES_PER_SLIDE):
        slide = _title_only(prs, b.t("export.sources.heading"))
        _table(slide, header, rows[start:start + SOURCES_PER_SLIDE],
               (2.6, 1, 1, 3, 1.2, 3.4), size=10)


def write_pptx(bundle: ExportBundle) -> bytes:
    """The briefing as a PowerPoint file.

    Parameters
    ----------
    bundle : ExportBundle

    Returns
    -------
    bytes
    """
    prs = Presentation(str(TEMPLATE))
    _title_slide(prs, bundle)
    _standing_slide(prs, bundle)
    for row in bundle.headline_targets().to_dict("records"):
        _target_slide(prs, bundle, row)
    _targets_slides(prs, bundle)
    _settings_slide(prs, bundle)
    _sources_slides(prs, bundle)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
