"""Every target of the data with its status: the register on the briefing and the planner.

How the ended years' targets went comes first (one line a year), then the register itself in a
collapsed panel: every target row of the data (:func:`planner.targets.target_register`), those
the model cannot project included ("not modelled" with their latest figure, or "no
measurement").
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from planner.i18n import t
from planner.projection import PlannerResults
from planner.views import ended_summary, register_table
from ui.outcome_charts import STATUS_COLOURS


def ended_lines(register: pd.DataFrame, model: PlannerResults, lang: str, key: str) -> None:
    """How the targets of each ended year went, such as "2025: 1 likely met · 1 likely
    missed · …", in one bordered box."""
    lines = ended_summary(register, model.last_ended_year, lang)
    if not lines:
        return
    with st.container(border=True, key=key):
        st.markdown(f"**{t('ui11.ended.heading', lang)}**")
        for line in lines:
            st.markdown(f"- {line}")


def register_panel(register: pd.DataFrame, model: PlannerResults, lang: str,
                   labels: Mapping[str, str], key: str) -> None:
    """The register in a collapsed panel: one row per target, its status coloured.

    Parameters
    ----------
    register : pandas.DataFrame
        :func:`planner.targets.target_register`.
    model : PlannerResults
    lang : str
    labels : mapping
        ``{indicator: label}`` in ``lang``, every indicator of the data.
    key : str
        Key of the table (``<key>.table``).
    """
    with st.expander(t("ui11.register.heading", lang, n=len(register)), icon=":material/flag:"):
        st.caption(t("ui11.register.help", lang))
        shown = register_table(register, model, lang, labels)
        if shown.empty:
            st.info(t("ui11.register.none", lang))
            return
        status_ids = list(shown.pop("_status"))
        colours = {s: f"background-color: {c}33" for s, c in STATUS_COLOURS.items()}
        styler = shown.style.apply(lambda col: [colours.get(s, "") for s in status_ids],
                                   subset=[t("ui11.register.status", lang)])
        st.dataframe(styler, hide_index=True, width="stretch", key=f"{key}.table",
                     height=min(40 + 35 * len(shown), 600))
        caveats = {model.caveat(str(i)) for i in register["indicator"] if model.caveat(str(i))}
        for caveat in sorted(caveats):
            st.caption(f"⚠ {t(caveat, lang)}")
