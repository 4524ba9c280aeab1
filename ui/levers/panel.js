// The lever panel (st.components.v2): a native range input per lever and settable year, and the
// headline of the settable years and 2030 computed here on every input event (compute.js, which
// precedes this module). Python hears of a move once: on release of a drag, or when keyboard
// steps have paused for KEY_SETTLE_MS. The server then reruns the page's headline, not this
// panel: the headline (headline/strip.js) tells it which values the server took with the event
// SETTLED, and the panel's headline stops being marked as a preview. When the server gives the
// panel new data (a reset, goal seek, a link, an assumption) it takes the values from there.
// ui/lever_panel.py describes the data.

const KEY_SETTLE_MS = 350;
const SETTLED = "planner-levers-settled";
const PANELS = new WeakMap();
const LIVE = new Set();  // the panels on the page, for SETTLED
let listening = false;

function formatter(locale, decimals) {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true,
  });
}

// A value in its unit, as planner.formatting.fmt_value writes it: a whole value without
// decimals, otherwise the unit's decimals; a percent with "%".
function formatValue(locale, value, fmt) {
  const whole = Number.isInteger(value);
  const text = formatter(locale, whole ? 0 : fmt.decimals).format(value);
  return fmt.percent ? `${text}%` : text;
}

function fill(text, fields) {
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in fields ? String(fields[k]) : m));
}

function sameValues(a, b) {
  if (!a || !b) return false;
  for (const lid of Object.keys(a)) {
    for (const y of Object.keys(a[lid])) {
      if (!b[lid] || Math.abs(Number(a[lid][y]) - Number(b[lid][y])) > 1e-9) return false;
    }
  }
  return true;
}

