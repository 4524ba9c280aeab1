"""Numbers and dates in the reader's language, through Babel.

Vietnamese (``vi_VN``) writes a decimal comma and groups thousands with a dot
(``0,7024``; ``3.400.000``); English (``en_US``) the other way round (``0.7024``;
``3,400,000``). Missing values (``None``, NaN, ``pandas.NA``) are shown as an en dash. No
function here raises on a number, however large: infinities show as ``∞``, and magnitudes of
:data:`SCIENTIFIC_FROM` and more in scientific notation (``1E22``; ``-1,235E22`` in Vietnamese),
so a value typed into a link can always be named in a message.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import (
    NumberFormatError,
    NumberPattern,
    format_decimal,
    format_scientific,
    parse_decimal,
    parse_pattern,
)

from planner.i18n import check_lang, t

LOCALES: dict[str, str] = {"vi": "vi_VN", "en": "en_US"}
MISSING = "–"
SCIENTIFIC_FROM = 1e15
"""Magnitudes from which numbers are written in scientific notation."""


def locale_of(lang: str) -> str:
    """Return the Babel locale of a language.

    Parameters
    ----------
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        ``"vi_VN"`` or ``"en_US"``.
    """
    return LOCALES[check_lang(lang)]


def is_missing(x: Any) -> bool:
    """Tell whether ``x`` is a missing number (``None``, NaN, ``pandas.NA``, empty text).

    Parameters
    ----------
    x : Any
        The value.

    Returns
    -------
    bool
        True when there is no number to show.
    """
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    if isinstance(x, str):
        return x.strip() == ""
    try:
        return bool(math.isnan(float(x)))
    except (TypeError, ValueError):
        return False


def _pattern(decimals: int, trim: bool) -> str:
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    if decimals == 0:
        return "#,##0"
    return "#,##0." + ("#" if trim else "0") * decimals


@functools.lru_cache(maxsize=64)
def _parsed(pattern: str, loc: str) -> tuple[NumberPattern, Locale]:
    """Babel's parsed pattern and locale, kept: parsing them again for each number took two
    thirds of the time of formatting a number (a page formats hundreds)."""
    return parse_pattern(pattern), Locale.parse(loc)


def fmt_number(x: Any, lang: str, decimals: int | None = None, *, trim: bool = False) -> str:
    """Format a number for ``lang``.

    Parameters
    ----------
    x : float, int, decimal.Decimal or None
        The number.
    lang : str
        ``"vi"`` or ``"en"``.
    decimals : int, optional
        Digits after the decimal mark. ``None`` (default) shows the number as it is
        (``0.7024`` stays ``0,7024``), rounded only to 10 decimals to hide float noise.
    trim : bool, optional
        With ``decimals``, drop trailing zeros (``decimals`` is then a maximum).

    Returns
    -------
    str
        The formatted number, or ``"–"`` when ``x`` is missing.

    Examples
    --------
    >>> fmt_number(0.7024, "vi"), fmt_number(3400000, "vi"), fmt_number(0.7024, "en")
    ('0,7024', '3.400.000', '0.7024')
    """
    loc = locale_of(lang)
    if is_missing(x):
        return MISSING
    pattern = _pattern(decimals, trim) if decimals is not None else None
    number = float(x)
    if math.isfinite(number) and abs(number) >= SCIENTIFIC_FROM:
        return format_scientific(number, format="#.###E0", locale=loc)
    if decimals is None:
        value = decimal.Decimal(repr(round(number, 10))) if isinstance(x, float) else x
        return format_decimal(value, locale=loc, decimal_quantization=False)
    return _applied(pattern, loc, type(x), repr(x), x)


@functools.lru_cache(maxsize=8192)
def _applied(pattern: str, loc: str, kind: type, text: str, x: Any) -> str:
    """A number formatted with a pattern, kept: a lever move formats hundreds of numbers, most
    of them (baselines, targets, outcomes the move did not change) the same as the move
    before. ``kind`` and ``text`` (``repr(x)``) are in the key so that numbers equal but shown
    apart stay apart: ``1``, ``1.0`` and ``Decimal("1")``; ``0.0`` and ``-0.0``."""
    parsed, locale = _parsed(pattern, loc)
    return parsed.apply(x, locale)


def fmt_int(x: Any, lang: str) -> str:
    """Format a whole number for ``lang`` (rounded half to even), with grouping.

    Parameters
    ----------
    x : float or int or None
        The number.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        For example ``"3.400.000"`` (vi) or ``"3,400,000"`` (en); ``"–"`` when missing.
    """
    return fmt_number(x, lang, decimals=0)


def fmt_percent(x: Any, lang: str, decimals: int = 1, *, trim: bool = False) -> str:
    """Format a share given in percent units (``7.1`` means 7.1 %).

    Parameters
    ----------
    x : float or None
        The value in percent units.
    lang : str
        ``"vi"`` or ``"en"``.
    decimals : int, optional
        Digits after the decimal mark (1 by default).
    trim : bool, optional
        Drop trailing zeros (``76.0`` becomes ``76%``).

    Returns
    -------
    str
        ``"7,1%"`` (vi) or ``"7.1%"`` (en); ``"–"`` when missing.
    """
    if is_missing(x):
        return MISSING
    return fmt_number(x, lang, decimals, trim=trim) + "%"


def fmt_chance(p: Any, lang: str) -> str:
    """A chance (0..1, a share of draws) as a whole percentage, never 0% nor 100%.

    A chance that rounds to 0% reads "< 1%", one that rounds to 100% reads "> 99%": no share
    of draws is a certainty.

    Parameters
    ----------
    p : float or None
        The chance.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        ``"37%"``; ``"< 1%"`` or ``"> 99%"`` in ``lang``'s format (``chance.below``,
        ``chance.above``); ``"–"`` when missing.

    Examples
    --------
    >>> fmt_chance(0.002, "en"), fmt_chance(0.37, "vi"), fmt_chance(0.998, "vi")
    ('< 1%', '37%', '> 99%')
    """
    if is_missing(p):
        return MISSING
    text = fmt_percent(100.0 * float(p), lang, 0)
    if text == fmt_percent(0, lang, 0):
        return t("chance.below", lang, p=fmt_percent(1, lang, 0))
    if text == fmt_percent(100, lang, 0):
        return t("chance.above", lang, p=fmt_percent(99, lang, 0))
    return text


def fmt_signed(x: Any, lang: str, decimals: int | None = None) -> str:
    """Format a change with an explicit sign (``+0,2052``; ``-3``).

    Parameters
    ----------
    x : float or None
        The change.
    lang : str
        ``"vi"`` or ``"en"``.
    decimals : int, optional
        Digits after the decimal mark, as in :func:`fmt_number`.

    Returns
    -------
    str
        The signed number; zero has no sign; ``"–"`` when missing.
    """
    if is_missing(x):
        return MISSING
    text = fmt_number(abs(x), lang, decimals)
    if float(x) > 0:
        return "+" + text
    if float(x) < 0:
        return "-" + text
    return text


def fmt_rank(rank: Any, of: Any, lang: str) -> str:
    """Format a rank among a field of provinces, such as ``"3/63"``.

    Parameters
    ----------
    rank : int or None
        The rank (1 is best).
    of : int or None
        Size of the field; when missing only the rank is shown.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        ``"3/63"``, ``"3"``, or ``"–"`` when the rank is missing.
    """
    if is_missing(rank):
        return MISSING
    text = fmt_int(rank, lang)
    if is_missing(of):
        return text
    return f"{text}/{fmt_int(of, lang)}"


def _unit_field(unit: Any, name: str) -> Any:
    if isinstance(unit, Mapping | pd.Series):
        try:
            return unit[name]
        except KeyError:
            return None
    return None


def unit_decimals(unit: Any, units: pd.DataFrame | Mapping | None = None) -> int | None:
    """Return the number of decimals of a unit.

    Parameters
    ----------
    unit : mapping, pandas.Series or str
        A row of ``units.csv`` (with ``decimals``), or a unit id.
    units : pandas.DataFrame or mapping, optional
        The units table, to look a unit id up in, or its rows by id (quicker for many
        lookups).

    Returns
    -------
    int or None
        The unit's decimals, or ``None`` when unknown.
    """
    if isinstance(unit, str) and isinstance(units, Mapping):
        unit = units.get(unit)
        if unit is None:
            return None
    if isinstance(unit, str):
        if units is None or "id" not in units:
            return None
        # the first row of the unit, found on the column's values (a boolean row selection
        # cost ~1.5 ms a call, and a page formats hundreds of values)
        hits = np.flatnonzero(units["id"].to_numpy(dtype=object) == unit)
        if not hits.size:
            return None
        value = (units["decimals"].to_numpy()[hits[0]] if "decimals" in units.columns
                 else None)
    else:
        value = _unit_field(unit, "decimals")
    if is_missing(value):
        return None
    return int(value)


def _unit_id(unit: Any) -> str | None:
    if isinstance(unit, str):
        return unit
    value = _unit_field(unit, "id")
    return None if is_missing(value) else str(value)


def fmt_value(
    value: Any,
    unit: Any,
    lang: str,
    units: pd.DataFrame | Mapping | None = None,
    decimals: int | None = None,
) -> str:
    """Format an observation's value with its unit's precision.

    Whole values are shown without decimals (``76`` rather than ``76,0``); other values get
    exactly the unit's number of decimals. Values in the unit ``percent`` get a ``%`` sign.

    Parameters
    ----------
    value : float or None
        The value.
    unit : mapping, pandas.Series or str
        A row of ``units.csv`` or a unit id.
    lang : str
        ``"vi"`` or ``"en"``.
    units : pandas.DataFrame or mapping, optional
        The units table, or its rows by id, used when ``unit`` is an id.
    decimals : int, optional
        Overrides the unit's decimals.

    Returns
    -------
    str
        For example ``"0,7024"``, ``"7,1%"``, ``"3.400.000"``; ``"–"`` when missing.
    """
    if is_missing(value):
        return MISSING
    places = decimals if decimals is not None else unit_decimals(unit, units)
    number = float(value)
    if places is not None and number.is_integer():
        places = 0
    text = fmt_number(value, lang, places)
    if _unit_id(unit) == "percent":
        text += "%"
    return text


def parse_shown(text: str, lang: str) -> decimal.Decimal | None:
    """The number a text of this module shows, read back exactly as a reader reads it.

    The inverse of :func:`fmt_number`, :func:`fmt_percent`, :func:`fmt_value` and
    :func:`fmt_rank` (whose rank is the part before ``/``), through Babel's
    ``parse_decimal`` in ``lang``'s locale: ``"12,1%"`` in Vietnamese is ``Decimal("12.1")``,
    ``"12/34"`` is ``Decimal("12")``.

    Parameters
    ----------
    text : str
        A formatted number.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    decimal.Decimal or None
        ``None`` for the missing mark, infinity or a text that is not a number.
    """
    body = str(text).strip().removesuffix("%").split("/", 1)[0].strip()
    if not body or body == MISSING:
        return None
    try:
        found = parse_decimal(body, locale=locale_of(lang), strict=False)
    except NumberFormatError:
        return None
    return found if found.is_finite() else None


_DAY_SKELETON = {"vi": "yMd", "en": "yMMMd"}
"""A day's date: ``1/7/2023`` in Vietnamese, ``Jul 1, 2023`` in English."""
_YEAR = re.compile(r"^\d{4}$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def fmt_date(value: Any, lang: str) -> str:
    """Format a date, or a partial ISO date (``"2023"``, ``"2023-07"``), for ``lang``.

    Parameters
    ----------
    value : datetime.date, datetime.datetime, pandas.Timestamp or str
        The date. Text that is not an ISO date is returned unchanged.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        ``"1/7/2023"`` (vi, day/month/year as Vietnamese writes it) / ``"Jul 1, 2023"`` (en); a
        month alone reads ``"tháng 7 năm 2023"`` / ``"July 2023"``; ``"–"`` when missing.
    """
    loc = locale_of(lang)
    if value is None or value is pd.NaT or is_missing(value):
        return MISSING
    if isinstance(value, dt.datetime | pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.date):
        return format_skeleton(_DAY_SKELETON[lang], value, locale=loc)
    text = str(value).strip()
    if _YEAR.match(text):
        return text
    month = _YEAR_MONTH.match(text)
    if month:
        year, mon = int(month.group(1)), int(month.group(2))
        if 1 <= mon <= 12:
            return format_skeleton("yMMMM", dt.date(year, mon, 1), locale=loc)
        return text
    try:
        return format_skeleton(_DAY_SKELETON[lang], dt.date.fromisoformat(text[:10]), locale=loc)
    except ValueError:
        return text


def fmt_period(value: Any, lang: str) -> str:
    """Format an observation's period: a date, a month, a half year or a range of them.

    Parameters
    ----------
    value : str
        ``"2023-12-31"``, ``"2024-09"``, ``"2023-H1"`` or ``"2025-01..2025-05"``; other text is
        returned unchanged, empty text as ``""``.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        Each part as :func:`fmt_date` writes it (``"6 tháng đầu năm 2023"`` / ``"first half of
        2023"`` for a half year), a range joined by an en dash.
    """
    check_lang(lang)
    if is_missing(value) or not str(value).strip():
        return ""
    text = str(value).strip()
    if ".." in text:
        return " – ".join(fmt_period(part, lang) for part in text.split("..", 1))
    half = _HALF.match(text)
    if half:
        return t(f"period.half.h{half.group(2)}", lang, year=half.group(1))
    return fmt_date(text, lang)


def fmt_datetime(value: Any, lang: str) -> str:
    """Format a moment: its date as :func:`fmt_date` writes it, then the time ``HH:MM``.

    Parameters
    ----------
    value : datetime.datetime or pandas.Timestamp
        The moment; anything else goes to :func:`fmt_date`.
    lang : str
        ``"vi"`` or ``"en"``.

    Returns
    -------
    str
        ``"1/7/2023 14:05"`` (vi) / ``"Jul 1, 2023 14:05"`` (en).
    """
    if isinstance(value, dt.datetime | pd.Timestamp) and not pd.isna(value):
        return f"{fmt_date(value, lang)} {value:%H:%M}"
    return fmt_date(value, lang)
