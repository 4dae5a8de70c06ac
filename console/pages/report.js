// The weekly report: a chosen week's figures (Monday to Sunday) beside the week before (help,
// visits, safeguarding, unmet demand, money and tokens, events), where nobody was found, a chart
// of requests by kind of help, the CSV to download, and the report emailed to every coordinator.
// Weeks are named by their Monday.

import { api, download, need } from "../client.js";
import { busy, CATEGORIES, dayFromToday, field, h, message, s, show } from "../ui.js";

export const title = "Weekly report";

/** The ISO week ("2026-W48", as the API takes it) of a day ("2026-11-26"). */
function isoWeek(day) {
  const [y, m, d] = day.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  const dayNum = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dayNum);
  const yearStart = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((t.getTime() - yearStart.getTime()) / 86400000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

const monday = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });

/** "the week of Monday 23 November 2026" */
function weekOf(r) {
  return `the week of ${monday.format(new Date(r.start))}`;
}

export async function render(main) {
  // A day in the week wanted; a week ago by default, so the last whole week.
  const day = h("input", { type: "date", name: "day", value: dayFromToday(-7), required: true });
  const button = h("button", { type: "submit" }, "Show the report");
  const slot = h("div");
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, () => draw(slot, isoWeek(day.value)));
      },
    },
    field("Any day of the week wanted", day, "Weeks run Monday to Sunday."),
    h("div", { class: "actions" }, button),
  );
  main.append(form, slot);
  await draw(slot, isoWeek(day.value));
}

const sum = (o) => Object.values(o || {}).reduce((a, b) => a + b, 0);
const pounds = (pence) => `£${(pence / 100).toFixed(2)}`;
const percent = (x) => (x === null || x === undefined ? "none yet" : `${Math.round(x * 100)}%`);
const hours = (minutes) => `${Math.round((minutes / 60) * 10) / 10}`;

/** @type {[string, (f: any) => number | string][]} */
const ROWS = [
  ["Requests asked", (f) => f.requests.totals.created],
  ["Requests with a helper", (f) => f.requests.totals.assigned],
  ["Requests done", (f) => f.requests.totals.completed],
  ["Requests nobody took in time", (f) => f.requests.totals.expired],
  ["Hours of help given", (f) => f.helpers.hours_delivered],
  ["Helpers who helped", (f) => f.helpers.active],
  ["New helper applications", (f) => f.helpers.new_applications],
  ["New members", (f) => f.members.new],
  ["Helpers asked to confirm a visit", (f) => f.visits.asked_to_confirm],
  ["Visits confirmed", (f) => f.visits.confirmed],
  ["Helpers who did not come", (f) => f.visits.no_shows],
  ["Late withdrawals", (f) => f.visits.late_withdrawals],
  ["Safeguarding concerns raised", (f) => sum(f.safeguarding.raised_by_category)],
  ["Requests with no helper (unmet)", (f) => sum(f.unmet.by_category)],
  ["Visits by a helper the member had before", (f) => percent(f.relationships.continuity_rate)],
  ["Tokens sold", (f) => f.membership.tokens_sold],
  ["Money taken", (f) => pounds(f.membership.amount_pence)],
  ["Hours of tokens used", (f) => hours(f.membership.minutes_used)],
  ["Members with less than one token", (f) => f.membership.members_below_one_token],
  ["Memberships ending in the next four weeks", (f) => f.membership.memberships_lapsing],
  ["Events held", (f) => f.events.held],
  ["Places taken at events", (f) => f.events.places_taken],
  ["Members who came to events", (f) => f.events.attended],
];

/** Where help was asked for and nobody was found, by area, most first. */
function unmet(r) {
  const areas = [...r.figures.unmet.by_area].sort((a, b) => b.count - a.count);
  if (!areas.length) return h("p", {}, "Every request this week found a helper, or is still being offered.");
  return h(
    "ul",
    { class: "items compact", "aria-label": "Requests with no helper, by area" },
    areas.map((a) => h("li", {}, `${a.area_name || "A place with no postcode nearby"}: ${a.count === 1 ? "one request" : `${a.count} requests`}`)),
  );
}

