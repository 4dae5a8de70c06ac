// Today: what needs a coordinator now, with how many wait in each queue at the top. The oldest
// follow-ups, urgent safeguarding concerns, visits not confirmed, requests nobody fits (and why), requests waiting
// for a helper's answer, applications to vet, vetting running out (renewed here), emails that
// failed. Each queue is one line a request, soonest first, a page at a time: a fixed number of
// API calls however long the queues are.

import { api, need } from "../client.js";
import { add, busy, CATEGORIES, date, dayFromToday, h, message, show, tel, whyOne } from "../ui.js";
import { concernSummary } from "./concerns.js";
import { followUpRow } from "./followups.js";

export const title = "Today";

const PAGE = 25;
const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const shortDay = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short" });

/** "Tue 8 Dec, 10:00 to 14:00" */
function when(r) {
  return `${shortDay.format(new Date(r.window.start))}, ${clock.format(new Date(r.window.start))} to ${clock.format(new Date(r.window.end))}`;
}

/** "7 helpers live too far away; 1 helper is not free at that time" */
function why(excluded) {
  if (!excluded || !excluded.length) return "No helper with this skill lives within 10 km.";
  return `${excluded.map((e) => whyOne(e.rule, e.count)).join("; ")}.`;
}

/** One request on one line: what, for whom, when, and a word on why it is here. */
function requestRow(r, extra) {
  // The postcode district tells two members of one name apart.
  const member = `${r.member_name || "a member"}${r.area_name ? ` (${r.area_name})` : ""}`;
  return h(
    "li",
    {},
    h("a", { href: `#/request/${encodeURIComponent(r.id)}` }, `${CATEGORIES[r.category] || "Help"} for ${member}`),
    h("span", { class: "meta" }, ` · ${when(r)} · `),
    h("span", { class: "said" }, `“${r.description.length > 80 ? `${r.description.slice(0, 78)}…` : r.description}”`),
    extra ? h("span", { class: "meta" }, " · ", extra) : null,
  );
}

/**
 * A queue: its heading with the count, one line a request, and "Show more" while the API has
 * more (the next page by its cursor, added below).
 * @param {{id: string, heading: string, intro?: string, count?: number, first: {items: any[], next_cursor?: string | null},
 *   row: (item: any) => HTMLElement, empty: string, more?: (cursor: string) => Promise<{items: any[], next_cursor?: string | null}>}} queue
 */
function queue({ id, heading, intro, count, first, row, empty, more }) {
  const list = h("ul", { class: "items compact" }, first.items.map(row));
  const slot = h("div");
  const section = h(
    "section",
    { "aria-labelledby": `${id}-heading`, id },
    h("h2", { id: `${id}-heading` }, count === undefined ? heading : `${heading} (${count})`),
    intro ? h("p", { class: "meta" }, intro) : null,
    first.items.length ? list : h("p", {}, empty),
    slot,
  );
  let cursor = first.next_cursor;
  if (cursor && more) {
    const button = h("button", { type: "button", class: "secondary" }, `Show ${PAGE} more`);
    button.addEventListener("click", () =>
      busy(button, slot, async () => {
        const next = await more(cursor);
        list.append(...next.items.map(row));
        cursor = next.next_cursor;
        if (!cursor) button.remove();
      }),
    );
    section.append(button);
  }
  return section;
}

/** The numbers at the top, each a link to its queue. */
function counts(items) {
  return h(
    "nav",
    { "aria-label": "How many wait", class: "counts" },
    h(
      "ul",
      {},
      items.map(([id, words, n]) => h("li", {}, h("a", { href: `#/today`, "data-to": id, onclick: jump }, h("strong", {}, String(n)), ` ${words}`))),
    ),
  );
}

function jump(e) {
  e.preventDefault();
  const to = document.getElementById(e.currentTarget.getAttribute("data-to"));
  if (to) {
    to.scrollIntoView();
    to.querySelector("h2")?.setAttribute("tabindex", "-1");
    to.querySelector("h2")?.focus();
  }
}

/** A helper whose vetting runs out soon, with a button that renews it for a year. */
function vettingRow(p) {
  const slot = h("span");
  const renew = h("button", { type: "button", class: "secondary" }, `Renew ${p.name}'s vetting for a year`);
  renew.addEventListener("click", () =>
    busy(renew, slot, async () => {
      const until = dayFromToday(365);
      await need(
        api.POST("/api/v1/helpers/{id}/vetting", {
          params: { path: { id: p.id } },
          body: { status: "approved", expires_on: until, note: "Renewed from Today" },
        }),
      );
      renew.remove();
      show(slot, message("done", `Renewed until ${date(until)}.`));
    }),
  );
  return h("li", {}, h("strong", {}, p.name), h("span", { class: "meta" }, ` · valid until ${date(p.vetting.expires_on)} `), renew, slot);
}

