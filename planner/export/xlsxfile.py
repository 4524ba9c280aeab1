"""The briefing as an Excel workbook (xlsxwriter).

Sheets: about (scenario, versions, link, note, author), outcomes (every outcome and year with
value, p10, p50, p90, unit and basis), targets, settings, sources, and charts (one native line
chart per outcome that has a target, reading the outcomes sheet). Numbers are written as
numbers with a display format; every text with ``write_string`` in a workbook that turns no
string into a formula or a link.
"""

from __future__ import annotations

import io

import xlsxwriter

from planner.export.bundle import ExportBundle
from planner.export.charts import chart_series
from planner.formatting import is_missing

HEADER = {"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True,
          "valign": "top"}


def _fmt_code(unit: str) -> str:
    if unit == "percent":
        return '0.0"%"'
    if unit.startswith("rank_of_"):
        return "0"
    if unit == "index_0_1":
        return "0.0000"
    return "#,##0.###"


class _Sheet:
    """Writes cells by type: numbers as numbers, text as strings, never formulas."""

    def __init__(self, book, name: str, widths: list[float]):
        self.ws = book.add_worksheet(name[:31])
        self.book = book
        self.header = book.add_format(HEADER)
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.formats: dict[str, object] = {}
        for i, w in enumerate(widths):
            self.ws.set_column(i, i, w)

    def number_format(self, code: str):
        if code not in self.formats:
            self.formats[code] = self.book.add_format({"num_format": code, "valign": "top"})
        return self.formats[code]

    def head(self, row: int, values: list[str]) -> None:
        for j, v in enumerate(values):
            self.ws.write_string(row, j, str(v), self.header)
        self.ws.freeze_panes(row + 1, 0)

    def text(self, row: int, col: int, value) -> None:
        self.ws.write_string(row, col, "" if value is None else str(value), self.wrap)

    def number(self, row: int, col: int, value, code: str = "General") -> None:
        if is_missing(value):
            self.ws.write_blank(row, col, None)
        else:
            self.ws.write_number(row, col, float(value), self.number_format(code))


def _about(book, b: ExportBundle) -> None:
    s = _Sheet(book, b.t("export.sheet.about"), [30, 90])
    rows = [(b.t("export.title"), "")] + [
        (b.t(f"export.about.{k}"), v) for k, v in (
            ("scenario", b.name), ("note", b.note), ("author", b.author), ("link", b.link),
            ("dataset_version", b.dataset_version), ("model_version", b.model_version),
            ("draws", b.draws), ("seed", b.seed), ("exported_on", b.exported_on.isoformat()))
    ] + [("", b.t("export.basis_note"))]
    if b.saved:
        rows.append(("", b.t("export.saved_note")))
    for i, (k, v) in enumerate(rows):
        s.text(i, 0, k)
        if isinstance(v, int):
            s.number(i, 1, v, "0")
        else:
            s.text(i, 1, v)


def _outcomes(book, b: ExportBundle) -> tuple[str, dict[str, tuple[int, int]]]:
    name = b.t("export.sheet.outcomes")[:31]
    s = _Sheet(book, name, [28, 34, 8, 12, 12, 12, 12, 12, 12])
    s.head(0, [b.t(f"export.col.{k}") for k in
               ("indicator", "label", "year", "value", "p10", "p50", "p90", "unit", "basis")])
    spans: dict[str, tuple[int, int]] = {}
    for i, r in enumerate(b.outcomes.to_dict("records"), start=1):
        code = _fmt_code(str(r["unit"]))
        s.text(i, 0, r["indicator"])
        s.text(i, 1, r["label"])
        s.number(i, 2, r["year"], "0")
        for j, col in enumerate(("value", "p10", "p50", "p90"), start=3):
            s.number(i, j, r[col], code)
        s.text(i, 7, r["unit"])
        s.text(i, 8, b.basis_label(str(r["evidence"]), r["assumed"]))
        first, _ = spans.get(r["indicator"], (i, i))
        spans[r["indicator"]] = (first, i)
    return name, spans


