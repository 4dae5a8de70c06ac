// A member's regular help (standing requests): each in words ("Help with the garden every
// Tuesday morning, Rosa comes"), with the next visit; starting one, pausing it (saying what that
// does, until a day or until started again), starting it again and stopping it (each asked first,
// as they cancel the visits nobody has taken yet). The buttons are the standing request's `actions`.

import { api, onceKey } from "../../shared/api.js";
import { CATEGORIES, HELP_WITH } from "../../shared/words.js";
import { action, dayOf, h, message, need, partOfDay, show, submitted, tomorrow } from "../ui.js";

const EVERY = { week: "every week", fortnight: "every other week", four_weeks: "every four weeks" };
const DAYS = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" };
const PARTS = {
  morning: ["09:00", "12:00", "In the morning (9 to 12)"],
  afternoon: ["13:00", "17:00", "In the afternoon (1 to 5)"],
};
const LENGTHS = [
  [30, "Half an hour"],
  [60, "An hour"],
  [90, "An hour and a half"],
  [120, "Two hours"],
];

/** "every Tuesday morning", "every other Friday afternoon" */
function when(s) {
  const part = s.window.start < "12:00" ? "morning" : s.window.start < "17:00" ? "afternoon" : "evening";
  const day = `${DAYS[s.weekday]} ${part}`;
  if (s.every === "fortnight") return `every other ${day}`;
  if (s.every === "four_weeks") return `on a ${day} every four weeks`;
  return `every ${day}`;
}

/** The days a pause may end on: its day of the week, from a week on, for twelve weeks. */
function restartDays(s) {
  const wanted = Object.keys(DAYS).indexOf(s.weekday);
  const d = new Date();
  d.setHours(12, 0, 0, 0);
  d.setDate(d.getDate() + 7 + ((wanted + 1 - d.getDay() + 7) % 7));
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return Array.from({ length: 12 }, (_, i) => {
    const day = new Date(d);
    day.setDate(d.getDate() + 7 * i);
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  });
}

function seriesCard(s, draw) {
  const slot = h("div");
  const path = { params: { path: { id: s.id } } };
  const next = s.upcoming.find((r) => ["open", "offered", "assigned"].includes(r.status));
  const stop = h("div", { class: "actions" });
  const can = (/** @type {string} */ name) => (s.actions || []).some((a) => a.name === name && a.allowed);
  const askStop = () => {
    stop.replaceChildren(
      h("p", { class: "what" }, "Stop this regular help? Visits nobody has taken yet are cancelled."),
      action("Yes, stop it", async () => {
        await need(api.POST("/api/v1/series/{id}/end", { ...path, body: {} }));
        await draw("Stopped. If a helper was coming, we have told them.");
      }, { slot }),
      action("No, keep it", async () => draw(), { secondary: true, slot }),
    );
    stop.querySelector("button")?.focus();
  };
  const askPause = () => {
    const until = h(
      "select",
      { id: `r-until-${s.id}` },
      h("option", { value: "" }, "When I say so"),
      restartDays(s).map((day) => h("option", { value: day }, dayOf(`${day}T12:00:00`))),
    );
    stop.replaceChildren(
      h("p", { class: "what" }, "Pause this regular help?"),
      h("p", {}, "Visits nobody has taken yet are cancelled, and nobody is asked until it starts again. A visit a helper has said yes to stays booked."),
      h("div", { class: "field" }, h("label", { for: `r-until-${s.id}` }, "When should it start again?"), until),
      action("Yes, pause it", async () => {
        const body = until.value ? { until: until.value } : {};
        await need(api.POST("/api/v1/series/{id}/pause", { ...path, body }));
        await draw(until.value ? `Paused. It starts again by itself from ${dayOf(`${until.value}T12:00:00`)}.` : "Paused. Nobody will be asked until you start it again.");
      }, { slot }),
      action("No, keep it going", async () => draw(), { secondary: true, slot }),
    );
    until.focus();
  };
  const buttons = [
    can("pause") ? action("Pause it for a while", async () => askPause(), { secondary: true, slot }) : null,
    can("resume")
      ? action("Start it again now", async () => {
          await need(api.POST("/api/v1/series/{id}/resume", { ...path, body: {} }));
          await draw("Started again: we are asking helpers for the next visits.");
        }, { slot })
      : null,
    can("end") ? action("Stop it", async () => askStop(), { secondary: true, slot }) : null,
  ];
  stop.append(...buttons.filter((b) => b !== null));
  return h(
    "li",
    { class: "card" },
    h("h3", { class: "what" }, `Help with ${HELP_WITH[s.category] || "something else"}, ${when(s)}`),
    h("p", {}, `“${s.description}”`),
    s.status === "paused"
      ? h("p", { class: "what" }, s.paused_until ? `Paused. It starts again by itself from ${dayOf(`${s.paused_until}T12:00:00`)}.` : "Paused until you start it again.")
      : null,
    s.status === "ended" ? h("p", { class: "what" }, "Stopped.") : null,
    s.helper ? h("p", {}, `${s.helper.name.split(" ")[0]} comes regularly.`) : null,
    next
      ? h("p", {}, `Next: ${partOfDay(next.window.start)}${next.helper ? `, ${next.helper.name.split(" ")[0]} is coming` : ""}.`)
      : null,
    stop,
    slot,
  );
}

