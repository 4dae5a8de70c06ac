// The console's frame: which page the address names, signed in or not, the navigation, and the
// focus moved to each new page's heading. A page is a module with `title` and `render(main,
// params)`; adding one is a line in PAGES and a link in index.html.

import { current, resume, signOut } from "./client.js";
import { h, message, show } from "./ui.js";
import * as signin from "./pages/signin.js";
import * as today from "./pages/today.js";
import * as call from "./pages/call.js";
import * as helpers from "./pages/helpers.js";
import * as request from "./pages/request.js";
import * as report from "./pages/report.js";
import * as map from "./pages/map.js";
import * as reset from "./pages/reset.js";
import * as concerns from "./pages/concerns.js";
import * as concern from "./pages/concern.js";
import * as series from "./pages/series.js";
import * as events from "./pages/events.js";
import * as event from "./pages/event.js";
import * as renewals from "./pages/renewals.js";
import * as account from "./pages/account.js";
import * as followups from "./pages/followups.js";
import * as members from "./pages/members.js";

const PAGES = {
  signin, today, call, helpers, request, report, map, reset, concerns, concern, series, events, event, renewals, account,
  "follow-ups": followups,
  members,
};
const PUBLIC = new Set(["signin", "reset"]);

function route() {
  const [name, ...params] = location.hash.replace(/^#\/?/, "").split("/");
  return { name: PAGES[name] ? name : "today", params: params.map(decodeURIComponent) };
}

// A coordinator kept signed in (from the app's sign-in) is signed in again from the cookie.
const resumed = resume();

async function draw() {
  const main = document.getElementById("main");
  await resumed;
  let { name, params } = route();
  const signedIn = Boolean(current());
  if (!signedIn && !PUBLIC.has(name)) name = "signin";
  const page = PAGES[name];
  document.getElementById("nav").hidden = !signedIn;
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.getAttribute("href") === `#/${name}`) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  document.title = `${page.title} · Neighbourly console`;
  show(main, h("h1", { tabindex: "-1" }, page.title));
  try {
    await page.render(main, params);
  } catch (e) {
    main.append(message("error", e.message || String(e)));
  }
  const heading = main.querySelector("h1");
  if (heading) heading.focus();
}

window.addEventListener("hashchange", draw);

// On a phone the pages' links fold behind "Menu", so that the page itself shows first; choosing
// a page folds them again.
const menu = document.getElementById("menu");
function fold(open) {
  menu.setAttribute("aria-expanded", String(open));
  document.getElementById("nav").classList.toggle("open", open);
}
menu.addEventListener("click", () => fold(menu.getAttribute("aria-expanded") !== "true"));
window.addEventListener("hashchange", () => fold(false));
window.addEventListener("signed-out", () => {
  if (!PUBLIC.has(route().name)) draw();
});
document.getElementById("sign-out").addEventListener("click", async () => {
  await signOut();
  location.hash = "#/signin";
  draw();
});
draw();

// On a phone each table row shows as a block, each cell with its column's heading before it
// (console.css); the cells are labelled here, for every table any page draws.
function labelCells(table) {
  const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, i) => {
      if (headings[i]) cell.setAttribute("data-label", headings[i]);
    });
  }
}
new MutationObserver(() => {
  for (const table of document.querySelectorAll("main table")) labelCells(table);
}).observe(document.getElementById("main"), { childList: true, subtree: true });
