// One social event: who is going and waiting (in order), whom to ring, signing a member up
// (with a lift if they need one), taking someone off, recording who came, changing it, and
// cancelling it (asked first, with the reason members are told).

import { api, need, onceKey } from "../client.js";
import { add, askFirst, busy, field, h, instant, message, redrawable, show, tel, time } from "../ui.js";

export const title = "An event";

export async function render(main, [id]) {
  if (!id) {
    main.append(message("error", "No event was chosen."));
    return;
  }
  await redrawable(main, (note, redraw) => fill(main, id, note, redraw));
}

async function fill(main, id, note, redraw) {
  const e = await need(api.GET("/api/v1/events/{id}", { params: { path: { id } } }));
  main.querySelector("h1").textContent = `${e.title}, ${time(e.starts_at)}`;
  document.title = `${main.querySelector("h1").textContent} · Neighbourly console`;
  // What may be done now is the service's to say (`actions`); a cancelled event allows nothing.
  const can = (name) => (e.actions || []).some((a) => a.name === name && a.allowed);
  const cancelled = e.status === "cancelled";
  const people = e.people || { going: [], waiting: [], call_list: [] };
  const slot = h("div", { "aria-live": "polite" });
  add(
    main,
    note ? message("done", note) : null,
    cancelled ? message("error", `Cancelled on ${time(e.cancelled_at)}${e.cancel_reason ? `: ${e.cancel_reason}` : ""}. Those with email were told by email; ring the others. Their lifts are cancelled.`) : null,
    h("p", { class: "card" }, e.description),
    h(
      "dl",
      {},
      h("dt", {}, "Where"),
      h("dd", {}, e.place),
      h("dt", {}, "Places"),
      h("dd", {}, `${e.going} of ${e.capacity} taken, ${e.places_left} left, ${e.waiting} waiting`),
    ),
    slot,
    h("h2", {}, "Going"),
    people.going.length ? personTable(people.going, e, slot, can("attendance"), redraw) : h("p", {}, "Nobody yet."),
    h("h2", {}, "Waiting, in order"),
    people.waiting.length ? personTable(people.waiting, e, slot, false, redraw) : h("p", {}, "Nobody is waiting."),
    h("h2", {}, "To ring (no email)"),
    people.call_list.length
      ? h("ul", { "aria-label": "Members to ring" }, people.call_list.map((p) => h("li", {}, `${p.name}: `, p.phone ? tel(p.phone) : "no phone")))
      : h("p", {}, "Everyone going has email and is reminded the day before."),
    can("signups") ? signUpForm(e, slot, redraw) : null,
    can("edit") ? h("details", {}, h("summary", {}, "Change the event"), editForm(e, redraw)) : null,
    can("cancel") ? cancelForm(e, redraw) : null,
  );
}

