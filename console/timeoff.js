// A helper's time away on their page: the periods to come, and adding one when they ring ("away
// 14 to 28 December"), with their visits in that time offered to other helpers in the same step
// (or only listed). What happened to each visit is said at once.

import { api, need } from "./client.js";
import { busy, CATEGORIES, date, dayFromToday, field, h, message, show, time } from "./ui.js";

const day = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long" });

/** "Monday 14 December to Monday 28 December" for a period whose end is the next midnight. */
function period(off) {
  const last = new Date(new Date(off.end).getTime() - 1);
  return `${day.format(new Date(off.start))} to ${day.format(last)}`;
}

/** What became of one visit in the period, in words. */
function outcome(v, name) {
  const r = v.request;
  const what = `${CATEGORIES[r.category] || "Help"}${r.member_name ? ` for ${r.member_name}` : ""}, ${time(r.planned_start || r.window.start)}`;
  const link = h("a", { href: `#/request/${encodeURIComponent(r.id)}` }, what);
  if (v.offered_to_others) return h("li", {}, link, ": offered to other helpers.");
  if (v.reason) return h("li", {}, link, `: stays with ${name}. ${v.reason}`);
  return h("li", {}, link, `: still with ${name}.`);
}

/**
 * The "Time away" section for helper `p` (with their availability).
 * @param {any} p
 */
export function timeOffSection(p) {
  const list = h("ul", { class: "items compact", "aria-label": `${p.name}'s time away` });
  const draw = (offs) => {
    const coming = offs.filter((o) => new Date(o.end).getTime() > Date.now());
    show(list, coming.length ? coming.map((o) => h("li", {}, period(o))) : h("li", {}, "No time away to come."));
  };
  draw(p.availability.time_off);
  const first = h("input", { type: "date", min: dayFromToday(0), max: dayFromToday(3 * 365), required: true });
  const last = h("input", { type: "date", min: dayFromToday(0), max: dayFromToday(3 * 365), required: true });
  const pass = h("input", { type: "checkbox", id: `pass-on-${p.id}`, checked: true });
  const button = h("button", { type: "submit" }, "Add the time away");
  const slot = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          if (!first.value || !last.value) throw new Error("Please choose the first and the last day away.");
          const added = await need(
            api.POST("/api/v1/helpers/{id}/time-off", {
              params: { path: { id: p.id } },
              body: { start: first.value, end: last.value, offer_to_others: pass.checked },
            }),
          );
          p.availability = added.availability;
          draw(added.availability.time_off);
          const said = `${p.name} is away from ${date(first.value)} to ${date(last.value)}.`;
          const offers = added.offers_passed_on ? ` ${added.offers_passed_on === 1 ? "One job they were offered" : `${added.offers_passed_on} jobs they were offered`} went to others.` : "";
          show(
            slot,
            message("done", added.visits.length ? `${said}${offers} Their visits in that time:` : `${said} They have no visits in that time.${offers}`),
            added.visits.length ? h("ul", { class: "items compact", "aria-label": "Their visits in that time" }, added.visits.map((v) => outcome(v, p.name))) : null,
          );
        });
      },
    },
    field("First day away", first),
    field("Last day away", last),
    h("div", { class: "field" }, h("label", { for: pass.id, class: "inline" }, pass, " Offer their visits in that time to other helpers")),
    h("div", { class: "actions" }, button),
  );
  return h("details", {}, h("summary", {}, `${p.name}'s time away`), list, form, slot);
}
