"""User-facing text in Vietnamese and English, from one catalogue.

Every sentence, label and heading the app shows comes from ``planner/catalogue.toml``.
The catalogue is TOML. Each entry is a table holding one string per language::

    [briefing.title]
    vi = "Quảng Ninh hôm nay"
    en = "Quảng Ninh today"

Nested table names are joined with dots, so the entry above has the key ``briefing.title``.
A table that holds text (``vi`` and ``en``, nothing else) is an entry; a table that holds only
tables is a section. So ``[lang.vi]`` is the entry ``lang.vi``, inside the section ``lang``.
Text may carry ``str.format`` fields (``"{year}"``), filled from the keyword arguments of
:func:`t`; both languages of one entry use the same fields.

Labels of indicators and units are data, not catalogue text: they live in the ``label_vi`` and
``label_en`` columns of ``data/indicators.csv`` and ``data/units.csv`` and are read with
:func:`label`. The names of the kinds of values (observed, derived, target, external,
assumption) are catalogue entries ``kind.<kind>``.
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

LANGS: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = "vi"
CATALOGUE_PATH = Path(__file__).with_name("catalogue.toml")


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise.

    Parameters
    ----------
    lang : str
        A language code.

    Returns
    -------
    str
        The same code.

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`LANGS`.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


def parse_lang(value: Any, default: str = DEFAULT_LANG) -> str:
    """Read a language code from untrusted input such as a URL query parameter.

    Parameters
    ----------
    value : Any
        The raw value (a string, a list of strings, or ``None``).
    default : str, optional
        The language returned when ``value`` names no supported language.

    Returns
    -------
    str
        A member of :data:`LANGS`.
    """
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if isinstance(value, str):
        code = value.strip().lower()
        if code in LANGS:
            return code
    return default


def _flatten(table: Mapping[str, Any], prefix: str, out: dict[str, dict[str, str]]) -> None:
    for name, item in table.items():
        key = f"{prefix}{name}"
        if not isinstance(item, Mapping):
            raise ValueError(f"catalogue: {key!r} is not a table")
        leaves = {k: v for k, v in item.items() if not isinstance(v, Mapping)}
        if not leaves:
            _flatten(item, f"{key}.", out)
            continue
        if len(leaves) != len(item):
            raise ValueError(f"catalogue: {key!r} mixes texts and sub-tables")
        extra = sorted(set(leaves) - set(LANGS))
        if extra:
            raise ValueError(f"catalogue: entry {key!r} has unknown fields {extra}")
        bad = sorted(k for k, v in leaves.items() if not isinstance(v, str))
        if bad:
            raise ValueError(f"catalogue: entry {key!r} has non-text values for {bad}")
        out[key] = {lang: leaves.get(lang) for lang in LANGS}


@functools.lru_cache(maxsize=4)
def load_catalogue(path: Path = CATALOGUE_PATH) -> dict[str, dict[str, str]]:
    """Read the catalogue into a flat mapping.

    Parameters
    ----------
    path : pathlib.Path, optional
        The TOML file; ``planner/catalogue.toml`` by default.

    Returns
    -------
    dict of str to dict of str to str
        ``{key: {"vi": text, "en": text}}`` with dotted keys. A language missing from an
        entry appears as ``None`` (the catalogue test rejects that).
    """
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    out: dict[str, dict[str, str]] = {}
    _flatten(data, "", out)
    return out


def t(key: str, lang: str, **kwargs: Any) -> str:
    """Return the catalogue text ``key`` in ``lang``, with fields filled in.

    Parameters
    ----------
    key : str
        A dotted catalogue key, such as ``"briefing.title"``.
    lang : str
        ``"vi"`` or ``"en"``.
    **kwargs
        Values for the ``str.format`` fields of the text. Format numbers with
        :mod:`planner.formatting` before passing them.

    Returns
    -------
    str
        The text.

    Raises
    ------
    KeyError
        If the catalogue has no such key, or the entry has no text in ``lang``.
    ValueError
        If ``lang`` is not supported.
    """
    check_lang(lang)
    entry = load_catalogue()[key]
    text = entry.get(lang)
    if not text:
        raise KeyError(f"catalogue entry {key!r} has no {lang!r} text")
    return text.format(**kwargs) if kwargs else text


def has_key(key: str) -> bool:
    """Tell whether the catalogue has ``key``.

    Parameters
    ----------
    key : str
        A dotted catalogue key.

    Returns
    -------
    bool
        True when the entry exists.
    """
    return key in load_catalogue()


def label(row: Mapping[str, Any] | Any, lang: str, fallback: str | None = None) -> str:
    """Return the label of a data row (indicator, unit, lever ...) in ``lang``.

    Parameters
    ----------
    row : mapping or pandas.Series
        A row with ``label_vi`` and ``label_en`` (and usually ``id``).
    lang : str
        ``"vi"`` or ``"en"``.
    fallback : str, optional
        Text used when the row has no label in either language; by default the
        row's ``id``.

    Returns
    -------
    str
        The label in ``lang``; else the label in the other language; else ``fallback``.
    """
    check_lang(lang)
    order = [lang] + [other for other in LANGS if other != lang]
    for code in order:
        value = _get(row, f"label_{code}")
        if _present(value):
            return str(value)
    if fallback is not None:
        return fallback
    ident = _get(row, "id")
    return str(ident) if _present(ident) else ""


def text_of(row: Mapping[str, Any] | Any, field: str, lang: str) -> str:
    """Return a data row's text ``field`` in ``lang``: the one place a language's column is picked.

    Data files keep a text in both languages as ``<field>_vi`` and ``<field>_en`` (labels,
    definitions, observation notes, assumption rationales, scenario notes).

    Parameters
    ----------
    row : mapping or pandas.Series
        A data row.
    field : str
        The text's name without the language, such as ``"rationale"`` or ``"note"``.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        ``<field>_<lang>``; else the other language's (a row stored before the column existed);
        else ``<field>`` itself (an older frame); else ``""``.
    """
    check_lang(lang)
    order = [lang] + [other for other in LANGS if other != lang]
    for name in [f"{field}_{code}" for code in order] + [field]:
        value = _get(row, name)
        if _present(value):
            return str(value).strip()
    return ""


def label_with_unit(text: str, unit_label: str) -> str:
    """A label followed by its unit in brackets, unless the label already names that unit.

    Parameters
    ----------
    text : str
        The label, such as "Tốc độ tăng (logit/năm)".
    unit_label : str
        The unit's label in the same language; empty for none.

    Returns
    -------
    str
        ``"text (unit)"``, or ``text`` when it already ends in brackets naming the unit or the
        unit is empty.
    """
    text, unit = text.strip(), unit_label.strip()
    if not unit or unit.casefold() in text.casefold():
        return text
    if text.endswith(")") and "(" in text:
        inner = text[text.rindex("(") + 1 : -1].casefold()
        if _same_unit(inner, unit.casefold()):
            return text
    return f"{text} ({unit})"


def _same_unit(inner: str, unit: str) -> bool:
    """Whether a label's bracketed words name the unit (every word of one is in the other)."""
    def words(x: str) -> set[str]:
        return {w for w in x.replace("/", " ").replace("(", " ").replace(")", " ").split() if w}

    a, b = words(inner), words(unit)
    return bool(a) and (a <= b or b <= a)


def slider_label(lever: str, year: int, lang: str) -> str:
    """The accessible name of a lever's control for one year, such as "Thanh toán ... năm 2027".

    Screen readers announce a slider by its label, so every slider names its lever and year.

    Parameters
    ----------
    lever : str
        The lever's label in ``lang``.
    year : int
        The year the control sets.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        The label (catalogue ``levers.name_in_year``).
    """
    return t("levers.name_in_year", lang, lever=lever, year=int(year))


def _get(row: Any, name: str) -> Any:
    try:
        return row[name]
    except (KeyError, IndexError, TypeError):
        return None


def _present(value: Any) -> bool:
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return str(value).strip() != ""
