// Take a call: find the member who is phoning (or register them), ask for help on their
// behalf with a plain date and time, see the helpers who could go with the reasons, and send one.

import { api, need, onceKey } from "../client.js";
import { busy, CATEGORIES, dayFromToday, dotted, field, h, instant, message, show, STATUSES, tel, tidyPostcode, time, whyNobody } from "../ui.js";

export const title = "Take a call";

export async function render(main) {
  const found = h("div");
  const q = h("input", { type: "search", name: "q", autocomplete: "off" });
  const searchButton = h("button", { type: "submit" }, "Find");
  const step2 = h("div");
  const search = h(
    "form",
    {
      role: "search",
      onsubmit: (e) => {
        e.preventDefault();
        busy(searchButton, found, async () => {
          const page = await need(api.GET("/api/v1/members", { params: { query: { q: q.value.trim(), limit: 20 } } }));
          show(found, results(page.items, step2));
        });
      },
    },
    field("Name, phone number or postcode", q, "Part of it is enough, with or without spaces."),
    h("div", { class: "actions" }, searchButton),
  );
  main.append(h("h2", {}, "1. Who is calling?"), search, found, registerForm(step2), step2);
}

function results(members, step2) {
  if (members.length === 0) {
    return message("status", "Nobody matches. Check the spelling, or register them below.");
  }
  return h(
    "ul",
    { class: "items", "aria-label": "Members found" },
    members.map((m) =>
      h(
        "li",
        {},
        h("h3", {}, m.name),
        h("p", { class: "meta" }, dotted(tel(m.phone), m.address)),
        h("button", { type: "button", onclick: () => ask(step2, m) }, `Help ${m.name}`),
        " ",
        h("a", { class: "button secondary", href: `#/account/${encodeURIComponent(m.id)}` }, `${m.name}'s account`),
      ),
    ),
  );
}

function registerForm(step2) {
  const name = h("input", { name: "name", autocomplete: "off", required: true });
  const phone = h("input", { name: "phone", type: "tel", autocomplete: "off", required: true });
  const address = h("input", { name: "address", autocomplete: "off", required: true });
  const postcode = h("input", { name: "postcode", autocomplete: "off", autocapitalize: "characters", required: true, size: "9" });
  const button = h("button", { type: "submit" }, "Register them");
  const slot = h("div");
  const key = onceKey();
  // Who was already found with this phone number and shown; registering anyway is then a choice.
  let warnedFor = null;
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          const number = phone.value.trim();
          if (warnedFor !== number) {
            const same = await need(api.GET("/api/v1/members", { params: { query: { q: number, limit: 5 } } }));
            if (same.items.length) {
              warnedFor = number;
              show(slot, alreadyThere(same.items, step2, button));
              slot.scrollIntoView({ block: "nearest" });
              return;
            }
          }
          const code = tidyPostcode(postcode.value);
          const street = address.value.trim();
          const inAddress = street.replace(/\s+/g, "").toUpperCase().includes(code.replace(" ", ""));
          const body = {
            name: name.value.trim(),
            phone: phone.value.trim(),
            address: inAddress ? street : `${street}, ${code}`,
            postcode: code,
          };
          const m = await need(api.POST("/api/v1/members", { params: { header: { "Idempotency-Key": key(body) } }, body }));
          show(slot, message("done", `${m.name} is registered.`));
          ask(step2, m);
        });
      },
    },
    field("Their name", name),
    field("Their phone number", phone),
    field("Their house number and street", address, "Such as 12 Choumert Road"),
    field("Their postcode", postcode, "Such as SE15 4QF. It places them on the map, so that helpers nearby are asked."),
    h("div", { class: "actions" }, button),
    slot,
  );
  return h("details", {}, h("summary", {}, "Not found? Register a new member"), form);
}

/** Members already registered with the phone number given: help one of them, or register anyway. */
function alreadyThere(members, step2, register) {
  return h(
    "div",
    { class: "message error", role: "alert" },
    h("p", {}, members.length === 1 ? "Someone is already registered with this phone number:" : "People are already registered with this phone number:"),
    h(
      "ul",
      {},
      members.map((m) =>
        h(
          "li",
          {},
          `${m.name}, ${m.address} `,
          h("button", { type: "button", class: "secondary", onclick: () => ask(step2, m) }, `Help ${m.name}`),
        ),
      ),
    ),
    h("p", {}, `If this caller is someone else, press “${register.textContent}” again.`),
  );
}

const DURATIONS = [30, 60, 90, 120, 180, 240];
const OFTEN = { once: "Just once", week: "Every week", fortnight: "Every other week", four_weeks: "Every four weeks" };

