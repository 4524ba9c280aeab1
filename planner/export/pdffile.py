"""The briefing as an A4 paper (PDF) rendered by Typst (the ``typst`` package from PyPI).

``templates/briefing.typ`` lays the paper out; this module formats every text and number in
the bundle's language and hands them over as one JSON document in ``sys.inputs``, so no user
text or quote is ever read as Typst markup. Charts are drawn by Typst itself from the series'
coordinates (no browser needed). Fonts: DejaVu Sans and Noto Emoji shipped in ``fonts/`` (with
their licences), system fonts ignored, so the paper looks the same on every server; nothing is
fetched. A character neither font has is written as its code points
(:func:`planner.export.glyphs.drawable_text`), so no user text disappears.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from planner.export.bundle import ExportBundle
from planner.export.charts import ChartSeries, chart_series
from planner.export.glyphs import FONT_FAMILIES, FONTS, drawable_document
from planner.formatting import fmt_date, fmt_number

HERE = Path(__file__).parent
TEMPLATE = HERE / "templates" / "briefing.typ"


def _ticks(lo: float, hi: float, unit: str, n: int = 5) -> list[float]:
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    raw = span / n
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if unit.startswith("rank_of_"):
        step = max(1.0, round(step))
    start = math.floor(lo / step) * step
    out, x = [], start
    while x <= hi + step * 0.999:
        out.append(round(x, 10))
        x += step
    return out


def chart_geometry(series: ChartSeries, bundle: ExportBundle) -> dict:
    """A chart's series as fractions (0..1) of its plotting area, with axis ticks.

    Parameters
    ----------
    series : ChartSeries
    bundle : ExportBundle
        For the language and units of the tick labels.

    Returns
    -------
    dict
        ``yticks`` (``y``, ``label``), ``xticks`` (``x``, ``label``), ``series`` (``kind``,
        ``points``), ``targets`` (points).
    """
    lo, hi = series.value_range()
    ticks = _ticks(lo, hi, series.unit)
    y0, y1 = ticks[0], ticks[-1]
    if series.unit == "percent":
        y0 = max(y0, 0.0)
    if series.reversed_axis:
        y0 = max(y0, 1.0)
        ticks = [t for t in ticks if t >= 1] or [1.0]
    years = series.years
    span_y = (y1 - y0) or 1.0

    def fy(v: float) -> float:
        f = (v - y0) / span_y
        return 1 - f if series.reversed_axis else f

    def fx(year: int) -> float:
        return (year - years[0]) / ((years[-1] - years[0]) or 1)

    def label(v: float) -> str:
        if series.unit.startswith("rank_of_"):
            return fmt_number(v, bundle.lang, 0)
        decimals = 0 if series.unit == "percent" else (bundle.units.get(series.unit) or 2)
        text = fmt_number(v, bundle.lang, min(decimals, 2), trim=True)
        return text + "%" if series.unit == "percent" else text

    lines = []
    for kind, values in (("p10", series.p10), ("p90", series.p90),
                         ("history", series.history), ("scenario", series.scenario)):
        pts = [[fx(y), fy(v)] for y, v in zip(years, values, strict=True) if v is not None]
        if pts:
            lines.append({"kind": kind, "points": pts})
    return {
        "yticks": [{"y": fy(t), "label": label(t)} for t in ticks if y0 <= t <= y1],
        "xticks": [{"x": fx(y), "label": str(y)} for y in years if (y - years[0]) % 2 == 0],
        "series": lines,
        "targets": [[fx(y), fy(v)] for y, v, _ in series.targets],
    }


def _table(header: list[str], rows: list[list[str]]) -> dict:
    return {"header": header, "rows": rows}


def document(b: ExportBundle) -> dict:
    """Everything the paper shows, formatted, as JSON-ready data for the template."""
    facts = [b.t("export.date", date=fmt_date(b.exported_on, b.lang)), b.facts_line()]
    if b.saved:
        facts.append(b.t("export.saved_note"))
    if b.author:
        facts.append(b.t("export.author", author=b.author))
    facts.append(b.t("export.link", link=b.link))
    cards = []
    for r in b.headline_targets().to_dict("records"):
        unit, year = str(r["unit"]), int(r["year"])
        observed = r["basis"] == "observed"
        lines = b.target_lines(r)
        cards.append({
            "heading": b.t("export.target.heading", label=r["label"], year=year),
            "caption": b.t("export.target.observed" if observed else "export.target.projected",
                           year=year),
            "big": b.fmt(r["projected"], unit), "lines": lines,
            "chart": chart_geometry(chart_series(b, str(r["indicator"]), [r]), b)})
    return {
        "lang": b.lang, "fonts": list(FONT_FAMILIES), "title": b.t("export.title"),
        "scenario": b.t("export.scenario", name=b.name), "facts": facts,
        "note": b.t("export.note", note=b.note) if b.note else None,
        "footer": f"{b.t('export.scenario', name=b.name)} · {b.dataset_version}",
        "standing": {"heading": b.t("export.standing.heading"),
                     "none": b.t("export.standing.none"), **_table(*b.standing_table())},
        "targets": {"heading": b.t("export.targets.heading"), "none": b.t("export.targets.none"),
                    **_table(*b.targets_table())},
        "targets_notes": b.targets_notes(),
        "cards": cards,
        "legend": {"history": b.t("export.chart.history"),
                   "scenario": b.t("export.chart.scenario"),
                   "band": b.t("export.target.range"), "target": b.t("export.chart.target")},
        "settings": {"heading": b.t("export.settings.heading"),
                     "none": b.t("export.settings.none"), **_table(*b.settings_table())},
        "sources": {"heading": b.t("export.sources.heading"),
                    **_table(*b.sources_table(full=True))},
    }


def write_pdf(bundle: ExportBundle) -> bytes:
    """The briefing as an A4 PDF.

    Parameters
    ----------
    bundle : ExportBundle

    Returns
    -------
    bytes
    """
    import typst

    data = json.dumps(drawable_document(document(bundle)), ensure_ascii=False)
    return typst.compile(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=[str(FONTS)],
                         ignore_system_fonts=True, sys_inputs={"data": data})
