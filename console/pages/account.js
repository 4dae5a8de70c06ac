// A member's account: their details (and correcting them), their requests and events, membership, balance
// and what is held, the statement (also as CSV), and recording tokens bought, a correction or a
// membership; the page is drawn again after each, with what was done said at its top. Notes and
// calls kept on their record; family and friends who help arrange their visits. Last, the
// account's rare steps (its data, signing out, closing, erasing), each asked first.

import { api, download, need, onceKey } from "../client.js";
import { closingSteps } from "../closing.js";
import { delegatesSection } from "../delegates.js";
import { notesSection } from "../notes.js";
import { add, busy, CATEGORIES, date, dotted, field, h, message, paged, redrawable, routeChooser, routeWords, show, STATUSES, tel, tidyPostcode, time } from "../ui.js";

export const title = "A member's account";

const KINDS = { credit: "Tokens bought", adjustment: "Correction", debit: "Help used" };

function hours(minutes) {
  const sign = minutes < 0 ? "-" : "";
  const m = Math.abs(minutes);
  return `${sign}${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

export async function render(main, [id]) {
  if (!id) {
    main.append(message("error", "No member was chosen."));
    return;
  }
  await redrawable(main, (note, redraw) => fill(main, id, note, redraw));
}

async function fill(main, id, note, redraw) {
  const path = { params: { path: { id } } };
  const [member, acc] = await Promise.all([
    need(api.GET("/api/v1/members/{id}", path)),
    need(api.GET("/api/v1/members/{id}/account", path)),
  ]);
  main.querySelector("h1").textContent = `${member.name}'s account`;
  document.title = `${main.querySelector("h1").textContent} · Neighbourly console`;
  const ms = acc.membership;
  const csv = h("button", { type: "button", class: "secondary" }, "Download the statement (CSV)");
  const slot = h("div", { "aria-live": "polite" });
  csv.addEventListener("click", () =>
    busy(csv, slot, () =>
      download(
        api.GET("/api/v1/members/{id}/account", { ...path, headers: { Accept: "text/csv" }, parseAs: "blob" }),
        `statement-${member.name.replace(/\W+/g, "-")}.csv`,
      ),
    ),
  );
  add(
    main,
    note ? message("done", note) : null,
    h(
      "dl",
      {},
      h("dt", {}, "Phone"),
      h("dd", {}, member.phone ? tel(member.phone) : "None given"),
      h("dt", {}, "How to reach them"),
      h("dd", {}, routeWords(member.contact_by) || "No way yet: add a phone number or an email"),
      h("dt", {}, "Address"),
      h("dd", {}, member.address),
      h("dt", {}, "At the door"),
      h("dd", {}, member.access_needs || "Nothing said"),
      h("dt", {}, "In an emergency"),
      h(
        "dd",
        {},
        member.emergency_contact
          ? dotted(
              `${member.emergency_contact.name}${member.emergency_contact.relation ? ` (${member.emergency_contact.relation})` : ""}`,
              tel(member.emergency_contact.phone),
            )
          : "Nobody given",
      ),
      h("dt", {}, "Membership"),
      h("dd", {}, ms ? `${ms.status === "active" ? "Active" : "Lapsed"}, ${date(ms.starts_on)} to ${date(ms.ends_on)}` : "None recorded"),
      h("dt", {}, "Balance"),
      h("dd", {}, hours(acc.balance_minutes)),
      h("dt", {}, "Held for visits not yet done"),
      h("dd", {}, hours(acc.held_minutes)),
      h("dt", {}, "Available"),
      h("dd", {}, `${hours(acc.available_minutes)} (${acc.tokens} tokens)`),
    ),
    h("h2", {}, "Their requests"),
    requests(id),
    h("h2", {}, "Events they are going to"),
    paged(
      "Events they are going to",
      (cursor) => need(api.GET("/api/v1/events", { params: { query: { member_id: id, limit: 20, cursor } } })),
      (e) => h("li", {}, h("a", { href: `#/event/${encodeURIComponent(e.id)}` }, e.title), h("span", { class: "meta" }, ` · ${time(e.starts_at)} · ${e.place}`)),
      "None coming up.",
    ),
    h("h2", {}, "Statement"),
    acc.movements.length ? statement(acc.movements) : h("p", {}, "Nothing yet."),
    h("div", { class: "actions" }, csv),
    slot,
    creditForm(id, redraw),
    adjustForm(id, redraw),
    membershipForm(id, redraw),
    notesSection(id, member.name),
    delegatesSection(id, member.name, redraw),
    detailsForm(id, member, redraw),
    closingSteps(member, "member"),
  );
}

