// Helpers: applications waiting to be checked (approve with an expiry, or not accept), finding a
// helper or going through all of them, changing their details and when they can help,
// suspending or reinstating them, their time away (their visits in it offered to others), their
// visits (soonest first), notes and calls about them, and
// their account's rare steps (data, signing out, closing).

import { api, download, need } from "../client.js";
import { DAYS, PARTS } from "../../shared/words.js";
import { askFirst, busy, CATEGORIES, date, dayFromToday, dotted, field, h, message, paged, routeChooser, routeWords, show, STATUSES, tel, time } from "../ui.js";
import { closingSteps } from "../closing.js";
import { notesSection } from "../notes.js";
import { timeOffSection } from "../timeoff.js";
import { checksWhenOpened } from "../checks.js";

export const title = "Helpers";

const VETTING = {
  pending: "Waiting to be checked",
  approved: "Approved",
  rejected: "Not accepted",
  suspended: "Suspended",
};

export async function render(main, [id] = []) {
  if (id) {
    // One helper (the map's dots open here).
    const p = await need(api.GET("/api/v1/helpers/{id}", { params: { path: { id } } }));
    main.querySelector("h1").textContent = p.name;
    main.append(h("ul", { class: "items", "aria-label": "Helper" }, helperItem(p)), h("p", {}, h("a", { href: "#/helpers" }, "All helpers")));
    return;
  }
  const pending = await need(api.GET("/api/v1/helpers", { params: { query: { vetting: "pending", limit: 50 } } }));
  main.append(
    h("h2", {}, "Applications to check"),
    pending.items.length
      ? h("ul", { class: "items", "aria-label": "Applications" }, pending.items.map(application))
      : h("p", {}, "No applications are waiting."),
    h("h2", {}, "Find a helper"),
    finder(),
    h("h2", {}, "All helpers"),
    everyone(),
  );
}

/** Every helper, a page at a time, one line each, found by vetting, vetting running out and
 * kind of help; opening one shows them in full; the list as it stands downloads as a CSV file. */
function everyone() {
  const list = h("ul", { class: "items compact", "aria-label": "All helpers" });
  const open = h("div");
  const slot = h("div");
  const vetting = h("select", { name: "vetting" }, h("option", { value: "" }, "Any"), Object.entries(VETTING).map(([value, words]) => h("option", { value }, words)));
  const skill = h("select", { name: "skill" }, h("option", { value: "" }, "Any"), Object.entries(CATEGORIES).map(([value, words]) => h("option", { value }, words)));
  const due = h("input", { type: "checkbox", id: "vetting-due" });
  const showButton = h("button", { type: "submit" }, "Show the helpers");
  const csv = h("button", { type: "button", class: "secondary" }, "Download this list (CSV)");
  const more = h("button", { type: "button", class: "secondary" }, "Show 25 more");
  more.hidden = true;
  let cursor = "";
  const query = () => ({
    vetting: /** @type {any} */ (vetting.value || undefined),
    skill: /** @type {any} */ (skill.value || undefined),
    expiring_within_days: due.checked ? 30 : undefined,
  });
  const row = (p) => {
    const b = h("button", { type: "button", class: "secondary" }, `Open ${p.name}`);
    b.addEventListener("click", () => {
      show(open, h("ul", { class: "items", "aria-label": "Helper" }, helperItem(p)));
      open.scrollIntoView({ block: "nearest" });
    });
    const until = p.vetting.status === "approved" && p.vetting.expires_on ? ` until ${date(p.vetting.expires_on)}` : "";
    return h("li", {}, h("strong", {}, p.name), h("span", { class: "meta" }, ` · ${VETTING[p.vetting.status] || ""}${until} · ${skillsText(p.skills)} · `, tel(p.phone), " "), b);
  };
  const load = async (first) => {
    const page = await need(api.GET("/api/v1/helpers", { params: { query: { ...query(), limit: 25, cursor: first ? undefined : cursor || undefined } } }));
    if (first) list.replaceChildren();
    list.append(...page.items.map(row));
    if (first && !page.items.length) list.append(h("li", {}, "No helper matches."));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  };
  more.addEventListener("click", () => busy(more, slot, () => load(false)));
  csv.addEventListener("click", () =>
    busy(csv, slot, async () => {
      await download(api.GET("/api/v1/helpers", { params: { query: query() }, headers: { Accept: "text/csv" }, parseAs: "blob" }), "neighbourly-helpers.csv");
      show(slot, message("done", "The list is downloaded, as neighbourly-helpers.csv."));
    }),
  );
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(showButton, slot, () => load(true));
      },
    },
    field("Checks", vetting),
    field("Helps with", skill),
    h("div", { class: "field" }, h("label", { for: due.id, class: "inline" }, due, " Only those whose checks run out within 30 days")),
    h("div", { class: "actions" }, showButton, csv),
  );
  return h("div", {}, form, list, h("div", { class: "actions" }, more), slot, open);
}

/** A vetting decision on helper `p`. */
function vet(p, body) {
  return need(api.POST("/api/v1/helpers/{id}/vetting", { params: { path: { id: p.id } }, body }));
}