function ask(step2, member) {
  const category = h(
    "select",
    { name: "category", required: true },
    Object.entries(CATEGORIES).map(([value, words]) => h("option", { value }, words)),
  );
  const description = h("textarea", { name: "description", required: true, maxlength: "2000" });
  const day = h("input", { type: "date", name: "day", required: true, value: dayFromToday(1), min: dayFromToday(0) });
  const from = h("input", { type: "time", name: "from", required: true, value: "10:00" });
  const until = h("input", { type: "time", name: "until", required: true, value: "14:00" });
  const duration = h(
    "select",
    { name: "duration" },
    DURATIONS.map((m) => h("option", { value: String(m), selected: m === 60 }, m < 60 ? `${m} minutes` : `${m / 60} hour${m === 60 ? "" : "s"}`)),
  );
  const often = h(
    "select",
    { name: "every" },
    Object.entries(OFTEN).map(([value, words]) => h("option", { value }, words)),
  );
  const button = h("button", { type: "submit" }, `Ask for help for ${member.name}`);
  const slot = h("div");
  const step3 = h("div");
  const key = onceKey();
  const seriesKey = onceKey();
  // The day already warned about: asking again for it is then a choice.
  let warnedFor = null;
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          if (often.value !== "once") {
            const weekday = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][new Date(`${day.value}T12:00`).getDay()];
            const body = {
              member_id: member.id,
              category: /** @type {any} */ (category.value),
              description: description.value.trim(),
              every: /** @type {any} */ (often.value),
              weekday,
              window: { start: from.value, end: until.value },
              timezone: /** @type {const} */ ("Europe/London"),
              duration_minutes: Number(duration.value),
              starts_on: day.value,
            };
            await need(api.POST("/api/v1/series", { params: { header: { "Idempotency-Key": seriesKey(body) } }, body }));
            show(
              slot,
              message("done", `Regular help made: ${OFTEN[often.value].toLowerCase()}, from ${from.value} to ${until.value}. The first visits are being arranged.`),
              h("p", {}, h("a", { href: "#/series" }, "See it with the other standing requests, and choose its regular helper")),
            );
            return;
          }
          const window = { start: instant(day.value, from.value), end: instant(day.value, until.value) };
          if (warnedFor !== day.value) {
            const same = await sameDay(member, window);
            if (same.length) {
              warnedFor = day.value;
              show(
                slot,
                h(
                  "div",
                  { class: "message error", role: "alert" },
                  h("p", {}, `${member.name} already has help asked for that day:`),
                  h("ul", {}, same.map((r) => h("li", {}, h("a", { href: `#/request/${encodeURIComponent(r.id)}` }, `${CATEGORIES[r.category] || "Help"}, ${time(r.window.start)}`), ` · ${STATUSES[r.status] || ""}`))),
                  h("p", {}, `If this is more help, press “${button.textContent}” again.`),
                ),
              );
              slot.scrollIntoView({ block: "nearest" });
              return;
            }
          }
          const body = {
            member_id: member.id,
            category: /** @type {any} */ (category.value),
            description: description.value.trim(),
            window,
            duration_minutes: Number(duration.value),
          };
          const r = await need(api.POST("/api/v1/requests", { params: { header: { "Idempotency-Key": key(body) } }, body }));
          const said =
            r.status === "offered"
              ? "Asked. The best helpers nearby have been offered the job."
              : "Asked. Nobody fits yet: see below.";
          show(slot, message("done", said));
          await candidates(step3, r);
        });
      },
    },
    field("What kind of help?", category),
    field("What needs doing?", description, "In their words: what, where in the house, anything to bring."),
    field("Which day?", day),
    h("div", { class: "row" }, field("From", from), field("Until", until)),
    field("How long will it take?", duration),
    field("How often?", often, "Regular help comes back on the same weekday as the day above."),
    h("div", { class: "actions" }, button),
    slot,
  );
  show(step2, h("h2", {}, `2. What help does ${member.name} need?`), form, step3);
  category.focus();
}

/** The member's requests still to happen on the same day as `window`. */
async function sameDay(member, window) {
  // The newest asked: help still to come was asked lately.
  const theirs = await need(api.GET("/api/v1/requests", { params: { query: { member_id: member.id, limit: 100 } } }));
  const day = new Date(window.start).toDateString();
  return theirs.items.filter(
    (r) => ["open", "offered", "assigned"].includes(r.status) && new Date(r.window.start).toDateString() === day,
  );
}

async function candidates(step3, request) {
  const path = { params: { path: { id: request.id } } };
  const c = await need(api.GET("/api/v1/requests/{id}/candidates", { params: { path: { id: request.id }, query: { limit: 5 } } }));
  const slot = h("div");
  const items = c.items.map((x) => {
    const send = h("button", { type: "button" }, `Send ${x.name}`);
    send.addEventListener("click", () =>
      busy(send, slot, async () => {
        const r = await need(api.POST("/api/v1/requests/{id}/assign", { ...path, body: { helper_id: x.helper_id } }));
        const phone = r.helper && r.helper.phone ? ` Their phone: ${r.helper.phone}.` : "";
        show(slot, message("done", `${r.helper ? r.helper.name : x.name} is going. They have been told by email.${phone} Please let the caller know.`));
      }),
    );
    return h(
      "li",
      {},
      h("h3", {}, x.name),
      h("p", { class: "meta" }, `${x.distance_km.toFixed(1)} km away · free from ${time(x.start)}`),
      h("p", {}, reasons(x.reasons)),
      send,
    );
  });
  show(
    step3,
    h("h2", {}, "3. Helpers who could go"),
    items.length ? h("ul", { class: "items", "aria-label": "Helpers who could go" }, items) : h("p", {}, "Nobody fits this request yet."),
    h("h3", {}, "Why the others do not fit"),
    whyNobody(c.excluded),
    slot,
    h("p", {}, h("a", { href: `#/request/${encodeURIComponent(request.id)}` }, "See this request's story")),
  );
}

function reasons(r) {
  if (!r) return "";
  const parts = [];
  const n = r.previous_jobs_with_member;
  if (n) parts.push(`has helped this member ${n === 1 ? "once" : `${n} times`} before`);
  if (r.rating_bonus > 0) parts.push("members rate them well");
  if (r.recent_hours !== undefined) parts.push(`${Number(r.recent_hours).toFixed(1)} hours of help in the last four weeks`);
  return parts.length ? `Why: ${parts.join("; ")}.` : "";
}
