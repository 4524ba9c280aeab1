"""The app-wide look on paper, on a wall and on a phone: one stylesheet, one mode.

Every page gets :file:`ui/assets/layout.css` (the print stylesheet for A4 and the phone rules)
and a "data as of" stamp that shows on paper only; :func:`draw_layout` draws both. The
presentation mode for a wall (``?present=1``) adds :file:`ui/assets/present.css` (no sidebar,
large type, each section starting a screen) and a button to leave it. Like the language, the
mode comes from the link on a session's first run, is kept in ``st.session_state`` and written
back to the URL on every run, so a page switch and a copied link keep it.

The stylesheets hook on what Streamlit keeps stable: its ``data-testid`` attributes and the
``st-key-<key>`` class of a keyed element. A page section wrapped in
``st.container(key="section_<name>")`` fills a screen of its own in presentation mode, and the
wall moves between sections with the small "previous / next" buttons at the bottom right or a
clicker's Page Up / Page Down; a compact menu at the top right leads to the other pages.

A table (:func:`paper_table`) is Streamlit's interactive grid on a wide screen, a canvas that
prints only the rows inside its scroll box; paper gets a static copy of every row instead, its
cells wrapping, and so does a phone, one card per row (:func:`static_table` is that copy on
every screen). On paper no control prints (selects, sliders, buttons, tabs' headers but the
open one's, which heads its content), every expander prints open, and a chart's title, source
and date, in its popovers on screen, print under it (:func:`paper_note`).

Both stylesheets reach the page through a small script (:data:`SCRIPT`) that puts them in the
document's head. Plotly charts and tables are drawn at the width they had on screen; the script
gives each the zoom that fits it to its place on A4 paper, which the print stylesheet applies.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path

import pandas as pd
import streamlit as st

from planner import config
from planner.formatting import fmt_date
from planner.i18n import t
from planner.usertext import escape_markdown
from ui.table_view import live_table

ASSETS = Path(__file__).parent / "assets"
STATE_KEY = "present"
QUERY_KEY = "present"
ON = "1"
STAMP_KEY = "layout_stamp"
ENTER_KEY = "layout_present"
EXIT_KEY = "layout_exit"
MENU_KEY = "layout_menu"
TABLE_KEY = "table_"
"""Key prefix of a :func:`paper_table`'s container."""
STATIC_KEY = "static_"
"""Key prefix of a :func:`static_table`'s container."""
NOTE_KEY = "paper_note_"
"""Key prefix of a :func:`paper_note`'s container (shown on paper only)."""
PRESENT_PAGES: tuple[tuple[str, str, str], ...] = (
    ("app_pages/briefing.py", "briefing", ":material/dashboard:"),
    ("app_pages/planner_page.py", "planner", ":material/tune:"),
    ("app_pages/compare.py", "compare", ":material/compare_arrows:"),
)
"""The pages the presentation mode's top menu leads to: file, url path (its ``nav.<url>``
title), icon; the router's own list has them all."""

A4_WIDTH_MM = 210
MARGIN_MM = 8
"""The printed page's margin on every side (the ``@page`` rule is written from it)."""
PAPER_WIDTH = round((A4_WIDTH_MM - 2 * MARGIN_MM) * 96 / 25.4)
"""The printed page's width inside its margins, in CSS pixels (733)."""
PRINT_CHART_HEIGHT = 171
"""The tallest a chart is on paper, in CSS pixels (about 45.2 mm; no chart is under 45 mm): ten
outcome charts, two to a row, then fit on about one and a half A4 pages."""
LONG_WORD = 30
"""A table cell with a word longer than this (an address) may break it anywhere on paper."""
PRINT_GAP = 16
WALL_CHART_HEIGHT = 700
"""A chart's height in presentation mode, in CSS pixels: a row of two charts, with the
briefing's charts heading above the first, fills one 1920×1080 screen."""
WALL_TEXT_SCALE = 1.25
"""A chart's font sizes in presentation mode, times its own: read from across a room."""
WALL_TABLE_HEIGHT = 390
"""The briefing's register table's height in presentation mode, in CSS pixels (its rows scroll
inside): the section of the ended years and the open register fits one 1920×1080 screen."""
"""Room left beside a chart on paper for the gap between columns, in CSS pixels."""

