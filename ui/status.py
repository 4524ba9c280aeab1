"""Target status shown as a traffic light: colour, icon and word together (never colour alone)."""

from __future__ import annotations

import html
from collections.abc import Sequence

import streamlit as st

from planner.figures.outcomes import STATUS_COLOURS
from planner.formatting import fmt_chance
from planner.i18n import t
from planner.targets import status_thresholds
from planner.views import STATUS_ICONS, fmt_probability

CHIP_STYLE = (
    "display:inline-block;padding:0.15em 0.6em;border-radius:0.4em;font-weight:700;"
    "color:{fg};background:{bg};border:2px solid #000000;white-space:nowrap"
)
DARK_BACKGROUNDS = ("#000000",)
"""Chip backgrounds that take white text (no measurement, not modelled: Okabe-Ito black)."""


def status_chip_html(status: str, lang: str, count: int | None = None) -> str:
    """HTML of a status chip: Okabe-Ito background, black text (white on black; contrast
    above 4.5:1), icon; with ``count``, the number of targets after the word."""
    if status not in STATUS_ICONS:
        return ""
    words = f"{STATUS_ICONS[status]} {t(f'status.{status}', lang)}"
    if count is not None:
        words = f"{words}: {count}"
    bg = STATUS_COLOURS[status]
    fg = "#ffffff" if bg.lower() in DARK_BACKGROUNDS else "#000000"
    return f'<span style="{CHIP_STYLE.format(bg=bg, fg=fg)}">{html.escape(words)}</span>'


def status_shades(statuses: Sequence[str]) -> list[str | None]:
    """Each row's status as its cell's background in a table (``shades`` of
    :func:`ui.layout_css.table_html`): the status colour, light (``33`` alpha); the word and
    icon are in the cell."""
    return [f"{STATUS_COLOURS[s]}33" if s in STATUS_COLOURS else None for s in statuses]


def status_note(probability: float, lang: str, basis: str = "projection",
                assumed: bool = False) -> str:
    """What follows a status chip: "by the published figure" (observed), the share of draws an
    ended year's estimate reaches it in, the chance of reaching it (projection); nothing that
    reads as evidence for an indicator without measurement (``assumed``)."""
    if basis == "observed":
        return t("status.observed_note", lang)
    if assumed:
        return t("status.assumed", lang)
    if basis == "estimate":
        return t("status.estimate_chance", lang, p=fmt_chance(probability, lang))
    return t("status.probability", lang, p=fmt_chance(probability, lang))


def status_line(status: str, probability: float, lang: str, basis: str = "projection",
                assumed: bool = False) -> None:
    """Write a status chip followed by :func:`status_note`."""
    chip = status_chip_html(status, lang)
    extra = status_note(probability, lang, basis, assumed)
    st.markdown(f"{chip} &nbsp; {html.escape(extra)}", unsafe_allow_html=True)


def status_rule(lang: str, assumptions) -> str:
    """The status rule in words, with the thresholds in force, then the rule of ended years.

    Parameters
    ----------
    lang : str
    assumptions : planner.assumptions.AssumptionSet
        Of the scenario shown (:meth:`planner.projection.PlannerResults.assumptions_for`).
    """
    on_track, at_risk = status_thresholds(assumptions)
    return (t("status.rule", lang, on_track=fmt_probability(on_track, lang),
              at_risk=fmt_probability(at_risk, lang)) + " " + t("status.ended_rule", lang))
