// Standing requests: each member's regular help, its rhythm in words, its regular helper (chosen
// here by name), its next visits, and pausing, resuming or ending it (asked twice).

import { api, need } from "../client.js";
import { length } from "./request.js";
import { askFirst, busy, CATEGORIES, field, h, message, paged, show, time } from "../ui.js";

export const title = "Standing requests";

const DAYS = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" };
const EVERY = { week: "Every", fortnight: "Every other", four_weeks: "Every fourth" };
const STATES = { active: "Running", paused: "Paused", ended: "Ended" };

export async function render(main) {
  main.append(
    paged(
      "Standing requests",
      (cursor) => need(api.GET("/api/v1/series", { params: { query: { limit: 25, cursor } } })),
      (s) => item(s, s.member_name || "a member"),
      "No member has a standing request yet.",
      "items",
    ),
  );
}

/** One standing request, drawn again from each answer; its buttons come from its `actions`. */
function item(s, member) {
  const li = h("li");
  const draw = (s, said) => {
    const slot = h("div");
    if (said) show(slot, message("done", said));
    const may = (name) => (s.actions || []).some((a) => a.name === name && a.allowed);
    const what = CATEGORIES[s.category] || s.category;
    const act = (name, label, done) => {
      const b = h("button", { type: "button", class: name === "end" ? "danger" : "secondary" }, label);
      const work = async () => {
        const step = { params: { path: { id: s.id } }, body: {} };
        const next = await need(
          name === "pause"
            ? api.POST("/api/v1/series/{id}/pause", step)
            : name === "resume"
              ? api.POST("/api/v1/series/{id}/resume", step)
              : api.POST("/api/v1/series/{id}/end", step),
        );
        draw(next, done);
      };
      if (name === "end") {
        askFirst(b, slot, `End ${member}'s regular ${what.toLowerCase()}? Visits nobody has taken are cancelled; visits a helper has taken stay.`, "Yes, end it", work);
      } else {
        b.addEventListener("click", () => busy(b, slot, work));
      }
      return may(name) ? b : null;
    };
    const next = s.upcoming[0];
    show(
      li,
      h("h3", {}, `${what} for ${member}`),
      h("p", {}, `${EVERY[s.every]} ${DAYS[s.weekday]}, ${s.window.start} to ${s.window.end}, about ${length(s.duration_minutes)}`),
      h("p", {}, s.description),
      h("p", {}, STATES[s.status]),
      h("p", { class: "meta" }, s.helper ? `Regular helper: ${s.helper.name}` : "No regular helper yet"),
      may("helper") ? regular(s, (next, said) => draw(next, said)) : null,
      h("p", { class: "meta" }, next ? `Next: ${time(next.window.start)}` : "No visit planned"),
      h(
        "div",
        { class: "actions" },
        act("pause", `Pause ${member}'s ${what}`, "Paused: visits nobody had taken are cancelled."),
        act("resume", `Resume ${member}'s ${what}`, "Running again: the next visits are being arranged."),
        act("end", `End ${member}'s ${what}`, "Ended: visits nobody had taken are cancelled."),
      ),
      slot,
    );
  };
  draw(s);
  return li;
}

/**
 * Choosing the regular helper, by name: each of their visits is offered to them first. A helper
 * who lacks the skill, lives too far or is not free at the time is named with why, and can be
 * chosen anyway with a reason.
 */
function regular(s, chosen) {
  const q = h("input", { type: "search", name: "helper", autocomplete: "off" });
  const find = h("button", { type: "submit" }, "Find the helper");
  const found = h("div");
  const put = (body) => need(api.PUT("/api/v1/series/{id}/helper", { params: { path: { id: s.id } }, body }));
  const choose = async (p) => {
    try {
      const next = await put({ helper_id: p.id });
      chosen(next, `${p.name} is the regular helper: each visit is offered to them first.`);
    } catch (e) {
      const checks = (e.fields || []).filter((f) => ["skill", "reach", "availability"].includes(f.field));
      if (e.status !== 422 || !checks.length) throw e;
      show(found, anyway(p, checks));
    }
  };
  const anyway = (p, checks) => {
    const said = h("div");
    const why = h("textarea", { name: "reason", rows: 2, required: true, maxlength: 500 });
    const go = h("button", { type: "button", class: "danger" }, `Choose ${p.name} anyway`);
    const back = h("button", { type: "button", class: "secondary" }, "No, choose someone else");
    back.addEventListener("click", () => show(found));
    go.addEventListener("click", () =>
      busy(go, said, async () => {
        const next = await put({ helper_id: p.id, override: true, reason: why.value.trim() });
        chosen(next, `${p.name} is the regular helper, with your reason noted.`);
      }),
    );
    return h(
      "div",
      { class: "message error", role: "alert" },
      h("p", {}, `${p.name} may not suit this regular help:`),
      h("ul", {}, checks.map((c) => h("li", {}, c.message))),
      field("Why choose them anyway? (kept in the record)", why),
      h("div", { class: "actions" }, go, back),
      said,
    );
  };
  const none = h("button", { type: "button", class: "secondary" }, "No regular helper");
  none.addEventListener("click", () =>
    busy(none, found, async () => chosen(await put({ helper_id: null }), "No regular helper: each visit goes to the best helpers nearby.")),
  );
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
                      pick.addEventListener("click", () => busy(pick, found, () => choose(p)));
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
