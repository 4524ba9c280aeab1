"""Export benchmarks: PowerPoint, PDF, Excel, and one chart image with the browser warm.

Each is timed from a built bundle (the page's numbers are already computed when a download is
clicked); building the bundle itself is timed apart.
"""

from __future__ import annotations

from bench.timing import median_ms
from planner.engine import load_model
from planner.export import images, render
from planner.export.bundle import from_model
from planner.store import open_store

GOALS_MS = {"pptx": 2000, "pdf": 2000, "xlsx": 1000, "chart_image_warm": 1000}


def run(quick: bool = False) -> dict:
    """Time each export on the current dataset of ``PLANNER_DB``.

    Parameters
    ----------
    quick : bool, optional
        Two runs of each instead of ten (a check that the bench runs).

    Returns
    -------
    dict
        One entry per measurement with its goal in milliseconds; the chart image is left out
        (with the reason) where Chromium is missing.
    """
    model = load_model(open_store())
    # the years a scenario sets (a bench needs one left: it runs before 2030)
    first, last = str(model.settable_years[0]), str(model.settable_years[-1])
    scenario = model.validate({"levers": {"online_filing": {first: 95},
                                          "cashless": {first: 50, last: 75}}})
    sim = model.simulate(scenario)
    from planner.targets import evaluate_targets

    frame, targets = sim.frame(), evaluate_targets(model, sim)
    bundle = from_model(model, scenario, "vi", frame=frame, targets=targets)
    n = 2 if quick else 10
    out = {
        "bundle": median_ms(lambda: from_model(model, scenario, "vi", frame=frame,
                                               targets=targets), n),
        "pptx": median_ms(lambda: render(bundle, "pptx"), n),
        "pdf": median_ms(lambda: render(bundle, "pdf"), n),
        "xlsx": median_ms(lambda: render(bundle, "xlsx"), n),
        "csv": median_ms(lambda: render(bundle, "csv"), n),
    }
    if images.available():
        out["chart_image_warm"] = median_ms(
            lambda: images.chart_image(bundle, "digital_economy_share_grdp", "png"), n)
        out["charts_zip_png"] = median_ms(lambda: render(bundle, "png"), min(n, 3), warmup=0)
    else:
        out["chart_image_warm"] = {"skipped": "no Chromium"}
    for key, value in out.items():
        if key in GOALS_MS and "median_ms" in value:
            value["goal_ms"] = GOALS_MS[key]
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
