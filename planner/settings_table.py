"""A scenario's settings (lever values, assumption overrides) as a table, for one or several.

A lever left at its trend reads "trend (≈ value)", an assumption left at its default reads
"default (value)"; a set value is shown in its unit. With several scenarios the table can be
cut to the rows where they differ (:func:`planner.comparison.setting_differences`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from planner.comparison import setting_differences
from planner.formatting import fmt_number, fmt_value, is_missing
from planner.i18n import label, t
from planner.projection import PlannerResults
from planner.scenario import Scenario
from planner.views import LeverView


def settings_frame(model: PlannerResults, levers: Sequence[LeverView],
                   scenarios: Sequence[Scenario], column_names: Sequence[str], lang: str,
                   only_differences: bool = False) -> pd.DataFrame:
    """The settings of one or more scenarios as text, one column per scenario.

    Parameters
    ----------
    model : PlannerResults
        The current model (labels, units, defaults).
    levers : sequence of LeverView
        The model's levers with their trend values (:func:`planner.views.lever_views`).
    scenarios : sequence of Scenario
        The scenarios (one column each).
    column_names : sequence of str
        The column header of each scenario (shown as plain text).
    lang : str
        ``"vi"`` or ``"en"``.
    only_differences : bool, optional
        Keep only the rows where the scenarios differ.

    Returns
    -------
    pandas.DataFrame
        Columns ``settings.setting`` (what), ``settings.year``, then one per scenario.
    """
    by_id = {lv.id: lv for lv in levers}
    units = model.dataset.units
    ass = model.dataset.assumptions.set_index("id", drop=False)
    table = setting_differences(scenarios, list(by_id), [str(a) for a in ass.index])
    if only_differences:
        table = table[table["differs"]]
    rows = []
    for r in table.to_dict("records"):
        if r["kind"] == "lever":
            lv = by_id.get(r["id"])
            what = lv.label(lang) if lv else r["id"]
            year = str(r["year"])
            cells = []
            for v in r["values"]:
                if is_missing(v):
                    trend = lv.baseline.get(r["year"]) if lv else None
                    cells.append(t("saved.settings.trend", lang, value=fmt_value(
                        trend, lv.unit, lang, units, decimals=1)) if trend is not None
                        else t("saved.settings.trend_plain", lang))
                else:
                    cells.append(fmt_value(v, lv.unit if lv else "", lang, units, decimals=1))
        else:
            row = ass.loc[r["id"]] if r["id"] in ass.index else None
            what = label(row, lang) if row is not None else r["id"]
            year = "–"
            default = float(row["value"]) if row is not None else None
            cells = [t("saved.settings.default", lang, value=fmt_number(default, lang, 6, trim=True))
                     if is_missing(v) else fmt_number(v, lang, 6, trim=True)
                     for v in r["values"]]
        rows.append({t("saved.settings.setting", lang): what, t("saved.settings.year", lang): year,
                     **dict(zip(column_names, cells, strict=True))})
    columns = [t("saved.settings.setting", lang), t("saved.settings.year", lang), *column_names]
    return pd.DataFrame(rows, columns=columns)
