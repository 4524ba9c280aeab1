"""The plain pages' HTML, from Jinja2 templates with every text escaped.

A briefing comes in pieces (:func:`briefing_chunks`): its head with the DTI row, the cards and
the targets first, then one chart at a time, then the sources; a reader's browser shows the
first numbers while the charts are still being drawn. User text (a scenario's name, note and
author) and quotes are escaped by Jinja's autoescape: they show exactly as typed. The pages
hold no script; their one stylesheet is inline (``templates/plain.css``), so a page is one
request, readable and printable without anything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from planner.export.bundle import ExportBundle
from planner.i18n import t
from planner.links import EMBED_PREFIX, LANG_KEY
from web.plain.charts import chart_svg, chart_title, text_alternative
from web.plain.view import BriefingView

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    """The templates' environment (autoescape on for every template)."""
    return Environment(loader=FileSystemLoader(str(TEMPLATES)),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=False, lstrip_blocks=False, auto_reload=False)


@cache
def css() -> Markup:
    """The pages' stylesheet, as written (marked safe: escaped, its quoted strings would not be
    CSS in a ``<style>`` element, and the rules holding them would be dropped)."""
    return Markup((TEMPLATES / "plain.css").read_text(encoding="utf-8"))


def _render(name: str, **values) -> str:
    return environment().get_template(name).render(css=css(), **values)


def embed_href(scenario_id: str, indicator: str, lang: str) -> str:
    """The address of one chart's small page: ``/embed/<id>/<indicator>?lang=``."""
    return f"{EMBED_PREFIX}{scenario_id}/{indicator}?{LANG_KEY}={lang}"


def figure_html(bundle: ExportBundle, key: tuple, indicator: str, *, embed: str = "") -> str:
    """One chart as a ``<figure>``: the SVG named by its caption, the text alternative.

    Parameters
    ----------
    bundle : ExportBundle
    key : tuple
        The cache key of the bundle's numbers (:func:`web.plain.charts.chart_svg`).
    indicator : str
    embed : str, optional
        The address of the chart's own page, linked from the caption.
    """
    label_id = f"alt-{indicator}"
    return _render("figure.html.j2", indicator=indicator, label_id=label_id,
                   svg=chart_svg(bundle, key, indicator, label_id),
                   title=chart_title(bundle, indicator),
                   alt=text_alternative(bundle, indicator),
                   missing=t("plain.chart.missing", bundle.lang), embed_href=embed,
                   embed_text=t("plain.embed.link", bundle.lang))


def briefing_chunks(view: BriefingView, bundle: ExportBundle, key: tuple, *, scenario_id: str,
                    planner_href: str, other_lang_href: str) -> Iterator[str]:
    """The briefing page in pieces: head and numbers, each chart, then the rest.

    Parameters
    ----------
    view : BriefingView
        The page's texts (:func:`web.plain.view.briefing_view`).
    bundle : ExportBundle
        For the charts.
    key : tuple
        The cache key of the bundle's numbers.
    scenario_id : str
    planner_href, other_lang_href : str
        The button that opens the scenario in the planner; the same page in the other language.

    Yields
    ------
    str
    """
    yield _render("briefing_head.html.j2", v=view, planner_href=planner_href,
                  other_lang_href=other_lang_href)
    for indicator in view.charts:
        yield figure_html(bundle, key, indicator,
                          embed=embed_href(scenario_id, indicator, view.lang))
    yield _render("briefing_tail.html.j2", v=view)


def embed_page(bundle: ExportBundle, key: tuple, indicator: str, *, stamp: str,
               page_href: str) -> str:
    """One chart's small page: the chart, its text alternative and its sources.

    Parameters
    ----------
    bundle : ExportBundle
    key : tuple
    indicator : str
    stamp : str
        The "data as of" line.
    page_href : str
        The scenario's whole briefing (``/s/<id>``).
    """
    header, rows = bundle.sources_table(full=True)
    title = chart_title(bundle, indicator)
    mine = [r for r, (number, year) in zip(
        rows, zip(bundle.sources["number"], bundle.sources["year"], strict=True), strict=True)
        if number == bundle.t("export.source_number", label=title, year=int(year))]
    lang = bundle.lang
    return _render("embed.html.j2", lang=lang, title=t("plain.embed.title", lang, label=title,
                                                       name=bundle.name),
                   skip=t("plain.skip", lang), heading=t("plain.embed.title", lang, label=title,
                                                        name=bundle.name),
                   stamp=stamp, figure=figure_html(bundle, key, indicator),
                   sources_heading=bundle.t("export.sources.heading"), header=header, rows=mine,
                   no_sources=t("plain.embed.no_sources", lang), page_href=page_href,
                   page_text=t("plain.embed.page", lang))


def error_page(lang: str, title: str, message: str, home: str) -> str:
    """A page saying what is wrong, in ``lang``, with a way back to the app.

    Parameters
    ----------
    lang : str
    title, message : str
    home : str
        The address of the app's briefing.
    """
    return _render("error.html.j2", lang=lang, title=title, message=message, home=home,
                   home_text=t("plain.error.home", lang), skip=t("plain.skip", lang))