SCRIPT = """<script>
(() => {
  // The stylesheet goes in the document's head: Streamlit keeps one style-only st.html per
  // run (a page's own would replace it) and drops style elements from HTML with a script.
  let sheet = document.getElementById('planner-layout-css');
  if (!sheet) {
    sheet = document.createElement('style');
    sheet.id = 'planner-layout-css';
    document.head.appendChild(sheet);
  }
  sheet.textContent = __CSS__;
  if (window.__plannerPrint) return;
  window.__plannerPrint = true;
  // On paper a chart (or a table) keeps the size it was drawn at on screen. Each carries the zoom
  // that fits it to its place on paper (its share of a row of columns side by side, at most
  // the paper's chart height), kept up to date as charts are drawn: a zoom set only when
  // printing starts is too late for Chrome's count of pages. The print stylesheet applies it.
  const share = (box) => {
    let part = 1;
    for (let el = box; el; el = el.parentElement) {
      if (el.getAttribute('data-testid') !== 'stColumn') continue;
      const basis = /([0-9.]+)%/.exec(getComputedStyle(el).flexBasis);
      part *= basis ? parseFloat(basis[1]) / 100 : 1 / el.parentElement.children.length;
    }
    return part;
  };
  const place = (el) => __PAPER_WIDTH__ * share(el) - __GAP__;
  const set = (el, zoom) => {
    const value = zoom.toFixed(4);
    if (el.style.getPropertyValue('--print-zoom') !== value) {
      el.style.setProperty('--print-zoom', value);
    }
  };
  const fit = () => {
    for (const plot of document.querySelectorAll(
        '[data-testid="stPlotlyChart"] .js-plotly-plot, .planner-chart.js-plotly-plot')) {
      const svg = plot.querySelector('.svg-container');
      const width = svg ? parseFloat(svg.style.width) || 0 : 0;
      const height = svg ? parseFloat(svg.style.height) || 0 : 0;
      if (0 >= width || 0 >= height) continue;
      set(plot, Math.min(1, place(plot) / width, __HEIGHT__ / height));
    }
    // a table is drawn on a canvas as wide as the screen gave it
    for (const table of document.querySelectorAll('[data-testid="stDataFrame"]')) {
      const width = table.getBoundingClientRect().width;
      if (width > 0) set(table, Math.min(1, place(table) / width));
    }
  };
  let pending = false;
  const drawn = (records) => {
    if (pending || !records.some((r) => r.type === 'childList'
        || (r.target.classList && r.target.classList.contains('svg-container')))) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; fit(); });
  };
  new MutationObserver(drawn).observe(document.body, {subtree: true, childList: true,
                                                     attributes: true, attributeFilter: ['style']});
  window.addEventListener('resize', () => drawn([{type: 'childList'}]));
  window.addEventListener('beforeprint', fit);
})();
</script>"""