/** A change to helper `p`'s details. */
function patchHelper(p, body) {
  return need(api.PATCH("/api/v1/helpers/{id}", { params: { path: { id: p.id } }, body }));
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
      await vet(p, body);
      show(slot, message("done", said));
      approve.disabled = true;
      reject.disabled = true;
    });
  approve.addEventListener("click", () =>
    decide(approve, { status: "approved", expires_on: until.value }, `${p.name} is approved until ${date(until.value)}.`),
  );
  askFirst(reject, slot, `Not accept ${p.name}? They will get no offers.`, `Yes, do not accept ${p.name}`, async () => {
    await vet(p, { status: "rejected" });
    show(slot, message("done", `${p.name} was not accepted.`));
    approve.disabled = true;
    reject.disabled = true;
  });
  return h(
    "li",
    {},
    h("h3", {}, p.name),
    h("p", { class: "meta" }, dotted(p.email, tel(p.phone))),
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
            const page = await need(api.GET("/api/v1/helpers", { params: { query: { q: q.value.trim(), limit: 20 } } }));
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
      const v = await vet(p, { status: "suspended" });
      show(status, `${VETTING[v.vetting.status]}`);
      show(actions, field("Checks valid until", until), reinstate);
      show(slot, message("done", `${p.name} is suspended; their open offers went to others.`));
    },
  );
  const until = h("input", { type: "date", name: "until", value: dayFromToday(365), min: dayFromToday(1) });
  const reinstate = h("button", { type: "button" }, `Reinstate ${p.name}`);
  reinstate.addEventListener("click", () =>
    busy(reinstate, slot, async () => {
      const v = await vet(p, { status: "approved", expires_on: until.value, note: "Reinstated" });
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
    h("p", { class: "meta" }, dotted(p.email, tel(p.phone))),
    h("p", {}, `Can help with: ${skillsText(p.skills)}. Travels up to ${p.max_distance_km} km.`),
    h("p", {}, `How to reach them: ${routeWords(p.contact_by) || "no way yet"}.`),
    actions,
    editForm(p, slot),
    h("details", {}, h("summary", {}, `When ${p.name} can help`), availabilityForm(p, slot)),
    timeOffSection(p),
    checksWhenOpened(p),
    diaryWhenOpened(p),
    regularsWhenOpened(p),
    notesWhenOpened(p),
    photoWhenOpened(p),
    h("details", {}, h("summary", {}, `${p.name}'s account: data, signing out, closing`), closingSteps(p, "helper")),
    slot,
  );
}


/** "Visits of …": the helper's diary, soonest first, read when first opened. */
function diaryWhenOpened(p) {
  const box = h("details", {}, h("summary", {}, `Visits of ${p.name}`));
  box.addEventListener("toggle", async () => {
    if (!box.open || box.children.length > 1) return;
    const slot = h("div");
    box.append(slot);
    try {
      const page = await need(api.GET("/api/v1/requests", { params: { query: { helper_id: p.id, order: "soonest", limit: 50 } } }));
      show(
        slot,
        page.items.length
          ? h(
              "ul",
              { class: "items compact", "aria-label": `Visits of ${p.name}` },
              page.items.map((r) =>
                h(
                  "li",
                  {},
                  h("a", { href: `#/request/${encodeURIComponent(r.id)}` }, `${CATEGORIES[r.category] || "Help"}${r.member_name ? ` for ${r.member_name}` : ""}`),
                  h("span", { class: "meta" }, ` · ${time(r.planned_start || r.window.start)} · ${STATUSES[r.status] || ""}`),
                ),
              ),
            )
          : message("status", `${p.name} has no visits yet.`),
      );
    } catch (e) {
      show(slot, message("error", e.message || String(e)));
    }
  });
  return box;
}

/** "Regular members of …": the standing requests they are the regular helper of, read when first opened. */
function regularsWhenOpened(p) {
  const box = h("details", {}, h("summary", {}, `Regular members of ${p.name}`));
  box.addEventListener("toggle", () => {
    if (!box.open || box.children.length > 1) return;
    box.append(
      paged(
        `Regular members of ${p.name}`,
        (cursor) => need(api.GET("/api/v1/series", { params: { query: { helper_id: p.id, limit: 25, cursor } } })),
        (s) =>
          h(
            "li",
            {},
            h("strong", {}, s.member_name || "A member"),
            h("span", { class: "meta" }, ` · ${CATEGORIES[s.category] || "Help"} · ${s.status === "active" ? "running" : s.status === "paused" ? "paused" : "ended"}`),
          ),
        `${p.name} is nobody's regular helper yet.`,
      ),
    );
  });
  return box;
}

/**
 * "Photo of …": the photo members see with the words at the door, read when first opened (as a
 * data: address, the console's pages showing no blob: images), and a new one chosen from the
 * computer for a helper who has no phone camera.
 */
function photoWhenOpened(p) {
  const box = h("details", {}, h("summary", {}, `Photo of ${p.name}`));
  const shown = h("div", { class: "photo" });
  const slot = h("div", { "aria-live": "polite" });
  const path = { params: { path: { id: p.id } } };
  const draw = async () => {
    const { data } = await api.GET("/api/v1/helpers/{id}/photo", { ...path, parseAs: "blob" }).catch(() => ({ data: undefined }));
    if (!(data instanceof Blob) || !data.size) return show(shown, h("p", {}, `No photo of ${p.name} yet.`));
    const url = await new Promise((done) => {
      const reader = new FileReader();
      reader.onload = () => done(String(reader.result));
      reader.readAsDataURL(data);
    });
    show(shown, h("img", { src: url, alt: `Photo of ${p.name}`, width: "160", height: "160" }));
  };
  const input = h("input", { type: "file", accept: "image/jpeg,image/png" });
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    if (!file) return;
    busy(input, slot, async () => {
      const { response, error } = await api.PUT("/api/v1/helpers/{id}/photo", {
        ...path,
        body: /** @type {any} */ (file),
        bodySerializer: (/** @type {any} */ b) => b,
        headers: { "Content-Type": file.type || "application/octet-stream" },
      });
      if (!response.ok) {
        const said = error && error.errors && error.errors[0] ? `The photo ${error.errors[0].message}.` : (error && error.detail) || "The photo could not be kept: please try again.";
        throw new Error(said);
      }
      await draw();
      show(slot, message("done", `The photo of ${p.name} is kept. Members they visit will see it.`));
    });
  });
  box.addEventListener("toggle", () => {
    if (box.open && box.children.length === 1) {
      box.append(
        h("p", {}, "Members see it with the words the helper says at the door."),
        shown,
        field("A new photo (a JPEG or PNG of their face, under 5 MB)", input),
        slot,
      );
      draw();
    }
  });
  return box;
}

