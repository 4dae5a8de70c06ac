// One safeguarding concern: what was reported, every step since, and the next step (look into
// it, pass it on, close it) with a note. Nothing already written can be changed.

import { api, need } from "../client.js";
import { busy, CONCERN_KINDS, CONCERN_STATES, date, dayFromToday, field, h, message, show, time } from "../ui.js";

export const title = "A concern";

export async function render(main, [id]) {
  const slot = h("div");
  main.append(slot);
  await draw(main, slot, id);
}

async function draw(main, slot, id) {
  const c = await need(api.GET("/api/v1/concerns/{id}", { params: { path: { id } } }));
  main.querySelector("h1").textContent = `${c.urgency === "urgent" ? "Urgent concern" : "Concern"}: ${CONCERN_KINDS[c.category] || c.category}`;
  show(
    slot,
    h(
      "dl",
      {},
      h("dt", {}, "Where it stands"),
      h("dd", {}, CONCERN_STATES[c.status]),
      h("dt", {}, "Raised by"),
      h("dd", {}, `${c.raised_by_name || "someone"} on ${time(c.created_at)}`),
      c.about_name ? h("dt", {}, "About") : null,
      c.about_name ? h("dd", {}, c.about_name) : null,
      c.status === "closed" ? null : h("dt", {}, "Who owns it"),
      c.status === "closed" ? null : h("dd", {}, c.owner_name || "No one yet: whoever adds the next step takes it on."),
      c.review_on ? h("dt", {}, "Next review") : null,
      c.review_on ? h("dd", {}, date(c.review_on)) : null,
    ),
    h("h2", {}, "What was reported"),
    h("p", { class: "card" }, c.description),
    h("h2", {}, "Every step"),
    h(
      "ol",
      { class: "items" },
      c.history.map((s) =>
        h(
          "li",
          {},
          h("strong", {}, `${CONCERN_STATES[s.status]}: ${s.by_name || ""}`),
          h("p", { class: "meta" }, time(s.at)),
          s.note ? h("p", {}, s.note) : null,
          s.referred_to ? h("p", {}, `Passed to ${s.referred_to}${s.reference ? `, reference ${s.reference}` : ""}`) : null,
          s.closure_reason ? h("p", {}, `Closed because: ${s.closure_reason}`) : null,
        ),
      ),
    ),
    c.status === "closed" ? h("p", {}, "This concern is closed. Raise a new one if something else happens.") : nextStep(main, slot, c),
  );
}

function nextStep(main, slot, c) {
  const status = h(
    "select",
    { name: "status" },
    h("option", { value: "investigating" }, "Looking into it"),
    h("option", { value: "referred" }, "Passed on"),
    h("option", { value: "closed" }, "Close it"),
  );
  const note = h("textarea", { name: "note", required: true, maxlength: "2000" });
  const referredTo = h("input", { name: "referred_to", autocomplete: "off" });
  const reference = h("input", { name: "reference", autocomplete: "off" });
  const reason = h("input", { name: "closure_reason", autocomplete: "off" });
  const review = h("input", { name: "review_on", type: "date", min: dayFromToday(0), max: dayFromToday(365), value: dayFromToday(7) });
  const button = h("button", { type: "submit" }, "Add this step");
  const out = h("div");
  const opt = (input) => input.value.trim() || undefined;
  return h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, out, async () => {
          await need(
            api.POST("/api/v1/concerns/{id}/status", {
              params: { path: { id: c.id } },
              body: {
                status: /** @type {any} */ (status.value),
                note: note.value.trim(),
                referred_to: opt(referredTo),
                reference: opt(reference),
                closure_reason: opt(reason),
                review_on: status.value === "closed" ? undefined : review.value || undefined,
              },
            }),
          );
          await draw(main, slot, c.id);
          slot.prepend(message("done", "The step is added."));
        });
      },
    },
    h("h2", {}, "The next step"),
    field("What now?", status),
    field("What was done or found", note),
    field("Passed to (when passing on)", referredTo, "Adult social care, the police, their GP …"),
    field("Their reference (if given)", reference),
    field("Why it is closed (when closing)", reason),
    field("Look at it again on", review, "It shows on Follow-ups from that day. Left out when closing."),
    h("div", { class: "actions" }, button),
    out,
  );
}
