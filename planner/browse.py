"""Browse the baseline: search and filter observations, list conflicts, build display tables.

Pure pandas; the Data and sources page calls these and only renders the result.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

import pandas as pd

from planner.formatting import (
    MISSING,
    fmt_chance,
    fmt_date,
    fmt_period,
    fmt_value,
    is_missing,
    unit_decimals,
)
from planner.i18n import LANGS, has_key, label, t, text_of
from planner.records import frame_memo
from planner.standing import is_uncertain

KINDS: tuple[str, ...] = ("observed", "derived", "target", "external", "assumption")

# Columns of the display table, in order (what a reader checks first: the value, its kind and
# its quote); headers are catalogue keys ``column.<name>``.
DISPLAY_COLUMNS: tuple[str, ...] = (
    "indicator",
    "geography",
    "year",
    "value",
    "kind",
    "quote",
    "source",
    "conflict",
    "period",
    "unit",
    "source_date",
    "note",
)

_SEARCHED = ("indicator", "geography", "period", "source", "quote", "note_vi", "note_en",
             "conflict", "kind")

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
"""A number as written in either language: digits with ``.`` or ``,`` between them."""


def fold(text: object) -> str:
    """Lower-case text without accents, for search (``"Quảng Ninh"`` -> ``"quang ninh"``).

    Parameters
    ----------
    text : object
        Any value; missing values give ``""``.

    Returns
    -------
    str
        The folded text.
    """
    if is_missing(text):
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def has_accents(text: str) -> bool:
    """Whether text carries Vietnamese accents (or đ): such a search word must match them.

    Parameters
    ----------
    text : str
        A search word.

    Returns
    -------
    bool
        True when folding changes more than the case.
    """
    return fold(text) != unicodedata.normalize("NFC", text).casefold()


def number_readings(token: str) -> frozenset[float]:
    """Every number a written token can mean, in Vietnamese or English notation.

    ``"802.000"``, ``"802,000"`` and ``"802000"`` all read 802000 (``"802.000"`` also reads
    802.0); ``"0,7024"`` and ``"0.7024"`` read 0.7024. A separator followed by exactly three
    digits may group thousands; the last separator may be the decimal mark when the others
    group thousands with the other sign.

    Parameters
    ----------
    token : str
        Digits with ``.`` or ``,`` between them.

    Returns
    -------
    frozenset of float
        The readings (rounded to 9 decimals); empty when ``token`` is not a number.
    """
    if not _NUMBER.fullmatch(token):
        return frozenset()
    parts = re.split(r"[.,]", token)
    seps = re.findall(r"[.,]", token)
    readings: set[float] = set()
    if not seps:
        readings.add(float(token))
    else:
        if len(set(seps)) == 1 and all(len(p) == 3 for p in parts[1:]):
            readings.add(float("".join(parts)))
        last = seps[-1]
        if all(sep != last for sep in seps[:-1]) and all(len(p) == 3 for p in parts[1:-1]):
            readings.add(float("".join(parts[:-1]) + "." + parts[-1]))
    return frozenset(round(x, 9) for x in readings)


def _readings_in(text: str) -> set[float]:
    out: set[float] = set()
    for token in _NUMBER.findall(text):
        out |= number_readings(token)
    return out


def has_conflict(obs: pd.DataFrame) -> pd.Series:
    """Boolean mask of the rows that belong to a conflict group.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.

    Returns
    -------
    pandas.Series of bool
        True where ``conflict`` is not empty.
    """
    return obs["conflict"].fillna("").astype(str).str.strip() != ""


def _labels(frame: pd.DataFrame | None) -> dict[str, tuple[str, str]]:
    if frame is None or frame.empty:
        return {}
    return {
        str(row["id"]): (label(row, "vi"), label(row, "en"))
        for _, row in frame.iterrows()
    }


def filter_observations(
    obs: pd.DataFrame,
    text: str | None = None,
    indicators: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
    indicator_table: pd.DataFrame | None = None,
    source_table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Keep the observations that match every filter given.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    text : str, optional
        Words to search for, without regard to case, in the indicator (id and both labels),
        geography, period, source (id, title, publisher), quote, notes (both languages),
        conflict (id and titles), kind (id and names), year and value. Every word must match
        somewhere in the row. A word without accents matches with or without them ("vi dien
        tu" finds "ví điện tử"); a word with accents must match them ("ví điện tử" does not
        find "vi dien tu"). A number matches however it is written (802.000, 802,000, 802000;
        0,7024 or 0.7024), as well as a part of a longer text.
    indicators, kinds, sources : iterable of str, optional
        Allowed ids; ``None`` or empty means no filter.
    indicator_table : pandas.DataFrame, optional
        ``indicators.csv``, for searching labels.
    source_table : pandas.DataFrame, optional
        ``sources.csv``, for searching titles and publishers.

    Returns
    -------
    pandas.DataFrame
        The matching rows, in their original order.
    """
    mask = pd.Series(True, index=obs.index)
    for column, allowed in (("indicator", indicators), ("kind", kinds), ("source", sources)):
        allowed = list(allowed or [])
        if allowed:
            mask &= obs[column].isin(allowed)
    words = unicodedata.normalize("NFC", text).split() if text else []
    if words:
        ind_labels = _labels(indicator_table)
        src_text: dict[str, str] = {}
        if source_table is not None and not source_table.empty:
            for _, src in source_table.iterrows():
                src_text[str(src["id"])] = " ".join(
                    str(src.get(c, "")) for c in ("title", "publisher") if not is_missing(src.get(c))
                )
        haystack = obs[list(_SEARCHED)].astype("string").fillna("").agg(" ".join, axis=1)
        haystack = haystack + " " + obs["year"].astype("string").fillna("")
        haystack = haystack + " " + obs["indicator"].map(
            lambda i: " ".join(ind_labels.get(str(i), ()))
        )
        haystack = haystack + " " + obs["source"].map(lambda s: src_text.get(str(s), ""))
        kind_names = {k: " ".join(t(f"kind.{k}", lang) for lang in LANGS) for k in KINDS}
        haystack = haystack + " " + obs["kind"].map(lambda k: kind_names.get(k, ""))
        conflicts = obs["conflict"].fillna("").astype(str).str.strip()
        titles = {c: " ".join(conflict_title(c, lang, obs) for lang in LANGS)
                  for c in conflicts.unique() if c}
        haystack = haystack + " " + conflicts.map(lambda c: titles.get(c, ""))
        plain = haystack.map(lambda h: unicodedata.normalize("NFC", h).casefold())
        folded = haystack.map(fold)
        values = obs["value"].map(lambda v: set() if is_missing(v) else {round(float(v), 9)})
        numbers = pd.Series([v | _readings_in(h) for v, h in zip(values, haystack, strict=True)],
                            index=obs.index)
        for word in words:
            if has_accents(word):
                hit = plain.str.contains(word.casefold(), regex=False)
            else:
                hit = folded.str.contains(fold(word), regex=False)
            readings = number_readings(word)
            if readings:
                hit |= numbers.map(lambda found, r=readings: bool(found & r))
            mask &= hit
    return obs.loc[mask]


