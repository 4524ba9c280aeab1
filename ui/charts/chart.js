// One Plotly figure, drawn by the page's own copy of plotly.js (loaded from this server once a
// chart needs it) and updated in place (Plotly.react) when the figure changes.
//
// A figure, the first one too, is drawn at once only when the chart is within a screen's
// height of the view; further away it is kept and drawn when the chart comes that near, or
// when the page is printed. A page whose charts are far below the view (the scenarios page
// opened at its levers) neither loads plotly.js nor draws them until they are needed: both
// cost a browser more than the rest of the page's drawing, and a lever move does not wait for
// charts nobody sees.

// Run plotly.js's text as an inline script (which runs as it is added), unless it is there.
function run(text) {
  if (!window.Plotly) {
    const script = document.createElement("script");
    script.textContent = text;
    document.head.appendChild(script);
  }
  if (!window.Plotly) throw new Error("plotly.js did not run");
  return window.Plotly;
}

// plotly.js, fetched once a chart needs it; a fetch and a print's fetch (plotlyNow) may both
// arrive, but it runs once.
function plotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__plannerPlotly) {
    window.__plannerPlotly = fetch(src)
      .then((response) => {
        if (!response.ok) throw new Error(`plotly.js did not load from ${src}`);
        return response.text();
      })
      .then(run)
      .catch((error) => {
        window.__plannerPlotly = null;  // the next draw tries again
        throw error;
      });
  }
  return window.__plannerPlotly;
}

// plotly.js at once, for a print: the page is laid out for paper right after the print's
// handlers return, so it is fetched synchronously. Returns whether it is there.
function plotlyNow(src) {
  if (window.Plotly) return true;
  try {
    const request = new XMLHttpRequest();
    request.open("GET", src, false);
    request.send();
    if (request.status === 200) run(request.responseText);
  } catch (e) {
    return false;
  }
  return Boolean(window.Plotly);
}

// Draw a chart's kept figure, if any: at once when plotly.js is there (so that a draw before
// printing is done before the page is laid out for paper), else once it has loaded.
function draw(box) {
  const next = box.__plannerNext;
  if (!next) return;
  box.__plannerNext = null;
  const react = (P) => P.react(box, next.data, next.layout, next.config);
  const failed = () => { box.textContent = next.unavailable; };  // in the page's language
  if (window.Plotly) {
    react(window.Plotly);
    return;
  }
  plotly(next.src).then(react, failed);
}

// The box the page scrolls in (Streamlit's main area), or null for the window. The watcher's
// margin counts from its edges: with the window as the root, a scrolling box clips a chart
// just below its bottom edge out of the margin, and the chart counts as far.
function scroller() {
  const main = document.querySelector('[data-testid="stMain"]');
  return main && /(auto|scroll)/.test(getComputedStyle(main).overflowY) ? main : null;
}

// One watcher for the page: which charts are near the view; every kept figure drawn before
// printing (the print dialog, or print media emulated).
function nearness() {
  if (!window.__plannerNear) {
    window.__plannerNear = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        entry.target.__plannerIsNear = entry.isIntersecting;
        if (entry.isIntersecting) draw(entry.target);
      }
    }, { root: scroller(), rootMargin: "100% 0px" });
    const all = () => {
      const boxes = [...document.querySelectorAll(".planner-chart")];
      const kept = boxes.find((box) => box.__plannerNext);
      if (kept) plotlyNow(kept.__plannerNext.src);
      boxes.forEach(draw);
    };
    window.addEventListener("beforeprint", all);
    window.matchMedia("print").addEventListener("change", (m) => { if (m.matches) all(); });
  }
  return window.__plannerNear;
}

export default function (component) {
  const { data, parentElement } = component;
  let box = parentElement.querySelector(":scope > .planner-chart");
  if (!box) {
    box = document.createElement("div");
    box.className = "planner-chart";
    box.setAttribute("role", "figure");
    parentElement.appendChild(box);
    nearness().observe(box);
  }
  box.setAttribute("aria-label", data.label);
  const layout = Object.assign({}, data.figure.layout, { autosize: true });
  delete layout.width;  // the column's width
  box.style.minHeight = `${layout.height}px`;  // its place kept until plotly.js is there
  box.__plannerNext = { data: data.figure.data, layout, config: data.config, src: data.src,
                        unavailable: data.unavailable };
  // at once when near the view; else when the watcher sees it near (its first report on a new
  // chart comes with the next frame) or the page is printed
  if (box.__plannerIsNear) draw(box);
}
