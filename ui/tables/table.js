// One plain table (ui.layout_css.table_html: every cell escaped by the server), kept in its
// place: a new table is put in only when its HTML changed, and the browser has nothing else
// to do (no sanitising, no markdown) on a lever move.
export default function (component) {
  const { data, parentElement } = component;
  let box = parentElement.querySelector(":scope > .planner-table");
  if (!box) {
    box = document.createElement("div");
    box.className = "planner-table";
    parentElement.appendChild(box);
  }
  if (box.__plannerHtml !== data.html) {
    box.innerHTML = data.html;
    box.__plannerHtml = data.html;
  }
}
