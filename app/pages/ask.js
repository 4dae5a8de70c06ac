// A member asks for help: what kind, what needs doing, which day (today or one of the next
// fortnight, each named), morning or afternoon, and how long; or the help a past visit gave,
// again, offered to the same helper first ("Ask Clive again"). A retry of the same answers sends
// the same Idempotency-Key, so it never asks twice; a corrected form is a new request.

import { api, onceKey } from "../../shared/api.js";
import { noticeMinutes as circleNotice } from "../../shared/circle.js";
import { CATEGORIES } from "../../shared/words.js";
import { dayOf, h, need, show, submitted } from "../ui.js";

const PARTS = {
  morning: ["09:00", "12:00", "In the morning (9 to 12)"],
  afternoon: ["13:00", "17:00", "In the afternoon (1 to 5)"],
  day: ["09:00", "17:00", "Any time in the day (9 to 5)"],
};

/** Help asked for today starts at least the Circle's notice from now (and a few minutes more, as
 *  the start is rounded to five minutes and the form takes a moment to send). */
const noticeMinutes = () => circleNotice() + 5;

// "Sunday 6 Dec": short enough beside "Tomorrow, " on a phone.
const shortDay = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "short" });

/** Whether half an hour of help can still start today, within the day's hours, after the notice. */
function todayPossible() {
  const lastStart = new Date();
  lastStart.setHours(16, 30, 0, 0);
  return Date.now() + noticeMinutes() * 60 * 1000 <= lastStart.getTime();
}

/**
 * Today (when help can still start today) and the next 13 days: `[YYYY-MM-DD, "Today, Sunday 6
 * Dec"]`, then "Tuesday 8 December".
 */
function fortnight() {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  const days = Array.from({ length: 14 }, (_, i) => {
    const d = new Date();
    d.setHours(12, 0, 0, 0);
    d.setDate(d.getDate() + i);
    const value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    const near = shortDay.format(d);
    return [value, i === 0 ? `Today, ${near}` : i === 1 ? `Tomorrow, ${near}` : dayOf(d.toISOString())];
  });
  return todayPossible() ? days : days.slice(1);
}

/** The window's start: the part's start, or later today when that has passed or is too near. */
function startOf(day, from) {
  const start = new Date(`${day}T${from}`);
  const soonest = new Date(Date.now() + noticeMinutes() * 60 * 1000);
  soonest.setMinutes(Math.ceil(soonest.getMinutes() / 5) * 5, 0, 0);
  return start < soonest ? soonest : start;
}

const LENGTHS = [
  [30, "Half an hour"],
  [60, "An hour"],
  [90, "An hour and a half"],
  [120, "Two hours"],
  [180, "Three hours"],
];

/**
 * Asking for help; with `againId` (a visit that was done), the same help again, offered to the
 * same helper first; with `forMember`, asked by someone who helps that member arrange visits.
 * @param {HTMLElement} main
 * @param {string} [againId]
 * @param {{id: string, name: string}} [forMember]
 */
export async function render(main, againId, forMember) {
  const again = againId ? await need(api.GET("/api/v1/requests/{id}", { params: { path: { id: againId } } })) : null;
  const helper = again && again.status === "completed" ? again.helper : null;
  const key = onceKey();
  const kind = h("select", { id: "kind" }, Object.entries(CATEGORIES).map(([value, words]) => h("option", { value }, words)));
  const what = h("textarea", { id: "what", rows: "4", maxlength: "2000", required: true });
  const days = fortnight();
  const day = h("select", { id: "day" }, days.map(([value, words]) => h("option", { value }, words)));
  // Tomorrow, first.
  day.value = days[days.length === 14 ? 1 : 0][0];
  const part = h("select", { id: "part" }, Object.entries(PARTS).map(([value, [, , words]]) => h("option", { value }, words)));
  const length = h("select", { id: "length" }, LENGTHS.map(([minutes, words]) => h("option", { value: String(minutes) }, words)));
  length.value = "60";
  if (again) {
    kind.value = again.category;
    what.value = again.description;
  }
  const first = helper ? helper.name.split(" ")[0] : null;
  const slot = h("div");
  const button = h("button", { type: "submit" }, "Ask for this help");
  const form = h(
    "form",
    {
      onsubmit: submitted(button, slot, async () => {
        if (!what.value.trim()) throw new Error("Please say what needs doing, in a few words.");
        const [from, to] = PARTS[part.value];
        const body = {
          category: /** @type {any} */ (kind.value),
          description: what.value.trim(),
          window: {
            start: startOf(day.value, from).toISOString(),
            end: new Date(`${day.value}T${to}`).toISOString(),
          },
          duration_minutes: Number(length.value),
          ...(helper ? { ask_first: helper.id } : {}),
          ...(forMember ? { member_id: forMember.id } : {}),
        };
        await need(api.POST("/api/v1/requests", { params: { header: { "Idempotency-Key": key(body) } }, body }));
        location.hash = forMember ? "#/family-asked" : "#/asked";
      }),
    },
    h("div", { class: "field" }, h("label", { for: "kind" }, "What kind of help?"), kind),
    h("div", { class: "field" }, h("label", { for: "what" }, "What needs doing?"), what),
    h("div", { class: "field" }, h("label", { for: "day" }, "Which day?"), day),
    h("div", { class: "field" }, h("label", { for: "part" }, "When in the day?"), part),
    h("div", { class: "field" }, h("label", { for: "length" }, "How long will it take?"), length),
    h("div", { class: "actions" }, button),
    slot,
  );
  show(
    main,
    h("h1", {}, first ? `Ask ${first} again` : forMember ? `Ask for help for ${forMember.name}` : "Ask for help"),
    first ? h("p", { class: "what" }, `We will ask ${first} first. If ${first} cannot come, we ask others nearby.`) : null,
    form,
    h("a", { href: forMember ? "#/family" : "#/" }, forMember ? "Back" : "Back to your help"),
  );
}
