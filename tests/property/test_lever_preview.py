"""The lever panel's preview equals the model's headline.

The panel computes its numbers in the browser (``ui/levers/compute.js``) from the response the
server sends (:func:`planner.lever_response.lever_response`). Here Node runs that JavaScript on
random control values and the results are compared with the central run's: to 1e-9 for every
outcome that is not a rank, exactly for the rank's place and the targets reached.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.dataset import read_data_dir
from planner.engine import fit_dataset
from planner.lever_response import central_numbers, lever_response, preview
from planner.views import lever_views, scenario_from_controls
from tests.needs import missing

COMPUTE = Path(__file__).parents[2] / "ui" / "levers" / "compute.js"
# one Node process answers a JSON line per line: {"response": ..., "values": ...}
RUNNER = f"""
const {{ computePreview }} = require({json.dumps(str(COMPUTE))});
const rl = require("readline").createInterface({{ input: process.stdin }});
let response = null;
rl.on("line", (line) => {{
  const msg = JSON.parse(line);
  if (msg.response) response = msg.response;
  process.stdout.write(JSON.stringify(computePreview(response, msg.values)) + "\\n");
}});
"""


@functools.cache
def real_model():
    return fit_dataset(read_data_dir("data"))


@pytest.fixture(scope="module")
def node():
    exe = shutil.which("node") or ("/usr/bin/node" if Path("/usr/bin/node").exists() else None)
    if exe is None:
        missing("Node.js", "apt-get install nodejs")
    proc = subprocess.Popen([exe, "-e", RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, bufsize=1)
    sent = {"response": False}

    def run(response: dict, values: dict) -> dict:
        msg = {"values": values}
        if not sent["response"]:
            msg["response"] = response
            sent["response"] = True
        proc.stdin.write(json.dumps(msg) + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    yield run
    proc.stdin.close()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def case():
    model = real_model()
    return model, lever_views(model), lever_response(model)


def _values(levers, data):
    """Control values on each lever's grid: a grid point, an end, or the default."""
    out = {}
    for lv in levers:
        out[lv.id] = {}
        for y, default in lv.default.items():
            kind = data.draw(st.sampled_from(["grid", "grid", "min", "max", "default"]))
            if kind == "grid":
                out[lv.id][str(y)] = data.draw(st.sampled_from(lv.options))
            else:
                out[lv.id][str(y)] = {"min": lv.min, "max": lv.max, "default": default}[kind]
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_preview_in_node_equals_the_central_run(node, case, data):
    model, levers, response = case
    values = _values(levers, data)
    controls = {lid: {int(y): v for y, v in by.items()} for lid, by in values.items()}
    scenario = model.validate(scenario_from_controls(levers, controls))
    want = central_numbers(model, scenario)
    got = node(response, values)
    for ind, by_year in want["outcomes"].items():
        for y, value in by_year.items():
            assert got["outcomes"][ind][y] == pytest.approx(value, abs=1e-9, rel=0), (ind, y)
    assert got["places"] == want["places"]
    assert got["reached"] == preview(response, values)["reached"]


def test_preview_reaches_a_target_as_the_model_does(node, case):
    """The digital economy's 30% of 2030 is out of reach of the levers; with every lever
    at its end, the preview says so as the Python one does (none of two reached)."""
    model, levers, response = case
    values = {lv.id: {str(y): lv.max for y in lv.default} for lv in levers}
    got = node(response, values)
    assert got["reached"]["2030"] == [0, 2]
    assert got["reached"] == preview(response, values)["reached"]
