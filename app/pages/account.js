// A member's hours of help and membership: what is left, what is kept for visits booked, until
// when the membership runs, and the last movements, each in words.

import { withNumber } from "../../shared/circle.js";
import { api } from "../../shared/api.js";
import { current } from "../../shared/session.js";
import { dayOf, h, need, show } from "../ui.js";

/** "2 hours 30 minutes", "45 minutes", "no time" */
export function hours(minutes) {
  const m = Math.abs(minutes);
  const hh = Math.floor(m / 60);
  const mm = m % 60;
  const parts = [];
  if (hh) parts.push(hh === 1 ? "1 hour" : `${hh} hours`);
  if (mm) parts.push(`${mm} minutes`);
  return parts.length ? parts.join(" ") : "no time";
}

const longDay = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric" });
const pounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

function movement(m) {
  const when = dayOf(m.at);
  if (m.kind === "credit") {
    const paid = m.amount_pence ? ` (${pounds.format(m.amount_pence / 100)})` : "";
    return `${when}: ${hours(m.minutes)} added${paid}.`;
  }
  if (m.kind === "debit") return `${when}: ${hours(m.minutes)} used for a visit.`;
  const way = m.minutes >= 0 ? "added" : "taken off";
  return `${when}: ${hours(m.minutes)} ${way} by your coordinator${m.note ? `: ${m.note}` : ""}.`;
}

function membership(m) {
  if (!m) return "You have no membership on record. Your coordinator can tell you about joining.";
  if (m.status === "active") return `Your membership runs until ${longDay.format(new Date(m.ends_on))}.`;
  return withNumber(`Your membership ended on ${longDay.format(new Date(m.ends_on))}. Please ring your coordinator to renew it; you can still see your help here.`);
}

export async function render(main) {
  const id = current().user.id;
  const account = await need(api.GET("/api/v1/members/{id}/account", { params: { path: { id } } }));
  const latest = [...account.movements].reverse().slice(0, 10);
  show(
    main,
    h("h1", {}, "Your hours and membership"),
    h(
      "div",
      { class: "card" },
      h("p", { class: "what" }, account.available_minutes >= 0 ? `You have ${hours(account.available_minutes)} of help left.` : withNumber(`You are ${hours(account.available_minutes)} over. Please ring your coordinator.`)),
      account.held_minutes ? h("p", {}, `${hours(account.held_minutes)} is kept for visits already booked.`) : null,
      h("p", {}, "One token is one hour of help."),
    ),
    h("p", {}, membership(account.membership)),
    h("h2", {}, "Lately"),
    latest.length ? h("ul", {}, latest.map((m) => h("li", {}, movement(m)))) : h("p", {}, "Nothing yet."),
    h("a", { href: "#/" }, "Back to your help"),
  );
}