PRESENT_SCRIPT = """
(() => {
  // On a wall: "previous / next section" buttons and a clicker's Page Up / Page Down move
  // from one section (or, on a page without sections, one top heading) to the next, and by
  // most of a screen where the next is further than a screen away.
  const labels = __LABELS__;
  const main = () => document.querySelector('[data-testid="stMain"]');
  const sections = () => {
    const keyed = [...document.querySelectorAll(
      '[data-testid="stMain"] [data-testid="stVerticalBlock"][class*="st-key-section_"]')];
    return keyed.length ? keyed : [...document.querySelectorAll(
      '[data-testid="stMain"] [data-testid="stElementContainer"]:has(h1, h2)')];
  };
  const go = (step) => {
    const scroller = main();
    const all = sections();
    if (!scroller || !all.length) return;
    // where each section's top is when it heads the screen (the snap's padding above it)
    const pad = parseFloat(getComputedStyle(scroller).scrollPaddingTop) || 0;
    const base = scroller.getBoundingClientRect().top + pad;
    const tops = all.map((el) => el.getBoundingClientRect().top - base + scroller.scrollTop);
    const now = scroller.scrollTop;
    const screen = scroller.clientHeight;
    let target;
    if (step > 0) target = tops.find((top) => top > now + 4);
    else target = [...tops].reverse().find((top) => now - 4 > top);
    if (target === undefined) target = step > 0 ? scroller.scrollHeight - screen : 0;
    // a section further than a screen (and the gap between sections) away would skip what
    // lies between: then move by most of a screen, the last lines staying in view
    if (Math.abs(target - now) > screen + 48) target = now + step * Math.round(screen * 0.9);
    scroller.scrollTo({top: target, behavior: 'instant'});
  };
  let nav = document.getElementById('planner-present-nav');
  if (!nav) {
    nav = document.createElement('nav');
    nav.id = 'planner-present-nav';
    for (const [step, icon] of [[-1, '\u25B2'], [1, '\u25BC']]) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.step = String(step);
      button.addEventListener('click', () => go(step));
      nav.appendChild(button);
    }
    document.body.appendChild(nav);
    document.addEventListener('keydown', (event) => {
      if (!document.getElementById('planner-present-nav')) return;
      const inside = event.target.closest
        && event.target.closest('input, textarea, select, [role="slider"], [contenteditable]');
      if (inside || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === 'PageDown') { event.preventDefault(); go(1); }
      if (event.key === 'PageUp') { event.preventDefault(); go(-1); }
    });
  }
  const [back, next] = nav.querySelectorAll('button');
  back.textContent = '\u25B2 ' + labels.back;
  back.setAttribute('aria-label', labels.back);
  next.textContent = '\u25BC ' + labels.next;
  next.setAttribute('aria-label', labels.next);
})();
"""
"""Presentation mode's section buttons (labels filled in per language), added to
:data:`SCRIPT`."""

CLEAR_SCRIPT = """
(() => { const nav = document.getElementById('planner-present-nav'); if (nav) nav.remove(); })();
"""
"""Leaving presentation mode removes the section buttons (the page is not reloaded)."""


@cache
def stylesheet(name: str) -> str:
    """Return the text of ``ui/assets/<name>.css``.

    Parameters
    ----------
    name : str
        ``"layout"`` (every page) or ``"present"`` (presentation mode).

    Returns
    -------
    str
        The CSS, read once per process.
    """
    return (ASSETS / f"{name}.css").read_text(encoding="utf-8")


def parse_present(values: object) -> bool:
    """Read the ``present`` query parameter: on for ``1``, ``true``, ``yes`` or ``on``.

    Parameters
    ----------
    values : object
        The parameter's value, or the list of its values (the last one counts).

    Returns
    -------
    bool
    """
    if isinstance(values, list | tuple):
        values = values[-1] if values else None
    return str(values).strip().lower() in {"1", "true", "yes", "on"}


def init_present() -> bool:
    """Set the session's presentation mode on its first run and keep the URL in step.

    Returns
    -------
    bool
        Whether this run is in presentation mode.
    """
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = parse_present(st.query_params.get_all(QUERY_KEY))
    present = bool(st.session_state[STATE_KEY])
    if present and st.query_params.get(QUERY_KEY) != ON:
        st.query_params[QUERY_KEY] = ON
    elif not present and QUERY_KEY in st.query_params:
        del st.query_params[QUERY_KEY]
    return present


def presenting() -> bool:
    """Whether this run is in presentation mode (as :func:`init_present` set it).

    Returns
    -------
    bool
    """
    return bool(st.session_state.get(STATE_KEY, False))


def _set_present(on: bool) -> None:
    st.session_state[STATE_KEY] = on
    if on:
        st.query_params[QUERY_KEY] = ON
    elif QUERY_KEY in st.query_params:
        del st.query_params[QUERY_KEY]


