// The scenarios page's headline (st.components.v2): each outcome in the first settable year and
// 2030, its change against the baseline, the rank's range and the targets ahead on track. Every
// text comes from the server in the page's language (ui/headline_strip.py describes the data);
// this lays them out and, on a lever move, puts the new texts in place. It then tells the lever
// panel (levers/panel.js) which lever values the server took (data.settled), with the event
// "planner-levers-settled": the panel is not rerun by a move.

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// A caption that may hold **bold** parts, as text nodes (never as HTML).
function rich(tag, attrs, text) {
  const node = el(tag, attrs);
  text.split("**").forEach((part, i) => {
    if (part) node.appendChild(i % 2 ? el("strong", {}, part) : document.createTextNode(part));
  });
  return node;
}

const ARROWS = { up: "M12 19V5M5 12l7-7 7 7", down: "M12 5v14M19 12l-7 7-7-7" };

function chip(row, cell) {
  const change = cell.change;
  const node = el("span", { class: `hl-delta hl-${change.tone}`,
                            "data-testid": `headline-delta-${row.id}-${cell.year}` });
  if (ARROWS[change.tone]) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ARROWS[change.tone]);
    svg.appendChild(path);
    node.appendChild(svg);
  }
  node.appendChild(document.createTextNode(change.text));
  return node;
}

function build(data) {
  const box = el("section", { class: "hl", "aria-label": data.heading });
  box.appendChild(el("p", { class: "hl-heading" }, data.heading));
  const heads = el("div", { class: "hl-years" });
  for (const col of data.columns) heads.appendChild(rich("p", { class: "hl-caption" }, col.caption));
  box.appendChild(heads);
  for (const row of data.rows) {
    const part = el("div", { class: "hl-row" });
    part.appendChild(el("p", { class: "hl-label" }, row.label));
    const cells = el("div", { class: "hl-years" });
    for (const cell of row.cells) {
      const place = el("div", { class: "hl-cell", role: "group", "aria-label": cell.name });
      place.appendChild(el("p", { class: "hl-value",
                                  "data-testid": `headline-${row.id}-${cell.year}` }, cell.value));
      if (cell.change) place.appendChild(chip(row, cell));
      cells.appendChild(place);
    }
    part.appendChild(cells);
    for (const note of row.notes) part.appendChild(el("p", { class: "hl-note" }, note));
    box.appendChild(part);
  }
  const track = el("div", { class: "hl-track" });
  track.appendChild(el("p", { class: "hl-label" }, data.on_track.label));
  const end = el("div", { class: "hl-track-value" });  // the number and its help stay together
  end.appendChild(el("p", { class: "hl-value", "data-testid": "headline-on-track" },
                      data.on_track.value));
  end.appendChild(el("span", { class: "hl-help", tabindex: "0", role: "img",
                               "aria-label": data.on_track.help, title: data.on_track.help },
                     "?"));
  track.appendChild(end);
  box.appendChild(track);
  return box;
}

export default function (component) {
  const { data, parentElement } = component;
  // built anew from the data each time: a few dozen nodes, replaced in one step (the parent
  // is the component's shadow root, where ":scope" matches nothing: look the box up by class)
  const old = parentElement.querySelector(".hl");
  const box = build(data);
  if (old) old.replaceWith(box); else parentElement.appendChild(box);
  if (data.settled) {
    window.dispatchEvent(new CustomEvent("planner-levers-settled", { detail: data.settled }));
  }
}
