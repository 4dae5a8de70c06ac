// A person's record on their page: the notes, calls and call-backs coordinators wrote, newest
// first with who and when, "Show more" while there are more, and a form to write a note, log a
// call or set a call-back for a day (it shows on Follow-ups from that day until marked done).

import { api, need } from "./client.js";
import { busy, date, dayFromToday, field, h, message, show, time } from "./ui.js";

const KINDS = { call: "A call", note: "A note", call_back: "A call-back to make" };

/**
 * The "Notes and calls" section for the person `id`, named `name`.
 * @param {string} id
 * @param {string} name
 */
export function notesSection(id, name) {
  const path = { params: { path: { id } } };
  const list = h("ul", { class: "items", "aria-label": `Notes and calls about ${name}` });
  const more = h("div");
  const slot = h("div", { "aria-live": "polite" });
  const due = (n) => {
    if (n.kind !== "call_back") return null;
    if (n.done_at) return h("p", {}, `Ring on ${date(n.due_on)}: done ${time(n.done_at)}.`);
    const b = h("button", { type: "button", class: "secondary" }, "I rang");
    b.addEventListener("click", () =>
      busy(b, slot, async () => {
        await need(api.POST("/api/v1/people/{id}/notes/{note_id}/done", { params: { path: { id, note_id: n.id } } }));
        await load(null);
        show(slot, message("done", "The call-back is marked done."));
      }),
    );
    return h("p", {}, `Ring on ${date(n.due_on)}. `, b);
  };
  const item = (n) =>
    h(
      "li",
      {},
      h("p", { class: "meta" }, `${KINDS[n.kind] || "A note"} · ${time(n.at)} · ${n.written_by}`),
      h("p", { class: "said" }, n.text),
      due(n),
    );
  const load = async (cursor) => {
    const page = await need(api.GET("/api/v1/people/{id}/notes", { params: { path: { id }, query: cursor ? { cursor, limit: 20 } : { limit: 20 } } }));
    if (!cursor) list.replaceChildren();
    list.append(...page.items.map(item));
    if (!cursor && !page.items.length) list.append(h("li", {}, "Nothing written yet."));
    show(more);
    if (page.next_cursor) {
      const b = h("button", { type: "button", class: "secondary" }, "Show more");
      b.addEventListener("click", () => busy(b, slot, () => load(page.next_cursor)));
      show(more, b);
    }
  };
  const kind = h("select", {}, Object.entries(KINDS).map(([value, words]) => h("option", { value }, words)));
  const text = h("textarea", { rows: "3", maxlength: "2000", required: true });
  const day = h("input", { type: "date", min: dayFromToday(0), max: dayFromToday(365), value: dayFromToday(1) });
  const dayField = field("Ring on", day, "It shows on Follow-ups from that day.");
  dayField.hidden = true;
  kind.addEventListener("change", () => {
    dayField.hidden = kind.value !== "call_back";
  });
  const button = h("button", { type: "submit" }, "Keep it on the record");
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          if (!text.value.trim()) throw new Error("Please write what was said or done.");
          const callBack = kind.value === "call_back";
          if (callBack && !day.value) throw new Error("Please choose the day to ring on.");
          await need(
            api.POST("/api/v1/people/{id}/notes", {
              ...path,
              body: { kind: /** @type {any} */ (kind.value), text: text.value.trim(), due_on: callBack ? day.value : undefined },
            }),
          );
          text.value = "";
          await load(null);
          show(slot, message("done", `Kept on ${name}'s record.`));
        });
      },
    },
    field("What is it?", kind),
    field("What was said or done", text),
    dayField,
    h("div", { class: "actions" }, button),
  );
  load(null).catch((e) => show(slot, message("error", e.message || String(e))));
  return h("section", { "aria-label": "Notes and calls" }, h("h2", {}, "Notes and calls"), list, more, form, slot);
}
