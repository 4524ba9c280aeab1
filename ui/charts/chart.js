// One Plotly figure, drawn by the page's own copy of plotly.js (loaded once, from this
// server) and updated in place (Plotly.react) when the figure changes.
//
// A chart is drawn as soon as it arrives. A later figure (a lever move) is drawn at once when
// the chart is within a screen's height of the view; further away it is kept and drawn when the
// chart comes that near, or when the page is printed: a lever move does not wait for charts
// nobody sees, and a chart is up to date before anyone sees it.
function plotly(src) {
  if (!window.__plannerPlotly) {
    window.__plannerPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        window.__plannerPlotly = null;  // the next draw tries again
        reject(new Error(`plotly.js did not load from ${src}`));
      };
      document.head.appendChild(script);
    });
  }
  return window.__plannerPlotly;
}

// Draw a chart's kept figure, if any: at once when plotly.js is there (so that a draw before
// printing is done before the page is laid out for paper), else once it has loaded.
function draw(box) {
  const next = box.__plannerNext;
  if (!next) return;
  box.__plannerNext = null;
  const react = (P) => P.react(box, next.data, next.layout, next.config);
  const failed = () => { box.textContent = next.unavailable; };  // in the page's language
  if (window.Plotly && box.__plannerDrawn) {
    react(window.Plotly);
    return;
  }
  plotly(next.src).then((P) => { box.__plannerDrawn = true; return react(P); }, failed);
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
    }, { rootMargin: "100% 0px" });
    const all = () => document.querySelectorAll(".planner-chart").forEach(draw);
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
  // the first figure at once; a later one when near the view (not yet known: near)
  if (!box.__plannerDrawn || box.__plannerIsNear !== false) draw(box);
}
