"""The planner's lever panel: a custom component (``st.components.v2``) whose numbers follow the
sliders while they move.

The browser holds a native range input per lever and settable year and, beside them, the
headline of the settable years and 2030 (overall DTI, rank, digital economy's share, targets
reached), recomputed on every input event from the model's response to the levers
(:func:`planner.lever_response.lever_response`, sent once per dataset version and assumption
set) by ``levers/compute.js``; ``levers/panel.js`` draws and listens. Python hears of a move
once, on release (or once keyboard steps pause), as the trigger ``values``
(``{"values": {lever: {year: value}}}``); :func:`take_values` writes it where the page reads
the levers, :func:`ui.planner_controls.lever_key`. That session state is also what the panel
shows: goal seek's "apply" sets a lever by writing ``st.session_state[lever_key(lever, year)]``
before a run, and a test (AppTest cannot drive the component) either does the same or puts what
the panel would send under :data:`SENT_KEY`. Nothing is fetched from
outside: the HTML is built by the script, the CSS and JavaScript are inline.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from planner.figures.outcomes import evidence_text
from planner.formatting import fmt_value
from planner.i18n import t
from planner.lever_response import lever_response
from planner.projection import PlannerResults
from planner.views import HEADLINE_OUTCOMES, LeverView, snap_option, unit_rows
from ui.data import cache_key
from ui.planner_controls import slider_label

PANEL_KEY = "planner.lever_panel"
"""The component's key (always given: without one it can remount in a loop)."""

SENT_KEY = "planner.lever_panel.sent"
"""Where a test puts what the panel would send (``{"values": {lever: {year: value}}}``), since
AppTest cannot drive the component: the page takes it at its next run as it takes the panel's
trigger (:func:`take_values`), and forgets it."""

_HERE = Path(__file__).parent / "levers"
_COMPONENT = st.components.v2.component(
    "planner_lever_panel",
    css=(_HERE / "panel.css").read_text(encoding="utf-8"),
    js=(_HERE / "compute.js").read_text(encoding="utf-8") + "\n"
    + (_HERE / "panel.js").read_text(encoding="utf-8"),
)
LOCALES = {"vi": "vi-VN", "en": "en-US"}
"""The ``Intl.NumberFormat`` locale of each page language (the same separators as Babel's)."""


@st.cache_data(show_spinner=False, max_entries=64)
def _response(*, key: str, _model: PlannerResults, _overrides: str) -> dict:
    return lever_response(_model, json.loads(_overrides))


def response_for(model: PlannerResults, overrides: Mapping[str, float]) -> dict:
    """:func:`planner.lever_response.lever_response`, cached per dataset version, year and
    assumption set."""
    overrides_json = json.dumps({k: float(v) for k, v in overrides.items()}, sort_keys=True)
    return _response(key=cache_key(model.version, model.today.year, overrides_json),
                     _model=model, _overrides=overrides_json)


def _format(model: PlannerResults, indicator: str) -> dict[str, Any]:
    unit = model.unit_of(indicator)
    decimals = unit_rows(model).get(unit, {}).get("decimals")
    decimals = 2 if decimals is None or (isinstance(decimals, float) and math.isnan(decimals)) \
        else int(decimals)
    return {"decimals": decimals, "percent": unit == "percent"}


def panel_data(model: PlannerResults, levers: list[LeverView], values: Mapping,
               response: dict, head_years: tuple[int, ...], labels: Mapping[str, str],
               lang: str) -> dict[str, Any]:
    """What the component is given: its texts, levers, values and the response.

    Parameters
    ----------
    model : PlannerResults
    levers : list of LeverView
    values : mapping
        ``{lever: {year: value}}``, what the controls hold.
    response : dict
        :func:`response_for`.
    head_years : tuple of int
        The years of the headline (:func:`ui.planner_results.strip_years`).
    labels : mapping
        ``{indicator: label}`` in ``lang``.
    lang : str
    """
    units = model.dataset.units
    rows = []
    for ind in HEADLINE_OUTCOMES:
        if ind in response["ranks"]:
            rows.append({"id": ind, "kind": "rank", "label": labels.get(ind, ind)})
        else:
            rows.append({"id": ind, "kind": "value", "label": labels.get(ind, ind),
                         "format": _format(model, ind)})
    rows.append({"id": "targets", "kind": "reached", "label": t("levers.preview.reached_label",
                                                                 lang)})
    panel_levers = []
    for lv in levers:
        cells = {}
        for y in model.settable_years:
            baseline = fmt_value(lv.default[y], lv.unit, lang, units, decimals=1)
            marks = t("planner.lever_baseline", lang, value=baseline)
            goals = lv.targets.get(y, ())
            if goals:
                marks += " · " + t("planner.lever_target", lang, value=" / ".join(
                    fmt_value(g, lv.unit, lang, units) for g in goals))
            cells[str(y)] = {
                "label": slider_label(lv.label(lang), y, lang), "marks": marks,
                "ticks": [{"kind": "baseline", "value": lv.default[y]}]
                + [{"kind": "target", "value": float(g)} for g in goals]}
        panel_levers.append({
            "id": lv.id, "label": lv.label(lang), "evidence": evidence_text(model, lv.indicator,
                                                                            lang),
            "min": lv.min, "max": lv.max, "step": lv.step,
            "format": {"decimals": 1, "percent": lv.unit == "percent"}, "years": cells})
    return {
        "lang": lang, "locale": LOCALES.get(lang, lang),
        "years": list(model.settable_years), "head_years": list(head_years),
        "levers": panel_levers, "rows": rows,
        "values": panel_values(values),
        "response": response,
        "text": {"heading": t("levers.preview.heading", lang),
                 "preview": t("levers.preview.mark", lang),
                 "year": t("planner.lever_year", lang, year="{year}"),
                 "reached": t("levers.preview.reached", lang, good="{good}", total="{total}"),
                 "no_targets": t("levers.preview.no_targets", lang)},
    }


def panel_values(values: Mapping) -> dict[str, dict[str, float]]:
    """Lever values ``{lever: {year: value}}`` as the panel reads them (years as text). The
    headline carries them too (``settled``): after a move the panel hears there which values
    the server took, without being rerun itself."""
    return {lid: {str(y): float(v) for y, v in by.items()} for lid, by in values.items()}


def take_values(levers: list[LeverView], years: tuple[int, ...], sent: Any) -> dict:
    """The lever values a ``values`` trigger carries, each on its lever's grid.

    Anything that is not a known lever and year with a finite number inside the lever's range
    is left out (the control keeps its value).

    Returns
    -------
    dict
        ``{(lever, year): value}``.
    """
    out: dict[tuple[str, int], float] = {}
    given = sent.get("values") if isinstance(sent, Mapping) else None
    if not isinstance(given, Mapping):
        return out
    for lv in levers:
        path = given.get(lv.id)
        if not isinstance(path, Mapping):
            continue
        for y in years:
            value = path.get(str(y))
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            if not math.isfinite(value) or not lv.min <= value <= lv.max:
                continue
            out[(lv.id, y)] = snap_option(float(value), lv.options)
    return out


def lever_panel(data: dict[str, Any], on_change: Callable[[], None]) -> None:
    """Mount the panel (:data:`PANEL_KEY`) with :func:`panel_data`; ``on_change`` runs when it
    sends new values (read them with :func:`sent_values`)."""
    _COMPONENT(key=PANEL_KEY, data=data, on_values_change=on_change, height="content")


def sent_values() -> Any:
    """What the panel sent with its last ``values`` trigger (in its callback), or ``None``."""
    state = st.session_state.get(PANEL_KEY)
    return None if state is None else state.get("values")
