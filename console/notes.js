// A person's record on their page: the notes and calls coordinators wrote, newest first with who
// and when, "Show more" while there are more, and a form to write a note or log a call.

import { api, need } from "./client.js";
import { busy, field, h, message, show, time } from "./ui.js";

const KINDS = { call: "A call", note: "A note" };

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
  const item = (n) =>
    h(
      "li",
      {},
      h("p", { class: "meta" }, `${KINDS[n.kind] || "A note"} · ${time(n.at)} · ${n.written_by}`),
      h("p", { class: "said" }, n.text),
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
  const button = h("button", { type: "submit" }, "Keep it on the record");
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          if (!text.value.trim()) throw new Error("Please write what was said or done.");
          await need(api.POST("/api/v1/people/{id}/notes", { ...path, body: { kind: kind.value, text: text.value.trim() } }));
          text.value = "";
          await load(null);
          show(slot, message("done", `Kept on ${name}'s record.`));
        });
      },
    },
    field("What is it?", kind),
    field("What was said or done", text),
    h("div", { class: "actions" }, button),
  );
  load(null).catch((e) => show(slot, message("error", e.message || String(e))));
  return h("section", { "aria-label": "Notes and calls" }, h("h2", {}, "Notes and calls"), list, more, form, slot);
}
