"""What an export carries: one :class:`ExportBundle` built from what a page shows.

A bundle holds the numbers of one scenario (every outcome and year with its 10/50/90
percentiles and the basis of the number, every target with its status and chance), the
province's standing, the scenario's settings that differ from the baseline, the source and quote
of each number, and the dataset and model versions. Every writer (:mod:`planner.export.pptxfile`,
:mod:`planner.export.pdffile`, ...) reads the bundle alone, so all formats show the same numbers.

Three ways in:

* :func:`from_model`: a scenario computed on a fitted model (the briefing and the planner; the
  page passes the frame and targets it already shows, so nothing is simulated twice);
* :func:`from_saved`: a saved or built-in scenario opened by id. A saved scenario is exported
  from its stored snapshot exactly as stored, never recomputed, with the labels and sources of
  the dataset version it was saved on;
* :func:`from_snapshot`: the common builder under both.

User text (name, note, author) and data quotes are kept verbatim here; each writer shows them
as plain text (see :mod:`planner.export.safety`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner import horizon
from planner.formatting import (
    MISSING,
    fmt_chance,
    fmt_date,
    fmt_number,
    fmt_rank,
    fmt_signed,
    fmt_value,
    is_missing,
    parse_shown,
)
from planner.horizon import BASES
from planner.i18n import check_lang, label, t
from planner.ids import OVERALL, PILLARS, PROVINCE
from planner.indicators import display_order
from planner.scenario import Scenario
from planner.simulation import DEFAULT_DRAWS, DEFAULT_SEED
from planner.standing import (
    KIND_PREFERENCE,
    REFINED_BASES,
    rank_indicator,
    refined_basis,
    standing,
)
from planner.targets import has_chance, register_of, unmeasured
from planner.views import province_value_text, status_label

OUTCOME_COLUMNS = ("indicator", "label", "year", "value", "p10", "p50", "p90", "unit", "basis",
                   "assumed", "evidence")
TARGET_COLUMNS = ("target_id", "indicator", "label", "year", "target", "projected", "p10", "p50",
                  "p90", "gap", "probability", "status", "basis", "unit", "conflict", "sources",
                  "geography", "assumed", "modelled", "figure_year", "province_indicator",
                  "province_value", "province_year", "province_basis", "province_assumed")
SOURCE_COLUMNS = ("number", "year", "value", "unit", "kind", "source", "title", "publisher",
                  "date", "quote", "address")
"""Columns of :attr:`ExportBundle.outcomes`, ``targets`` and ``sources``."""


@dataclass(frozen=True)
class Setting:
    """One setting of a scenario that differs from the baseline.

    Attributes
    ----------
    kind : {"lever", "assumption"}
    id : str
        Lever or assumption id.
    label : str
        Its label in the bundle's language.
    year : int or None
        The lever's year (None for an assumption).
    value : float
        The scenario's value.
    baseline : float or None
        The baseline's value (the lever's trend, the assumption's default), when known.
    unit : str
        Unit id.
    """

    kind: str
    id: str
    label: str
    year: int | None
    value: float
    baseline: float | None
    unit: str


@dataclass(frozen=True)
class StandingItem:
    """A DTI score of the province with its rank, as the briefing shows it.

    Attributes
    ----------
    indicator : str
    label : str
    year : int
    score : float
    score_unit : str
    change : float or None
        Since the year before.
    rank : float or None
    rank_unit : str
        ``rank_of_63`` or ``rank_of_34`` (empty without a rank).
    places_gained : int or None
    """

    indicator: str
    label: str
    year: int
    score: float
    score_unit: str
    change: float | None
    rank: float | None
    rank_unit: str
    places_gained: int | None


@dataclass(frozen=True)
class ExportBundle:
    """Everything one export shows, numbers unformatted.

    Attributes
    ----------
    lang : str
        ``"vi"`` or ``"en"``.
    name, note, author : str
        The scenario's name (a saved name, a built-in label or a catalogue name), note and
        author: verbatim user text.
    link : str
        The address that opens the scenario (absolute when the page knows its address).
    saved : bool
        Whether the numbers are a stored snapshot (exported exactly as stored).
    dataset_version, model_version : str
        What computed the numbers.
    draws, seed : int
        Of the Monte Carlo simulation.
    exported_on : datetime.date
        The day of the export (:func:`planner.horizon.today`), which also decides the headline
        years (:meth:`headline_years`).
    scenario : Scenario
    settings : tuple of Setting
        What differs from the baseline.
    standing : tuple of StandingItem
        The overall DTI first, then the pillars.
    outcomes : pandas.DataFrame
        :data:`OUTCOME_COLUMNS`, in display order then year.
    targets : pandas.DataFrame
        :data:`TARGET_COLUMNS`, by year then display order: every target row of the data with
        its status (the register, :func:`planner.targets.register_of`), national references
        included; ``projected`` is the figure, estimate or projection the status rests on.
    sources : pandas.DataFrame
        :data:`SOURCE_COLUMNS`: each number shown that rests on a source, with its quote.
    units : dict
        ``{unit id: decimals or None}`` of the dataset version.
    """

    lang: str
    name: str
    note: str
    author: str
    link: str
    saved: bool
    dataset_version: str
    model_version: str
    draws: int
    seed: int
    exported_on: dt.date
    scenario: Scenario
    settings: tuple[Setting, ...]
    standing: tuple[StandingItem, ...]
    outcomes: pd.DataFrame = field(repr=False)
    targets: pd.DataFrame = field(repr=False)
    sources: pd.DataFrame = field(repr=False)
    units: dict[str, int | None] = field(repr=False, default_factory=dict)

    # -- text helpers shared by the writers ---------------------------------------------------
    def t(self, key: str, **fmt: Any) -> str:
        """A catalogue text in the bundle's language."""
        return t(key, self.lang, **fmt)

    def fmt(self, value: Any, unit: str) -> str:
        """One number in its unit: ``0,7024``, ``7,9%``, a rank ``12/34``; ``–`` when missing.

        Parameters
        ----------
        value : float or None
        unit : str
            Unit id (``rank_of_N`` for a rank).

        Returns
        -------
        str
        """
        if is_missing(value):
            return MISSING
        if unit.startswith("rank_of_"):
            tail = unit.removeprefix("rank_of_")
            return fmt_rank(int(round(float(value))), int(tail) if tail.isdigit() else None,
                            self.lang)
        return fmt_value(float(value), {"id": unit, "decimals": self.units.get(unit)}, self.lang)

    def fmt_gap(self, row: Mapping[str, Any]) -> str:
        """A target's gap as text: "reached" or "short by …"."""
        gap = row["gap"]
        if is_missing(gap):
            return MISSING
        if row.get("basis") == "observed":
            reached = row.get("status") == "met"
        else:
            reached = float(gap) <= 1e-9
        if reached:
            return self.t("planner.table.reached")
        unit = str(row["unit"])
        if (row.get("status") != "national_reference" and not is_missing(row.get("projected"))
                and not is_missing(row.get("target"))):
            # the difference of the two numbers shown beside it (a gap below the last digit
            # shown reads as that digit, "< 0,1 điểm %", never 0)
            shown = parse_shown(self.fmt(row["projected"], unit), self.lang)
            goal = parse_shown(self.fmt(row["target"], unit), self.lang)
            if shown is not None and goal is not None:
                if shown == goal:
                    places = 0 if unit.startswith("rank_of_") else self.units.get(unit)
                    return self.t("planner.table.short_by", gap="< " + self._gap_size(
                        10.0 ** -(2 if places is None else int(places)), unit))
                gap = float(abs(goal - shown))
        return self.t("planner.table.short_by", gap=self._gap_size(abs(float(gap)), unit))

    def _gap_size(self, gap: float, unit: str) -> str:
        """A gap's size in its unit: places, percentage points, the unit's number."""
        return (fmt_number(abs(float(gap)), self.lang, 0) if unit.startswith("rank_of_")
                else self.t("planner.pp", value=fmt_number(abs(float(gap)), self.lang,
                                                           self.units.get(unit)))
                if unit == "percent"  # a gap between shares is in percentage points
                else self.fmt(abs(float(gap)), unit))

    def fmt_status(self, status: str) -> str:
        """Icon and word of a status (``✔ Đúng hướng``)."""
        return status_label(status, self.lang)

    def fmt_probability(self, p: Any) -> str:
        """A chance as a whole percentage, never 0% nor 100% (:func:`fmt_chance`)."""
        return fmt_chance(p, self.lang)

    def chance(self, row: Mapping[str, Any]) -> float | None:
        """A target's chance of being reached, or None where there is none to give.

        None where :func:`planner.targets.has_chance` says there is none to give (a published
        figure, no measurement, not modelled, a national reference); else its share of draws
        at or beyond the target.
        """
        return float(row["probability"]) if has_chance(row) else None

    def fmt_chance(self, row: Mapping[str, Any]) -> str:
        """:meth:`chance` as a whole percentage, ``–`` where there is none."""
        p = self.chance(row)
        return MISSING if p is None else self.fmt_probability(p)

    def basis_label(self, basis: str, assumed: bool = False) -> str:
        """The word for a number's basis (observed, estimate, projection); "assumed level, no
        measurement" for an estimate or projection of an indicator without measurement; ``–``
        for none (a target the model does not project and no figure states)."""
        if not basis or is_missing(basis):
            return MISSING
        if _flag(assumed) and basis != "observed":
            return self.t("export.basis.assumed_level")
        return (self.t(f"export.basis.{basis}") if basis in BASES or basis in REFINED_BASES
                else str(basis))

    def target_label(self, row: Mapping[str, Any]) -> str:
        """A target's outcome label, with its place when it is not the province's."""
        geo = row.get("geography")
        if is_missing(geo) or not geo or geo == PROVINCE:
            return str(row["label"])
        return f"{row['label']} ({geo})"

    def target_value(self, row: Mapping[str, Any]) -> str:
        """The value a target is set against: the figure, estimate or projection of the
        province; beside a national reference, the province's own value, named."""
        unit = str(row["unit"])
        if row.get("status") != "national_reference":
            return self.fmt(row["projected"], unit)
        if is_missing(row.get("province_value")):
            return MISSING
        labels = dict(zip(self.outcomes["indicator"], self.outcomes["label"], strict=True))
        text = province_value_text(row, self.lang, pd.DataFrame(
            [{"id": u, "decimals": d} for u, d in self.units.items()]), labels)
        return f"{PROVINCE}: {text}"

    def kind_label(self, kind: str) -> str:
        """The word for a data row's kind (observed, derived, target …)."""
        try:
            return self.t(f"kind.{kind}")
        except KeyError:
            return kind

    def setting_value(self, s: Setting, value: float | None) -> str:
        """A setting's value in its unit."""
        return self.fmt(value, s.unit)

    # -- selections ----------------------------------------------------------------------------
    def headline_years(self) -> tuple[int, ...]:
        """The briefing's headline years on the day of the export
        (:func:`planner.horizon.headline_years`)."""
        return horizon.headline_years(self.exported_on)

    def modelled_targets(self) -> pd.DataFrame:
        """The province's targets on projected outcomes (those the scenario evaluates)."""
        t = self.targets
        return t[t["modelled"].astype(bool) & (t["geography"] == PROVINCE)].reset_index(drop=True)

    def headline_targets(self) -> pd.DataFrame:
        """The province's targets on projected outcomes of the headline years
        (:meth:`headline_years`), by year then display order."""
        t = self.modelled_targets()
        return t[t["year"].isin(self.headline_years())].reset_index(drop=True)

    def targets_table(self) -> tuple[list[str], list[list[str]]]:
        """Every target as text, the same in the slides and the paper.

        Returns
        -------
        tuple
            ``(header, rows)``: outcome (with its place when not the province's), year,
            target (``⚠`` when another statement of it differs), the projected or published
            value (the province's own beside a national reference), its basis, status, chance
            and gap.
        """
        header = [self.t("export.targets.outcome"), self.t("export.targets.year"),
                  self.t("export.target.target"), self.t("export.targets.value"),
                  self.t("export.col.basis"), self.t("export.target.status"),
                  self.t("export.target.chance"), self.t("export.target.gap")]
        rows = []
        for r in self.targets.to_dict("records"):
            unit = str(r["unit"])
            rows.append([
                self.target_label(r), str(int(r["year"])),
                self.fmt(r["target"], unit) + (" ⚠" if r["conflict"] else ""),
                self.target_value(r), self.basis_label(str(r["basis"]), r.get("assumed")),
                self.fmt_status(str(r["status"])), self.fmt_chance(r), self.fmt_gap(r)])
        return header, rows

    def standing_table(self) -> tuple[list[str], list[list[str]]]:
        """The province's standing as text: score, change since the year before and rank.

        Returns
        -------
        tuple
            ``(header, rows)``: indicator, year, score, change, rank.
        """
        header = [self.t(f"export.standing.{k}")
                  for k in ("indicator", "year", "score", "change", "rank")]
        rows = [[s.label, str(s.year), self.fmt(s.score, s.score_unit),
                 fmt_signed(s.change, self.lang, self.units.get(s.score_unit)),
                 self.fmt(s.rank, s.rank_unit) if s.rank is not None else MISSING]
                for s in self.standing]
        return header, rows

    def settings_table(self) -> tuple[list[str], list[list[str]]]:
        """The settings that differ from the baseline, as text.

        Returns
        -------
        tuple
            ``(header, rows)``: setting, kind (lever or assumption), year, value, baseline.
        """
        header = [self.t(f"export.settings.{k}")
                  for k in ("setting", "kind", "year", "value", "baseline")]
        rows = [[s.label, self.t(f"export.settings.{s.kind}"),
                 str(s.year) if s.year is not None else MISSING,
                 self.setting_value(s, s.value), self.setting_value(s, s.baseline)]
                for s in self.settings]
        return header, rows

    def sources_table(self, full: bool = False) -> tuple[list[str], list[list[str]]]:
        """Each number's source and quote, as text.

        Parameters
        ----------
        full : bool, optional
            The source as title (or id), publisher and address joined by `` · `` (the paper);
            by default its title or id alone (the slides).

        Returns
        -------
        tuple
            ``(header, rows)``: number, value, kind, source, date, quote.
        """
        header = [self.t(f"export.sources.{k}")
                  for k in ("number", "value", "kind", "source", "date", "quote")]
        rows = []
        for r in self.sources.to_dict("records"):
            source = r["title"] or r["source"]
            if full:
                source = " · ".join(x for x in (source, r["publisher"], r["address"]) if x)
            rows.append([r["number"], self.fmt(r["value"], str(r["unit"])),
                         self.kind_label(str(r["kind"])), source,
                         fmt_date(r["date"], self.lang) if r["date"] else MISSING,
                         r["quote"] or MISSING])
        return header, rows

    def targets_notes(self) -> list[str]:
        """The notes under the targets table: what each basis means, and what ``⚠`` means
        when a target is stated differently by its sources."""
        notes = [self.t("export.basis_note")]
        if self.targets["conflict"].astype(bool).any():
            notes.append(self.t("briefing.scenario.conflict"))
        return notes

    def target_lines(self, row: Mapping[str, Any]) -> list[str]:
        """A headline target's facts beside its chart: target, gap, status, chance and range
        (these two only for a number that is not published), and basis."""
        unit = str(row["unit"])
        lines = [f"{self.t('export.target.target')}: {self.fmt(row['target'], unit)}",
                 f"{self.t('export.target.gap')}: {self.fmt_gap(row)}",
                 f"{self.t('export.target.status')}: {self.fmt_status(str(row['status']))}"]
        if row["basis"] != "observed":
            lines += [f"{self.t('export.target.chance')}: {self.fmt_chance(row)}",
                      f"{self.t('export.target.range')}: {self.fmt(row['p10'], unit)} – "
                      f"{self.fmt(row['p90'], unit)}"]
        lines.append(f"{self.t('export.col.basis')}: "
                     f"{self.basis_label(str(row['basis']), row.get('assumed'))}")
        return lines

    def series(self, indicator: str) -> pd.DataFrame:
        """The rows of one outcome, by year."""
        return self.outcomes[self.outcomes["indicator"] == indicator].reset_index(drop=True)

    def facts_line(self) -> str:
        """Dataset and model version, draws and seed in one line."""
        return self.t("export.facts", version=self.dataset_version,
                      model_version=self.model_version,
                      draws=fmt_number(self.draws, self.lang, 0), seed=str(self.seed))

    def file_stem(self) -> str:
        """A file name stem: ``briefing-<dataset version>-<date>``."""
        return f"briefing-{self.dataset_version[:8]}-{self.exported_on.isoformat()}"


