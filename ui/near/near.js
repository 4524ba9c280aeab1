// Whether the results below the levers are near the view (ui.results_near). The box is where
// the results start; it counts as near once its top is above the view's bottom edge plus
// data.margin pixels (or anywhere above: the results are then in view or scrolled past). The
// answer is sent (state "near") only when it differs from what the server last heard, once
// the page has been still for data.quiet ms after a scroll, a resize of the window or of the
// page's content, a drawing, or a person's input (a press, a key, a touch, a wheel).
//
// Why the wait: Streamlit sends the widget changes of one moment as one message, which reruns
// the fragment of the first change only. Sent at once, this answer could share a message with
// the click that scrolled the page there (an expander opened, a tab chosen), and that click's
// fragment would not be rerun; after a still moment the two go in messages of their own.
// While the server says the results are stale the box shows data.note (on paper too); its
// data-heard attribute is the answer the server holds, data-sent how many answers were sent.
const INPUTS = ["pointerdown", "keydown", "touchstart", "wheel"];

function watcher(parentElement) {
  if (parentElement.__plannerNear) return parentElement.__plannerNear;
  const watch = { told: null, timer: 0, send: null, margin: 0, quiet: 0, sent: 0, box: null };
  const place = parentElement.host || parentElement;  // a shadow root's host is in the page
  const check = () => {
    watch.timer = 0;
    if (!place.isConnected) { stop(); return; }
    const near = place.getBoundingClientRect().top < window.innerHeight + watch.margin;
    if (near !== watch.told) {
      watch.told = near;
      watch.send("near", near);
      watch.sent += 1;
      if (watch.box) watch.box.dataset.sent = String(watch.sent);
    }
  };
  // a check after the page has been still for watch.quiet ms
  const soon = () => {
    clearTimeout(watch.timer);
    watch.timer = setTimeout(check, watch.quiet);
  };
  const input = () => { if (watch.timer) soon(); };  // a check waiting waits longer
  const content = document.querySelector("[data-testid=stMainBlockContainer]");
  const resized = content && window.ResizeObserver ? new ResizeObserver(soon) : null;
  if (resized) resized.observe(content);
  const options = { capture: true, passive: true };
  const stop = () => {
    document.removeEventListener("scroll", soon, options);
    window.removeEventListener("resize", soon);
    for (const type of INPUTS) window.removeEventListener(type, input, options);
    if (resized) resized.disconnect();
    clearTimeout(watch.timer);
  };
  document.addEventListener("scroll", soon, options);
  window.addEventListener("resize", soon);
  for (const type of INPUTS) window.addEventListener(type, input, options);
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
  // for tests to wait on: the answer the server holds, how many answers were sent
  box.dataset.heard = String(data.near);
  const watch = watcher(parentElement);
  watch.box = box;
  box.dataset.sent = String(watch.sent);
  watch.send = setStateValue;
  watch.margin = data.margin;
  watch.quiet = data.quiet;
  watch.told = data.near;  // what the server holds now
  watch.soon();
}
