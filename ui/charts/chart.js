// One Plotly figure, drawn by the page's own copy of plotly.js (loaded once, from this
// server) and updated in place (Plotly.react) when the figure changes.
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

export default function (component) {
  const { data, parentElement } = component;
  let box = parentElement.querySelector(":scope > .planner-chart");
  if (!box) {
    box = document.createElement("div");
    box.className = "planner-chart";
    box.setAttribute("role", "figure");
    parentElement.appendChild(box);
  }
  box.setAttribute("aria-label", data.label);
  const layout = Object.assign({}, data.figure.layout, { autosize: true });
  delete layout.width;  // the column's width
  box.style.minHeight = `${layout.height}px`;  // its place kept until plotly.js is there
  plotly(data.src).then(
    (P) => P.react(box, data.figure.data, layout, data.config),
    () => { box.textContent = data.unavailable; },  // said in the page's language
  );
}