async function draw(slot, week) {
  const r = await need(api.GET("/api/v1/reports/weekly", { params: { query: { week } } }));
  const csv = h("button", { type: "button", class: "secondary" }, "Download as a spreadsheet (CSV)");
  const note = h("div");
  csv.addEventListener("click", () =>
    busy(csv, note, async () => {
      const name = `neighbourly-${weekOf(r).replace(/\W+/g, "-")}.csv`;
      await download(
        api.GET("/api/v1/reports/weekly", { params: { query: { week: r.week } }, headers: { Accept: "text/csv" }, parseAs: "blob" }),
        name,
      );
      show(note, message("done", `The report for ${weekOf(r)} is downloaded, as ${name}.`));
    }),
  );
  const send = h("button", { type: "button", class: "secondary" }, "Email it to every coordinator");
  send.addEventListener("click", () =>
    busy(send, note, async () => {
      const sent = await need(api.POST("/api/v1/reports/weekly/send", { params: { query: { week: r.week } } }));
      const n = sent.queued;
      show(note, message("done", n ? `The report for ${weekOf(r)} is on its way to ${n === 1 ? "one coordinator" : `${n} coordinators`}.` : "No coordinator has an email address to send it to."));
    }),
  );
  show(
    slot,
    h("h2", {}, `The week of ${monday.format(new Date(r.start))}`),
    h(
      "table",
      {},
      h("caption", {}, `${weekOf(r).replace(/^the/, "The")} beside the week before`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Figure"), h("th", { scope: "col" }, "This week"), h("th", { scope: "col" }, "Week before"))),
      h(
        "tbody",
        {},
        ROWS.map(([label, pick]) =>
          h("tr", {}, h("th", { scope: "row" }, label), h("td", {}, String(pick(r.figures))), h("td", {}, String(pick(r.previous)))),
        ),
      ),
    ),
    h("h2", {}, "Where nobody was found"),
    unmet(r),
    h("h2", {}, "Requests by kind of help"),
    chart(r),
    h("div", { class: "actions" }, csv, send),
    note,
  );
}

/// Bars of requests asked per kind of help, this week beside the week before, as SVG.
function chart(r) {
  const kinds = Object.keys(CATEGORIES);
  const now = (k) => (r.figures.requests.by_category[k] || { created: 0 }).created;
  const before = (k) => (r.previous.requests.by_category[k] || { created: 0 }).created;
  const top = Math.max(1, ...kinds.map(now), ...kinds.map(before));
  const width = 720;
  const rowH = 34;
  const labelW = 210;
  const barW = (n) => ((width - labelW - 60) * n) / top;
  const height = kinds.length * rowH + 20;
  const summary = kinds.map((k) => `${CATEGORIES[k]}: ${now(k)} (week before ${before(k)})`).join("; ");
  return h(
    "figure",
    {},
    s(
      "svg",
      { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `Requests by kind of help. ${summary}` },
      kinds.map((k, i) => {
        const y = 10 + i * rowH;
        return s(
          "g",
          {},
          s("text", { x: 0, y: y + 18, "font-size": 15, fill: "#1b1b1b" }, CATEGORIES[k]),
          s("rect", { x: labelW, y: y + 2, width: barW(now(k)), height: 13, fill: "#0b4f8a" }),
          s("rect", { x: labelW, y: y + 16, width: barW(before(k)), height: 10, fill: "#b1b4b6" }),
          s("text", { x: labelW + barW(now(k)) + 6, y: y + 14, "font-size": 14, fill: "#1b1b1b" }, String(now(k))),
        );
      }),
    ),
    h(
      "figcaption",
      { class: "legend" },
      h("span", {}, h("span", { class: "swatch now" }), "This week"),
      h("span", {}, h("span", { class: "swatch before" }), "Week before"),
    ),
  );
}
