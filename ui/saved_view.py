"""The numbers of a snapshot (a saved or opened scenario), formatted and drawn.

A snapshot (:func:`planner.saved.snapshot`) carries every number a scenario showed when it was
saved, each outcome-year with its unit. Everything here reads the snapshot alone, with the
units and labels of the snapshot's own dataset version, so a saved scenario shows exactly its
saved numbers whatever the current data or model.

* :func:`fmt_outcome_value` / :func:`fmt_outcome_change`: one number in its unit (a rank as
  ``12/34``, shares in %, scores with four decimals), or a signed difference.
* :func:`headline_values`: the headline numbers (:data:`planner.views.HEADLINE_OUTCOMES` in
  today's headline years, :func:`planner.horizon.headline_years`) and the statuses of the
  headline targets.
* :func:`render_headline`, :func:`render_snapshot`: draw them (metrics, tables).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from planner.formatting import MISSING, fmt_chance, fmt_number, fmt_rank, fmt_value, is_missing
from planner.horizon import basis, headline_years
from planner.i18n import label, t
from planner.ids import DE_SHARE, is_rank
from planner.indicators import display_order
from planner.saved import snapshot_frames
from planner.targets import AHEAD_STATUSES, has_chance
from planner.views import (
    HEADLINE_OUTCOMES,
    basis_label,
    fmt_rank_change,
    shown_change,
    status_label,
)
from ui.data import current_version, frames
from ui.planner_results import years_text


# ---------------------------------------------------------------------------------- context
@dataclass(frozen=True)
class Labels:
    """Units and indicator labels of one dataset version, in one language.

    Attributes
    ----------
    lang : str
    units : dict
        ``{unit id: {"id", "decimals"}}``.
    indicators : dict
        ``{indicator id: label}``.
    order : dict
        ``{indicator id: place}`` in the version's display order
        (:func:`planner.indicators.display_order`).
    """

    lang: str
    units: dict[str, dict[str, Any]]
    indicators: dict[str, str]
    order: dict[str, int]

    def indicator(self, ind: str) -> str:
        """The label of an indicator (its id when unknown)."""
        return self.indicators.get(ind, ind)


def labels_for(version: str | None, lang: str) -> Labels:
    """Units and indicator labels of a dataset version (the current one when not stored).

    Parameters
    ----------
    version : str or None
        A dataset version (a snapshot's ``dataset_version``).
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    Labels
    """
    try:
        f = frames(version) if version else frames()
    except Exception:  # noqa: BLE001 - a version no longer stored: fall back to the current
        f = frames(current_version())
    units = {str(r["id"]): {"id": str(r["id"]), "decimals": r["decimals"]}
             for r in f["units"].to_dict("records")}
    inds = {str(r["id"]): label(r, lang) for r in f["indicators"].to_dict("records")}
    order = {ind: i for i, ind in enumerate(display_order(f["indicators"]))}
    return Labels(lang, units, inds, order)


# ---------------------------------------------------------------------------------- numbers
def rank_field(unit: str) -> int | None:
    """The field size of a rank unit (``rank_of_34`` gives 34), else None."""
    if isinstance(unit, str) and unit.startswith("rank_of_"):
        tail = unit.removeprefix("rank_of_")
        return int(tail) if tail.isdigit() else None
    return None


def fmt_outcome_value(value: Any, indicator: str, unit: str, labels: Labels) -> str:
    """One outcome value in its unit: ``0,7547``, ``7,9%``, a rank ``12/34``.

    Parameters
    ----------
    value : float or None
        The value.
    indicator : str
        Outcome id (ranks are shown whole).
    unit : str
        Unit id of that outcome-year (from the snapshot).
    labels : Labels
        Units of the snapshot's dataset version and the language.

    Returns
    -------
    str
        ``"–"`` when missing.
    """
    if is_missing(value):
        return MISSING
    field = rank_field(unit)
    if is_rank(indicator) or field is not None:
        return fmt_rank(int(round(float(value))), field, labels.lang)
    row = labels.units.get(unit, {"id": unit, "decimals": None})
    return fmt_value(float(value), row, labels.lang)


def fmt_outcome_change(change: Any, indicator: str, unit: str, labels: Labels) -> str:
    """A signed difference of an outcome: places for a rank, points for a share.

    Parameters
    ----------
    change : float or None
        The difference (for a rank, between whole ranks).
    indicator : str
        Outcome id.
    unit : str
        Unit id.
    labels : Labels
        Units and language.

    Returns
    -------
    str
        ``"+0,4 điểm %"`` / ``"+0.4 pp"``, ``"+2"`` (places), ``"0"``; ``"–"`` when missing.
    """
    if is_missing(change):
        return MISSING
    lang = labels.lang
    if is_rank(indicator) or rank_field(unit) is not None:
        decimals = 0
    else:
        d = labels.units.get(unit, {}).get("decimals")
        decimals = 2 if is_missing(d) else int(d)
    v = float(change)
    if abs(v) < 0.5 * 10 ** (-decimals):
        return fmt_number(0, lang, 0)
    text = ("+" if v > 0 else "-") + fmt_number(abs(v), lang, decimals)
    return t("compare.pp", lang, value=text) if unit == "percent" else text


def fmt_change_shown(new_text: str, old_text: str, indicator: str, unit: str,
                     labels: Labels) -> str:
    """The difference of two outcome values as shown (:func:`fmt_outcome_value`'s texts):
    places gained for a rank, points for a share; ``"0"`` (``"0 bậc"`` for a rank) when they
    read alike (:func:`planner.views.shown_change`).

    Parameters
    ----------
    new_text, old_text : str
        The two values as shown.
    indicator : str
        Outcome id.
    unit : str
        Unit id of the new value.
    labels : Labels
        Units (of the version the difference is worded in) and language.

    Returns
    -------
    str
    """
    rank = is_rank(indicator) or rank_field(unit) is not None
    row = labels.units.get(unit, {"id": unit, "decimals": None})
    found = shown_change(new_text, old_text, rank, row, labels.lang, "compare.pp")
    if found is not None:
        return found
    return fmt_rank_change(0, labels.lang) if rank else fmt_number(0, labels.lang, 0)


def fmt_range(p10: Any, p90: Any, indicator: str, unit: str, labels: Labels) -> str:
    """The 10-90% range ``a – b`` (for a rank, best to worst)."""
    if is_missing(p10) or is_missing(p90):
        return MISSING
    return (f"{fmt_outcome_value(p10, indicator, unit, labels)} – "
            f"{fmt_outcome_value(p90, indicator, unit, labels)}")


# ---------------------------------------------------------------------------------- headline
@dataclass(frozen=True)
class HeadlineValue:
    """One headline number of a snapshot.

    Attributes
    ----------
    indicator : str
    year : int
    value : float
    unit : str
    text : str
        Formatted.
    label : str
        ``"<indicator label> <year>"``.
    """

    indicator: str
    year: int
    value: float
    unit: str
    text: str
    label: str


def headline_values(snap: Mapping[str, Any], labels: Labels) -> list[HeadlineValue]:
    """The headline numbers of a snapshot: each of :data:`HEADLINE_OUTCOMES` in each of today's
    headline years (:func:`planner.horizon.headline_years`).

    Parameters
    ----------
    snap : mapping
        A snapshot.
    labels : Labels
        Of the snapshot's dataset version.

    Returns
    -------
    list of HeadlineValue
        In the order outcome, then year; outcome-years missing from the snapshot are left out.
    """
    outcomes, _ = snapshot_frames(snap)
    by_key = {(r["indicator"], int(r["year"])): r for r in outcomes.to_dict("records")}
    out = []
    for ind in HEADLINE_OUTCOMES:
        for y in headline_years():
            r = by_key.get((ind, y))
            if r is None:
                continue
            out.append(HeadlineValue(
                ind, y, float(r["value"]), str(r["unit"]),
                fmt_outcome_value(r["value"], ind, str(r["unit"]), labels),
                t("saved.headline.metric", labels.lang, label=labels.indicator(ind), year=y)))
    return out


def headline_targets(snap: Mapping[str, Any], labels: Labels) -> list[str]:
    """The statuses of the headline targets (the digital economy's share), one text each.

    Parameters
    ----------
    snap : mapping
        A snapshot.
    labels : Labels
        Of the snapshot's dataset version.

    Returns
    -------
    list of str
        Such as ``"Tỷ trọng kinh tế số trong GRDP 2025 – mục tiêu 20%: ✖ Chệch hướng (0%)"``.
    """
    _, targets = snapshot_frames(snap)
    rows = targets[(targets["indicator"] == DE_SHARE) & targets["year"].isin(headline_years())]
    out = []
    for r in rows.sort_values(["year", "target"]).to_dict("records"):
        out.append(t("saved.headline.target", labels.lang,
                     label=labels.indicator(DE_SHARE), year=int(r["year"]),
                     target=fmt_outcome_value(r["target"], DE_SHARE, str(r["unit"]), labels),
                     status=status_label(str(r["status"]), labels.lang),
                     probability=fmt_chance(r["probability"] if has_chance(r) else None,
                                            labels.lang)))
    return out


def on_track_counts(snap: Mapping[str, Any]) -> dict[int, tuple[int, int]]:
    """``{year: (on track, targets ahead)}`` for today's headline years: only the targets
    that were still ahead when the snapshot was computed (an ended year's met, missed or
    likely ones, and observed years, are left out)."""
    _, targets = snapshot_frames(snap)
    out = {}
    for y in headline_years():
        rows = targets[(targets["year"] == y) & targets["status"].isin(AHEAD_STATUSES)]
        if len(rows):
            out[y] = (int(rows["status"].eq("on_track").sum()), len(rows))
    return out


def headline_line(snap: Mapping[str, Any], labels: Labels) -> str:
    """The headline numbers in one Markdown line (numbers and catalogue labels only)."""
    values = headline_values(snap, labels)
    parts = []
    for ind in HEADLINE_OUTCOMES:
        texts = [v for v in values if v.indicator == ind]
        if texts:
            series = " → ".join(f"**{v.text}** ({v.year})" for v in texts)
            parts.append(f"{labels.indicator(ind)}: {series}")
    counts = on_track_counts(snap)
    if counts:
        parts.append(t("saved.headline.on_track", labels.lang, counts=", ".join(
            f"{y}: {a}/{b}" for y, (a, b) in counts.items())))
    return " · ".join(parts)


def render_headline(snap: Mapping[str, Any], lang: str, key: str) -> list[HeadlineValue]:
    """Draw the headline numbers of a snapshot as metrics, and the headline targets' status.

    Parameters
    ----------
    snap : mapping
        A snapshot.
    lang : str
        ``"vi"`` or ``"en"``.
    key : str
        Key of the container (its CSS class is ``st-key-<key>``).

    Returns
    -------
    list of HeadlineValue
        What was drawn.
    """
    labels = labels_for(str(snap.get("dataset_version") or ""), lang)
    values = headline_values(snap, labels)
    with st.container(key=key):
        cols = st.columns(len(HEADLINE_OUTCOMES))
        for col, ind in zip(cols, HEADLINE_OUTCOMES, strict=True):
            with col:
                for v in values:
                    if v.indicator == ind:
                        st.metric(v.label, v.text)
        for line in headline_targets(snap, labels):
            st.markdown(f"- {line}")
    return values


# ---------------------------------------------------------------------------------- tables
def outcome_table(snap: Mapping[str, Any], labels: Labels,
                  years: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Every outcome of a snapshot in ``years`` (by default today's headline years,
    :func:`planner.horizon.headline_years`) with what its value rests on
    today (a snapshot saved before the basis was stored gets it from its ``kind``) and its
    10-90% range, as text.

    Parameters
    ----------
    snap : mapping
        A snapshot.
    labels : Labels
        Of the snapshot's dataset version.
    years : tuple of int, optional
        The years shown (see above).

    Returns
    -------
    pandas.DataFrame
        Columns named from the catalogue (``saved.table.*``): outcome, year, value, basis,
        range.
    """
    outcomes, _ = snapshot_frames(snap)
    lang = labels.lang
    present = list(dict.fromkeys(outcomes["indicator"]))
    order = sorted(present, key=lambda o: labels.order.get(o, len(labels.order)))
    by_key = {(r["indicator"], int(r["year"])): r for r in outcomes.to_dict("records")}
    rows = []
    for ind in order:
        for y in headline_years() if years is None else years:
            r = by_key.get((ind, y))
            if r is None:
                continue
            unit = str(r["unit"])
            rows.append({
                t("saved.table.outcome", lang): labels.indicator(ind),
                t("saved.table.year", lang): str(y),
                t("saved.table.value", lang): fmt_outcome_value(r["value"], ind, unit, labels),
                t("outcomes.table.basis", lang): basis_label(
                    str(r.get("basis") or basis(y, r.get("kind") == "history")), lang),
                t("saved.table.range", lang): fmt_range(r["p10"], r["p90"], ind, unit, labels),
            })
    return pd.DataFrame(rows)


def targets_table(snap: Mapping[str, Any], labels: Labels) -> pd.DataFrame:
    """Every target of a snapshot with its projection, status and probability, as text.

    Parameters
    ----------
    snap : mapping
        A snapshot.
    labels : Labels
        Of the snapshot's dataset version.

    Returns
    -------
    pandas.DataFrame
        Columns named from the catalogue (``saved.targets.*``).
    """
    _, targets = snapshot_frames(snap)
    lang = labels.lang
    targets = targets.assign(_o=[labels.order.get(o, len(labels.order))
                                 for o in targets["indicator"]])
    targets = targets.sort_values(["year", "_o", "target"], kind="mergesort")
    rows = []
    for r in targets.to_dict("records"):
        ind, unit = str(r["indicator"]), str(r["unit"])
        target = fmt_outcome_value(r["target"], ind, unit, labels)
        if r.get("conflict"):
            target += " ⚠"
        gap = float(r["gap"]) if not is_missing(r["gap"]) else math.nan
        if is_missing(gap):
            gap_text = MISSING
        elif gap <= 1e-9:
            gap_text = t("saved.targets.reached", lang)
        else:
            gap_text = fmt_outcome_change(gap, ind, unit, labels).lstrip("+")
        rows.append({
            t("saved.targets.outcome", lang): labels.indicator(ind),
            t("saved.targets.year", lang): str(int(r["year"])),
            t("saved.targets.target", lang): target,
            t("saved.targets.projected", lang): fmt_outcome_value(r["projected"], ind, unit,
                                                                  labels),
            t("saved.targets.status", lang): status_label(str(r["status"]), lang),
            t("saved.targets.probability", lang): fmt_chance(
                r["probability"] if has_chance(r) else None, lang),
            t("saved.targets.gap", lang): gap_text,
        })
    return pd.DataFrame(rows)


def render_snapshot(snap: Mapping[str, Any], lang: str, key: str) -> None:
    """Draw a snapshot: headline metrics, the outcome table and the targets table.

    Parameters
    ----------
    snap : mapping
        A snapshot.
    lang : str
        ``"vi"`` or ``"en"``.
    key : str
        Prefix of the containers' keys.
    """
    labels = labels_for(str(snap.get("dataset_version") or ""), lang)
    render_headline(snap, lang, key=f"{key}_headline")
    st.markdown(f"#### {t('saved.table.heading', lang, years=years_text(headline_years(), lang))}")
    with st.container(key=f"{key}_outcomes"):
        st.table(outcome_table(snap, labels).set_index(t("saved.table.outcome", lang)))
    st.markdown(f"#### {t('saved.targets.heading', lang)}")
    table = targets_table(snap, labels)
    if table.empty:
        st.caption(t("saved.targets.none", lang))
    else:
        with st.container(key=f"{key}_targets"):
            st.table(table.set_index(t("saved.targets.outcome", lang)))
    st.caption(t("saved.snapshot_facts", lang, version=str(snap.get("dataset_version", "")),
                 model_version=str(snap.get("model_version", "")),
                 draws=fmt_number(snap.get("draws"), lang, 0), seed=str(snap.get("seed", ""))))