@cache
def page_script(present: bool, lang: str = "en") -> str:
    """Return the script that installs the stylesheets and fits charts to paper.

    Parameters
    ----------
    present : bool
        Whether the presentation mode's stylesheet and section buttons are included.
    lang : str, optional
        The section buttons' language.

    Returns
    -------
    str
        A ``<script>`` element for ``st.html(..., unsafe_allow_javascript=True)``.
    """
    css = stylesheet("layout") + (stylesheet("present") if present else "")
    # no "<" in the script: Streamlit's sanitiser empties an st.html whose script holds one
    css = f"@page {{ size: A4; margin: {MARGIN_MM}mm; }}\n{css}"
    filled = (SCRIPT.replace("__HEIGHT__", str(PRINT_CHART_HEIGHT))
              .replace("__PAPER_WIDTH__", str(PAPER_WIDTH)).replace("__GAP__", str(PRINT_GAP)))
    filled = filled.replace("__CSS__", _js_text(css))
    if present:
        labels = {"back": t("present.back", lang),
                  "next": t("present.next", lang)}
        extra = PRESENT_SCRIPT.replace("__LABELS__", _js_text(labels))
    else:
        extra = CLEAR_SCRIPT
    # one script element: the page's own, then the section buttons' (or their removal)
    return filled.removesuffix("</script>") + extra + "</script>"


def _js_text(value: object) -> str:
    """``value`` as a JavaScript literal with no "<" in it."""
    return json.dumps(value).replace("<", "\\u003c")


@st.cache_data(show_spinner=False, max_entries=16)
def _loaded_on(address: str, version: str) -> object:
    from ui.data import get_store

    for row in get_store().dataset_versions():
        if row["version"] == version:
            return row["loaded_at"]
    return None


def stamp_text(version: str, lang: str) -> str:
    """The "data as of" line: the dataset version and the day it was published.

    Parameters
    ----------
    version : str
        The dataset version the page shows.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        Catalogue text ``layout.stamp``, the date in the language's format.
    """
    loaded = _loaded_on(str(config.database()), version)
    return t("layout.stamp", lang, date=fmt_date(loaded, lang), version=version)


def draw_layout(lang: str, version: str, present: bool) -> None:
    """Draw the page's stylesheets, its paper stamp and, when presenting, the way out.

    Call once per run, before the page: the stamp then heads the printed page.

    Parameters
    ----------
    lang : str
        ``"vi"`` or ``"en"``.
    version : str
        The current dataset version.
    present : bool
        Whether the run is in presentation mode.
    """
    with st.container(key=STAMP_KEY):  # shown on paper only, so it takes no room on screen
        st.html(page_script(present, lang), unsafe_allow_javascript=True)
        st.caption(stamp_text(version, lang))
    if present:  # a compact page menu and the way out, at the top right
        with st.container(key=EXIT_KEY, horizontal=True, gap="small"):
            with st.container(key=MENU_KEY, horizontal=True, gap="small", width="content"):
                for path, url, icon in PRESENT_PAGES:
                    st.page_link(path, label=t(f"nav.{url}", lang), icon=icon)
            st.button(t("layout.present.exit", lang), icon=":material/close_fullscreen:",
                      on_click=_set_present, args=(False,), key=f"{EXIT_KEY}_button")


def present_switch(lang: str) -> None:
    """Draw the sidebar's button that turns presentation mode on.

    Parameters
    ----------
    lang : str
        ``"vi"`` or ``"en"``.
    """
    with st.container(key=ENTER_KEY):
        st.button(t("layout.present.enter", lang), icon=":material/slideshow:",
                  help=t("layout.present.help", lang), on_click=_set_present, args=(True,),
                  key=f"{ENTER_KEY}_button", type="tertiary")


_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?")
"""A cell's shade as :func:`table_html` takes it."""


