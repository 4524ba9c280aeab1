"""An outcome's chart for the plain pages: inline SVG and what it shows in words.

The chart is the exports' (:func:`planner.export.charts.figure`, the app's own Plotly chart),
drawn as SVG by Kaleido in Debian's Chromium (:func:`planner.export.images.render`: one
long-lived browser, nothing downloaded). A drawing costs about 0.2 s once the browser runs
(its start about 3 s, once per process), so each SVG is kept (:data:`CACHE_SIZE` of them) by
scenario, versions, language and indicator: a saved snapshot never changes.

:func:`text_alternative` says in words what the chart shows (the official figures, the
scenario's path with its 10–90% range and the targets), for screen readers and for a server
without Chromium, where the chart is left out and the words stay.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict

from planner.export.bundle import ExportBundle
from planner.export.charts import ChartSeries, chart_series, figure
from planner.i18n import t

WIDTH, HEIGHT = 640, 420
"""The chart's size in CSS pixels: it scales down to the page's width (a phone's 390 px)."""
CACHE_SIZE = 256
"""SVG drawings kept in the process (about 15 KB each)."""

log = logging.getLogger(__name__)
_cache: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()
_UID = re.compile(r'id="defs-([0-9a-z]+)"')


class ChartsUnavailable(RuntimeError):
    """Charts cannot be drawn on this server (no Chromium): the words stay."""


def available() -> bool:
    """Whether charts can be drawn here (Kaleido and Chromium present)."""
    from planner.export.images import available as images_available

    return images_available()


def _inline(svg: str, prefix: str, label_id: str) -> str:
    """An SVG drawing made fit to stand in a page: its ids made unique with ``prefix``, named
    by the element ``label_id`` for screen readers, and scaling with the page's width."""
    found = _UID.search(svg)
    if found:
        svg = svg.replace(found.group(1), f"{prefix}{found.group(1)}")
    svg = svg.removeprefix('<?xml version="1.0" encoding="UTF-8"?>').strip()
    svg = re.sub(r'^<svg ([^>]*?)width="\d+" height="\d+"',
                 rf'<svg \1role="img" aria-labelledby="{label_id}"', svg,
                 count=1)
    return svg.replace(' style=""', "", 1)


def chart_svg(bundle: ExportBundle, key: tuple, indicator: str, label_id: str) -> str | None:
    """One outcome's chart as inline SVG text, or None where charts cannot be drawn.

    Parameters
    ----------
    bundle : ExportBundle
    key : tuple
        What makes the bundle's numbers what they are (scenario id, versions, language, day):
        the cache's key with ``indicator``.
    indicator : str
    label_id : str
        The id of the element that names the chart (its text alternative).

    Returns
    -------
    str or None
    """
    full = (*key, indicator, label_id)
    with _lock:
        if full in _cache:
            _cache.move_to_end(full)
            return _cache[full]
    if not available():
        return None
    from planner.export.images import render

    series = chart_series(bundle, indicator)
    try:
        raw = render(figure(series, bundle.lang, bundle.name, WIDTH, HEIGHT), "svg", WIDTH,
                     HEIGHT)
    except Exception:  # noqa: BLE001 - the browser failed: the words stand for the chart
        log.warning("chart %s could not be drawn", indicator, exc_info=True)
        return None
    svg = _inline(raw.decode("utf-8") if isinstance(raw, bytes) else str(raw),
                  f"{label_id}-", label_id)
    with _lock:
        _cache[full] = svg
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return svg


def _points(bundle: ExportBundle, series: ChartSeries, values) -> str:
    return "; ".join(f"{y}: {bundle.fmt(v, _unit(series, y))}"
                     for y, v in zip(series.years, values, strict=True) if v is not None)


def _unit(series: ChartSeries, year: int) -> str:
    """The unit of a year's value: a rank's field changes size in its switch year."""
    if series.field_switch and year < series.field_switch[2]:
        return f"rank_of_{series.field_switch[0]}"
    return series.unit


def text_alternative(bundle: ExportBundle, indicator: str) -> str:
    """What an outcome's chart shows, in words.

    Parameters
    ----------
    bundle : ExportBundle
    indicator : str

    Returns
    -------
    str
        The title and years; the official figures; the scenario's value in each year ahead
        with the 10–90% range of the last; the targets.
    """
    lang = bundle.lang
    s = chart_series(bundle, indicator)
    parts = [t("plain.chart.alt_title", lang, title=s.title, first=s.years[0], last=s.years[-1],
               name=bundle.name)]
    history = _points(bundle, s, s.history)
    if history:
        parts.append(t("plain.chart.alt_history", lang, points=history))
    ahead = [v if v is not None and h is None else None
             for v, h in zip(s.scenario, s.history, strict=True)]
    path = _points(bundle, s, ahead)
    if path:
        last = max(y for y, v in zip(s.years, ahead, strict=True) if v is not None)
        i = s.years.index(last)
        parts.append(t("plain.chart.alt_scenario", lang, points=path, year=last,
                       low=bundle.fmt(s.p10[i], _unit(s, last)),
                       high=bundle.fmt(s.p90[i], _unit(s, last))))
    if s.targets:
        parts.append(t("plain.chart.alt_targets", lang,
                       points="; ".join(f"{y}: {text}" for y, _, text in s.targets)))
    if s.field_switch:
        parts.append(t("plain.chart.alt_field", lang, before=s.field_switch[0],
                       after=s.field_switch[1], year=s.field_switch[2]))
    return " ".join(parts)


def chart_title(bundle: ExportBundle, indicator: str) -> str:
    """The chart's title: the outcome's label."""
    return chart_series(bundle, indicator).title


def standalone_svg(bundle: ExportBundle, key: tuple, indicator: str) -> str:
    """One outcome's chart as an SVG file: sized, titled by its text alternative.

    Parameters
    ----------
    bundle : ExportBundle
    key : tuple
        As for :func:`chart_svg`.
    indicator : str

    Returns
    -------
    str

    Raises
    ------
    ChartsUnavailable
        Without Chromium.
    """
    from html import escape

    label_id = f"alt-{indicator}"
    drawn = chart_svg(bundle, key, indicator, label_id)
    if drawn is None:
        raise ChartsUnavailable("charts need Chromium on the server")
    head, rest = drawn.split(">", 1)
    title = f"{chart_title(bundle, indicator)}. {text_alternative(bundle, indicator)}"
    return (f'{head} width="{WIDTH}" height="{HEIGHT}"><title id="{label_id}">'
            f"{escape(title, quote=False)}</title>{rest}")