def conflict_groups(obs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Group the rows in conflict by their conflict id.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.

    Returns
    -------
    dict of str to pandas.DataFrame
        Conflict id to its rows (two or more when both sides are in the data), sorted by id.
    """
    rows = obs.loc[has_conflict(obs)]
    ids = rows["conflict"].astype(str).str.strip()
    return {cid: rows.loc[ids == cid] for cid in sorted(ids.unique())}


def conflict_title(conflict_id: str, lang: str, obs: pd.DataFrame | None = None,
                   indicators: pd.DataFrame | None = None) -> str:
    """A readable title of a conflict group in ``lang``, never its bare id.

    Parameters
    ----------
    conflict_id : str
        The ``conflict`` id of the rows.
    lang : str
        ``vi`` or ``en``.
    obs : pandas.DataFrame, optional
        The observations: for an id without a catalogue entry (``conflict.<id>``), the title is
        built from its rows (indicator label, year and the disagreeing values).
    indicators : pandas.DataFrame, optional
        The indicator catalogue, for the labels of that fallback.

    Returns
    -------
    str
        The title.
    """
    key = f"conflict.{conflict_id}"
    if has_key(key):
        return t(key, lang)
    if obs is None:
        return conflict_id.replace("_", " ")
    rows = obs.loc[obs["conflict"].fillna("").astype(str).str.strip() == conflict_id]
    if rows.empty:
        return conflict_id.replace("_", " ")
    names = []
    for ind in dict.fromkeys(rows["indicator"].astype(str)):
        hit = None if indicators is None else indicators.loc[indicators["id"] == ind]
        names.append(label(hit.iloc[0], lang) if hit is not None and len(hit) else ind)
    years = ", ".join(str(int(y)) for y in sorted(set(rows["year"].dropna())))
    values = " / ".join(fmt_value(r.value, r.unit, lang) for r in
                         rows.drop_duplicates("value").itertuples(index=False))
    return f"{'; '.join(names)} {years}: {values}"


def flag_text(row: pd.Series, lang: str, obs: pd.DataFrame | None = None,
              indicators: pd.DataFrame | None = None) -> str:
    """What a reader must know before trusting a value: its conflict group and doubt.

    Parameters
    ----------
    row : pandas.Series
        An observation.
    lang : str
        ``vi`` or ``en``.
    obs, indicators : pandas.DataFrame, optional
        For the title of a conflict group without a catalogue entry (:func:`conflict_title`).

    Returns
    -------
    str
        ``"⚠ <conflict title>"`` for a row in a conflict group, ``"⚠ <uncertain>"`` for a row
        the data flags uncertain (``standing.is_uncertain``), both joined by `` · ``, or ``""``.
    """
    parts = []
    conflict = row.get("conflict")
    if not is_missing(conflict) and str(conflict).strip():
        parts.append(conflict_title(str(conflict).strip(), lang, obs, indicators))
    if is_uncertain(row):
        parts.append(t("data.uncertain", lang))
    return f"⚠ {' · '.join(parts)}" if parts else ""


def display_table(
    obs: pd.DataFrame,
    lang: str,
    indicators: pd.DataFrame | None = None,
    units: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Build the table shown to readers: labels in ``lang``, values formatted per locale.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations to show.
    lang : str
        ``"vi"`` or ``"en"``.
    indicators, units, sources : pandas.DataFrame, optional
        Tables for labels, decimals and source titles.

    Returns
    -------
    pandas.DataFrame
        String columns named by the catalogue (``column.<name>``), same index as ``obs``.
        Notes are in ``lang``; the conflict column is :func:`flag_text`.
    """
    ind_label = {k: v[0 if lang == "vi" else 1] for k, v in _labels(indicators).items()}
    unit_label = {k: v[0 if lang == "vi" else 1] for k, v in _labels(units).items()}
    src_title: dict[str, str] = {}
    if sources is not None and not sources.empty:
        for _, src in sources.iterrows():
            title = src.get("title")
            src_title[str(src["id"])] = str(src["id"]) if is_missing(title) else str(title)

    def text(value: object) -> str:
        return "" if is_missing(value) else str(value)

    out = pd.DataFrame(index=obs.index)
    out["indicator"] = obs["indicator"].map(lambda i: ind_label.get(str(i), str(i)))
    out["geography"] = obs["geography"].map(text)
    out["year"] = obs["year"].map(lambda y: "" if is_missing(y) else str(int(y)))
    out["period"] = obs["period"].map(lambda p: fmt_period(p, lang))
    # each unit's decimals looked up once, not once a row
    places = {u: unit_decimals(u, units) for u in set(map(str, obs["unit"]))}
    out["value"] = [
        fmt_value(v, str(u), lang, units, decimals=places[str(u)])
        for v, u in zip(obs["value"], obs["unit"], strict=True)
    ]
    out["unit"] = obs["unit"].map(lambda u: unit_label.get(str(u), str(u)))
    out["kind"] = obs["kind"].map(lambda k: t(f"kind.{k}", lang) if k in KINDS else text(k))
    out["source"] = obs["source"].map(lambda s: src_title.get(str(s), text(s)))
    out["source_date"] = obs["source_date"].map(
        lambda d: "" if is_missing(d) else fmt_date(d, lang)
    )
    out["quote"] = obs["quote"].map(text)
    rows = obs.to_dict("records")
    out["note"] = [text_of(row, "note", lang) for row in rows]
    out["conflict"] = [flag_text(row, lang, obs, indicators) for row in rows]
    out = out[list(DISPLAY_COLUMNS)]
    out.columns = [t(f"column.{name}", lang) for name in DISPLAY_COLUMNS]
    return out


# --- the data page's other tables ------------------------------------------------------------

DERIVED_PREFIXES: tuple[str, ...] = ("derived target:", "chỉ tiêu suy ra:")
"""How a derived target's note starts, in each language (the formula follows)."""


def _indicator_names(indicators: pd.DataFrame | None, lang: str) -> dict[str, str]:
    return {k: v[0 if lang == "vi" else 1] for k, v in _labels(indicators).items()}


def _source_titles(sources: pd.DataFrame | None) -> dict[str, str]:
    if sources is None or sources.empty:
        return {}
    return {str(r["id"]): str(r["id"]) if is_missing(r.get("title")) or not str(r["title"])
            else str(r["title"]) for _, r in sources.iterrows()}


def target_formula(obs: pd.DataFrame, target: Mapping, lang: str) -> str:
    """The formula of a derived target in ``lang`` (from its rows' notes), else ``""``; worked
    out once per observations frame, target and language.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    target : mapping or pandas.Series
        A row of :func:`planner.targets.target_register`.
    lang : str
        ``vi`` or ``en``.

    Returns
    -------
    str
        The note of the target's row after its prefix (:data:`DERIVED_PREFIXES`), up to the
        first ``;``.
    """
    memo = frame_memo(obs)  # the same target's formula, the next lever move
    key = ("target formula", str(target["indicator"]), int(target["year"]),
           float(target["target"]), lang)
    if key not in memo:
        memo[key] = _formula(obs, target, lang)
    return memo[key]


def _formula(obs: pd.DataFrame, target: Mapping, lang: str) -> str:
    rows = obs.loc[(obs["kind"] == "target") & (obs["indicator"] == target["indicator"])
                   & (obs["year"] == target["year"]) & (obs["value"] == target["target"])]
    for _, row in rows.iterrows():
        note = text_of(row, "note", lang)
        for prefix in DERIVED_PREFIXES:
            if note.casefold().startswith(prefix):
                return note[len(prefix):].split(";")[0].strip()
    return ""


def province_value_text(row: Mapping, lang: str, units: pd.DataFrame | Mapping | None = None,
                        indicator_labels: Mapping[str, str] | None = None) -> str:
    """The province's own value beside a national reference of the register, as text.

    Parameters
    ----------
    row : mapping
        A row of :func:`planner.targets.target_register`.
    lang : str
    units : pandas.DataFrame or mapping, optional
        Decimals per unit (the units table, or its rows by id).
    indicator_labels : mapping, optional
        ``{indicator: label}``: names the province's indicator when it is not the target's
        (the share of GRDP beside the country's share of GDP).

    Returns
    -------
    str
        Such as ``"7,9% (ước tính)"`` or ``"44,5% (mức giả định)"``; ``"–"`` for a target of
        the province or without a value of the province.
    """
    if row.get("status") != "national_reference" or is_missing(row.get("province_value")):
        return MISSING
    value = fmt_value(float(row["province_value"]), str(row["unit"]), lang, units)
    basis = str(row.get("province_basis") or "")
    if row.get("province_assumed"):
        text = t("register.assumed_figure", lang, value=value)
    elif basis not in ("estimate", "projection"):
        text = t("register.figure_of", lang, value=value, year=int(row["province_year"]))
    else:
        text = f"{value} ({t(f'data_register.{basis}', lang)})"
    ind = str(row.get("province_indicator") or "")
    if ind and ind != row["indicator"] and indicator_labels:
        text = f"{indicator_labels.get(ind, ind)}: {text}"
    return text


def register_table(register: pd.DataFrame, obs: pd.DataFrame, lang: str,
                   indicators: pd.DataFrame | None = None, units: pd.DataFrame | None = None,
                   sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The target register as the reader sees it: every target with its status.

    Parameters
    ----------
    register : pandas.DataFrame
        :func:`planner.targets.target_register` of a scenario.
    obs : pandas.DataFrame
        The observations (formulas and conflict titles).
    lang : str
        ``vi`` or ``en``.
    indicators, units, sources : pandas.DataFrame, optional
        Labels, decimals and source titles.

    Returns
    -------
    pandas.DataFrame
        Text columns ``data_register.<name>``: indicator, where, year, target, status, figure
        (with its year, or its basis when estimated), the province's value beside a national
        reference (:func:`province_value_text`), chance, formula, sources, conflict.
    """
    names = _indicator_names(indicators, lang)
    titles = _source_titles(sources)
    rows = []
    for _, r in register.iterrows():
        figure = fmt_value(r["figure"], str(r["unit"]), lang, units)
        if not is_missing(r["figure"]):
            if not is_missing(r["figure_year"]):
                figure = f"{figure} ({int(r['figure_year'])})"
            elif r["basis"] in ("estimate", "projection"):
                basis = t(f"data_register.{r['basis']}", lang)
                figure = f"{figure} ({basis})"
        chance = ("" if is_missing(r["probability"]) or r["basis"] == "observed"
                  else fmt_chance(r["probability"], lang))
        conflict = str(r["conflict"] or "")
        rows.append({
            "indicator": names.get(str(r["indicator"]), str(r["indicator"])),
            "where": str(r["geography"]),
            "year": str(int(r["year"])),
            "target": fmt_value(r["target"], str(r["unit"]), lang, units),
            "status": t(f"status.{r['status']}", lang),
            "figure": figure,
            "province_value": province_value_text(r, lang, units, names),
            "chance": chance,
            "formula": target_formula(obs, r, lang),
            "sources": "; ".join(titles.get(s, s) for s in r["sources"]),
            "conflict": f"⚠ {conflict_title(conflict, lang, obs, indicators)}" if conflict else "",
        })
    columns = ("indicator", "where", "year", "target", "status", "figure", "province_value",
               "chance", "formula", "sources", "conflict")
    out = pd.DataFrame(rows, columns=list(columns))
    out.columns = [t(f"data_register.{c}", lang) for c in columns]
    return out


SUBINDEX_PREFIX = "dti_sub_"
"""Indicator ids of the eight DTI sub-indices start so."""


def subindex_table(obs: pd.DataFrame, lang: str, indicators: pd.DataFrame | None = None,
                   units: pd.DataFrame | None = None, geography: str = "Quảng Ninh",
                   year: int | None = None) -> pd.DataFrame:
    """A province's DTI sub-indices of one year, weakest first.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations.
    lang : str
        ``vi`` or ``en``.
    indicators, units : pandas.DataFrame, optional
        Labels and decimals.
    geography : str, optional
        The province.
    year : int, optional
        The year; the latest with sub-indices by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``subindex.<name>``: sub-index, value, the average of the provinces
        published with it that year, and the gap to that average; empty when none is stored.
    """
    subs = obs.loc[obs["indicator"].astype(str).str.startswith(SUBINDEX_PREFIX)
                   & obs["value"].notna()]
    columns = [t(f"subindex.{c}", lang) for c in ("name", "value", "peers", "gap")]
    own = subs.loc[subs["geography"] == geography]
    if own.empty:
        return pd.DataFrame(columns=columns)
    year = int(own["year"].max()) if year is None else int(year)
    own = own.loc[own["year"] == year].drop_duplicates("indicator").sort_values("value")
    names = _indicator_names(indicators, lang)
    rows = []
    for _, r in own.iterrows():
        peers = subs.loc[(subs["indicator"] == r["indicator"]) & (subs["year"] == year)
                         & (subs["geography"] != geography), "value"]
        mean = float(peers.mean()) if len(peers) else float("nan")
        rows.append([names.get(str(r["indicator"]), str(r["indicator"])),
                     fmt_value(r["value"], str(r["unit"]), lang, units),
                     fmt_value(mean, str(r["unit"]), lang, units),
                     "" if is_missing(mean) else fmt_value(float(r["value"]) - mean,
                                                           str(r["unit"]), lang, units)])
    return pd.DataFrame(rows, columns=columns)


BACKTEST_ERRORS: tuple[str, ...] = ("error", "mae", "max_abs_error")
"""Backtest columns that are errors: a rank's to a tenth of a place, others in their unit."""


def _backtest_display(frame: pd.DataFrame, columns: tuple[str, ...], lang: str,
                      indicators: pd.DataFrame | None, units_of: dict[str, str] | None,
                      units: pd.DataFrame | None) -> pd.DataFrame:
    """Backtest rows as text, ``columns`` headed ``backtest.<name>``.

    Each column is formatted by its name: ``indicator`` as its label, ``year`` and ``n`` as
    whole numbers, ``test`` as the kind of test (by construction, hold-out or fit),
    ``observed`` and ``modelled`` in the indicator's unit and :data:`BACKTEST_ERRORS` as
    errors (zero on a row zero by construction).
    """
    names = _indicator_names(indicators, lang)
    units_of = units_of or {}

    def cell(r: pd.Series, column: str) -> str:
        unit = units_of.get(str(r["indicator"]), "")
        by_construction = bool(r.get("by_construction", False))
        if column == "indicator":
            return names.get(str(r["indicator"]), str(r["indicator"]))
        if column in ("year", "n"):
            return str(int(r[column]))
        if column == "band":
            decimals = 1 if unit.startswith("rank") else None
            return (f"{fmt_value(r['p10'], unit, lang, units, decimals=decimals)} – "
                    f"{fmt_value(r['p90'], unit, lang, units, decimals=decimals)}")
        if column == "inside":
            return t("backtest.inside_yes" if bool(r["inside"]) else "backtest.inside_no", lang)
        if column == "test":
            test = ("by_construction" if by_construction
                    else "hold_out" if bool(r["hold_out"]) else "in_sample")
            return t(f"backtest.kind.{test}", lang)
        if column in BACKTEST_ERRORS:
            decimals = 1 if unit.startswith("rank") else None
            return fmt_value(0.0 if by_construction else r[column], unit, lang, units,
                             decimals=decimals)
        return fmt_value(r[column], unit, lang, units)

    rows = [[cell(r, c) for c in columns] for _, r in frame.iterrows()]
    return pd.DataFrame(rows, columns=[t(f"backtest.{c}", lang) for c in columns])


def backtest_table(backtest: pd.DataFrame, lang: str, indicators: pd.DataFrame | None = None,
                   units_of: dict[str, str] | None = None,
                   units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The model's backtest as the reader sees it, rows zero by construction marked.

    Parameters
    ----------
    backtest : pandas.DataFrame
        :meth:`planner.projection.PlannerResults.backtest`.
    lang : str
        ``vi`` or ``en``.
    indicators : pandas.DataFrame, optional
        Labels.
    units_of : dict of str to str, optional
        The unit of each indicator, for decimals.
    units : pandas.DataFrame, optional
        Decimals of the units.

    Returns
    -------
    pandas.DataFrame
        Columns ``backtest.<name>``: indicator, year, test (hold-out, fit or by
        construction), observed, modelled, error.
    """
    return _backtest_display(backtest, ("indicator", "year", "test", "observed", "modelled",
                                        "error"), lang, indicators, units_of, units)


def calibration_table(backtest: pd.DataFrame, lang: str, indicators: pd.DataFrame | None = None,
                      units_of: dict[str, str] | None = None,
                      units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The hold-outs with their own 10–90 % band and whether the observed value fell inside.

    Parameters
    ----------
    backtest : pandas.DataFrame
        :meth:`planner.projection.PlannerResults.backtest`.
    lang, indicators, units_of, units
        As for :func:`backtest_table`.

    Returns
    -------
    pandas.DataFrame
        Columns ``backtest.<name>``: indicator, year, observed, modelled, band, inside.
    """
    held = backtest[backtest["hold_out"]]
    return _backtest_display(held, ("indicator", "year", "observed", "modelled", "band",
                                    "inside"), lang, indicators, units_of, units)


def backtest_summary_table(summary: pd.DataFrame, lang: str,
                           indicators: pd.DataFrame | None = None,
                           units_of: dict[str, str] | None = None,
                           units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The backtest's errors per outcome and kind of test (rows by construction left out).

    Parameters
    ----------
    summary : pandas.DataFrame
        :meth:`planner.projection.PlannerResults.backtest_summary`.
    lang, indicators, units_of, units
        As for :func:`backtest_table`.

    Returns
    -------
    pandas.DataFrame
        Columns ``backtest.<name>``: indicator, test, n, mean and largest absolute error.
    """
    return _backtest_display(summary, ("indicator", "test", "n", "mae", "max_abs_error"), lang,
                             indicators, units_of, units)