function copyValues(v) {
  return JSON.parse(JSON.stringify(v));
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function build(root, data) {
  const st = { data, values: copyValues(data.values), sent: null, dragging: false,
               keyTimer: null, inputs: {}, outputs: {}, cells: {}, setTrigger: null };
  const box = el("div", { class: "lp" });
  // the headline: what the levers make of the settable years and 2030
  const head = el("section", { class: "lp-head", "data-testid": "lever-preview",
                               "data-state": "confirmed" });
  head.appendChild(el("p", { class: "lp-heading" }, data.text.heading));
  const status = el("p", { class: "lp-status", "data-testid": "lever-preview-status" });
  head.appendChild(status);
  // a row per outcome, a column per year
  const table = el("table", { class: "lp-table" });
  const top = el("tr");
  top.appendChild(el("td"));
  for (const y of data.head_years) top.appendChild(el("th", { scope: "col" }, String(y)));
  table.appendChild(el("thead")).appendChild(top);
  const body = el("tbody");
  for (const row of data.rows) {
    const tr = el("tr");
    tr.appendChild(el("th", { scope: "row", class: "lp-name" }, row.label));
    for (const y of data.head_years) {
      const value = el("td", { class: "lp-number", "data-testid": `preview-${row.id}-${y}` });
      tr.appendChild(value);
      st.cells[`${row.id}|${y}`] = value;
    }
    body.appendChild(tr);
  }
  table.appendChild(body);
  head.appendChild(table);
  box.appendChild(head);
  st.head = head;
  st.status = status;
  // a box per lever, its settable years side by side
  for (const lv of data.levers) {
    const fs = el("fieldset", { class: "lp-lever", "data-testid": `lever-box-${lv.id}` });
    fs.appendChild(el("legend", {}, lv.label));
    fs.appendChild(el("p", { class: "lp-evidence" }, lv.evidence));
    const years = el("div", { class: "lp-years" });
    for (const y of data.years) {
      const cell = lv.years[String(y)];
      const id = `lever-${lv.id}-${y}`;
      const wrap = el("div", { class: "lp-cell" });
      const top = el("div", { class: "lp-top" });
      top.appendChild(el("label", { for: id }, fill(data.text.year, { year: y })));
      const out = el("output", { for: id, class: "lp-value", "data-testid": `value-${id}` });
      top.appendChild(out);
      wrap.appendChild(top);
      const track = el("div", { class: "lp-track" });
      const input = el("input", {
        type: "range", id, min: String(lv.min), max: String(lv.max), step: String(lv.step),
        "aria-label": cell.label, "data-testid": id, "data-lever": lv.id, "data-year": String(y),
      });
      track.appendChild(input);
      for (const mark of cell.ticks) {
        const tick = el("span", { class: `lp-tick lp-tick-${mark.kind}`, "aria-hidden": "true" });
        tick.style.left = `${(100 * (mark.value - lv.min)) / (lv.max - lv.min)}%`;
        track.appendChild(tick);
      }
      wrap.appendChild(track);
      wrap.appendChild(el("p", { class: "lp-marks" }, cell.marks));
      years.appendChild(wrap);
      st.inputs[`${lv.id}|${y}`] = input;
      st.outputs[`${lv.id}|${y}`] = out;
      listen(st, input, lv.id, String(y));
    }
    fs.appendChild(years);
    box.appendChild(fs);
  }
  root.appendChild(box);
  st.box = box;
  return st;
}

function commit(st) {
  if (st.keyTimer !== null) {
    clearTimeout(st.keyTimer);
    st.keyTimer = null;
  }
  if (sameValues(st.values, st.data.values) && sameValues(st.data.values, st.values)) {
    showStatus(st, false);
    return;
  }
  st.sent = copyValues(st.values);
  st.setTrigger("values", { values: st.sent });
}

function listen(st, input, lid, y) {
  let byKey = false;
  input.addEventListener("pointerdown", () => { st.dragging = true; byKey = false; });
  input.addEventListener("keydown", () => { byKey = true; });
  const release = () => {
    if (!st.dragging) return;
    st.dragging = false;
  };
  input.addEventListener("pointerup", release);
  input.addEventListener("pointercancel", release);
  input.addEventListener("input", () => {
    st.values[lid][y] = Number(input.value);
    showLever(st, lid, y);
    showHeadline(st);
    showStatus(st, true);
  });
  // "change" comes on release of a drag, and on each keyboard step: those wait for the last
  input.addEventListener("change", () => {
    st.dragging = false;
    if (byKey) {
      if (st.keyTimer !== null) clearTimeout(st.keyTimer);
      st.keyTimer = setTimeout(() => commit(st), KEY_SETTLE_MS);
    } else {
      commit(st);
    }
  });
}

function showLever(st, lid, y) {
  const key = `${lid}|${y}`;
  const lv = st.data.levers.find((l) => l.id === lid);
  const value = Number(st.values[lid][y]);
  const text = formatValue(st.data.locale, value, lv.format);
  st.outputs[key].textContent = text;
  const input = st.inputs[key];
  if (Number(input.value) !== value) input.value = String(value);
  input.setAttribute("aria-valuenow", String(value));
  input.setAttribute("aria-valuetext", text);
}

function showHeadline(st) {
  const data = st.data;
  const got = computePreview(data.response, st.values);
  for (const y of data.head_years) {
    const ys = String(y);
    for (const row of data.rows) {
      let text;
      if (row.kind === "rank") {
        const place = got.places[row.id][ys];
        const n = formatter(data.locale, 0);
        text = `${n.format(place)}/${n.format(data.response.ranks[row.id].field[ys])}`;
      } else if (row.kind === "reached") {
        const [good, all] = got.reached[ys];
        text = all ? fill(data.text.reached, { good, total: all }) : data.text.no_targets;
      } else {
        text = formatValue(data.locale, got.outcomes[row.id][ys], row.format);
      }
      const cell = st.cells[`${row.id}|${y}`];
      if (cell.textContent !== text) cell.textContent = text;
    }
  }
}

function showStatus(st, preview) {
  st.head.setAttribute("data-state", preview ? "preview" : "confirmed");
  st.status.textContent = preview ? st.data.text.preview : "";
}

// The values the server holds: the ones sent (then confirmed), or new ones (a reset, goal
// seek, a link). While a lever is moving or a key step waits, the person's values stay.
function settle(st, values) {
  st.data = Object.assign({}, st.data, { values });
  const busy = st.dragging || st.keyTimer !== null;
  if (!busy) {
    st.values = copyValues(values);
    st.sent = null;
  }
  for (const lv of st.data.levers) {
    for (const y of st.data.years) showLever(st, lv.id, String(y));
  }
  showHeadline(st);
  showStatus(st, busy || !sameValues(st.values, values));
}

function heard(event) {
  for (const st of LIVE) {
    if (st.box.isConnected) settle(st, event.detail); else LIVE.delete(st);
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  // what the panel is built from: a new language or set of levers builds it again
  const shape = JSON.stringify([data.locale, data.years, data.head_years, data.levers,
                                data.rows, data.text]);
  let st = PANELS.get(parentElement);
  if (st && st.shape !== shape) {
    st.box.remove();
    LIVE.delete(st);
    st = null;
  }
  if (!st) {
    st = build(parentElement, data);
    st.shape = shape;
    PANELS.set(parentElement, st);
    LIVE.add(st);
    if (!listening) {
      listening = true;
      window.addEventListener(SETTLED, heard);
    }
  }
  st.setTrigger = setTriggerValue;
  st.data = data;
  st.renders = (st.renders || 0) + 1;  // the server's drawings of the panel, for tests
  st.box.dataset.renders = String(st.renders);
  settle(st, data.values);
}
