// Helpers: applications waiting to be checked (approve with an expiry, or reject), and finding
// a helper to change their details or suspend them.

import { get, patch, post } from "../api.js";
import { askFirst, busy, CATEGORIES, date, dayFromToday, field, h, message, show } from "../ui.js";

export const title = "Helpers";

const VETTING = {
  pending: "Waiting to be checked",
  approved: "Approved",
  rejected: "Not accepted",
  suspended: "Suspended",
};

export async function render(main) {
  const pending = await get("/api/v1/helpers?vetting=pending&limit=50");
  main.append(
    h("h2", {}, "Applications to check"),
    pending.items.length
      ? h("ul", { class: "items", "aria-label": "Applications" }, pending.items.map(application))
      : h("p", {}, "No applications are waiting."),
    h("h2", {}, "Find a helper"),
    finder(),
  );
}

function skillsText(skills) {
  return skills.map((s) => CATEGORIES[s] || s).join(", ");
}

function application(p) {
  const until = h("input", { type: "date", name: "until", value: dayFromToday(365), min: dayFromToday(1) });
  const approve = h("button", { type: "button" }, `Approve ${p.name}`);
  const reject = h("button", { type: "button", class: "secondary" }, `Do not accept ${p.name}`);
  const slot = h("div");
  const decide = (button, body, said) =>
    busy(button, slot, async () => {
      await post(`/api/v1/helpers/${encodeURIComponent(p.id)}/vetting`, body);
      show(slot, message("done", said));
      approve.disabled = true;
      reject.disabled = true;
    });
  approve.addEventListener("click", () =>
    decide(approve, { status: "approved", expires_on: until.value }, `${p.name} is approved until ${date(until.value)}.`),
  );
  askFirst(reject, slot, `Not accept ${p.name}? They will get no offers.`, `Yes, do not accept ${p.name}`, async () => {
    await post(`/api/v1/helpers/${encodeURIComponent(p.id)}/vetting`, { status: "rejected" });
    show(slot, message("done", `${p.name} was not accepted.`));
    approve.disabled = true;
    reject.disabled = true;
  });
  return h(
    "li",
    {},
    h("h3", {}, p.name),
    h("p", { class: "meta" }, [p.email, p.phone].filter(Boolean).join(" · ")),
    h("p", {}, `Can help with: ${skillsText(p.skills)}. Travels up to ${p.max_distance_km} km.`),
    h("p", { class: "meta" }, `Applied on ${date(p.created_at)}`),
    h("div", { class: "actions" }, field("Checks valid until", until), approve, reject),
    slot,
  );
}

function finder() {
  const q = h("input", { type: "search", name: "q", autocomplete: "off" });
  const button = h("button", { type: "submit" }, "Find");
  const found = h("div");
  return h(
    "div",
    {},
    h(
      "form",
      {
        role: "search",
        onsubmit: (e) => {
          e.preventDefault();
          busy(button, found, async () => {
            const page = await get(`/api/v1/helpers?q=${encodeURIComponent(q.value.trim())}&limit=20`);
            show(
              found,
              page.items.length
                ? h("ul", { class: "items", "aria-label": "Helpers found" }, page.items.map(helperItem))
                : message("status", "Nobody matches."),
            );
          });
        },
      },
      field("Name, phone number or email", q),
      h("div", { class: "actions" }, button),
    ),
    found,
  );
}

function helperItem(p) {
  const slot = h("div");
  const status = h("p", {}, `${VETTING[p.vetting.status] || p.vetting.status}${p.vetting.expires_on ? ` until ${date(p.vetting.expires_on)}` : ""}${p.active ? "" : " · account deactivated"}`);
  const suspend = h("button", { type: "button", class: "danger" }, `Suspend ${p.name}`);
  askFirst(
    suspend,
    slot,
    `Suspend ${p.name}? Their open offers go to others, and they get no new ones until reinstated.`,
    `Yes, suspend ${p.name}`,
    async () => {
      const v = await post(`/api/v1/helpers/${encodeURIComponent(p.id)}/vetting`, { status: "suspended" });
      show(status, `${VETTING[v.vetting.status]}`);
      show(actions, field("Checks valid until", until), reinstate);
      show(slot, message("done", `${p.name} is suspended; their open offers went to others.`));
    },
  );
  const until = h("input", { type: "date", name: "until", value: dayFromToday(365), min: dayFromToday(1) });
  const reinstate = h("button", { type: "button" }, `Reinstate ${p.name}`);
  reinstate.addEventListener("click", () =>
    busy(reinstate, slot, async () => {
      const v = await post(`/api/v1/helpers/${encodeURIComponent(p.id)}/vetting`, { status: "approved", expires_on: until.value, note: "Reinstated" });
      show(status, `${VETTING[v.vetting.status]} until ${date(until.value)}`);
      show(actions);
      show(slot, message("done", `${p.name} is reinstated until ${date(until.value)}; offers come to them again.`));
    }),
  );
  const actions = h(
    "div",
    { class: "actions" },
    p.vetting.status === "approved" ? suspend : null,
    p.vetting.status === "suspended" ? [field("Checks valid until", until), reinstate] : null,
  );
  return h(
    "li",
    {},
    h("h3", {}, p.name),
    status,
    h("p", { class: "meta" }, [p.email, p.phone].filter(Boolean).join(" · ")),
    h("p", {}, `Can help with: ${skillsText(p.skills)}. Travels up to ${p.max_distance_km} km.`),
    actions,
    editForm(p, slot),
    slot,
  );
}

function editForm(p, slot) {
  const phone = h("input", { type: "tel", name: "phone", value: p.phone || "" });
  const km = h("input", { type: "number", name: "km", min: "0.5", max: "50", step: "0.5", value: String(p.max_distance_km) });
  const boxes = Object.entries(CATEGORIES).map(([value, words]) => {
    const box = h("input", { type: "checkbox", name: "skills", value, checked: p.skills.includes(value) });
    return h("label", {}, box, words);
  });
  const save = h("button", { type: "submit" }, `Save ${p.name}'s details`);
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(save, slot, async () => {
          const skills = boxes.map((l) => l.querySelector("input")).filter((b) => b.checked).map((b) => b.value);
          await patch(`/api/v1/helpers/${encodeURIComponent(p.id)}`, {
            phone: phone.value.trim() || null,
            max_distance_km: Number(km.value),
            skills,
          });
          show(slot, message("done", `${p.name}'s details are saved; matching uses them from now on.`));
        });
      },
    },
    field("Phone number", phone),
    field("Travels up to (km)", km),
    h("fieldset", { class: "checks" }, h("legend", {}, "Can help with"), boxes),
    h("div", { class: "actions" }, save),
  );
  return h("details", {}, h("summary", {}, `Change ${p.name}'s details`), form);
}
