"""Scenario validation: whole, with every problem named, nothing partially applied."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.problems import CODES, Problem, problem_text
from planner.scenario import (
    BASELINE,
    Scenario,
    ScenarioError,
    nearest_allowed,
    parse_set_args,
    validate_scenario,
)
from tests.engine_support import mini_dataset


def _validate(raw):
    ds = mini_dataset()
    return validate_scenario(raw, ds.levers, ds.assumptions)


def test_valid_scenario_round_trips_through_json():
    sc = _validate({"levers": {"online_filing": {"2027": 90, 2030: "95.5"}},
                    "overrides": {"e_filing_to_dg": 0.004}})
    assert sc.levers == {"online_filing": {2027: 90.0, 2030: 95.5}}
    assert sc.overrides == {"e_filing_to_dg": 0.004}
    assert _validate(sc.to_json()) == sc
    assert not sc.is_baseline() and _validate(None).is_baseline()


def test_every_problem_is_reported_with_field_and_range():
    with pytest.raises(ScenarioError) as err:
        _validate({"levers": {"online_filing": {"2027": 140, "2028": 50}, "nope": {"2027": 1},
                              "cashless": {"2030": "abc"}, "ecommerce": {"2027": [1]}},
                   "overrides": {"e_filing_to_dg": 9, "unknown_thing": 1}, "extra": 1})
    found = {p.field: p for p in err.value.problems}
    assert found["levers.online_filing.2027"] == Problem(
        "levers.online_filing.2027", "out_of_range", {"value": 140.0, "min": 0.0, "max": 100.0})
    assert "outside the allowed range [0, 100]" in problem_text(found["levers.online_filing.2027"], "en")
    assert found["levers.online_filing.2028"].code == "bad_year"
    assert found["levers.online_filing.2028"].detail == {"year": "2028", "allowed": "2027, 2030"}
    assert found["levers.nope"].code == "unknown_lever"
    assert found["levers.cashless.2030"].code == "not_a_number"
    assert found["levers.ecommerce.2027"].code == "not_a_number"
    assert "[0.001, 0.005]" in problem_text(found["overrides.e_filing_to_dg"], "en")
    assert found["overrides.unknown_thing"].code == "unknown_assumption"
    assert found["extra"].code == "unknown_field"
    assert all(p.code in CODES for p in err.value.problems)
    assert str(err.value) == " ".join(problem_text(p, "en") for p in err.value.problems)


def test_an_out_of_range_value_is_told_in_vietnamese_with_no_english():
    with pytest.raises(ScenarioError) as err:
        _validate({"levers": {"online_filing": {"2027": 140}}, "overrides": {"e_filing_to_dg": 9}})
    vi = [problem_text(p, "vi") for p in err.value.problems]
    en = [problem_text(p, "en") for p in err.value.problems]
    assert vi == ["“levers.online_filing.2027”: giá trị 140 nằm ngoài khoảng cho phép [0; 100].",
                  "“overrides.e_filing_to_dg”: giá trị 9 nằm ngoài khoảng cho phép [0,001; 0,005]."]
    english_words = {w for text in en for w in re.findall(r"[A-Za-z]{3,}", text)
                     if not any(w in p.field for p in err.value.problems)}
    assert english_words >= {"outside", "allowed", "range"}
    for text in vi:
        assert not english_words & set(re.findall(r"[A-Za-z]{3,}", text)), text


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", {"levers": [1]}, {"overrides": "x"},
                                 {"levers": {"cashless": 5}}, {"levers": {"cashless": {"2027": True}}},
                                 {"levers": {"cashless": {"2027": float("nan")}}}])
def test_malformed_scenarios_are_rejected(raw):
    with pytest.raises(ScenarioError):
        _validate(raw)


def test_parse_set_args():
    raw = parse_set_args(["online_filing@2027=90", "cashless@2030=70"])
    assert raw == {"levers": {"online_filing": {"2027": "90"}, "cashless": {"2030": "70"}}, "overrides": {}}
    with pytest.raises(ScenarioError, match="LEVER@YEAR=VALUE"):
        parse_set_args(["online_filing=90"])


def test_scenario_key_is_canonical():
    a = Scenario({"b": {2030: 1.0, 2027: 2.0}, "a": {2027: 1.0}}, {"z": 1.0, "y": 2.0})
    b = Scenario({"a": {2027: 1.0}, "b": {2027: 2.0, 2030: 1.0}}, {"y": 2.0, "z": 1.0})
    assert a.key() == b.key()


def _nearest(raw):
    ds = mini_dataset()
    return nearest_allowed(raw, ds.levers, ds.assumptions)


def test_nearest_allowed_moves_values_into_range_and_leaves_out_the_unknown():
    sc, problems = _nearest({"levers": {"online_filing": {"2027": 140, "2030": -5, "2028": 50},
                                        "nope": {"2027": 1}, "cashless": {"2030": "abc"},
                                        "ecommerce": {"2027": 60}},
                             "overrides": {"e_filing_to_dg": 9, "unknown_thing": 1}})
    assert sc.levers == {"online_filing": {2027: 100.0, 2030: 0.0}, "ecommerce": {2027: 60.0}}
    assert sc.overrides == {"e_filing_to_dg": 0.005}
    fields = {p.field: p for p in problems}
    assert fields["levers.online_filing.2027"].detail == {"value": 140.0, "min": 0.0, "max": 100.0}
    assert fields["levers.online_filing.2030"].detail == {"value": -5.0, "min": 0.0, "max": 100.0}
    assert set(fields) == {"levers.online_filing.2027", "levers.online_filing.2030",
                           "levers.online_filing.2028", "levers.nope", "levers.cashless.2030",
                           "overrides.e_filing_to_dg", "overrides.unknown_thing"}
    # the result is valid as it is
    assert _validate(sc.to_dict()) == sc


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]"])
def test_nearest_allowed_of_something_that_is_no_scenario_is_the_baseline(raw):
    sc, problems = _nearest(raw)
    assert sc == BASELINE and problems and problems[0].field == "scenario"
    assert problems[0].code in ("bad_json", "bad_shape")


_values = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-1000, 1000),
                    st.text(max_size=4), st.booleans())
_raw = st.fixed_dictionaries({
    "levers": st.dictionaries(st.sampled_from(["online_filing", "cashless", "ecommerce", "nope"]),
                              st.dictionaries(st.sampled_from(["2027", "2030", "2028", "x"]),
                                              _values, max_size=3), max_size=4),
    "overrides": st.dictionaries(st.sampled_from(["e_filing_to_dg", "unknown_thing"]), _values,
                                 max_size=2)})


@given(_raw)
def test_nearest_allowed_is_always_valid_and_agrees_with_validation(raw):
    sc, problems = _nearest(raw)
    assert _validate(sc.to_dict()) == sc
    try:
        valid = _validate(raw)
    except ScenarioError as exc:
        assert problems == exc.problems
    else:
        assert (sc, problems) == (valid, [])
