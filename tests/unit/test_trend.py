"""Trend models: options checked on construction, fits, forecast frames, bounds."""

import numpy as np
import pytest

from planner.trend import TrendModel, expit, logit


def test_logit_roundtrip():
    p = np.array([1.0, 45.0, 76.0, 99.0])
    assert np.allclose(expit(logit(p, 100), 100), p)


def test_linear_fit_three_points_has_fitted_interval():
    res = TrendModel([2020, 2021, 2022], [1.0, 2.1, 2.9], method="linear").fit()
    assert res.n_points == 3 and res.note == "fitted"
    assert res.slope == pytest.approx(0.95)
    assert res.anchor_year == 2022 and res.anchor_value == 2.9
    assert 0 < res.rsquared <= 1 and res.df == 1
    fc = res.forecast(range(2022, 2031))
    assert list(fc.columns) == ["year", "mean", "lower", "upper"]
    assert fc["year"].tolist() == list(range(2022, 2031))
    # anchored at the last observation; widens with distance
    assert fc.iloc[0]["mean"] == pytest.approx(2.9)
    width = (fc["upper"] - fc["lower"]).to_numpy()
    assert width[0] == pytest.approx(0) and np.all(np.diff(width) > 0)


def test_logit_linear_two_points_stays_in_bounds_and_says_so():
    res = TrendModel([2021, 2023], [45.0, 76.0], method="logit_linear", scale=100, slope_cv=0.5).fit()
    assert res.n_points == 2 and res.note == "two_points"
    assert res.slope_sd == pytest.approx(0.5 * res.slope)
    fc = res.forecast(range(2020, 2041))
    assert (fc[["mean", "lower", "upper"]] >= 0).all().all()
    assert (fc[["mean", "lower", "upper"]] <= 100).all().all()
    assert fc.set_index("year").loc[2021, "mean"] == pytest.approx(45.0)
    assert fc.set_index("year").loc[2023, "mean"] == pytest.approx(76.0)
    row = fc.set_index("year").loc[2030]
    assert row["lower"] < row["mean"] < row["upper"]


def test_growth_method_from_assumed_level():
    res = TrendModel([], [], method="logit_growth", scale=100, level=35.0, anchor_year=2023,
                     growth=0.2, growth_low=0.05, growth_high=0.4).fit()
    assert res.n_points == 0 and res.note == "assumed_level"
    fc = res.forecast([2023, 2025, 2030]).set_index("year")
    assert fc.loc[2023, "mean"] == pytest.approx(35.0)
    assert fc.loc[2025, "mean"] == pytest.approx(float(expit(logit(35.0, 100) + 0.4, 100)))
    assert fc.loc[2030, "lower"] < fc.loc[2030, "mean"] < fc.loc[2030, "upper"]


def test_one_point_linear_growth():
    res = TrendModel([2024], [7.1], method="linear_growth", growth=0.8, growth_low=0.1,
                     growth_high=2.0).fit()
    assert res.note == "one_point" and res.n_points == 1
    assert res.forecast([2030]).iloc[0]["mean"] == pytest.approx(7.1 + 6 * 0.8)


@pytest.mark.parametrize("kwargs, message", [
    ({"method": "cubic"}, "method must be one of"),
    ({"method": "logit_linear"}, "positive scale"),
    ({"method": "linear", "years": [2020], "values": [1.0]}, "at least two points"),
    ({"method": "linear", "years": [2020, 2021], "values": [1.0, 2.0]}, "slope_cv"),
    ({"method": "logit_linear", "scale": 100, "slope_cv": 0.5, "years": [2020, 2021],
      "values": [50.0, 120.0]}, "must lie in"),
    ({"method": "linear", "slope_cv": 0.5, "years": [2020, 2020], "values": [1.0, 2.0]}, "distinct"),
    ({"method": "logit_growth", "scale": 1, "growth": 0.5, "growth_low": 0.0, "growth_high": 0.3},
     "within"),
    ({"method": "linear_growth", "growth": 0.1, "growth_low": 0.0, "growth_high": 0.3},
     "observed point or an assumed level"),
    ({"method": "linear_growth", "growth": 0.1, "growth_low": 0.0, "growth_high": 0.3,
      "level": 3.0}, "anchor_year"),
])
def test_options_checked_on_construction(kwargs, message):
    years = kwargs.pop("years", [2020, 2021, 2022])
    values = kwargs.pop("values", [0.1, 0.2, 0.3])
    if kwargs["method"].endswith("growth") and "level" not in kwargs and message.startswith("observed"):
        years, values = [], []
    with pytest.raises(ValueError, match=message):
        TrendModel(years, values, **kwargs)


def test_forecast_rejects_bad_coverage():
    res = TrendModel([2020, 2021, 2022], [1.0, 2.0, 3.5], method="linear").fit()
    with pytest.raises(ValueError, match="coverage"):
        res.forecast([2025], coverage=1.5)
