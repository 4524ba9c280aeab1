"""Link parameters: parsing untrusted query strings, encoding shareable ones, round trips."""

from __future__ import annotations

import functools
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import links
from planner.config import data_dir
from planner.dataset import read_data_dir
from planner.links import LinkProblem, encode, format_value, parse_query
from planner.problems import problem_text
from planner.scenario import BASELINE, Scenario, validate_scenario


@functools.cache
def frames():
    """Levers and assumptions of the repository's data (read once)."""
    ds = read_data_dir(data_dir())
    return ds.levers, ds.assumptions


def parse(params):
    return parse_query(params, *frames())


def codes(state):
    return [(p.field, p.code) for p in state.problems]


def test_empty_query_gives_the_defaults() -> None:
    state = parse({})
    assert state == links.LinkState()
    assert state.lang == "vi" and state.scenario == BASELINE and not state.problems


def test_a_full_link_is_read() -> None:
    state = parse({"lang": "en", "s": "abcDEF0123_-xyz9", "online_filing.2027": "90",
                   "cashless.2030": "72.5", "a.e_filing_to_dg": "0.004", "c": "baseline,current",
                   "embed": "true"})
    assert not state.problems
    assert state.lang == "en" and state.scenario_id == "abcDEF0123_-xyz9"
    assert state.scenario == Scenario({"online_filing": {2027: 90.0}, "cashless": {2030: 72.5}},
                                      {"e_filing_to_dg": 0.004})
    assert state.compare == ("baseline", "current") and state.has_settings


def test_list_values_use_the_last_one() -> None:
    state = parse({"lang": ["vi", "en"], "online_filing.2027": ["10", "20"], "s": []})
    assert state.lang == "en" and state.scenario.levers == {"online_filing": {2027: 20.0}}
    assert state.scenario_id is None and not state.problems


@pytest.mark.parametrize(("params", "expected"), [
    ({"lang": "fr"}, [("lang", "bad_lang")]),
    ({"lang": "<script>"}, [("lang", "bad_lang")]),
    ({"s": "not an id"}, [("s", "bad_id")]),
    ({"s": ""}, [("s", "bad_id")]),
    ({"s": "<img src=x onerror=alert(1)>"}, [("s", "bad_id")]),
    ({"nope.2027": "5"}, [("nope.2027", "unknown_lever")]),
    ({"a.nope": "5"}, [("a.nope", "unknown_assumption")]),
    ({"online_filing.2027": "ninety"}, [("online_filing.2027", "not_a_number")]),
    ({"online_filing.2027": "nan"}, [("online_filing.2027", "not_a_number")]),
    ({"online_filing.2027": "inf"}, [("online_filing.2027", "not_a_number")]),
    ({"online_filing.2027": "1e999"}, [("online_filing.2027", "not_a_number")]),
    ({"online_filing.2027": "1_0"}, [("online_filing.2027", "not_a_number")]),
    ({"online_filing.2027": "92,5"}, [("online_filing.2027", "not_a_number")]),
    ({"online_filing.2027": ""}, [("online_filing.2027", "not_a_number")]),
    ({"online_filing.2027": "9" * 40}, [("online_filing.2027", "not_a_number")]),
    ({"online_filing.2027": "150"}, [("online_filing.2027", "out_of_range")]),
    ({"online_filing.2027": "-1"}, [("online_filing.2027", "out_of_range")]),
    ({"a.e_filing_to_dg": "1"}, [("a.e_filing_to_dg", "out_of_range")]),
    ({"online_filing.2028": "90"}, [("online_filing.2028", "bad_year")]),
    ({"online_filing.2024": "90"}, [("online_filing.2024", "year_ended")]),
    ({"online_filing.year": "90"}, [("online_filing.year", "bad_year")]),
    ({"online_filing.": "90"}, [("online_filing.", "bad_year")]),
    ({"online_filing." + "9" * 5000: "90"}, [("online_filing." + "9" * 5000, "bad_year")]),
    ({"c": "a,b,c,d,e"}, [("c", "too_many")]),
    ({"c": "baseline"}, [("c", "too_few")]),
    ({"c": "baseline,baseline"}, [("c", "too_few")]),
    ({"c": "baseline,<b>"}, [("c", "bad_id"), ("c", "too_few")]),
    ({"c": ""}, [("c", "bad_id"), ("c", "too_few")]),
])
def test_each_bad_piece_is_reported_and_dropped(params, expected) -> None:
    state = parse(params)
    assert codes(state) == expected
    assert state.scenario == BASELINE and not state.has_settings
    for p in state.problems:
        assert p.code in links.PROBLEM_CODES
        assert f"“{p.field}”" in problem_text(p, "en")


def test_good_pieces_are_kept_beside_bad_ones() -> None:
    state = parse({"lang": "xx", "online_filing.2027": "95", "online_filing.2030": "101",
                   "cashless.2027": "abc", "ecommerce.2030": "60", "a.de_share_growth_pp": "1.5",
                   "a.bogus": "1", "bogus.2027": "1", "c": "baseline,current,cautious,plan_targets,x"})
    assert state.lang == "vi"
    assert state.scenario.levers == {"online_filing": {2027: 95.0}, "ecommerce": {2030: 60.0}}
    assert state.scenario.overrides == {"de_share_growth_pp": 1.5}
    assert state.compare == ("baseline", "current", "cautious", "plan_targets")
    assert [c for _, c in codes(state)] == ["bad_lang", "out_of_range", "not_a_number",
                                            "unknown_assumption", "unknown_lever", "too_many"]
    # what is kept validates as a whole
    assert validate_scenario(state.scenario, *frames()) == state.scenario