/** The member's requests, the day of help furthest ahead first, 20 at a time, each opening its page. */
function requests(id) {
  return paged(
    "Their requests",
    (cursor) => need(api.GET("/api/v1/requests", { params: { query: { member_id: id, order: "latest", limit: 20, cursor } } })),
    (r) =>
      h(
        "li",
        {},
        h("a", { href: `#/request/${encodeURIComponent(r.id)}` }, `${CATEGORIES[r.category] || "Help"} on ${date(r.window.start)}`),
        h("span", { class: "meta" }, ` · ${STATUSES[r.status] || "Being arranged"}${r.helper ? ` · ${r.helper.name}` : ""}`),
      ),
    "No requests yet.",
  );
}

/** Correcting a member's details: name, phone, address, and a new postcode when they move. */
function detailsForm(id, member, redraw) {
  const name = h("input", { name: "name", autocomplete: "off", required: true, value: member.name });
  const phone = h("input", { name: "phone", type: "tel", autocomplete: "off", value: member.phone || "" });
  const address = h("input", { name: "address", autocomplete: "off", required: true, value: member.address });
  const postcode = h("input", { name: "postcode", autocomplete: "off", autocapitalize: "characters", size: "9" });
  const needs = h("textarea", { name: "access_needs", rows: "2", maxlength: "2000" }, member.access_needs || "");
  const ec = member.emergency_contact || {};
  const ecName = h("input", { name: "emergency_contact.name", autocomplete: "off", value: ec.name || "" });
  const ecPhone = h("input", { name: "emergency_contact.phone", type: "tel", autocomplete: "off", value: ec.phone || "" });
  const ecRelation = h("input", { name: "emergency_contact.relation", autocomplete: "off", value: ec.relation || "" });
  const route = routeChooser(member.contact_by);
  const button = h("button", { type: "submit" }, "Save their details");
  const slot = h("div");
  return h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          const body = {};
          if (name.value.trim() !== member.name) body.name = name.value.trim();
          if (phone.value.trim() !== (member.phone || "")) body.phone = phone.value.trim() || null;
          if (address.value.trim() !== member.address) body.address = address.value.trim();
          if (postcode.value.trim()) body.postcode = tidyPostcode(postcode.value);
          if (needs.value.trim() !== (member.access_needs || "")) body.access_needs = needs.value.trim() || null;
          const [n, p, r] = [ecName.value.trim(), ecPhone.value.trim(), ecRelation.value.trim()];
          if (n !== (ec.name || "") || p !== (ec.phone || "") || r !== (ec.relation || "")) {
            body.emergency_contact = n || p ? { name: n, phone: p, relation: r || null } : null;
          }
          const ways = route.changed();
          if (ways !== undefined) body.contact_by = ways;
          if (!Object.keys(body).length) {
            show(slot, message("status", "Nothing has changed."));
            return;
          }
          await need(api.PATCH("/api/v1/members/{id}", { params: { path: { id } }, body }));
          await redraw(`${body.name || member.name}'s details are saved.`);
        });
      },
    },
    h("h2", {}, "Their details"),
    field("Name", name),
    field("Phone number", phone),
    route.fieldset,
    field("House number and street", address),
    field("New postcode (only if they have moved)", postcode, "It places them on the map, so that helpers nearby are asked."),
    field("What a helper at the door should know", needs, "Such as \"deaf in the left ear: knock loudly\". Only the helper going sees it, while the visit is theirs."),
    h("h3", {}, "Who to ring in an emergency"),
    field("Their name", ecName),
    field("Their phone number", ecPhone),
    field("How they are related", ecRelation, "Such as daughter, or neighbour."),
    h("div", { class: "actions" }, button),
    slot,
  );
}

