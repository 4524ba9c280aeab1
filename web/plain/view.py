"""A scenario's briefing as texts: what the plain page shows, formatted in its language.

:func:`briefing_view` reads an :class:`~planner.export.bundle.ExportBundle` (the numbers, exactly
as the exports show them) and the dataset it was computed on (the published score and rank,
sources' short names), and returns plain Python data: every number already formatted by
:mod:`planner.formatting`, every text from the catalogue. The templates only lay it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.export.bundle import ExportBundle
from planner.export.charts import chart_series
from planner.formatting import MISSING, fmt_date
from planner.horizon import last_ended_year
from planner.i18n import LANGS, t
from planner.ids import OVERALL, PILLAR_RANKS, PROVINCE, RANK
from planner.outlook import (
    card_groups,
    dti_outlook,
    newest_rank,
    outlook_years,
    published_kind,
    published_pillar_ranks,
    published_rank_text,
    rank_before,
    source_short,
)
from planner.standing import is_uncertain, pick
from planner.views import PILLAR_RANK_NAMES, ahead_count, ahead_text, ended_summary, fmt_rank_change
from planner.views import places_gained as gained_between


@dataclass(frozen=True)
class Figure:
    """A number in a box: its label, value and the lines under it."""

    label: str
    value: str
    delta: str = ""
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Box:
    """A box of the DTI row: a heading, its figures and a caption."""

    heading: str
    figures: tuple[Figure, ...]
    caption: str = ""


@dataclass(frozen=True)
class Card:
    """One card of a headline year and indicator: the number and every target stated for it."""

    heading: str
    caption: str
    value: str
    targets: tuple[tuple[str, str], ...]
    """``(status word, line)`` per target; the status picks the card's colour."""
    lines: tuple[str, ...]


@dataclass(frozen=True)
class BriefingView:
    """Everything the plain briefing shows, as text.

    Attributes
    ----------
    lang : str
    title, scenario : str
        The page's heading and the scenario line.
    stamp : str
        The "data as of" line.
    facts : tuple of str
        Model and dataset versions, draws and seed; saved on, by whom.
    notices : tuple of str
        The data or the model changed since the scenario was saved.
    note : str
        The scenario's note, verbatim.
    dti : tuple of Box
        The published score and rank, then each outlook year's.
    dti_notes : tuple of str
        Pillar ranks and the field's change, in words.
    settings_line : str
        What the scenario sets (empty on the baseline).
    summary : tuple of str
        Targets ahead on track, and how each ended year went.
    cards : tuple of Card
    charts : tuple of str
        The outcomes charted, in display order.
    tables : dict
        ``targets``, ``settings``, ``sources``: ``(header, rows)``.
    texts : dict
        The other words the page shows (headings, buttons).
    """

    lang: str
    title: str
    scenario: str
    stamp: str
    facts: tuple[str, ...]
    notices: tuple[str, ...]
    note: str
    dti: tuple[Box, ...]
    dti_notes: tuple[str, ...]
    settings_line: str
    summary: tuple[str, ...]
    cards: tuple[Card, ...]
    charts: tuple[str, ...]
    tables: dict[str, tuple[list[str], list[list[str]]]] = field(repr=False)
    targets_notes: tuple[str, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)


def stamp_line(version: str, loaded_on: Any, lang: str) -> str:
    """The "data as of" line: the dataset version and the day it was published.

    Parameters
    ----------
    version : str
    loaded_on : datetime or None
        When the version was loaded (``Store.dataset_versions``'s ``loaded_at``).
    lang : str
    """
    return t("layout.stamp", lang, date=fmt_date(loaded_on, lang) if loaded_on else MISSING,
             version=version)


def _published_box(b: ExportBundle, obs: pd.DataFrame, units: pd.DataFrame) -> Box | None:
    lang = b.lang
    score, rank = pick(obs, OVERALL), newest_rank(obs)
    if score is None and rank is None:
        return None
    figures = []
    if score is not None:
        figures.append(Figure(t("outlook.score", lang, year=int(score["year"])),
                              b.fmt(score["value"], str(score["unit"]))))
    before = None if rank is None else rank_before(obs, rank)
    if rank is not None:
        gained = None if before is None else gained_between(before["value"], rank["value"])
        figures.append(Figure(t("outlook.rank", lang, year=int(rank["year"])),
                              published_rank_text(rank, units, lang),
                              "" if gained is None else fmt_rank_change(gained, lang)))
    caption = ""
    if score is not None and rank is not None:
        caption = t("outlook.published_years", lang, score_year=int(score["year"]),
                    score_kind=published_kind(score, lang), rank_year=int(rank["year"]),
                    rank_kind=published_kind(rank, lang))
        if before is not None:
            caption += " · " + t("outlook.rank_before", lang, year=int(before["year"]),
                                 rank=published_rank_text(before, units, lang))
    return Box(t("outlook.published", lang), tuple(figures), caption)