def test_problem_details_name_the_allowed_range() -> None:
    (p,) = parse({"online_filing.2027": "150"}).problems
    assert p == LinkProblem("online_filing.2027", "out_of_range", {"value": 150.0, "min": 0.0, "max": 100.0})
    assert problem_text(p, "en") == "“online_filing.2027”: 150 is outside the allowed range [0, 100]."
    (p,) = parse({"online_filing.2028": "1"}).problems
    assert p.detail == {"year": "2028", "allowed": "2027, 2030"}
    (p,) = parse({"online_filing.2025": "1", "cashless.2030": "70"}).problems
    assert p == LinkProblem("online_filing.2025", "year_ended", {"year": "2025", "allowed": "2027, 2030"})
    assert parse({"online_filing.2025": "1", "cashless.2030": "70"}).scenario.levers == {"cashless": {2030: 70.0}}
    (p,) = parse({"nope.2027": "1"}).problems
    assert p.detail["known"] == "cashless, ecommerce, online_filing"
    (p,) = parse({"s": "x" * 100}).problems
    assert len(p.detail["value"]) <= links.MAX_SHOWN_CHARS + 1


def test_encode_writes_short_numbers_in_a_stable_order() -> None:
    scenario = Scenario({"online_filing": {2030: 95.0, 2027: 90.0}, "cashless": {2027: 92.5}},
                        {"e_filing_to_dg": 0.004})
    params = encode(scenario, "en", s="baseline", compare=["baseline", "current"])
    assert list(params.items()) == [
        ("lang", "en"), ("s", "baseline"), ("c", "baseline,current"), ("cashless.2027", "92.5"),
        ("online_filing.2027", "90"), ("online_filing.2030", "95"), ("a.e_filing_to_dg", "0.004")]
    assert encode() == {"lang": "vi"}


@pytest.mark.parametrize("bad", [
    {"lang": "fr"}, {"s": "bad id"}, {"compare": ["baseline"]},
    {"compare": ["a", "b", "c", "d", "e"]}, {"compare": ["baseline", "baseline"]},
])
def test_encode_refuses_bad_arguments(bad) -> None:
    with pytest.raises(ValueError):
        encode(None, **bad)


@pytest.mark.parametrize(("x", "text"), [(90.0, "90"), (92.5, "92.5"), (0.004, "0.004"),
                                         (-0.03, "-0.03"), (-0.0, "0"), (1e-05, "1e-05"),
                                         (1e16, "1e+16"), (0.1 + 0.2, "0.30000000000000004")])
def test_format_value(x, text) -> None:
    assert format_value(x) == text and float(text) == x


def _scenarios():
    levers, assumptions = frames()

    def lever_paths():
        return st.fixed_dictionaries({}, optional={
            str(r.id): st.dictionaries(st.sampled_from([2027, 2030]),
                                       st.floats(float(r.min), float(r.max)), min_size=1)
            for r in levers.itertuples(index=False)})

    def overrides():
        return st.fixed_dictionaries({}, optional={
            str(r.id): st.floats(float(r.low), float(r.high))
            for r in assumptions.itertuples(index=False)})

    return st.builds(Scenario, lever_paths(), overrides())


@settings(max_examples=200, deadline=None)
@given(scenario=_scenarios(), lang=st.sampled_from(["vi", "en"]),
       s=st.none() | st.sampled_from(["baseline", "AbC-_0123456789z"]),
       compare=st.none() | st.lists(st.sampled_from(["baseline", "cautious", "current",
                                                     "AbC-_0123456789z"]),
                                    min_size=2, max_size=4, unique=True))
def test_encode_then_parse_gives_the_same_link(scenario, lang, s, compare) -> None:
    params = encode(scenario, lang, s=s, compare=compare)
    # through a real query string, as a browser sends it
    back = parse_qs(urlencode(params), keep_blank_values=True)
    state = parse(back)
    assert not state.problems
    assert state.scenario == scenario
    assert state.scenario.to_json() == validate_scenario(scenario, *frames()).to_json()
    assert (state.lang, state.scenario_id) == (lang, s)
    assert state.compare == (tuple(compare) if compare else ())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=30), st.text(max_size=30) | st.lists(st.text(max_size=10)),
                       max_size=8))
def test_parse_never_raises(params) -> None:
    state = parse(params)
    assert state.lang in ("vi", "en")
    assert validate_scenario(state.scenario, *frames()) == state.scenario
    assert len(state.compare) <= links.COMPARE_MAX
    assert all(p.code in links.PROBLEM_CODES for p in state.problems)
    for p in state.problems:
        problem_text(p, "en")


def test_read_path_is_the_plain_page_of_a_scenario():
    assert links.read_path("plan_targets") == "/s/plan_targets"
    assert links.read_path("AAAAAAAAAAAAAAAB", "en") == "/s/AAAAAAAAAAAAAAAB?lang=en"
    for bad in ("bad!id", "", "X" * 17):
        with pytest.raises(ValueError, match="not a scenario id"):
            links.read_path(bad)
    with pytest.raises(ValueError, match="unknown language"):
        links.read_path("plan_targets", "fr")