/** "Notes and calls about …", read when first opened (a page of helpers reads none). */
function notesWhenOpened(p) {
  const box = h("details", {}, h("summary", {}, `Notes and calls about ${p.name}`));
  box.addEventListener("toggle", () => {
    if (box.open && box.children.length === 1) box.append(notesSection(p.id, p.name));
  });
  return box;
}

/** When a helper can usually help: mornings, afternoons and evenings of each day, as they say on the phone. */
function availabilityForm(p, slot) {
  const now = p.availability;
  const has = (day, from, to) => now.weekly.some((w) => w.day === day && w.start <= from && w.end >= to);
  const boxes = [];
  const rows = DAYS.map(([day, words]) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, words),
      PARTS.map(([from, to, part]) => {
        const box = h("input", { type: "checkbox", id: `free-${p.id}-${day}-${from}`, "data-day": day, "data-from": from, "data-to": to, checked: has(day, from, to) });
        boxes.push(box);
        return h("td", {}, box, h("label", { for: box.id, class: "inline" }, `${part} on ${words}`));
      }),
    ),
  );
  const save = h("button", { type: "submit" }, `Save when ${p.name} can help`);
  return h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(save, slot, async () => {
          const weekly = boxes.filter((b) => b.checked).map((b) => ({ day: b.dataset.day, start: b.dataset.from, end: b.dataset.to }));
          await need(
            api.PUT("/api/v1/helpers/{id}/availability", {
              params: { path: { id: p.id } },
              body: { timezone: "Europe/London", weekly: /** @type {any} */ (weekly), time_off: p.availability.time_off },
            }),
          );
          show(slot, message("done", `Saved: offers to ${p.name} follow these times from now on.`));
        });
      },
    },
    h("h4", {}, `When ${p.name} can usually help`),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Day"), PARTS.map(([, , part]) => h("th", { scope: "col" }, part)))),
      h("tbody", {}, rows),
    ),
    h("p", { class: "hint" }, "Mornings 9 to 12, afternoons 12 to 5, evenings 5 to 8. Their time away stays as it is."),
    h("div", { class: "actions" }, save),
  );
}

function editForm(p, slot) {
  const phone = h("input", { type: "tel", name: "phone", value: p.phone || "" });
  const km = h("input", { type: "number", name: "km", min: "0.5", max: "50", step: "0.5", value: String(p.max_distance_km) });
  const boxes = Object.entries(CATEGORIES).map(([value, words]) => {
    const box = h("input", { type: "checkbox", name: "skills", value, checked: p.skills.includes(value) });
    return h("label", {}, box, words);
  });
  const route = routeChooser(p.contact_by);
  const save = h("button", { type: "submit" }, `Save ${p.name}'s details`);
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(save, slot, async () => {
          const skills = boxes.map((l) => l.querySelector("input")).filter((b) => b.checked).map((b) => b.value);
          const ways = route.changed();
          await patchHelper(p, {
            phone: phone.value.trim() || null,
            max_distance_km: Number(km.value),
            skills,
            ...(ways !== undefined ? { contact_by: ways } : {}),
          });
          show(slot, message("done", `${p.name}'s details are saved; matching uses them from now on.`));
        });
      },
    },
    field("Phone number", phone),
    field("Travels up to (km)", km),
    route.fieldset,
    h("fieldset", { class: "checks" }, h("legend", {}, "Can help with"), boxes),
    h("div", { class: "actions" }, save),
  );
  return h("details", {}, h("summary", {}, `Change ${p.name}'s details`), form);
}
