// Today: what needs a coordinator now. Urgent safeguarding concerns, visits not confirmed,
// requests nobody fits (and why), requests waiting for a helper's answer (offers about to lapse
// first), applications to vet, vetting running out, emails that failed.

import { get } from "../api.js";
import { CATEGORIES, date, h, time, whyNobody } from "../ui.js";
import { concernSummary } from "./concerns.js";

export const title = "Today";

function requestItem(r, extra) {
  const member = r.member_name || "a member";
  return h(
    "li",
    {},
    h("h3", {}, `${CATEGORIES[r.category] || r.category} for ${member}`),
    h("p", {}, r.description),
    h("p", { class: "meta" }, `Between ${time(r.window.start)} and ${time(r.window.end)}`),
    extra,
    h("a", { class: "button secondary", href: `#/request/${encodeURIComponent(r.id)}` }, `Open: ${member}'s request`),
  );
}

function section(heading, intro, items, empty) {
  return h(
    "section",
    { "aria-label": heading },
    h("h2", {}, heading),
    intro ? h("p", { class: "meta" }, intro) : null,
    items.length ? h("ul", { class: "items" }, items) : h("p", {}, empty),
  );
}

export async function render(main) {
  const [urgent, assigned, open, offered, pending, expiring, failed] = await Promise.all([
    get("/api/v1/concerns?urgency=urgent&status=open&limit=50"),
    get("/api/v1/requests?status=assigned&limit=200"),
    get("/api/v1/requests?status=open&limit=50"),
    get("/api/v1/requests?status=offered&limit=50"),
    get("/api/v1/helpers?vetting=pending&limit=50"),
    get("/api/v1/helpers?expiring_within_days=30&limit=50"),
    get("/api/v1/outbox?status=failed&limit=50"),
  ]);
  const soon = Date.now() + 48 * 3600 * 1000;
  const unconfirmed = assigned.items.filter(
    (r) => !r.confirmed_at && !r.checked_in_at && new Date(r.window.start).getTime() < soon,
  );
  main.append(
    section(
      "Urgent concerns not yet picked up",
      null,
      urgent.items.map(concernSummary),
      "No urgent concern is waiting.",
    ),
    section(
      "Visits in the next two days not yet confirmed",
      "Ring the helper. Unconfirmed four hours before the start, a visit goes to other helpers.",
      unconfirmed.map((r) => requestItem(r, r.helper ? h("p", {}, `Helper: ${[r.helper.name, r.helper.phone].filter(Boolean).join(", ")}`) : null)),
      "Every visit in the next two days is confirmed.",
    ),
    section(
      "Nobody found yet",
      "These requests have no helper. Each says why the helpers nearby do not fit.",
      open.items.map((r) => requestItem(r, whyNobody(r.excluded))),
      "Every request has found a helper.",
    ),
    section(
      "Waiting for a helper to say yes",
      "Helpers have been asked. The soonest to run out come first.",
      offered.items
        .sort((a, b) => String(a.offers_lapse_at).localeCompare(String(b.offers_lapse_at)))
        .map((r) =>
          requestItem(r, r.offers_lapse_at ? h("p", {}, `If nobody says yes by ${time(r.offers_lapse_at)}, the next helpers are asked.`) : null),
        ),
      "No request is waiting for an answer.",
    ),
    section(
      "Applications to check",
      null,
      pending.items.map((p) =>
        h("li", {}, h("h3", {}, p.name), h("p", { class: "meta" }, `Applied on ${date(p.created_at)}`)),
      ),
      "No applications are waiting.",
    ),
    pending.items.length ? h("p", {}, h("a", { href: "#/helpers" }, "Check applications on the Helpers page")) : null,
    section(
      "Vetting running out within 30 days",
      null,
      expiring.items.map((p) =>
        h("li", {}, h("h3", {}, p.name), h("p", { class: "meta" }, `Vetting valid until ${date(p.vetting.expires_on)}`)),
      ),
      "Nobody's vetting runs out in the next 30 days.",
    ),
    section(
      "Emails that could not be sent",
      null,
      failed.items.map((m) =>
        h("li", {}, h("h3", {}, m.subject), h("p", { class: "meta" }, `To ${m.recipient}: ${m.last_error || "failed"}`)),
      ),
      "Every email went out.",
    ),
  );
}
