// Social events: what is coming up (places taken, and how many wait), those of the last
// fortnight (to record who came), and putting one on.

import { api, need, onceKey } from "../client.js";
import { busy, dayFromToday, field, h, instant, message, paged, show, time } from "../ui.js";

export const title = "Social events";

export async function render(main) {
  const now = new Date();
  const fortnightAgo = new Date(now.getTime() - 14 * 24 * 3600 * 1000);
  main.append(
    h("h2", {}, "Coming up"),
    paged(
      "Events coming up",
      (cursor) => need(api.GET("/api/v1/events", { params: { query: { limit: 25, cursor } } })),
      item,
      "Nothing is planned yet.",
      "items",
    ),
    h("h2", {}, "In the last fortnight: record who came"),
    paged(
      "Recent events",
      (cursor) => need(api.GET("/api/v1/events", { params: { query: { from: fortnightAgo.toISOString(), to: now.toISOString(), limit: 25, cursor } } })),
      item,
      "None.",
      "items",
    ),
    h("h2", {}, "Put an event on"),
    createForm(),
  );
}

function item(e) {
  return h(
    "li",
    {},
    h("h3", {}, e.title),
    h("p", {}, `${time(e.starts_at)} · ${e.place}`),
    h(
      "p",
      { class: "meta" },
      `${e.going} of ${e.capacity} places taken${e.waiting ? `, ${e.waiting} waiting` : ""}`,
    ),
    h("a", { class: "button secondary", href: `#/event/${encodeURIComponent(e.id)}` }, `Open ${e.title} on ${time(e.starts_at)}`),
  );
}

function createForm() {
  const titleInput = h("input", { name: "title", required: true, maxlength: "100", autocomplete: "off" });
  const description = h("textarea", { name: "description", required: true, maxlength: "2000" });
  const place = h("input", { name: "place", required: true, maxlength: "300", autocomplete: "off" });
  const postcode = h("input", { name: "postcode", autocomplete: "off", autocapitalize: "characters", required: true, size: "9" });
  const day = h("input", { name: "day", type: "date", required: true, value: dayFromToday(7) });
  const from = h("input", { name: "from", type: "time", required: true, value: "10:30" });
  const to = h("input", { name: "to", type: "time", required: true, value: "12:30" });
  const capacity = h("input", { name: "capacity", type: "number", min: "1", max: "1000", required: true, value: "30" });
  const button = h("button", { type: "submit" }, "Put the event on");
  const slot = h("div");
  const key = onceKey();
  return h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          const body = {
            title: titleInput.value.trim(),
            description: description.value.trim(),
            place: place.value.trim(),
            postcode: postcode.value.trim(),
            starts_at: instant(day.value, from.value),
            ends_at: instant(day.value, to.value),
            capacity: Number(capacity.value),
          };
          const ev = await need(api.POST("/api/v1/events", { params: { header: { "Idempotency-Key": key(body) } }, body }));
          show(slot, message("done", `${ev.title} is on.`), h("a", { href: `#/event/${encodeURIComponent(ev.id)}` }, "Open it"));
        });
      },
    },
    field("What is it called?", titleInput, "Such as Coffee morning"),
    field("What happens there?", description),
    field("Where?", place, "The place and street, as members would say it"),
    field("Its postcode", postcode, "Such as SE5 8QX. Members are told how far it is, and lifts are found from it."),
    field("Which day?", day),
    field("Starts at", from),
    field("Ends at", to),
    field("How many places?", capacity),
    h("div", { class: "actions" }, button),
    slot,
  );
}
