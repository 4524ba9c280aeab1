"""What the paper's fonts can draw, and what stands for a character none of them can.

The PDF is set in the fonts shipped in ``fonts/`` and nothing else (no system font, nothing
fetched): DejaVu Sans for text and Noto Emoji (monochrome, SIL Open Font License) for emoji,
joined ones included (👩‍💻, 👨‍👩‍👧, flags such as 🇻🇳), which Typst shapes into one glyph. A
character that none of them has (Chinese, say) would come out as an empty box or not at all, so
:func:`drawable_text` writes it as its code points in brackets, ``[U+4E2D U+6587]``: the reader
sees that something is there and what it is. Invisible characters that only join or vary others
(zero-width joiner, variation selectors, tags) need no glyph and are kept.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import Any

FONTS = Path(__file__).parent / "fonts"
"""The paper's fonts (``*.ttf``), with their licences."""

FONT_FAMILIES: tuple[str, ...] = ("DejaVu Sans", "Noto Emoji")
"""The families the paper is set in, in the order Typst looks for a glyph."""

PLACEHOLDER = "[{codes}]"
"""What stands for a run of characters no font draws; ``codes`` is ``U+4E2D U+6587``."""

_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))


@functools.cache
def drawable() -> frozenset[int]:
    """The code points some font of :data:`FONTS` has a glyph for (read once per process).

    Returns
    -------
    frozenset of int
    """
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in sorted(FONTS.glob("*.ttf")):
        with TTFont(path, lazy=True) as font:
            points.update(font.getBestCmap())
    return frozenset(points)


def needs_glyph(char: str) -> bool:
    """Whether a character is drawn (not a control, a space, or an invisible joiner).

    Parameters
    ----------
    char : str
        One character.

    Returns
    -------
    bool
    """
    code = ord(char)
    if any(code in r for r in _VARIATION_SELECTORS):
        return False
    return unicodedata.category(char) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


def drawable_text(text: str) -> str:
    """``text`` with every run of characters no paper font draws written as its code points.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        ``text`` itself when every character is drawn, else with each run of missing ones
        replaced by :data:`PLACEHOLDER` (``"Tên 中文"`` → ``"Tên [U+4E2D U+6587]"``).
    """
    have = drawable()
    out: list[str] = []
    missing: list[str] = []
    for char in text:
        if needs_glyph(char) and ord(char) not in have:
            missing.append(f"U+{ord(char):04X}")
            continue
        if missing:
            out.append(PLACEHOLDER.format(codes=" ".join(missing)))
            missing = []
        out.append(char)
    if missing:
        out.append(PLACEHOLDER.format(codes=" ".join(missing)))
    return "".join(out)


def drawable_document(value: Any) -> Any:
    """Every text of a JSON-ready document passed through :func:`drawable_text`.

    Parameters
    ----------
    value : Any
        Dicts, lists, texts, numbers, None.

    Returns
    -------
    Any
        The same shape; keys are kept as they are.
    """
    if isinstance(value, str):
        return drawable_text(value)
    if isinstance(value, dict):
        return {key: drawable_document(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [drawable_document(item) for item in value]
    return value