def _outlook_boxes(b: ExportBundle) -> list[Box]:
    lang = b.lang
    units = dict(zip(b.outcomes["indicator"].astype(str) + "@" + b.outcomes["year"].astype(str),
                     b.outcomes["unit"], strict=True))
    boxes = []
    for row in dti_outlook(b.outcomes, None, outlook_years(b.exported_on)):
        score_unit = units.get(f"{OVERALL}@{row.year}", "index_0_1")
        figures = [Figure(t("outlook.score", lang, year=row.year), b.fmt(row.score, score_unit))]
        ranges = [t("outlook.score_range", lang, low=b.fmt(row.score_low, score_unit),
                    high=b.fmt(row.score_high, score_unit))]
        if row.rank is not None:
            figures.append(Figure(t("outlook.rank", lang, year=row.year),
                                  b.fmt(row.rank, f"rank_of_{row.field}")))
            ranges.append(t("outlook.rank_range", lang, best=row.rank_best, worst=row.rank_worst))
        boxes.append(Box(t("outlook.year", lang, year=row.year, basis=t(f"basis.{row.basis}", lang)),
                         tuple(figures), t("outlook.range", lang, ranges=" · ".join(ranges))))
    return boxes


def _dti_notes(b: ExportBundle, obs: pd.DataFrame, units: pd.DataFrame) -> list[str]:
    lang = b.lang
    notes = []
    if not set(PILLAR_RANKS) & set(b.outcomes["indicator"]):  # no pillar rank projected
        items = [t("outlook.pillar_item_uncertain" if is_uncertain(row) else "outlook.pillar_item",
                   lang, pillar=t(PILLAR_RANK_NAMES[rid], lang),
                   rank=published_rank_text(row, units, lang), year=int(row["year"]))
                 for rid, row in published_pillar_ranks(obs)]
        if items:
            notes.append(t("outlook.pillars_published", lang, items="; ".join(items)))
        notes.append(t("rank.pillars_thin", lang))
    row = newest_rank(obs)
    switch = chart_series(b, RANK).field_switch if RANK in set(b.outcomes["indicator"]) else None
    if row is not None and switch is not None and int(row["year"]) < switch[2]:
        notes.append(t("outlook.newest_rank", lang, province=PROVINCE,
                       rank=published_rank_text(row, units, lang), year=int(row["year"]),
                       kind=published_kind(row, lang), switch=switch[2], size=switch[1]))
    return notes


def _cards(b: ExportBundle, sources: pd.DataFrame) -> list[Card]:
    lang = b.lang
    out = []
    for group in card_groups(b.headline_targets(), last_ended_year(b.exported_on)):
        first = group.iloc[0]
        unit, year = str(first["unit"]), int(first["year"])
        observed = first["basis"] == "observed"
        targets = []
        for r in group.to_dict("records"):
            parts = [f"{b.t('export.target.target')}: {b.fmt(r['target'], str(r['unit']))}",
                     b.fmt_gap(r)]
            chance = b.chance(r)
            if chance is not None:
                parts.append(t("card.chance", lang, p=b.fmt_probability(chance)))
            where = source_short(r["sources"], sources)
            if where:
                parts.append(where)
            targets.append((str(r["status"]), f"{b.fmt_status(str(r['status']))} · "
                            + " · ".join(parts)))
        lines = []
        if not observed:
            lines.append(t("briefing.scenario.range_line", lang, low=b.fmt(first["p10"], unit),
                           high=b.fmt(first["p90"], unit)))
        lines.append(b.basis_label(str(first["basis"]), first.get("assumed")))
        if any(str(c) for c in group["conflict"]):
            lines.append(t("briefing.scenario.conflict", lang))
        out.append(Card(
            heading=t("briefing.scenario.card_label", lang, label=first["label"], year=year),
            caption=b.t("export.target.observed" if observed else "export.target.projected",
                        year=year),
            value=b.fmt(first["projected"], unit), targets=tuple(targets), lines=tuple(lines)))
    return out


