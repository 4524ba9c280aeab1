"""Every target of the data with its status: the register on the briefing and the planner.

How the ended years' targets went comes first (one line a year), then the register itself in a
collapsed panel: every target row of the data (:func:`planner.targets.target_register`), those
the model cannot project included ("not modelled" with their latest figure, or "no
measurement"), and the country's targets as national references with the province's own value
beside them (never counted with the province's).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from planner.i18n import t
from planner.projection import PlannerResults
from planner.views import ahead_text, ended_summary, register_table
from ui.layout_css import static_table
from ui.status import status_chip_html, status_shades


def ended_lines(register: pd.DataFrame, model: PlannerResults, lang: str, key: str) -> None:
    """How the targets of each ended year went, such as "2025: 1 likely met · 1 likely
    missed · …", in one bordered box."""
    lines = ended_summary(register, model.last_ended_year, lang)
    if not lines:
        return
    with st.container(border=True, key=key):
        st.markdown(f"**{t('targets.ended.heading', lang)}**")
        for line in lines:
            st.markdown(f"- {line}")


def register_panel(register: pd.DataFrame, model: PlannerResults, lang: str,
                   labels: Mapping[str, str], key: str, expanded: bool = False,
                   height: int | None = None, in_place: bool = False) -> None:
    """The register in a panel, collapsed unless ``expanded``: one row per target, its status
    coloured.

    Parameters
    ----------
    register : pandas.DataFrame
        :func:`planner.targets.target_register`.
    model : PlannerResults
    lang : str
    labels : mapping
        ``{indicator: label}`` in ``lang``, every indicator of the data.
    key : str
        Key of the table (``<key>.table``); on paper every row prints
        (:func:`ui.layout_css.static_table`).
    expanded : bool, optional
        Whether the panel starts open (on a wall, where nobody clicks).
    height : int, optional
        The most the table's box takes on screen, in pixels (its rows scroll inside, under a
        header that stays in view; a shorter table takes its own height); 600 by default.
    in_place : bool, optional
        Keep the table in place and put it in again only when it changed
        (:func:`ui.layout_css.static_table`): where every lever move draws it again.
    """
    with st.expander(t("register.heading", lang, n=len(register)), icon=":material/flag:",
                     expanded=expanded):
        st.caption(t("register.help", lang))
        shown = register_table(register, model, lang, labels)
        if shown.empty:
            st.info(t("register.none", lang))
            return
        shades = status_shades(shown.pop("_status"))
        static_table(shown, f"{key}.table", shades={t("register.status", lang): shades},
                     height=height or 600, in_place=in_place)
        caveats = {model.caveat(str(i)) for i in register["indicator"] if model.caveat(str(i))}
        for caveat in sorted(caveats):
            st.caption(f"⚠ {t(caveat, lang)}")


SUMMARY_ORDER = ("on_track", "at_risk", "off_track", "met", "likely_met", "likely_missed",
                 "missed")
"""The statuses a summary counts, targets ahead first, then ended years' outcomes."""


def status_counts(register: pd.DataFrame) -> dict[str, int]:
    """How many targets have each status of :data:`SUMMARY_ORDER` (zero counts left out)."""
    if register.empty:
        return {}
    counts = register["status"].value_counts()
    return {s: int(counts[s]) for s in SUMMARY_ORDER if s in counts}


def targets_summary(register: pd.DataFrame, lang: str, key: str) -> None:
    """Targets ahead on track out of all ahead, big, then every status count as a chip:
    the first screen's "how are we doing against the targets"."""
    counts = status_counts(register)
    ahead = sum(counts.get(s, 0) for s in ("on_track", "at_risk", "off_track"))
    with st.container(border=True, key=key):
        st.metric(t("targets.summary.metric", lang),
                  ahead_text(counts.get("on_track", 0), ahead, lang),
                  help=t("targets.ahead.help", lang))
        chips = [status_chip_html(s, lang, counts[s]) for s in SUMMARY_ORDER if s in counts]
        st.markdown(f'<div class="briefing-chips">{" ".join(chips)}</div>' if chips
                    else t("register.none", lang), unsafe_allow_html=True)
