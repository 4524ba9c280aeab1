"""What Streamlit's Markdown draws as something other than the characters of the source.

Streamlit 1.67's frontend (``StreamlitMarkdown``) does more than CommonMark: before parsing it
reads ``:material/`` as ``:material_``; the parser reads text directives (``:red[text]``,
``:small[...]``, any ``:name`` not escaped); on the parsed text, where backslash escapes and
entities no longer count, it draws ``:material_<name>:`` as an icon, ``:streamlit:`` as its logo
and ``:<name>:`` as an emoji, and replaces ``->``, ``<-``, ``<->``, ``--``, ``>=``, ``<=`` and
``~=`` between spaces with arrows and signs. :func:`streamlit_draws` finds those patterns, so a
page test can check that user text reaches none of them (an AppTest sees the Markdown source,
not what the browser draws).
"""

from __future__ import annotations

import html
import re

_DIRECTIVE = re.compile(r"(?<![\\\w:]):[a-z][a-z0-9-]*")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_DRAWN_IN_TEXT = (
    re.compile(r":material_\w+:"),
    re.compile(r":[\w+-][\w_+-]*:"),  # an emoji, :streamlit:
    re.compile(r"(?:^|(?<=\s))(?:<->|->|<-|--|>=|<=|~=)(?=\s|$)"),
)


def parsed_text(source: str) -> str:
    """The text CommonMark reads from ``source``: backslash escapes and entities resolved."""
    return html.unescape(_ESCAPE.sub(r"\1", source))


def streamlit_draws(source: str) -> list[str]:
    """Every piece of ``source`` Streamlit's Markdown would not show as its characters.

    Parameters
    ----------
    source : str
        The Markdown given to ``st.markdown``, ``st.caption`` or ``st.header``.

    Returns
    -------
    list of str
        The directives, icons, emoji and replaced pairs found, in order of kind.
    """
    prepared = source.replace(":material/", ":material_")
    found = _DIRECTIVE.findall(prepared)
    text = parsed_text(prepared)
    for pattern in _DRAWN_IN_TEXT:
        found += pattern.findall(text)
    return found
