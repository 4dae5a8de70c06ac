// Standing requests: each member's regular help, its rhythm in words, its regular helper (chosen
// here by name), its next visits, and pausing, resuming or ending it (asked twice).

import { api, need } from "../client.js";
import { length } from "./request.js";
import { askFirst, busy, CATEGORIES, field, h, message, show, time } from "../ui.js";

export const title = "Standing requests";

const DAYS = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" };
const EVERY = { week: "Every", fortnight: "Every other", four_weeks: "Every fourth" };
const STATES = { active: "Running", paused: "Paused", ended: "Ended" };

export async function render(main) {
  const page = await need(api.GET("/api/v1/series", { params: { query: { limit: 200 } } }));
  main.append(
    page.items.length
      ? h("ul", { class: "items", "aria-label": "Standing requests" }, page.items.map((s) => item(s, s.member_name || "a member")))
      : h("p", {}, "No member has a standing request yet."),
  );
}

function item(s, member) {
  const slot = h("div");
  const status = h("p", {}, STATES[s.status]);
  const act = (label, path, said) => {
    const b = h("button", { type: "button", class: path === "end" ? "danger" : "secondary" }, label);
    const work = async () => {
      const step = { params: { path: { id: s.id } }, body: {} };
      const next = await need(
        path === "pause"
          ? api.POST("/api/v1/series/{id}/pause", step)
          : path === "resume"
            ? api.POST("/api/v1/series/{id}/resume", step)
            : api.POST("/api/v1/series/{id}/end", step),
      );
      show(status, STATES[next.status]);
      show(slot, message("done", said));
    };
    if (path === "end") {
      askFirst(b, slot, `End ${member}'s regular ${(CATEGORIES[s.category] || "help").toLowerCase()}? Visits nobody has taken are cancelled; visits a helper has taken stay.`, "Yes, end it", work);
    } else {
      b.addEventListener("click", () => busy(b, slot, work));
    }
    return b;
  };
  const next = s.upcoming[0];
  return h(
    "li",
    {},
    h("h3", {}, `${CATEGORIES[s.category] || s.category} for ${member}`),
    h("p", {}, `${EVERY[s.every]} ${DAYS[s.weekday]}, ${s.window.start} to ${s.window.end}, about ${length(s.duration_minutes)}`),
    h("p", {}, s.description),
    status,
    h("p", { class: "meta" }, s.helper ? `Regular helper: ${s.helper.name}` : "No regular helper yet"),
    s.status !== "ended" ? regular(s, slot) : null,
    h("p", { class: "meta" }, next ? `Next: ${time(next.window.start)}` : "No visit planned"),
    h(
      "div",
      { class: "actions" },
      s.status === "active" ? act(`Pause ${member}'s ${CATEGORIES[s.category] || s.category}`, "pause", "Paused: visits nobody had taken are cancelled.") : null,
      s.status === "paused" ? act(`Resume ${member}'s ${CATEGORIES[s.category] || s.category}`, "resume", "Running again: the next visits are being arranged.") : null,
      s.status !== "ended" ? act(`End ${member}'s ${CATEGORIES[s.category] || s.category}`, "end", "Ended: visits nobody had taken are cancelled.") : null,
    ),
    slot,
  );
}

/** Choosing the regular helper, by name: each of their visits is offered to them first. */
function regular(s, slot) {
  const q = h("input", { type: "search", name: "helper", autocomplete: "off" });
  const find = h("button", { type: "submit" }, "Find the helper");
  const found = h("div");
  const choose = async (helperId, said) => {
    await need(api.PUT("/api/v1/series/{id}/helper", { params: { path: { id: s.id } }, body: { helper_id: helperId } }));
    show(found);
    show(slot, message("done", said));
  };
  const none = h("button", { type: "button", class: "secondary" }, "No regular helper");
  none.addEventListener("click", () => busy(none, slot, () => choose(null, "No regular helper: each visit goes to the best helpers nearby.")));
  return h(
    "details",
    {},
    h("summary", {}, s.helper ? "Change the regular helper" : "Choose a regular helper"),
    h(
      "form",
      {
        onsubmit: (e) => {
          e.preventDefault();
          busy(find, found, async () => {
            const page = await need(api.GET("/api/v1/helpers", { params: { query: { q: q.value.trim(), vetting: "approved", limit: 10 } } }));
            show(
              found,
              page.items.length
                ? h(
                    "ul",
                    { class: "items compact", "aria-label": "Helpers found" },
                    page.items.map((p) => {
                      const pick = h("button", { type: "button" }, `Make ${p.name} the regular helper`);
                      pick.addEventListener("click", () => busy(pick, found, () => choose(p.id, `${p.name} is the regular helper: each visit is offered to them first.`)));
                      return h("li", {}, h("span", {}, `${p.name}${p.phone ? `, ${p.phone}` : ""} `), pick);
                    }),
                  )
                : message("status", "No approved helper matches."),
            );
          });
        },
      },
      field("Helper's name, phone or email", q),
      h("div", { class: "actions" }, find, s.helper ? none : null),
      found,
    ),
  );
}
