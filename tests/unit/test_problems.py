"""One problem type for scenarios, saved scenarios, links and uploads, worded from the catalogue."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.dataio import problems as upload_problems
from planner.i18n import LANGS, load_catalogue
from planner.links import PROBLEM_CODES
from planner.problems import CODES, Problem, problem_text, problems_text
from planner.saved import ERROR_CODES, SavedScenarioError
from planner.scenario import ScenarioError, validate_scenario
from planner.usertext import escape_markdown
from tests.engine_support import mini_dataset
from ui.link_messages import link_problem_text, saved_error_texts


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_code_has_its_words_in_both_languages_with_only_its_own_fields() -> None:
    catalogue = load_catalogue()
    for code, keys in CODES.items():
        entry = catalogue[f"problem.{code}"]
        for lang in LANGS:
            assert _fields(entry[lang]) <= {"field", *keys}, (code, lang)
    assert set(PROBLEM_CODES) <= set(CODES) and set(ERROR_CODES) <= set(CODES)


def test_details_are_filled_in_and_numbers_follow_the_language() -> None:
    p = Problem("a.e_filing_to_dg", "out_of_range", {"value": 0.5, "min": 0.001, "max": 0.005})
    assert problem_text(p, "en") == "“a.e_filing_to_dg”: 0.5 is outside the allowed range [0.001, 0.005]."
    assert problem_text(p, "vi") == ("“a.e_filing_to_dg”: giá trị 0,5 nằm ngoài khoảng cho phép "
                                     "[0,001; 0,005].")


@pytest.mark.parametrize(("value", "en", "vi"), [(1e22, "1e+22", "1e+22"),
                                                 (-1.5e22, "-1.5e+22", "-1,5e+22"),
                                                 (1.5e-9, "1.5e-09", "1,5e-09")])
def test_huge_and_tiny_numbers_are_written_not_raised(value, en, vi) -> None:
    p = Problem("online_filing.2025", "out_of_range", {"value": value, "min": 0.0, "max": 100.0})
    assert problem_text(p, "en").startswith(f"“online_filing.2025”: {en} is outside")
    assert problem_text(p, "vi").startswith(f"“online_filing.2025”: giá trị {vi} nằm ngoài")


@given(st.text(max_size=30), st.sampled_from([*CODES, "no_such_code"]),
       st.dictionaries(st.sampled_from(["value", "min", "max", "lever", "count", "x"]),
                       st.one_of(st.text(max_size=10), st.floats(), st.integers(), st.none()),
                       max_size=4))
def test_problem_text_never_raises(field, code, detail) -> None:
    for lang in LANGS:
        assert isinstance(problem_text(Problem(field, code, detail), lang), str)


def test_values_from_the_user_go_through_the_escape() -> None:
    p = Problem("c", "bad_id", {"value": "**x** [a](http://e)"})
    text = link_problem_text(p, "en")
    assert escape_markdown("**x** [a](http://e)") in text and "**x**" not in text
    assert text.startswith("Part of the link could not be used: “c”")


def test_a_scenario_error_on_the_vietnamese_page_has_no_english() -> None:
    ds = mini_dataset()
    with pytest.raises(ScenarioError) as err:
        validate_scenario({"levers": {"online_filing": {"2027": 140}}}, ds.levers, ds.assumptions)
    (vi,) = saved_error_texts(err.value, "vi")
    (en,) = saved_error_texts(err.value, "en")
    field = escape_markdown("levers.online_filing.2027")
    assert vi == f"“{field}”: giá trị 140 nằm ngoài khoảng cho phép [0; 100]."
    prose = set(re.findall(r"[a-z]{3,}", en.replace(field, "")))
    assert prose >= {"outside", "allowed", "range"}
    assert not prose & set(re.findall(r"[a-z]{3,}", vi.replace(field, "")))


def test_saved_errors_are_worded_per_problem_once() -> None:
    err = SavedScenarioError([Problem("name", "bad_name", {"max": 120}),
                              Problem("author", "bad_author", {"max": 120}),
                              Problem("name", "bad_name", {"max": 120})])
    assert saved_error_texts(err, "vi") == [
        "Tên phải có từ 1 đến 120 ký tự và không chứa ký tự điều khiển.",
        "Tên người lưu có tối đa 120 ký tự và không chứa ký tự điều khiển."]
    assert str(err) == problems_text(err.problems, "en")


def _literal_codes(folder: Path) -> dict[str, set[str]]:
    """The literal codes of every ``Problem(field, "code", ...)`` in a folder, by file."""
    out: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "Problem" and len(node.args) > 1
                    and isinstance(node.args[1], ast.Constant)):
                out.setdefault(path.name, set()).add(node.args[1].value)
    return out


def test_every_problem_made_has_a_known_code_of_its_family() -> None:
    """One type for both families: an upload's problem (made in ``planner/dataio``) has a code
    of ``PROBLEM_CODES`` (worded by ``describe``); any problem a code of either family."""
    planner_dir = Path(__file__).resolve().parents[2] / "planner"
    uploads = _literal_codes(planner_dir / "dataio")
    assert {"archive.py", "csvtext.py", "upload.py", "workbook.py"} <= set(uploads)
    for name, codes in uploads.items():
        assert codes <= set(upload_problems.PROBLEM_CODES), name
    everywhere = _literal_codes(planner_dir)
    assert {"links.py", "scenario.py", "service.py"} <= set(everywhere)
    for name, codes in everywhere.items():
        assert codes <= set(CODES) | set(upload_problems.PROBLEM_CODES), name


def test_an_upload_problem_is_worded_with_its_place() -> None:
    p = Problem("observations.csv", "not_a_number", {"row": 12, "column": "value",
                                                      "value": "abc"})
    assert (p.row, p.column) == (12, "value")
    assert upload_problems.describe(p, "en").startswith(
        "File observations.csv, row 12, column value: “abc” is not a number")
