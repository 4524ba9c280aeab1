// The lever panel's preview: the headline numbers of lever values, computed from the response
// the server sends (planner/lever_response.py, lever_response). The same computation as
// planner.lever_response.preview, which the tests compare with the model's own numbers.
// Plain script: the panel's module (panel.js) is appended to it, and Node can require it.

const LEVER_TOLERANCE = 1e-9;

function clip(v, lo, hi) {
  return Math.min(Math.max(v, lo), hi === null ? Infinity : hi);
}

// {lever: {year: setting}}: a control at its default leaves the lever on its exact baseline.
function effectiveSettings(response, values) {
  const out = {};
  for (const [lid, lv] of Object.entries(response.levers)) {
    out[lid] = {};
    for (const [y, def] of Object.entries(lv.default)) {
      const given = values[lid] && values[lid][y] !== undefined ? Number(values[lid][y]) : def;
      out[lid][y] = Math.abs(given - def) <= LEVER_TOLERANCE ? lv.baseline[y] : given;
    }
  }
  return out;
}

// The whole place of a score from a rank's steps ({below, steps: [[score, place], ...]}).
function placeAt(steps, score) {
  let place = steps.below;
  for (const [s, p] of steps.steps) {
    if (score >= s) place = p;
  }
  return place;
}

// {outcomes: {outcome: {year: value}}, places: {rank: {year: place}},
//  reached: {year: [reached, targets]}} of control values {lever: {year: value}}.
function computePreview(response, values) {
  const eff = effectiveSettings(response, values);
  const outcomes = {};
  for (const [ind, byYear] of Object.entries(response.outcomes)) {
    const [lo, hi] = response.bounds[ind];
    outcomes[ind] = {};
    for (const [y, r] of Object.entries(byYear)) {
      let v = r.base;
      for (const [lid, slopes] of Object.entries(r.per_unit)) {
        for (const [sy, slope] of Object.entries(slopes)) {
          v += slope * (eff[lid][sy] - response.levers[lid].baseline[sy]);
        }
      }
      outcomes[ind][y] = clip(v, lo, hi);
    }
  }
  const comp = response.composite;
  const pillars = Object.keys(comp.weights);
  const [olo, ohi] = response.bounds[comp.outcome];
  outcomes[comp.outcome] = {};
  for (const y of Object.keys(response.outcomes[pillars[0]])) {
    let mean = 0;
    for (const p of pillars) mean += comp.weights[p] * outcomes[p][y];
    outcomes[comp.outcome][y] = clip(comp.offset + comp.scale * mean, olo, ohi);
  }
  const places = {};
  for (const [rid, r] of Object.entries(response.ranks)) {
    places[rid] = {};
    for (const [y, steps] of Object.entries(r.places)) {
      places[rid][y] = placeAt(steps, outcomes[r.score][y]);
    }
  }
  const reached = {};
  for (const y of response.years) reached[String(y)] = [0, 0];
  for (const tg of response.targets) {
    const y = String(tg.year);
    const value = places[tg.indicator] ? places[tg.indicator][y] : outcomes[tg.indicator][y];
    const gap = tg.higher_is_better ? tg.value - value : value - tg.value;
    reached[y][1] += 1;
    if (gap <= LEVER_TOLERANCE) reached[y][0] += 1;
  }
  return { outcomes, places, reached };
}

if (typeof module !== "undefined") {
  module.exports = { computePreview, effectiveSettings, placeAt };
}
