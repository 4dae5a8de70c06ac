// The checks behind a helper's vetting on their page: each DBS certificate (its number and date),
// reference (the referee) and proof of identity seen, the latest first with who recorded it, and
// a form to record one as it is done.

import { api, need } from "./client.js";
import { busy, date, dayFromToday, field, h, message, show } from "./ui.js";

const KINDS = { dbs: "DBS certificate", reference: "Reference", identity: "Proof of identity" };

/** "DBS certificate 0012 3456 7890, issued 6 November 2026 (recorded by Cora Coordinator)" */
function line(c) {
  const ref = c.kind === "dbs" && c.reference ? c.reference.replace(/(\d{4})(?=\d)/g, "$1 ") : c.reference;
  const when = c.kind === "dbs" ? `issued ${date(c.checked_on)}` : `on ${date(c.checked_on)}`;
  return h(
    "li",
    {},
    h("strong", {}, KINDS[c.kind] || "A check"),
    ref ? `: ${ref}` : "",
    `, ${when}`,
    h("span", { class: "meta" }, ` · recorded by ${c.recorded_by}`),
    c.note ? h("p", { class: "said" }, c.note) : null,
  );
}

/**
 * "Checks behind the vetting" for helper `p`, read when first opened.
 * @param {any} p
 */
export function checksWhenOpened(p) {
  const box = h("details", {}, h("summary", {}, `Checks behind ${p.name}'s vetting`));
  const list = h("ul", { class: "items compact", "aria-label": `Checks behind ${p.name}'s vetting` });
  const slot = h("div", { "aria-live": "polite" });
  const load = async () => {
    const checks = await need(api.GET("/api/v1/helpers/{id}/checks", { params: { path: { id: p.id } } }));
    show(list, checks.length ? checks.map(line) : h("li", {}, "No checks recorded yet."));
  };
  const kind = h("select", {}, Object.entries(KINDS).map(([value, words]) => h("option", { value }, words)));
  const reference = h("input", { autocomplete: "off" });
  const day = h("input", { type: "date", max: dayFromToday(0), min: dayFromToday(-365), value: dayFromToday(0), required: true });
  const note = h("input", { autocomplete: "off" });
  const button = h("button", { type: "submit" }, "Record the check");
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          await need(
            api.POST("/api/v1/helpers/{id}/checks", {
              params: { path: { id: p.id } },
              body: {
                kind: /** @type {any} */ (kind.value),
                reference: reference.value.trim() || undefined,
                checked_on: day.value,
                note: note.value.trim() || undefined,
              },
            }),
          );
          reference.value = "";
          note.value = "";
          await load();
          show(slot, message("done", `The check is recorded on ${p.name}'s vetting.`));
        });
      },
    },
    field("What was checked", kind),
    field("Certificate number or referee", reference, "A DBS certificate's 12-digit number; a referee's name; for identity, the document seen."),
    field("Date (a certificate's date of issue)", day),
    field("Note (if any)", note),
    h("div", { class: "actions" }, button),
  );
  box.addEventListener("toggle", () => {
    if (box.open && box.children.length === 1) {
      box.append(list, form, slot);
      load().catch((e) => show(slot, message("error", e.message || String(e))));
    }
  });
  return box;
}