def _flag(x: Any) -> bool:
    """A yes/no cell: True only for a true value (a missing one is no)."""
    return not is_missing(x) and bool(x)


# ---------------------------------------------------------------------------------- builders
def _order(dataset) -> dict[str, int]:
    """Each indicator's place in the display order of ``dataset`` (``indicators.csv``)."""
    return {ind: i for i, ind in enumerate(display_order(dataset.indicators))}


def _labels(dataset, lang: str) -> dict[str, str]:
    return {str(r["id"]): label(r, lang) for r in dataset.indicators.to_dict("records")}


def _outcomes(frame: pd.DataFrame, labels: Mapping[str, str], order: Mapping[str, int],
              assumed: frozenset = frozenset(), obs: pd.DataFrame | None = None
              ) -> pd.DataFrame:
    out = pd.DataFrame({
        "indicator": frame["indicator"].astype(str).to_numpy(),
        "year": frame["year"].astype(int).to_numpy(),
    })
    for col in ("value", "p10", "p50", "p90"):
        out[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64").to_numpy()
    out["unit"] = frame["unit"].astype(str).to_numpy()
    if "basis" in frame:
        out["basis"] = frame["basis"].astype(str).to_numpy()
    else:  # a frame without a basis: its official figures are ``history``, the rest as today
        out["basis"] = [horizon.basis(int(y), str(k) == "history")
                        for y, k in zip(out["year"], frame["kind"], strict=True)]
    out["label"] = [labels.get(i, i) for i in out["indicator"]]
    out["assumed"] = [i in assumed for i in out["indicator"]]
    out["evidence"] = (out["basis"] if obs is None else
                       [refined_basis(obs, i, int(y), b) for i, y, b in
                        zip(out["indicator"], out["year"], out["basis"], strict=True)])
    out["_o"] = [order.get(i, len(order)) for i in out["indicator"]]
    out = out.sort_values(["_o", "indicator", "year"], kind="mergesort")
    return out[list(OUTCOME_COLUMNS)].reset_index(drop=True)


def _assumed(dataset, outcomes: pd.DataFrame, model=None) -> frozenset:
    """The outcomes without measurement: the model's word when it is at hand, else those
    without any figure of the province (a stored snapshot opened without its model)."""
    ids = set(outcomes["indicator"].astype(str))
    if model is not None:
        return frozenset(i for i in ids if model.is_assumed(i))
    return unmeasured(dataset.observations, ids)


def _targets(targets: pd.DataFrame, labels: Mapping[str, str], order: Mapping[str, int]
             ) -> pd.DataFrame:
    if targets.empty:
        return pd.DataFrame(columns=list(TARGET_COLUMNS))
    targets = targets.rename(columns={"figure": "projected"})
    out = pd.DataFrame({c: targets[c].to_numpy() for c in TARGET_COLUMNS
                        if c not in ("label",) and c in targets})
    for col in ("target", "projected", "p10", "p50", "p90", "gap", "probability",
                "province_value"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    out["year"] = out["year"].astype(int)
    out["conflict"] = ["" if is_missing(c) else str(c) for c in out["conflict"]]
    out["sources"] = [tuple(s) if isinstance(s, list | tuple) else tuple(str(s).split())
                      for s in out["sources"]]
    out["label"] = [labels.get(i, i) for i in out["indicator"]]
    out["_o"] = [order.get(i, len(order)) for i in out["indicator"]]
    out = out.sort_values(["year", "_o", "target"], kind="mergesort")
    return out[list(TARGET_COLUMNS)].reset_index(drop=True)


def _by_indicator(obs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The province's observations split by indicator (``pick`` on a small frame is fast)."""
    province = obs[obs["geography"] == PROVINCE]
    return {str(k): g for k, g in province.groupby("indicator", sort=False)}


def _standings(by_ind: Mapping[str, pd.DataFrame]) -> list:
    out = []
    for ind in (OVERALL, *PILLARS):
        parts = [by_ind[i] for i in (ind, rank_indicator(ind)) if i in by_ind]
        found = standing(pd.concat(parts), ind) if parts else None
        if found is not None:
            out.append(found)
    return out


def _standing(standings: Sequence, labels: Mapping[str, str]) -> tuple[StandingItem, ...]:
    out = []
    for found in standings:
        ind, rank = found.indicator, found.rank
        out.append(StandingItem(
            ind, labels.get(ind, ind), found.year, found.score.value,
            str(found.score.current["unit"]), found.score.delta,
            None if rank is None else rank.value,
            "" if rank is None else str(rank.current["unit"]), found.places_gained))
    return tuple(out)


def _preferred(obs: pd.DataFrame) -> dict[tuple[str, int], dict]:
    """The row :func:`planner.standing.pick` chooses for every indicator and year, at once.

    Same order as ``pick``: preferred kind, a row without conflict, the earliest dated
    source (undated last), then the source id.
    """
    rows = obs[obs["kind"].isin(KIND_PREFERENCE) & obs["value"].notna()
               & obs["year"].notna()].copy()
    if rows.empty:
        return {}
    rows["_k"] = rows["kind"].map({k: i for i, k in enumerate(KIND_PREFERENCE)})
    rows["_c"] = rows["conflict"].fillna("").astype(str).str.strip() != ""
    rows["_d"] = rows["source_date"].fillna("").astype(str)
    rows["_u"] = rows["_d"] == ""
    rows["_s"] = rows["source"].fillna("").astype(str)
    rows = rows.sort_values(["indicator", "year", "_k", "_c", "_u", "_d", "_s"],
                            kind="mergesort").drop_duplicates(["indicator", "year"])
    return {(str(r["indicator"]), int(r["year"])): r for r in rows.to_dict("records")}


def _source_row(obs_row: Mapping[str, Any], number: str, sources: pd.DataFrame) -> dict:
    sid = str(obs_row.get("source") or "")
    match = sources[sources["id"] == sid]
    src = match.iloc[0] if not match.empty else {}

    def text(x: Any) -> str:
        return "" if is_missing(x) else str(x)

    return {"number": number, "year": int(obs_row["year"]), "value": float(obs_row["value"]),
            "unit": str(obs_row["unit"]), "kind": str(obs_row["kind"]), "source": sid,
            "title": text(src.get("title") if len(match) else ""),
            "publisher": text(src.get("publisher") if len(match) else ""),
            "date": text(obs_row.get("source_date")), "quote": text(obs_row.get("quote")),
            "address": text(src.get("address") if len(match) else "")}


def _sources(dataset, lang: str, labels: Mapping[str, str], targets: pd.DataFrame,
             outcomes: pd.DataFrame, standings: Sequence,
             by_ind: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    obs, srcs = dataset.observations, dataset.sources
    rows: list[dict] = []
    seen: set = set()

    def add(r: Mapping[str, Any]) -> None:
        key = (r["indicator"], r["geography"], int(r["year"]), r["kind"], r["source"],
               float(r["value"]))
        if key in seen:
            return
        seen.add(key)
        name = t("export.source_number", lang, label=labels.get(str(r["indicator"]),
                                                                str(r["indicator"])),
                 year=int(r["year"]))
        rows.append(_source_row(r, name, srcs))

    for found in standings:
        for ch in (found.score, found.rank):
            if ch is not None:
                add(ch.current)
    for r in targets.to_dict("records"):
        stated = obs[(obs["indicator"] == r["indicator"]) & (obs["kind"] == "target")
                     & (obs["year"] == r["year"]) & (obs["value"] == r["target"])]
        for s in stated.to_dict("records"):
            add(s)
    history = outcomes[outcomes["basis"] == "observed"]
    chosen = _preferred(pd.concat(list(by_ind.values())) if by_ind else obs.iloc[:0])
    for r in history.to_dict("records"):
        row = chosen.get((str(r["indicator"]), int(r["year"])))
        if row is not None:
            add(row)
    return pd.DataFrame(rows, columns=list(SOURCE_COLUMNS))


def _settings(scenario: Scenario, dataset, lang: str, model=None) -> tuple[Setting, ...]:
    out: list[Setting] = []
    levers = dataset.levers.set_index("id", drop=False)
    baseline = None
    if model is not None and scenario.levers:
        det = model.deterministic()
        baseline = {lid: det.values[lv.indicator][0] for lid, lv in model.levers.items()}
        first_year = int(det.years[0])
    for lid, path in sorted(scenario.levers.items()):
        row = levers.loc[lid] if lid in levers.index else None
        name = label(row, lang) if row is not None else lid
        unit = str(row["unit"]) if row is not None else ""
        for year, value in sorted(path.items()):
            base = (float(baseline[lid][int(year) - first_year])
                    if baseline is not None and lid in baseline else None)
            out.append(Setting("lever", lid, name, int(year), float(value), base, unit))
    frame = dataset.assumptions.set_index("id", drop=False)
    for aid, value in sorted(scenario.overrides.items()):
        row = frame.loc[aid] if aid in frame.index else None
        out.append(Setting(
            "assumption", aid, label(row, lang) if row is not None else aid, None, float(value),
            float(row["value"]) if row is not None else None,
            str(row["unit"]) if row is not None else ""))
    return tuple(out)


def from_snapshot(snap: Mapping[str, Any], dataset, lang: str, *, name: str,
                  scenario: Scenario, note: str = "", author: str = "", link: str = "",
                  saved: bool = True, model=None,
                  exported_on: dt.date | None = None) -> ExportBundle:
    """Build a bundle from a snapshot (:func:`planner.saved.snapshot`), numbers as stored.

    Parameters
    ----------
    snap : mapping
        ``dataset_version, model_version, draws, seed, outcomes, targets``.
    dataset : planner.dataset.Dataset
        The dataset version the snapshot was computed on (labels, units, standing, sources;
        the current one when that version is no longer stored).
    lang : str
        ``"vi"`` or ``"en"``.
    name : str
        The scenario's name.
    scenario : Scenario
        Its settings.
    note, author, link : str, optional
    saved : bool, optional
        Whether the numbers are a stored snapshot.
    model : planner.projection.PlannerResults, optional
        Fitted on ``dataset``: only used for the baseline values of the lever settings.
    exported_on : datetime.date, optional
        Today by default.

    Returns
    -------
    ExportBundle
    """
    from planner.saved import snapshot_frames

    check_lang(lang)
    outcomes, targets = snapshot_frames(snap)
    return _bundle(outcomes, targets, dataset, lang, name=name, scenario=scenario, note=note,
                   author=author, link=link, saved=saved, model=model,
                   dataset_version=str(snap.get("dataset_version") or ""),
                   model_version=str(snap.get("model_version") or ""),
                   draws=int(snap.get("draws") or 0), seed=int(snap.get("seed") or 0),
                   exported_on=exported_on)


def _bundle(outcomes: pd.DataFrame, targets: pd.DataFrame, dataset, lang: str, *, name: str,
            scenario: Scenario, note: str, author: str, link: str, saved: bool, model,
            dataset_version: str, model_version: str, draws: int, seed: int,
            exported_on: dt.date | None) -> ExportBundle:
    labels = _labels(dataset, lang)
    order = _order(dataset)
    assumed = _assumed(dataset, outcomes, model)
    out = _outcomes(outcomes, labels, order, assumed, dataset.observations)
    register = register_of(dataset.observations, dataset.indicators, targets, out, assumed)
    tg = _targets(register, labels, order)
    units = {str(r["id"]): (None if is_missing(r["decimals"]) else int(r["decimals"]))
             for r in dataset.units.to_dict("records")}
    by_ind = _by_indicator(dataset.observations)
    standings = _standings(by_ind)
    return ExportBundle(
        lang=lang, name=name, note=note or "", author=author or "", link=link, saved=saved,
        dataset_version=dataset_version, model_version=model_version, draws=draws, seed=seed,
        exported_on=exported_on or horizon.today(), scenario=scenario,
        settings=_settings(scenario, dataset, lang, model),
        standing=_standing(standings, labels), outcomes=out, targets=tg,
        sources=_sources(dataset, lang, labels, tg, out, standings, by_ind), units=units)


def from_model(model, scenario: Scenario, lang: str, *, name: str | None = None,
               note: str = "", author: str = "", link: str = "", draws: int | None = None,
               seed: int | None = None, frame: pd.DataFrame | None = None,
               targets: pd.DataFrame | None = None,
               exported_on: dt.date | None = None) -> ExportBundle:
    """Build a bundle of a scenario computed on a fitted model.

    Parameters
    ----------
    model : planner.projection.PlannerResults
        The fitted model (:func:`planner.engine.load_model`).
    scenario : Scenario
        Validated by ``model``.
    lang : str
    name : str, optional
        By default the catalogue's name of the baseline or of an open scenario.
    note, author, link : str, optional
    draws, seed : int, optional
        Of the simulation (the app's defaults when omitted).
    frame, targets : pandas.DataFrame, optional
        The simulation frame and evaluated targets the page already shows (``Simulation.frame()``
        and :func:`planner.targets.evaluate_targets`); simulated here when omitted.
    exported_on : datetime.date, optional

    Returns
    -------
    ExportBundle
    """
    from planner.projection import MODEL_VERSION
    from planner.targets import evaluate_targets

    check_lang(lang)
    draws = DEFAULT_DRAWS if draws is None else int(draws)
    seed = DEFAULT_SEED if seed is None else int(seed)
    if frame is None or targets is None:
        sim = model.simulate(scenario, draws=draws, seed=seed)
        frame, targets = sim.frame(), evaluate_targets(model, sim)
    if name is None:
        name = t("briefing.scenario.baseline_name" if scenario.is_baseline()
                 else "briefing.scenario.open_name", lang)
    if not link:
        link = scenario_link(scenario, lang)
    return _bundle(frame, targets, model.dataset, lang, name=name, scenario=scenario, note=note,
                   author=author, link=link, saved=False, model=model,
                   dataset_version=str(model.version or ""), model_version=MODEL_VERSION,
                   draws=draws, seed=seed, exported_on=exported_on)


def scenario_link(scenario: Scenario, lang: str, base: str = "") -> str:
    """The planner address carrying a scenario's settings: ``<base>/planner?lang=…&…``."""
    from urllib.parse import urlencode

    from planner.links import encode

    return f"{base}/planner?{urlencode(list(encode(scenario, lang).items()), safe=',')}"


def from_saved(store, scenario_id: str, lang: str, *, base: str = "",
               current_model_loader=None, model_loader=None,
               exported_on: dt.date | None = None) -> ExportBundle:
    """Build a bundle of a saved or built-in scenario opened by id.

    A saved scenario's numbers are its stored snapshot, exactly (never recomputed), labelled
    with the dataset version it was saved on (the current one if that version is gone).

    Parameters
    ----------
    store : planner.store.Store
    scenario_id : str
        A saved id or a built-in id.
    lang : str
    base : str, optional
        The app's address, for an absolute link.
    current_model_loader : callable, optional
        Passed to :func:`planner.saved.open_scenario` (a built-in is computed on it).
    model_loader : callable, optional
        ``model_loader(dataset_version)``: a model of the pinned version, for the baseline values
        of the lever settings; without it they are left out.
    exported_on : datetime.date, optional

    Returns
    -------
    ExportBundle

    Raises
    ------
    planner.saved.SavedScenarioError
        Code ``bad_id``, ``unknown_id`` or ``corrupt``.
    """
    from planner.saved import open_scenario
    from planner.store import UnknownVersionError

    opened = open_scenario(store, scenario_id, current_model_loader)
    try:
        dataset = store.dataset(opened.dataset_version)
    except UnknownVersionError:
        dataset = store.dataset()
    model = model_loader(opened.dataset_version) if model_loader else None
    return from_snapshot(
        opened.snapshot, dataset, lang, name=opened.name(lang), scenario=opened.scenario,
        note=opened.note(lang), author=opened.saved.author if opened.saved else "",
        link=f"{base}/saved?s={opened.id}", saved=opened.kind == "saved", model=model,
        exported_on=exported_on)


def outcome_rows(bundle: ExportBundle, years: Sequence[int] | None = None) -> pd.DataFrame:
    """The outcomes of the headline years (:meth:`ExportBundle.headline_years` by default), for
    tables."""
    years = bundle.headline_years() if years is None else years
    return bundle.outcomes[bundle.outcomes["year"].isin(list(years))].reset_index(drop=True)
