// Memberships ending soon or just ended: those without email to ring first, then those reminded
// by email; each links to the member's account.

import { api, need } from "../client.js";
import { date, h, tel } from "../ui.js";

export const title = "Renewals";

export async function render(main) {
  const due = await need(api.GET("/api/v1/memberships/renewals", { params: { query: { within_days: 30 } } }));
  const ring = due.items.filter((d) => !d.has_email);
  const emailed = due.items.filter((d) => d.has_email);
  main.append(
    h("p", {}, "Memberships ending in the next 30 days or ended in the last 30. Members with email are reminded a month before; ring the others."),
    h("h2", {}, "To ring"),
    ring.length ? table(ring, "Members to ring about renewing") : h("p", {}, "Nobody to ring."),
    h("h2", {}, "Reminded by email"),
    emailed.length ? table(emailed, "Members reminded by email") : h("p", {}, "Nobody."),
  );
}

function table(items, label) {
  return h(
    "table",
    { "aria-label": label },
    h(
      "thead",
      {},
      h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Phone"), h("th", { scope: "col" }, "Ends"), h("th", { scope: "col" }, "Account")),
    ),
    h(
      "tbody",
      {},
      items.map((d) =>
        h(
          "tr",
          {},
          h("td", {}, d.name),
          h("td", {}, tel(d.phone)),
          h("td", {}, `${date(d.membership.ends_on)}${d.membership.status === "lapsed" ? " (lapsed)" : ""}`),
          h("td", {}, h("a", { href: `#/account/${encodeURIComponent(d.member_id)}` }, `${d.name}'s account`)),
        ),
      ),
    ),
  );
}