function statement(movements) {
  let running = 0;
  return h(
    "table",
    { "aria-label": "Statement" },
    h(
      "thead",
      {},
      h("tr", {}, ["When", "What", "Time", "Balance", "Paid", "Note"].map((t) => h("th", { scope: "col" }, t))),
    ),
    h(
      "tbody",
      {},
      movements.map((m) => {
        running += m.minutes;
        return h(
          "tr",
          {},
          h("td", {}, time(m.at)),
          h("td", {}, KINDS[m.kind] || m.kind),
          h("td", {}, hours(m.minutes)),
          h("td", {}, hours(running)),
          h("td", {}, m.amount_pence != null ? `£${(m.amount_pence / 100).toFixed(2)}${m.paid_by ? ` by ${m.paid_by}` : ""}` : ""),
          h("td", {}, m.note || ""),
        );
      }),
    ),
  );
}

function creditForm(id, redraw) {
  const tokens = h("input", { name: "tokens", type: "number", min: "1", max: "100", required: true, value: "3" });
  const pounds = h("input", { name: "amount", inputmode: "decimal", required: true, value: "30.00" });
  const paidBy = h("input", { name: "paid_by", autocomplete: "off", maxlength: "500" });
  const button = h("button", { type: "submit" }, "Record the tokens");
  const slot = h("div");
  const key = onceKey();
  return h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          const body = { tokens: Number(tokens.value), amount_pence: Math.round(Number(pounds.value) * 100), paid_by: paidBy.value.trim() || undefined };
          await need(api.POST("/api/v1/members/{id}/account/credits", { params: { path: { id }, header: { "Idempotency-Key": key(body) } }, body }));
          await redraw(`Recorded: ${tokens.value} tokens bought. The statement below shows them.`);
        });
      },
    },
    h("h2", {}, "Tokens bought"),
    field("How many tokens?", tokens, "One token is an hour of help."),
    field("Paid (£)", pounds),
    field("Paid by, if not the member (optional)", paidBy, "A gift from family, for example."),
    h("div", { class: "actions" }, button),
    slot,
  );
}

function adjustForm(id, redraw) {
  const minutes = h("input", { name: "minutes", type: "number", min: "-6000", max: "6000", required: true });
  const reason = h("input", { name: "reason", autocomplete: "off", required: true, maxlength: "500" });
  const button = h("button", { type: "submit" }, "Record the correction");
  const slot = h("div");
  const key = onceKey();
  return h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          const body = { minutes: Number(minutes.value), reason: reason.value.trim() };
          await need(api.POST("/api/v1/members/{id}/account/adjustments", { params: { path: { id }, header: { "Idempotency-Key": key(body) } }, body }));
          await redraw("Recorded: the correction is in the statement below.");
        });
      },
    },
    h("h2", {}, "A correction"),
    field("Minutes in (or, with a minus, out)", minutes, "Such as 30, or -30."),
    field("Why?", reason),
    h("div", { class: "actions" }, button),
    slot,
  );
}

function membershipForm(id, redraw) {
  const starts = h("input", { name: "starts_on", type: "date" });
  const ends = h("input", { name: "ends_on", type: "date" });
  const pounds = h("input", { name: "fee", inputmode: "decimal", required: true, value: "10.00" });
  const button = h("button", { type: "submit" }, "Record the membership");
  const slot = h("div");
  const key = onceKey();
  return h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          const body = { fee_pence: Math.round(Number(pounds.value) * 100) };
          if (starts.value) body.starts_on = starts.value;
          if (ends.value) body.ends_on = ends.value;
          const made = await need(api.POST("/api/v1/members/{id}/memberships", { params: { path: { id }, header: { "Idempotency-Key": key(body) } }, body }));
          await redraw(`Recorded: the membership runs from ${date(made.starts_on)} to ${date(made.ends_on)}.`);
        });
      },
    },
    h("h2", {}, "Membership or renewal"),
    field("Starts", starts, "Leave empty to start the day after the current membership ends (today if it has ended)."),
    field("Ends", ends, "Leave empty for a year."),
    field("Fee (£)", pounds),
    h("div", { class: "actions" }, button),
    slot,
  );
}
