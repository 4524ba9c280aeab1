"""Text typed by users (names, notes, authors of saved scenarios) shown safely.

Pages show such text with ``st.text``, ``st.code`` or ``st.dataframe``, which render it as
plain text. Where it must sit inside Markdown (a caption mixing catalogue text and a name),
:func:`escape_markdown` makes every character literal: Markdown punctuation is
backslash-escaped and ``<``/``>``/``&`` become entities, so ``<img src=x onerror=alert(1)>``
or ``[x](javascript:alert(1))`` shows as typed.

Streamlit's Markdown does more after the text is parsed, where escapes no longer count: it
draws ``:material/home:`` as an icon, ``:smile:`` as an emoji and ``:streamlit:`` as its logo,
colours ``:red[text]``, and turns `` -> ``, `` <- ``, `` -- ``, `` >= ``, `` <= ``, `` ~= `` between
spaces into arrows and signs. An invisible word joiner (U+2060) after every colon of the user's
text, and between the two characters of those pairs, leaves none of these patterns to find.
For Plotly (whose labels accept a few HTML tags) use :func:`plain_label`.
"""

from __future__ import annotations

import html
import re

from planner.formatting import is_missing

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:$=\"'])")
# GitHub-flavoured Markdown turns ``http://…``, ``www.…`` and ``a@b.c`` into links after
# escapes and entities are read, so an invisible word joiner goes where it breaks the pattern.
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=\bwww)(?=\.)|(?=@)")
# Streamlit's shortcodes and directives (``:name:``, ``:material/name:``, ``:name[text]``) all
# start with a colon directly followed by a letter; its typography replaces two-character
# pairs such as ``->`` and ``>=``. A joiner after each colon and inside each pair breaks them.
_SHORTCODE = re.compile(r"(?<=:)")
_TYPOGRAPHY = re.compile(r"(?<=[-<>~])(?=[-<>=])")


def escape_markdown(text: object) -> str:
    """Return ``text`` as Markdown that renders exactly as the characters typed.

    Parameters
    ----------
    text : object
        Any value; a missing one (``None``, NaN) gives an empty string.

    Returns
    -------
    str
        The text with Markdown punctuation backslash-escaped, ``&``, ``<`` and ``>`` as HTML
        entities, an invisible word joiner (U+2060) inside ``://``, ``www.`` and before ``@``
        so that no address becomes a link, after every colon and inside ``->``-like pairs so
        that Streamlit draws no icon, emoji, colour or arrow, and line breaks kept as Markdown
        line breaks.
    """
    if is_missing(text):
        return ""
    s = _SHORTCODE.sub(_JOINER, _TYPOGRAPHY.sub(_JOINER, str(text)))
    s = _AUTOLINK.sub(_JOINER, html.escape(s, quote=False))
    s = _MARKDOWN_SPECIAL.sub(r"\\\1", s)
    return s.replace("\r\n", "\n").replace("\n", "  \n")


def plain_label(text: object, limit: int | None = None) -> str:
    """Return ``text`` for a Plotly label (legend, hover): HTML-escaped, optionally cut.

    Plotly interprets a few tags (``<b>``, ``<a href>``, ``<br>``) in labels and decodes
    entities when drawing, so the escaped text shows exactly as typed and no tag is applied.

    Parameters
    ----------
    text : object
        Any value.
    limit : int, optional
        Longest length kept before escaping (an ellipsis marks a cut).

    Returns
    -------
    str
    """
    s = "" if text is None else str(text)
    if limit is not None and len(s) > limit:
        s = s[: max(limit - 1, 0)] + "…"
    return html.escape(s, quote=True)
