// Safeguarding concerns: the queue (urgent first, newest first), raising one for someone on the
// phone, and each concern's page with its history and the next step. Every read is audited by
// the service.

import { api, need, onceKey } from "../client.js";
import { busy, CONCERN_KINDS, CONCERN_STATES, field, h, message, paged, show, time } from "../ui.js";

export const title = "Concerns";

export async function render(main) {
  main.append(
    h("p", {}, "Every concern is kept for good: nothing here can be changed or deleted, only added to. Newest first; urgent ones say so."),
    queue("New, not yet picked up", "open"),
    queue("Being looked into", "investigating"),
    queue("Passed on", "referred"),
    h("h2", {}, "Raise a concern for someone on the phone"),
    raiseForm(),
  );
}

export function concernSummary(c) {
  return h(
    "li",
    {},
    h("h3", {}, `${c.urgency === "urgent" ? "URGENT: " : ""}${CONCERN_KINDS[c.category] || c.category}${c.about_name ? ` about ${c.about_name}` : ""}`),
    h("p", {}, c.description),
    h("p", { class: "meta" }, `Raised by ${c.raised_by_name || "someone"} on ${time(c.created_at)} · ${CONCERN_STATES[c.status]}`),
    h("a", { class: "button secondary", href: `#/concern/${encodeURIComponent(c.id)}` }, `Open the concern raised on ${time(c.created_at)}`),
  );
}

/** One state's concerns, newest first, 25 at a time. */
function queue(heading, status) {
  return h(
    "section",
    { "aria-label": heading },
    h("h2", {}, heading),
    paged(
      heading,
      (cursor) => need(api.GET("/api/v1/concerns", { params: { query: { status: /** @type {any} */ (status), limit: 25, cursor } } })),
      concernSummary,
      "None.",
      "items",
    ),
  );
}

function raiseForm() {
  const kind = h(
    "select",
    { name: "category" },
    Object.entries(CONCERN_KINDS).map(([value, words]) => h("option", { value }, words)),
  );
  const urgency = h(
    "select",
    { name: "urgency" },
    h("option", { value: "routine" }, "Routine: within a few days"),
    h("option", { value: "urgent" }, "Urgent: someone may be at risk now"),
  );
  const about = h("input", { name: "about", autocomplete: "off" });
  const description = h("textarea", { name: "description", required: true, maxlength: "2000" });
  const button = h("button", { type: "submit" }, "Raise the concern");
  const slot = h("div");
  const key = onceKey();
  return h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          let aboutId;
          if (about.value.trim()) {
            const found = await need(api.GET("/api/v1/members", { params: { query: { q: about.value.trim(), limit: 2 } } }));
            if (found.items.length !== 1) {
              show(slot, message("error", "Name one member: their name, phone or postcode must match exactly one."));
              return;
            }
            aboutId = found.items[0].id;
          }
          const body = {
            about_id: aboutId,
            category: /** @type {any} */ (kind.value),
            urgency: /** @type {any} */ (urgency.value),
            description: description.value.trim(),
          };
          const c = await need(api.POST("/api/v1/concerns", { params: { header: { "Idempotency-Key": key(body) } }, body }));
          show(slot, message("done", "The concern is raised."), h("a", { href: `#/concern/${encodeURIComponent(c.id)}` }, "Open it"));
        });
      },
    },
    field("What kind of concern?", kind),
    field("How urgent?", urgency, "Urgent concerns email every coordinator at once."),
    field("About which member? (optional)", about, "Their name, phone number or postcode."),
    field("What happened?", description, "In the caller's words."),
    h("div", { class: "actions" }, button),
    slot,
  );
}