const soonest = (status) => (cursor) =>
  need(api.GET("/api/v1/requests", { params: { query: { status, order: "soonest", limit: PAGE, cursor: cursor || undefined } } }));

export async function render(main) {
  const [n, follow, urgent, assigned, open, offered, pending, expiring, failed] = await Promise.all([
    need(api.GET("/api/v1/requests/counts")),
    need(api.GET("/api/v1/follow-ups", { params: { query: { limit: 5 } } })),
    need(api.GET("/api/v1/concerns", { params: { query: { urgency: "urgent", status: "open", limit: 50 } } })),
    need(api.GET("/api/v1/requests", { params: { query: { status: "assigned", order: "soonest", limit: 100 } } })),
    soonest("open")(),
    soonest("offered")(),
    need(api.GET("/api/v1/helpers", { params: { query: { vetting: "pending", limit: 50 } } })),
    need(api.GET("/api/v1/helpers", { params: { query: { expiring_within_days: 30, limit: 50 } } })),
    need(api.GET("/api/v1/outbox", { params: { query: { status: "failed", limit: 50 } } })),
  ]);
  const soon = Date.now() + 48 * 3600 * 1000;
  const unconfirmed = assigned.items.filter(
    (r) => !r.confirmed_at && !r.checked_in_at && new Date(r.window.start).getTime() < soon,
  );
  add(
    main,
    counts([
      ["follow-ups", "to follow up", follow.total],
      ["urgent", "urgent concerns", urgent.items.length],
      ["unconfirmed", "visits not confirmed", unconfirmed.length],
      ["open", "nobody found yet", n.open],
      ["offered", "waiting for a yes", n.offered],
      ["applications", "applications", pending.items.length],
      ["vetting", "vetting running out", expiring.items.length],
      ["failed", "emails not sent", failed.items.length],
    ]),
    h(
      "section",
      { "aria-labelledby": "follow-ups-heading", id: "follow-ups" },
      h("h2", { id: "follow-ups-heading" }, `To follow up (${follow.total})`),
      follow.items.length ? h("ul", { class: "items compact" }, follow.items.map((f) => followUpRow(f))) : h("p", {}, "Nothing to follow up."),
      follow.total > follow.items.length ? h("p", {}, h("a", { href: "#/follow-ups" }, `See all ${follow.total} on Follow-ups`)) : null,
    ),
    h(
      "section",
      { "aria-labelledby": "urgent-heading", id: "urgent" },
      h("h2", { id: "urgent-heading" }, `Urgent concerns not yet picked up (${urgent.items.length})`),
      urgent.items.length ? h("ul", { class: "items" }, urgent.items.map(concernSummary)) : h("p", {}, "No urgent concern is waiting."),
    ),
    queue({
      id: "unconfirmed",
      heading: "Visits in the next two days not yet confirmed",
      intro: "Ring the helper. Unconfirmed four hours before the start, a visit goes to other helpers.",
      count: unconfirmed.length,
      first: { items: unconfirmed },
      row: (r) => requestRow(r, r.helper ? h("span", {}, r.helper.name, r.helper.phone ? ", " : "", tel(r.helper.phone)) : null),
      empty: "Every visit in the next two days is confirmed.",
    }),
    queue({
      id: "open",
      heading: "Nobody found yet",
      intro: "These requests have no helper, the soonest first. Each says why the helpers nearby do not fit.",
      count: n.open,
      first: open,
      row: (r) => requestRow(r, why(r.excluded)),
      empty: "Every request has found a helper.",
      more: soonest("open"),
    }),
    queue({
      id: "offered",
      heading: "Waiting for a helper to say yes",
      intro: "Helpers have been asked, the soonest visits first. When an offer's time to answer ends with no yes, the next helpers nearby are asked by themselves.",
      count: n.offered,
      first: offered,
      row: (r) => requestRow(r, null),
      empty: "No request is waiting for an answer.",
      more: soonest("offered"),
    }),
    queue({
      id: "applications",
      heading: "Applications to check",
      count: pending.items.length,
      first: pending,
      row: (p) => h("li", {}, h("strong", {}, p.name), h("span", { class: "meta" }, ` · applied on ${date(p.created_at)}`)),
      empty: "No applications are waiting.",
    }),
    pending.items.length ? h("p", {}, h("a", { href: "#/helpers" }, "Check applications on the Helpers page")) : null,
    queue({
      id: "vetting",
      heading: "Vetting running out within 30 days",
      count: expiring.items.length,
      first: expiring,
      row: vettingRow,
      empty: "Nobody's vetting runs out in the next 30 days.",
    }),
    queue({
      id: "failed",
      heading: "Emails that could not be sent",
      count: failed.items.length,
      first: failed,
      row: (m) => h("li", {}, h("strong", {}, m.subject), h("span", { class: "meta" }, ` · to ${m.recipient}: ${m.last_error || "failed"}`)),
      empty: "Every email went out.",
    }),
  );
}