def _key(text: str) -> str:
    """``text`` as a part of a CSS class name (letters, digits, ``_`` and ``-``)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)


def table_html(frame: pd.DataFrame, marked: Sequence[bool] | None = None,
               widths_of: pd.DataFrame | None = None,
               shades: Mapping[str, Sequence[str | None]] | None = None) -> str:
    """Every row of ``frame`` as a plain, escaped HTML table (the index left out).

    Each cell carries its column's name (``data-label``): on a phone a row becomes a card of
    "column: value" lines (the print and phone stylesheet, :file:`ui/assets/layout.css`). A
    cell holding a word longer than :data:`LONG_WORD` characters (an address) has the class
    ``long``: it breaks anywhere, the others only between words.

    Parameters
    ----------
    frame : pandas.DataFrame
        Cells are shown as text; missing ones empty.
    marked : sequence of bool, optional
        One per row: a marked row has the class ``marked`` (highlighted).
    widths_of : pandas.DataFrame, optional
        A larger table with the same columns, of which ``frame`` is a part: a hidden row
        (class ``sizer``, collapsed) holds each of its columns' longest text, so that the
        columns take the widths they will have when the larger table replaces this one.
    shades : mapping, optional
        ``{column: colours}``, one CSS colour (``#RRGGBB`` or ``#RRGGBBAA``) or ``None`` per
        row: the cell's background (a target's status, say). Anything else is left out.

    Returns
    -------
    str
        A ``<table class="paper-table">`` element.
    """
    def cell(value: object) -> str:
        return "" if value is None or (isinstance(value, float) and value != value) else (
            html.escape(str(value)))

    def td(name: str, value: object, shade: object = None) -> str:
        text = cell(value)
        # an address or another long word breaks anywhere; other cells between words only
        long = ' class="long"' if any(len(w) > LONG_WORD for w in text.split()) else ""
        style = (f' style="background-color:{shade}"'
                 if isinstance(shade, str) and _COLOUR.fullmatch(shade) else "")
        return f'<td data-label="{name}"{long}{style}>{text}</td>'

    flags = list(marked) if marked is not None else [False] * len(frame)
    names = [cell(c) for c in frame.columns]
    by_column = [list((shades or {}).get(c, ())) for c in frame.columns]
    shade_rows = [[col[i] if i < len(col) else None for col in by_column]
                  for i in range(len(frame))]
    head = "".join(f"<th>{name}</th>" for name in names)
    body = "".join(("<tr class=\"marked\">" if flag else "<tr>")
                   + "".join(td(name, v, shade)
                             for name, v, shade in zip(names, row, row_shades, strict=True))
                   + "</tr>"
                   # read column by column: iterating rows of Arrow text columns was slower
                   for row, flag, row_shades in zip(zip(*(frame.iloc[:, i].tolist()
                                                          for i in range(frame.shape[1])),
                                                        strict=True) if frame.shape[1]
                                                    else ((),) * len(frame),
                                                    flags, shade_rows, strict=True))
    if widths_of is not None:
        longest = [max((cell(v) for v in widths_of[c]), key=len, default="")
                   for c in widths_of.columns]
        body += ('<tr class="sizer" aria-hidden="true">'
                 + "".join(td(name, v) for name, v in zip(names, longest, strict=True))
                 + "</tr>")
    return (f'<table class="paper-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def shown_frame(frame: pd.DataFrame, options: Mapping[str, object]) -> pd.DataFrame:
    """The frame ``st.dataframe(frame, **options)`` shows: its columns in the grid's order.

    Parameters
    ----------
    frame : pandas.DataFrame
    options : mapping
        ``st.dataframe``'s options: ``hide_index=False`` keeps the index as the first
        column(s), ``column_order`` orders and picks the columns, a column configured
        ``None`` in ``column_config`` is hidden.

    Returns
    -------
    pandas.DataFrame
    """
    if options.get("hide_index") is False:
        frame = frame.reset_index()
    config = options.get("column_config") or {}
    hidden = {name for name, value in dict(config).items() if value is None}
    order = options.get("column_order")
    columns = [c for c in (order if order else frame.columns) if c in frame.columns]
    return frame[[c for c in columns if c not in hidden]]


def paper_table(data: pd.DataFrame, key: str, **options: object) -> None:
    """A table: Streamlit's interactive grid on a wide screen, every row as a static table on
    paper and on a phone.

    The grid is a canvas: paper printed only the rows inside its scroll box, cut at the right,
    and a phone scrolled its columns sideways. The static copy holds every row and column as
    text; paper wraps its cells, a phone shows each row as a card.

    Parameters
    ----------
    data : pandas.DataFrame
        What ``st.dataframe`` shows; the static copy has the frame's text
        (:func:`shown_frame`).
    key : str
        The grid's key; the container holding both is keyed ``table_<key>``.
    **options
        Passed on to ``st.dataframe`` (``hide_index``, ``width``, ``height``,
        ``column_order``...).
    """
    with st.container(key=f"{TABLE_KEY}{_key(key)}", gap=None):
        st.dataframe(data, key=key, **options)
        st.html(table_html(shown_frame(data, options)))


def static_table(frame: pd.DataFrame, key: str, *, height: int | None = None,
                 marked: Sequence[bool] | None = None,
                 first_rows: int | None = None,
                 shades: Mapping[str, Sequence[str | None]] | None = None,
                 in_place: bool = False) -> Callable[[], None]:
    """A table as plain HTML, on screen and on paper: every row, cells wrapping.

    For a table read rather than edited (compare's outcomes, the data versions, the data
    page's values, the planner's targets table, the targets register): it needs none of the
    interactive grid's code, so it shows as soon as it arrives, a screen reader reads it as a
    table, long quotes wrap instead of being cut, and paper prints every row. A table redrawn
    on every lever move costs the server and the browser far less this way than as a grid
    and its paper copy.

    Parameters
    ----------
    frame : pandas.DataFrame
        Cells are shown as text (:func:`table_html`).
    key : str
        The container's key is ``static_<key>``.
    height : int, optional
        On screen, the rows scroll in a box this many pixels high, under a header that stays
        in view; paper prints every row.
    marked : sequence of bool, optional
        Rows to highlight (:func:`table_html`).
    first_rows : int, optional
        Draw only this many rows now, enough to fill the box: a browser takes far longer to
        draw hundreds of rows than a box's worth. The returned function puts the whole table
        in their place; call it once the rest of the page is drawn.
    shades : mapping, optional
        Cell backgrounds per column (:func:`table_html`).
    in_place : bool, optional
        Draw the table with :func:`ui.table_view.live_table`, kept in place and put in again
        only when it changed (the scenarios page, where every lever move draws it again),
        instead of ``st.html``; without ``first_rows``.

    Returns
    -------
    callable
        Draws the whole table in the same place (does nothing when it is drawn already).
    """
    def html_of(rows: pd.DataFrame, flags: Sequence[bool] | None,
                widths_of: pd.DataFrame | None = None) -> str:
        table = table_html(rows, flags, widths_of, shades)
        if height is None:
            return table
        return f'<div class="static-scroll" style="max-height:{int(height)}px">{table}</div>'

    if in_place:
        with st.container(key=f"{STATIC_KEY}{_key(key)}", gap=None):
            live_table(html_of(frame, marked), f"live_{_key(key)}")
        return lambda: None
    with st.container(key=f"{STATIC_KEY}{_key(key)}", gap=None):
        slot = st.empty()
    if first_rows is None or len(frame) <= first_rows:
        slot.html(html_of(frame, marked))
        return lambda: None
    # the first rows take the columns' widths of every row: nothing moves when they come
    slot.html(html_of(frame.head(first_rows),
                      None if marked is None else list(marked)[:first_rows], frame))
    return lambda: slot.html(html_of(frame, marked))


def paper_note(text: str, key: str) -> None:
    """A caption printed on paper only (under a chart: its title, source and date).

    Parameters
    ----------
    text : str
        Plain text.
    key : str
        The container's key is ``paper_note_<key>``.
    """
    with st.container(key=f"{NOTE_KEY}{_key(key)}"):
        st.caption(escape_markdown(text))