const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
/** `YYYY-MM-DD` and `HH:MM` of an instant, in this computer's time. */
function local(iso) {
  const d = new Date(iso);
  return [`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, `${pad(d.getHours())}:${pad(d.getMinutes())}`];
}

/** Change the event before it starts: only what was changed is sent; those going are told of a new time or place. */
function editForm(e, redraw) {
  const [day0, from0] = local(e.starts_at);
  const [, to0] = local(e.ends_at);
  const title = h("input", { value: e.title, maxlength: "120", required: true });
  const description = h("textarea", { rows: "3", maxlength: "2000" }, e.description);
  const place = h("input", { value: e.place, maxlength: "300", required: true });
  const day = h("input", { type: "date", value: day0, required: true });
  const from = h("input", { type: "time", value: from0, required: true });
  const to = h("input", { type: "time", value: to0, required: true });
  const capacity = h("input", { type: "number", min: String(Math.max(1, e.going)), max: "1000", value: String(e.capacity), required: true });
  const slot = h("div", { "aria-live": "polite" });
  const button = h("button", { type: "submit" }, "Save the changes");
  return h(
    "form",
    {
      onsubmit: (ev) => {
        ev.preventDefault();
        busy(button, slot, async () => {
          /** @type {Record<string, any>} */
          const body = {};
          if (title.value.trim() !== e.title) body.title = title.value.trim();
          if (description.value.trim() !== e.description) body.description = description.value.trim();
          if (place.value.trim() !== e.place) body.place = place.value.trim();
          if (day.value !== day0 || from.value !== from0) body.starts_at = instant(day.value, from.value);
          if (day.value !== day0 || to.value !== to0) body.ends_at = instant(day.value, to.value);
          if (Number(capacity.value) !== e.capacity) body.capacity = Number(capacity.value);
          if (!Object.keys(body).length) throw new Error("Nothing has changed.");
          await need(api.PATCH("/api/v1/events/{id}", { params: { path: { id: e.id } }, body }));
          const told = body.starts_at || body.ends_at || body.place ? " Those going with email are told of the change; ring the others." : "";
          await redraw(`The event is changed.${told}`);
        });
      },
    },
    field("Title", title),
    field("What happens", description),
    field("Where, in words", place),
    field("Day", day),
    field("From", from),
    field("Until", to),
    field("Places", capacity, e.going ? `At least ${e.going}, the number going.` : undefined),
    h("div", { class: "actions" }, button),
    slot,
  );
}

/** "Cancel this event", asked first with a reason; everyone going and waiting is told. */
function cancelForm(e, redraw) {
  const slot = h("div", { "aria-live": "polite" });
  const button = h("button", { type: "button", class: "danger" }, "Cancel this event");
  askFirst(
    button,
    slot,
    `Cancel ${e.title}? Everyone going and waiting is told, and their lifts are cancelled. It cannot be started again.`,
    `Yes, cancel ${e.title}`,
    async (reason) => {
      await need(api.POST("/api/v1/events/{id}/cancel", { params: { path: { id: e.id } }, body: { reason } }));
      await redraw(`${e.title} is cancelled. Those with email are told by email; ring the others below.`);
    },
    { label: "Why it is cancelled (members are told)", missing: "Please say why it is cancelled: members are told it." },
  );
  return h("section", { "aria-label": "Cancelling" }, h("h2", {}, "Cancelling"), h("div", { class: "actions" }, button), slot);
}

/** A member's lift, as it stands: cancelled with its event. */
function liftCell(p, e) {
  if (!p.needs_lift) return "";
  if (e.status === "cancelled") return "Lift cancelled";
  if (!p.lift_request_id) return "Needs a lift";
  return h("a", { href: `#/request/${encodeURIComponent(p.lift_request_id)}` }, "Lift arranged");
}

function personTable(list, e, slot, withAttendance, redraw) {
  const boxes = [];
  const rows = list.map((p) => {
    const cells = [
      h("td", {}, p.position ? `${p.position}. ${p.name}` : p.name),
      h("td", {}, tel(p.phone)),
      h("td", {}, p.has_email ? "Yes" : "No"),
      h("td", {}, liftCell(p, e)),
    ];
    if (withAttendance) {
      const box = h("input", { type: "checkbox", id: `came-${p.member_id}`, checked: p.attended, disabled: p.attended });
      box.dataset.member = p.member_id;
      boxes.push(box);
      cells.push(h("td", {}, box, h("label", { for: box.id, class: "inline" }, `${p.name} came`)));
    } else if (e.status === "cancelled") {
      cells.push(h("td", {}, p.has_email ? "Told by email" : "Ring to tell them"));
    } else if (!(e.actions || []).some((a) => a.name === "signups" && a.allowed)) {
      cells.push(h("td", {}, ""));
    } else {
      const b = h("button", { type: "button", class: "secondary" }, `Take ${p.name} off`);
      const going = (e.people?.going || []).some((g) => g.member_id === p.member_id);
      askFirst(
        b,
        slot,
        going ? `Take ${p.name} off ${e.title}? The first one waiting gets the place and is told.` : `Take ${p.name} off the waiting list?`,
        `Yes, take ${p.name} off`,
        async () => {
          await need(api.DELETE("/api/v1/events/{id}/signups/{member_id}", { params: { path: { id: e.id, member_id: p.member_id } } }));
          const after = await need(api.GET("/api/v1/events/{id}", { params: { path: { id: e.id } } }));
          const before = new Set((e.people?.going || []).map((g) => g.member_id));
          const moved = (after.people?.going || []).filter((g) => !before.has(g.member_id));
          await redraw(
            moved.length
              ? `${p.name} is taken off. ${moved.map((m) => m.name).join(" and ")} now ${moved.length === 1 ? "has" : "have"} the place and ${moved.length === 1 ? "has" : "have"} been told.`
              : `${p.name} is taken off.`,
          );
        },
      );
      cells.push(h("td", {}, b));
    }
    return h("tr", {}, cells);
  });
  const table = h(
    "table",
    {},
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Phone"), h("th", { scope: "col" }, "Email"), h("th", { scope: "col" }, "Lift"), h("th", { scope: "col" }, withAttendance ? "Came" : "Change"))),
    h("tbody", {}, rows),
  );
  if (!withAttendance) return table;
  const record = h("button", { type: "button" }, "Record who came");
  record.addEventListener("click", () =>
    busy(record, slot, async () => {
      const ids = boxes.filter((b) => b.checked && !b.disabled).map((b) => b.dataset.member);
      if (ids.length === 0) {
        show(slot, message("error", "Tick the members who came first."));
        return;
      }
      await need(api.POST("/api/v1/events/{id}/attendance", { params: { path: { id: e.id } }, body: { member_ids: ids } }));
      for (const b of boxes) if (b.checked) b.disabled = true;
      show(slot, message("done", `${ids.length} recorded as having come.`));
    }),
  );
  return h("div", {}, table, h("div", { class: "actions" }, record));
}

function signUpForm(e, slot, redraw) {
  const q = h("input", { name: "member", autocomplete: "off", required: true });
  const lift = h("input", { name: "lift", type: "checkbox", id: "needs-lift" });
  const button = h("button", { type: "submit" }, "Find and sign up");
  const choices = h("div");
  const key = onceKey();
  const signUp = async (m) => {
    const body = { member_id: m.id, needs_lift: lift.checked };
    const s = await need(
      api.POST("/api/v1/events/{id}/signups", { params: { path: { id: e.id }, header: { "Idempotency-Key": key(body) } }, body }),
    );
    await redraw(s.status === "going" ? `${m.name} is going.` : `${m.name} is waiting, number ${s.position} in the queue.`);
  };
  return h(
    "form",
    {
      onsubmit: (ev) => {
        ev.preventDefault();
        busy(button, choices, async () => {
          const found = await need(api.GET("/api/v1/members", { params: { query: { q: q.value.trim(), limit: 10 } } }));
          if (found.items.length === 1) return signUp(found.items[0]);
          if (!found.items.length) {
            show(choices, message("error", "Nobody matches. Check the spelling, or try their phone number or postcode."));
            return;
          }
          // Several match ("Hughes"): the coordinator picks the caller.
          show(
            choices,
            h("p", {}, `${found.items.length} members match. Which one?`),
            h(
              "ul",
              { class: "items compact", "aria-label": "Members who match" },
              found.items.map((m) => {
                const pick = h("button", { type: "button", class: "secondary" }, `Sign up ${m.name}`);
                pick.addEventListener("click", () => busy(pick, choices, () => signUp(m)));
                return h("li", {}, h("span", {}, `${m.name}, ${[m.address, m.phone].filter(Boolean).join(" · ")} `), pick);
              }),
            ),
          );
        });
      },
    },
    h("h2", {}, "Sign a member up"),
    field("Which member?", q, "Their name, phone number or postcode."),
    h("div", { class: "field" }, lift, h("label", { for: "needs-lift", class: "inline" }, "They need a lift there and back")),
    h("div", { class: "actions" }, button),
    choices,
  );
}
