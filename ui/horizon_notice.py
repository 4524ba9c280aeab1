"""The notice a page shows once no year is left for a scenario to set
(:func:`planner.views.horizon_notice`)."""

from __future__ import annotations

import streamlit as st

from planner.projection import PlannerResults
from planner.views import horizon_notice


def show_horizon_notice(model: PlannerResults, lang: str) -> bool:
    """Draw the horizon's notice for the model's date, if due; return whether it was drawn."""
    text = horizon_notice(model.today, lang)
    if text is None:
        return False
    st.info(text, icon=":material/event_available:")
    return True