def _summary(b: ExportBundle) -> list[str]:
    lang = b.lang
    mine = b.targets[b.targets["geography"] == PROVINCE]
    good, ahead = ahead_count(b.modelled_targets())
    out = [f"{t('targets.summary.metric', lang)}: {ahead_text(good, ahead, lang)}"]
    # the pages' lines bold the year in Markdown; here it is plain text
    out += [line.replace("**", "") for line in
            ended_summary(mine, last_ended_year(b.exported_on), lang)]
    return out


def _settings_line(b: ExportBundle) -> str:
    if not b.settings:
        return ""
    parts = []
    for s in b.settings:
        if s.kind == "lever":
            parts.append(t("outlook.setting", b.lang, name=s.label, year=s.year,
                           value=b.setting_value(s, s.value),
                           trend=b.setting_value(s, s.baseline)))
        else:
            parts.append(t("outlook.override", b.lang, name=s.label,
                           value=b.setting_value(s, s.value), base=b.setting_value(s, s.baseline)))
    return t("plain.settings", b.lang, settings="; ".join(parts))


def briefing_view(b: ExportBundle, dataset, *, loaded_on: Any = None, data_changed: bool = False,
                  model_changed: bool = False, saved_on: dt.datetime | None = None
                  ) -> BriefingView:
    """The plain briefing of a bundle, as text.

    Parameters
    ----------
    b : ExportBundle
        The scenario's numbers (:func:`planner.export.bundle.from_snapshot`).
    dataset : planner.dataset.Dataset
        The dataset version ``b`` was computed on (observations, units, sources).
    loaded_on : datetime, optional
        When that version was published (the "data as of" line).
    data_changed, model_changed : bool, optional
        The data or the model changed since the scenario was saved.
    saved_on : datetime, optional
        When the scenario was saved.

    Returns
    -------
    BriefingView
    """
    lang = b.lang
    obs = dataset.observations
    obs = obs[obs["geography"] == PROVINCE]
    units = dataset.units
    published = _published_box(b, obs, units)
    dti = ([published] if published else []) + _outlook_boxes(b)
    facts = [b.facts_line()]
    if saved_on is not None:
        facts.append(t("plain.saved_on", lang, date=fmt_date(saved_on, lang)))
    if b.author:
        facts.append(b.t("export.author", author=b.author))
    notices = []
    if data_changed:
        notices.append(t("plain.data_changed", lang))
    if model_changed:
        notices.append(t("plain.model_changed", lang))
    other = next(x for x in LANGS if x != lang)
    texts = {
        "skip": t("plain.skip", lang),
        "open_planner": t("plain.open_planner", lang),
        "other_lang": t(f"plain.lang.{other}", lang),
        "other_lang_code": other,
        "dti_heading": t("plain.dti_heading", lang),
        "cards_heading": t("briefing.scenario.heading", lang, name=b.name),
        "targets_heading": b.t("export.targets.heading"),
        "targets_none": b.t("export.targets.none"),
        "settings_heading": b.t("export.settings.heading"),
        "charts_heading": t("briefing.scenario.charts_heading", lang),
        "sources_heading": b.t("export.sources.heading"),
        "note_heading": t("plain.note", lang),
        "chart_missing": t("plain.chart.missing", lang),
        "embed_link": t("plain.embed.link", lang),
    }
    return BriefingView(
        lang=lang, title=t("plain.title", lang, name=b.name),
        scenario=b.t("export.scenario", name=b.name),
        stamp=stamp_line(b.dataset_version, loaded_on, lang), facts=tuple(facts),
        notices=tuple(notices), note=b.note, dti=tuple(dti),
        dti_notes=tuple(_dti_notes(b, obs, units)), settings_line=_settings_line(b),
        summary=tuple(_summary(b)), cards=tuple(_cards(b, dataset.sources)),
        charts=tuple(str(i) for i in dict.fromkeys(b.outcomes["indicator"])),
        tables={"targets": b.targets_table(), "settings": b.settings_table(),
                "sources": b.sources_table(full=True)},
        targets_notes=tuple(b.targets_notes()), texts=texts)
