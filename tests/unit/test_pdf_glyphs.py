"""The PDF draws joined emoji and flags from its shipped fonts, and writes what no font has as
its code points, so no user text disappears."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from planner.engine import load_model
from planner.export.glyphs import FONTS, drawable, drawable_text
from planner.export.pdffile import write_pdf
from tests.export_support import real_bundle

JOINED = ("👩‍💻", "👨‍👩‍👧", "🇻🇳", "🏳️‍🌈", "👍🏽", "1️⃣")
"""Emoji made of several code points (zero-width joiners, flags, skin tones, keycaps)."""

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts")
                                   is None, reason="poppler-utils is not installed")


@pytest.mark.parametrize("text", [*JOINED, "Kịch bản số 1 – ổn định", "✔ ⚠ ◔ ∅ ✖ ● ◐ ○"])
def test_the_shipped_fonts_draw_every_character(text: str) -> None:
    assert drawable_text(text) == text


def test_a_character_no_font_has_is_written_as_its_code_points() -> None:
    assert drawable_text("Tên 中文 ok") == "Tên [U+4E2D U+6587] ok"
    assert drawable_text("中") == "[U+4E2D]"
    assert 0x4E2D not in drawable()


def test_the_fonts_are_shipped_with_their_licences() -> None:
    names = sorted(p.name for p in FONTS.iterdir())
    assert names == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "LICENSE", "NotoEmoji[wght].ttf",
                     "OFL-NotoEmoji.txt"]
    assert "SIL Open Font License" in (FONTS / "OFL-NotoEmoji.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def model(loaded_db):
    from planner.store import DuckDBStore

    return load_model(DuckDBStore(loaded_db))


def run(tool: str, data: bytes, tmp_path) -> str:
    path = tmp_path / "b.pdf"
    path.write_bytes(data)
    return subprocess.run([tool, str(path), *(["-"] if tool == "pdftotext" else [])],
                          capture_output=True, text=True, check=True).stdout


@needs_poppler
def test_joined_emoji_in_a_name_and_note_reach_the_pdf(model, tmp_path) -> None:
    name = "Nhóm 👩‍💻 và 👨‍👩‍👧 🇻🇳"
    note = "Ghi chú 🏳️‍🌈 中文"
    data = write_pdf(real_bundle(model, name=name, note=note, author="A 👍🏽"))
    text = run("pdftotext", data, tmp_path)
    assert name in text
    assert "Ghi chú 🏳️‍🌈 [U+4E2D U+6587]" in text
    fonts = run("pdffonts", data, tmp_path)
    assert "NotoEmoji" in fonts and "DejaVuSans" in fonts