def _targets(book, b: ExportBundle) -> None:
    s = _Sheet(book, b.t("export.sheet.targets"), [34, 8, 10, 12, 10, 10, 10, 10, 10, 18, 12,
                                                   12, 30, 14, 10, 16, 30])
    s.head(0, [b.t(f"export.col.{k}") for k in
               ("label", "year", "target", "projected", "p10", "p50", "p90", "gap",
                "probability", "status", "basis", "unit", "sources")]
           + [b.t("register.where"), b.t("export.col.figure_year"),
              b.t("register.province_value"), b.t("export.col.province_value_text")])
    for i, r in enumerate(b.targets.to_dict("records"), start=1):
        code = _fmt_code(str(r["unit"]))
        s.text(i, 0, r["label"])
        s.number(i, 1, r["year"], "0")
        for j, col in enumerate(("target", "projected", "p10", "p50", "p90", "gap"), start=2):
            s.number(i, j, r[col], code)
        s.number(i, 8, b.chance(r), "0%")
        s.text(i, 9, b.fmt_status(str(r["status"])))
        s.text(i, 10, b.basis_label(str(r["basis"]), r["assumed"]))
        s.text(i, 11, r["unit"])
        s.text(i, 12, " ".join(r["sources"]))
        s.text(i, 13, r["geography"])
        s.number(i, 14, None if is_missing(r["figure_year"]) else int(r["figure_year"]), "0")
        s.number(i, 15, r["province_value"], code)
        s.text(i, 16, b.target_value(r) if r["status"] == "national_reference" else "")


def _settings(book, b: ExportBundle) -> None:
    s = _Sheet(book, b.t("export.sheet.settings"), [40, 14, 8, 16, 16, 12])
    s.head(0, [b.t(f"export.settings.{k}") for k in
               ("setting", "kind", "year", "value", "baseline")] + [b.t("export.col.unit")])
    if not b.settings:
        s.text(1, 0, b.t("export.settings.none"))
    for i, st in enumerate(b.settings, start=1):
        s.text(i, 0, st.label)
        s.text(i, 1, b.t(f"export.settings.{st.kind}"))
        s.number(i, 2, st.year, "0")
        s.number(i, 3, st.value, _fmt_code(st.unit))
        s.number(i, 4, st.baseline, _fmt_code(st.unit))
        s.text(i, 5, st.unit)


def _sources(book, b: ExportBundle) -> None:
    s = _Sheet(book, b.t("export.sheet.sources"), [40, 8, 12, 12, 28, 40, 24, 12, 60, 40])
    s.head(0, [b.t("export.sources.number"), b.t("export.col.year"),
               b.t("export.sources.value"), b.t("export.sources.kind"),
               b.t("export.sources.source"), b.t("export.col.title"),
               b.t("export.col.publisher"), b.t("export.sources.date"),
               b.t("export.sources.quote"), b.t("export.col.address")])
    for i, r in enumerate(b.sources.to_dict("records"), start=1):
        s.text(i, 0, r["number"])
        s.number(i, 1, r["year"], "0")
        s.number(i, 2, r["value"], _fmt_code(str(r["unit"])))
        s.text(i, 3, b.kind_label(str(r["kind"])))
        for j, col in enumerate(("source", "title", "publisher", "date", "quote", "address"),
                                start=4):
            s.text(i, j, r[col])


def _charts(book, b: ExportBundle, sheet: str, spans: dict[str, tuple[int, int]]) -> None:
    ws = book.add_worksheet(b.t("export.sheet.charts")[:31])
    indicators = [i for i in dict.fromkeys(b.modelled_targets()["indicator"]) if i in spans]
    ref = "'" + sheet.replace("'", "''") + "'"
    for k, ind in enumerate(indicators):
        first, last = spans[ind]
        series = chart_series(b, ind)
        chart = book.add_chart({"type": "line"})
        cats = f"={ref}!$C${first + 1}:$C${last + 1}"
        for col, key, style in (
                ("D", "export.chart.scenario", {"color": "#0072B2", "width": 2.5}),
                ("E", "export.chart.p10", {"color": "#0072B2", "width": 1,
                                           "dash_type": "dash"}),
                ("G", "export.chart.p90", {"color": "#0072B2", "width": 1,
                                           "dash_type": "dash"})):
            chart.add_series({"name": b.t(key), "categories": cats,
                              "values": f"={ref}!${col}${first + 1}:${col}${last + 1}",
                              "line": style, "marker": {"type": "none"}})
        chart.set_title({"name": series.title, "name_font": {"size": 12}})
        chart.set_x_axis({"num_format": "0"})
        chart.set_y_axis({"num_format": _fmt_code(series.unit),
                          "reverse": series.reversed_axis,
                          "major_gridlines": {"visible": True,
                                              "line": {"color": "#DDDDDD"}}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 620, "height": 340})
        ws.insert_chart(1 + 18 * (k // 2), 1 + 10 * (k % 2), chart)


def write_xlsx(bundle: ExportBundle) -> bytes:
    """The briefing as an Excel workbook.

    Parameters
    ----------
    bundle : ExportBundle

    Returns
    -------
    bytes
    """
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False, "strings_to_numbers": False})
    _about(book, bundle)
    sheet, spans = _outcomes(book, bundle)
    _targets(book, bundle)
    _settings(book, bundle)
    _sources(book, bundle)
    _charts(book, bundle, sheet, spans)
    book.close()
    return buf.getvalue()
