// Raising a worry about someone's safety or wellbeing (a safeguarding concern), and seeing where
// the ones raised stand. Coordinators read each one; urgent ones reach them at once.

import { api, onceKey } from "../../shared/api.js";
import { CONCERN_KINDS, CONCERN_STATES } from "../../shared/words.js";
import { dayOf, h, message, need, show, submitted } from "../ui.js";

export async function render(main) {
  const raised = await need(api.GET("/api/v1/concerns", { params: { query: { limit: 20 } } }));
  const key = onceKey();
  const kind = h("select", { id: "c-kind" }, Object.entries(CONCERN_KINDS).map(([value, words]) => h("option", { value }, words)));
  kind.value = "other";
  const what = h("textarea", { id: "c-what", rows: "5", maxlength: "4000", required: true });
  const urgent = h("input", { type: "checkbox", id: "c-urgent" });
  const slot = h("div");
  const button = h("button", { type: "submit" }, "Tell a coordinator");
  const form = h(
    "form",
    {
      novalidate: true,
      onsubmit: submitted(button, slot, async () => {
        if (!what.value.trim()) throw new Error("Please say what worries you, in your own words.");
        const body = {
          category: /** @type {any} */ (kind.value),
          description: what.value.trim(),
          urgency: /** @type {"urgent" | "routine"} */ (urgent.checked ? "urgent" : "routine"),
        };
        await need(api.POST("/api/v1/concerns", { params: { header: { "Idempotency-Key": key(body) } }, body }));
        show(
          main,
          h("h1", {}, "Thank you for telling us"),
          message("done", urgent.checked ? "Every coordinator has been told now, and one will ring you." : "A coordinator will read it and may ring you."),
          h("a", { href: "#/" }, "Back to your help"),
        );
      }),
    },
    h("div", { class: "field" }, h("label", { for: "c-kind" }, "What is it about?"), kind),
    h("div", { class: "field" }, h("label", { for: "c-what" }, "What worries you?"), what),
    h("label", { class: "check", for: "c-urgent" }, urgent, " It is urgent: someone may be at risk today"),
    h("div", { class: "actions" }, button),
    slot,
  );
  show(
    main,
    h("h1", {}, "A worry about someone"),
    h("p", {}, "If you are worried about someone's safety or wellbeing (yours, a member's or a helper's), tell a coordinator here. Only coordinators read it."),
    h("p", { class: "what" }, "If someone is in danger now, ring 999."),
    form,
    raised.items.length ? h("h2", {}, "What you have told us") : null,
    raised.items.length
      ? h("ul", {}, raised.items.map((c) => h("li", {}, `${dayOf(c.created_at)}: ${CONCERN_KINDS[c.category] || "Something else"}. ${CONCERN_STATES[c.status] || ""}.`)))
      : null,
    h("a", { href: "#/" }, "Back to your help"),
  );
}
