// When a helper can help: which parts of which days (morning, afternoon, evening), and time away
// (from one day to another). Saving replaces what was kept; offers then follow it.

import { api } from "../../shared/api.js";
import { current } from "../../shared/session.js";
import { action, dayOf, h, message, need, show } from "../ui.js";
import { weekBoxes } from "../week.js";

/** `YYYY-MM-DD` of an instant, in local time. */
function localDay(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export async function render(main) {
  const me = current().user.id;
  const path = { params: { path: { id: me } } };
  const draw = async (note) => {
    const now = await need(api.GET("/api/v1/helpers/{id}/availability", path));
    const { fieldset: grid, chosen } = weekBoxes(now.weekly, "When can you usually help?");
    const away = now.time_off.map((t) => ({ start: localDay(t.start), end: localDay(new Date(new Date(t.end).getTime() - 1).toISOString()) }));
    const from = h("input", { id: "away-from", type: "date" });
    const to = h("input", { id: "away-to", type: "date" });
    const slot = h("div");
    const save = async (timeOff) => {
      const weekly = chosen();
      await need(
        api.PUT("/api/v1/helpers/{id}/availability", {
          ...path,
          // The Circle's days are in UK time, wherever the phone thinks it is.
          body: { timezone: "Europe/London", weekly, time_off: timeOff },
        }),
      );
    };
    show(
      main,
      h("h1", {}, "When you can help"),
      note ? message("done", note) : null,
      grid,
      h("div", { class: "actions" }, action("Save these times", async () => { await save(away); await draw("Saved. Offers will follow these times."); }, { slot })),
      h("h2", {}, "Time away"),
      away.length
        ? h(
            "ul",
            { class: "cards", "aria-label": "Time away" },
            away.map((t, i) =>
              h(
                "li",
                { class: "card" },
                h("p", {}, `From ${dayOf(t.start)} to ${dayOf(t.end)}`),
                action(
                  `I am not away from ${dayOf(t.start)} after all`,
                  async () => {
                    await save(away.filter((_, j) => j !== i));
                    await draw("Removed.");
                  },
                  { secondary: true, slot },
                ),
              ),
            ),
          )
        : h("p", {}, "No time away."),
      h("div", { class: "field" }, h("label", { for: "away-from" }, "Away from"), from),
      h("div", { class: "field" }, h("label", { for: "away-to" }, "Until (the last day away)"), to),
      h(
        "div",
        { class: "actions" },
        action(
          "Add this time away",
          async () => {
            if (!from.value || !to.value) throw new Error("Please choose the first and the last day away.");
            if (to.value < from.value) throw new Error("The last day away must be on or after the first.");
            await save([...away, { start: from.value, end: to.value }]);
            await draw(`Thank you: no offers from ${dayOf(from.value)} to ${dayOf(to.value)}.`);
          },
          { slot },
        ),
      ),
      slot,
      h("a", { href: "#/" }, "Back to your help"),
    );
  };
  await draw();
}
