"""The text catalogue: complete in both languages, and every key the code asks for exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pandas as pd
import pytest

from planner import i18n
from planner.i18n import DEFAULT_LANG, LANGS, label, load_catalogue, parse_lang, t

REPO = Path(__file__).resolve().parents[2]
CODE_DIRS = ("app.py", "app_pages", "ui", "planner")
# t("key", ...) with a literal key; f-string keys are checked through their prefixes below.
LITERAL_KEY = re.compile(r"(?<![\w.])t\(\s*[\"']([a-z0-9_.]+)[\"']")
FSTRING_KEY = re.compile(r"(?<![\w.])t\(\s*f[\"']([a-z0-9_.]+)\{")


def _code_files() -> list[Path]:
    files: list[Path] = []
    for name in CODE_DIRS:
        path = REPO / name
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return files


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_languages():
    assert LANGS == ("vi", "en")
    assert DEFAULT_LANG == "vi"


def test_every_entry_has_both_languages_and_same_fields():
    catalogue = load_catalogue()
    assert len(catalogue) > 50
    for key, entry in catalogue.items():
        for lang in LANGS:
            text = entry.get(lang)
            assert isinstance(text, str) and text.strip(), f"{key} has no {lang} text"
        assert _fields(entry["vi"]) == _fields(entry["en"]), f"{key}: fields differ"


def test_every_key_used_in_the_code_exists():
    catalogue = load_catalogue()
    used: set[str] = set()
    prefixes: set[str] = set()
    for path in _code_files():
        source = path.read_text(encoding="utf-8")
        used.update(LITERAL_KEY.findall(source))
        prefixes.update(FSTRING_KEY.findall(source))
    assert used, "no catalogue key found in the code: the pattern is wrong"
    missing = sorted(k for k in used if k not in catalogue)
    assert not missing, f"keys used but not in the catalogue: {missing}"
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in catalogue), f"no key starts with {prefix!r}"


@pytest.mark.parametrize("kind", ["observed", "derived", "target", "external", "assumption"])
def test_kind_names_are_catalogue_entries(kind):
    assert t(f"kind.{kind}", "en") == kind
    assert t(f"kind.{kind}", "vi") != kind


def test_t_fills_fields_and_switches_language():
    assert t("briefing.score_in", "vi", year=2022) == "Điểm năm 2022"
    assert t("briefing.score_in", "en", year=2022) == "Score, 2022"
    assert t("nav.briefing", "vi") != t("nav.briefing", "en")


def test_missing_key_and_bad_language_raise():
    with pytest.raises(KeyError):
        t("no.such.key", "vi")
    with pytest.raises(ValueError, match="unknown language"):
        t("nav.briefing", "fr")


def test_catalogue_structure_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[x]\nvi = "a"\nen = "b"\nfr = "c"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown fields"):
        i18n.load_catalogue(bad)
    mixed = tmp_path / "mixed.toml"
    mixed.write_text('[x]\nvi = "a"\n[x.y]\nvi = "b"\nen = "c"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="mixes"):
        i18n.load_catalogue(mixed)
    ok = tmp_path / "ok.toml"
    ok.write_text('[a.b]\nvi = "x"\nen = "y"\n[c]\nvi = "z"\n', encoding="utf-8")
    assert i18n.load_catalogue(ok) == {"a.b": {"vi": "x", "en": "y"}, "c": {"vi": "z", "en": None}}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("en", "en"),
        ("EN ", "en"),
        ("vi", "vi"),
        (["vi", "en"], "en"),
        ("fr", "vi"),
        ("", "vi"),
        (None, "vi"),
        ([], "vi"),
        ("<script>", "vi"),
    ],
)
def test_parse_lang(raw, expected):
    assert parse_lang(raw) == expected


def test_label_prefers_language_then_other_then_id():
    row = pd.Series({"id": "dti_overall", "label_vi": "Chỉ số DTI", "label_en": "DTI"})
    assert label(row, "vi") == "Chỉ số DTI"
    assert label(row, "en") == "DTI"
    only_vi = {"id": "x", "label_vi": "Chỉ vi", "label_en": ""}
    assert label(only_vi, "en") == "Chỉ vi"
    neither = {"id": "x", "label_vi": float("nan"), "label_en": None}
    assert label(neither, "en") == "x"
    assert label(neither, "en", fallback="?") == "?"


# --- data texts in the reader's language ----------------------------------------------------

def test_text_of_picks_the_language_then_the_other_then_the_old_column():
    row = {"rationale_vi": "Lý do", "rationale_en": "Reason"}
    assert i18n.text_of(row, "rationale", "vi") == "Lý do"
    assert i18n.text_of(row, "rationale", "en") == "Reason"
    assert i18n.text_of({"note_vi": "", "note_en": "only English"}, "note", "vi") == "only English"
    assert i18n.text_of(pd.Series({"note": "before note_vi existed"}), "note", "vi") == (
        "before note_vi existed")
    assert i18n.text_of({"note_vi": float("nan")}, "note", "en") == ""


def test_label_with_unit_adds_the_unit_once():
    assert i18n.label_with_unit("Trọng số", "Trọng số") == "Trọng số"
    assert i18n.label_with_unit("Tốc độ tăng", "Logit mỗi năm") == "Tốc độ tăng (Logit mỗi năm)"
    assert i18n.label_with_unit("Growth (logit per year)", "Logit per year") == (
        "Growth (logit per year)")
    assert i18n.label_with_unit("Mức 2023 (giả định)", "Phần trăm (%)") == (
        "Mức 2023 (giả định) (Phần trăm (%))")
    assert i18n.label_with_unit("Tỷ lệ", "") == "Tỷ lệ"


RATE_UNIT = re.compile(r"\((?:thang )?logit|/năm\)|per year\)|a year\)|%/năm")


@pytest.mark.parametrize("lang", LANGS)
def test_no_assumption_label_names_its_unit_twice(lang):
    """The planner labels a control "label (unit)": the data's labels carry no unit of their own
    ("(thang logit/năm) (Logit mỗi năm)" before)."""
    from planner.dataset import read_data_dir

    data = read_data_dir(REPO / "data")
    units = {r["id"]: label(r, lang) for r in data.units.to_dict("records")}
    for row in data.assumptions.to_dict("records"):
        text = i18n.label_with_unit(label(row, lang), units[row["unit"]])
        assert len(RATE_UNIT.findall(label(row, lang))) == 0, text
        assert text.casefold().count(units[row["unit"]].casefold()) == 1, text


@pytest.mark.parametrize(("lang", "expected"), [("vi", "Thanh toán không dùng tiền mặt năm 2027"),
                                                ("en", "Cashless adoption in 2027")])
def test_slider_label_names_the_lever_and_the_year(lang, expected):
    lever = {"vi": "Thanh toán không dùng tiền mặt", "en": "Cashless adoption"}[lang]
    assert i18n.slider_label(lever, 2027, lang) == expected
