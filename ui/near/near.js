// Whether the results below the levers are near the view (ui.results_near). The box is where
// the results start; it counts as near once its top is above the view's bottom edge plus
// data.margin pixels (or anywhere above: the results are then in view or scrolled past). The
// answer is sent (state "near") only when it differs from what the server last heard, on
// scrolling, on a resize of the window or of the page's content, and at each drawing. While
// the server says the results are stale the box shows data.note (on paper too).
function watcher(parentElement) {
  if (parentElement.__plannerNear) return parentElement.__plannerNear;
  const watch = { told: null, frame: 0, send: null, margin: 0 };
  const place = parentElement.host || parentElement;  // a shadow root's host is in the page
  const check = () => {
    watch.frame = 0;
    if (!place.isConnected) { stop(); return; }
    const near = place.getBoundingClientRect().top < window.innerHeight + watch.margin;
    if (near !== watch.told) {
      watch.told = near;
      watch.send("near", near);
    }
  };
  const soon = () => { if (!watch.frame) watch.frame = requestAnimationFrame(check); };
  const content = document.querySelector("[data-testid=stMainBlockContainer]");
  const resized = content && window.ResizeObserver ? new ResizeObserver(soon) : null;
  if (resized) resized.observe(content);
  const stop = () => {
    document.removeEventListener("scroll", soon, true);
    window.removeEventListener("resize", soon);
    if (resized) resized.disconnect();
  };
  document.addEventListener("scroll", soon, { capture: true, passive: true });
  window.addEventListener("resize", soon);
  watch.soon = soon;
  parentElement.__plannerNear = watch;
  return watch;
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let box = parentElement.querySelector(".planner-near");  // (":scope" is nothing in a shadow root)
  if (!box) {
    box = document.createElement("p");
    box.className = "planner-near";
    box.setAttribute("role", "status");
    parentElement.appendChild(box);
  }
  box.textContent = data.stale ? data.note : "";
  box.hidden = !data.stale;
  const watch = watcher(parentElement);
  watch.send = setStateValue;
  watch.margin = data.margin;
  watch.told = data.near;  // what the server holds now
  watch.soon();
}