function startForm(draw) {
  const key = onceKey();
  const kind = h("select", { id: "r-kind" }, Object.entries(CATEGORIES).map(([value, words]) => h("option", { value }, words)));
  const what = h("textarea", { id: "r-what", rows: "3", maxlength: "2000", required: true });
  const every = h("select", { id: "r-every" }, Object.entries(EVERY).map(([value, words]) => h("option", { value }, words[0].toUpperCase() + words.slice(1))));
  const day = h("select", { id: "r-day" }, Object.entries(DAYS).map(([value, words]) => h("option", { value }, words)));
  const part = h("select", { id: "r-part" }, Object.entries(PARTS).map(([value, [, , words]]) => h("option", { value }, words)));
  const length = h("select", { id: "r-length" }, LENGTHS.map(([minutes, words]) => h("option", { value: String(minutes) }, words)));
  length.value = "60";
  const slot = h("div");
  const button = h("button", { type: "submit" }, "Start this regular help");
  return h(
    "form",
    {
      onsubmit: submitted(button, slot, async () => {
        if (!what.value.trim()) throw new Error("Please say what needs doing, in a few words.");
        const [start, end] = PARTS[part.value];
        const body = {
          category: /** @type {any} */ (kind.value),
          description: what.value.trim(),
          every: /** @type {any} */ (every.value),
          weekday: day.value,
          window: { start, end },
          timezone: /** @type {const} */ ("Europe/London"),
          duration_minutes: Number(length.value),
          starts_on: tomorrow(),
        };
        await need(api.POST("/api/v1/series", { params: { header: { "Idempotency-Key": key(body) } }, body }));
        await draw("Started: we are asking helpers nearby for the first visits.");
      }),
    },
    h("div", { class: "field" }, h("label", { for: "r-kind" }, "What kind of help?"), kind),
    h("div", { class: "field" }, h("label", { for: "r-what" }, "What needs doing?"), what),
    h("div", { class: "field" }, h("label", { for: "r-every" }, "How often?"), every),
    h("div", { class: "field" }, h("label", { for: "r-day" }, "Which day of the week?"), day),
    h("div", { class: "field" }, h("label", { for: "r-part" }, "When in the day?"), part),
    h("div", { class: "field" }, h("label", { for: "r-length" }, "How long will it take?"), length),
    h("div", { class: "actions" }, button),
    slot,
  );
}

export async function render(main) {
  const draw = async (note) => {
    const series = await need(api.GET("/api/v1/series", { params: { query: { limit: 50 } } }));
    const shown = series.items.filter((s) => s.status !== "ended");
    show(
      main,
      h("h1", {}, "Regular help"),
      note ? message("done", note) : null,
      h("p", {}, "Help that comes back: the same day each week, or every other week. We ask the same helper each time when we can."),
      shown.length
        ? h("ul", { class: "cards", "aria-label": "Your regular help" }, shown.map((s) => seriesCard(s, draw)))
        : h("p", {}, "You have no regular help yet."),
      h("details", {}, h("summary", {}, "Start regular help"), startForm(draw)),
      h("a", { href: "#/" }, "Back to your help"),
    );
  };
  await draw();
}
