"""Where a number comes from, one click away: a popover with its source, quote and kind."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from planner.browse import conflict_title
from planner.formatting import fmt_date, fmt_value, is_missing
from planner.i18n import t, text_of
from planner.standing import is_uncertain
from planner.usertext import escape_markdown


def kind_label(kind: str, lang: str) -> str:
    """Return the name of a kind of value (observed, derived, ...) in ``lang``."""
    return t(f"kind.{kind}", lang)


def source_row(sources: pd.DataFrame, source_id: Any) -> pd.Series | None:
    """Return the row of ``sources`` with ``id == source_id``, if any."""
    if sources is None or sources.empty or is_missing(source_id):
        return None
    # found on the column's values: a boolean row selection cost ~1.5 ms, and a briefing
    # shows some 40 sources
    hits = np.flatnonzero(sources["id"].to_numpy(dtype=object) == source_id)
    return sources.iloc[int(hits[0])] if hits.size else None


def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value).strip()


def render_source(
    row: pd.Series,
    lang: str,
    sources: pd.DataFrame,
    units: pd.DataFrame | None = None,
    others: pd.DataFrame | None = None,
) -> None:
    """Write out where one value comes from: kind, source, date, address, quote, note.

    Parameters
    ----------
    row : pandas.Series
        An observation row.
    lang : str
        ``"vi"`` or ``"en"``.
    sources : pandas.DataFrame
        The sources table.
    units : pandas.DataFrame, optional
        The units table, to format the other values.
    others : pandas.DataFrame, optional
        Other values for the same thing (other kinds, conflicting sources).
    """
    kind = str(row["kind"])
    lines = [f"**{t('source.kind', lang)}:** {escape_markdown(kind_label(kind, lang))}"]
    src = source_row(sources, row.get("source"))
    if src is not None:
        title = _text(src.get("title")) or _text(src.get("id"))
        lines.append(f"**{t('source.title', lang)}:** {escape_markdown(title)}")
        if _text(src.get("publisher")):
            lines.append(f"**{t('source.publisher', lang)}:** {escape_markdown(src.get('publisher'))}")
        if _text(src.get("date")):
            lines.append(f"**{t('source.date', lang)}:** {escape_markdown(fmt_date(src.get('date'), lang))}")
        address = _text(src.get("address"))
        if address.startswith(("http://", "https://")):
            lines.append(f"**{t('source.address', lang)}:** <{address}>")
        elif address:
            lines.append(f"**{t('source.address', lang)}:** {escape_markdown(address)}")
        if src.get("kind") == "seed":
            lines.append(f"**{t('source.file', lang)}:** `{_text(src.get('id'))}`")
    else:
        lines.append(f"**{t('source.title', lang)}:** {escape_markdown(row.get('source'))}")
    if _text(row.get("source_date")):
        lines.append(
            f"**{t('source.source_date', lang)}:** {escape_markdown(fmt_date(row.get('source_date'), lang))}"
        )
    st.markdown("  \n".join(lines))
    quote = _text(row.get("quote"))
    if quote:
        st.markdown(f"**{t('source.quote', lang)}:**")
        st.markdown(f"> {escape_markdown(' '.join(str(quote).splitlines()))}")
    note = text_of(row, "note", lang)
    if note:
        key = "source.formula" if kind == "derived" else "source.note"
        st.markdown(f"**{t(key, lang)}:** {escape_markdown(note)}")
    conflict = _text(row.get("conflict"))
    if conflict:
        st.warning(t("data.source_conflict", lang, conflict=conflict_title(conflict, lang, others)),
                   icon=":material/warning:")
    if is_uncertain(row):
        st.warning(t("data.uncertain_note", lang), icon=":material/help:")
    if others is not None and not others.empty:
        st.markdown(f"**{t('source.others', lang)}:**")
        items = []
        for _, other in others.iterrows():
            value = fmt_value(other["value"], str(other["unit"]), lang, units)
            items.append(
                "- "
                + t(
                    "source.other_item",
                    lang,
                    year=int(other["year"]),
                    value=escape_markdown(value),
                    kind=escape_markdown(kind_label(str(other["kind"]), lang)),
                    source=escape_markdown(other.get("source")),
                )
            )
        st.markdown("\n".join(items))


def source_popover(
    row: pd.Series,
    lang: str,
    sources: pd.DataFrame,
    units: pd.DataFrame | None = None,
    others: pd.DataFrame | None = None,
    label: str | None = None,
    key: str | None = None,
) -> None:
    """A small button that opens :func:`render_source` for one value.

    Parameters
    ----------
    row : pandas.Series
        An observation row.
    lang : str
        ``"vi"`` or ``"en"``.
    sources : pandas.DataFrame
        The sources table.
    units : pandas.DataFrame, optional
        The units table.
    others : pandas.DataFrame, optional
        Other values for the same thing.
    label : str, optional
        Button text; "Source · <kind>" by default.
    key : str, optional
        Widget key, needed when several popovers have the same label.
    """
    kind = str(row["kind"])
    text = label or t("source.button", lang, kind=kind_label(kind, lang))
    with st.popover(text, icon=":material/info:", type="tertiary", key=key):
        render_source(row, lang, sources, units, others)
