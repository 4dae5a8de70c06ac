// For someone who helps a member arrange their visits (a daughter, a friend): whom they are
// helping, a switch between the people they help, that person's help (who is coming, the words
// at the door when they may see them, and the get-togethers they are going to) and "Ask for help
// for …" when they may ask. What they may do is the service's to say: the list of whom they help
// comes with its rights from `GET /me`.

import { api } from "../../shared/api.js";
import * as push from "../push.js";
import { h, kept, lastUpdated, message, need, partOfDay, show, timeOf } from "../ui.js";
import { requestCard } from "./home.js";

const CHOSEN = "neighbourly.family.member";

/** The member this phone last helped, if still one of `people`, else the first. */
function chosen(people) {
  const id = localStorage.getItem(CHOSEN);
  return people.find((p) => p.member.id === id) || people[0];
}

/** The get-togethers the member is going to (or waiting for a place at), for someone who may
 * see their visits; nothing when there are none. */
async function goingTo(id, first) {
  const page = await need(api.GET("/api/v1/events", { params: { query: { member_id: id, limit: 10 } } }));
  if (!page.items.length) return null;
  return [
    h("h2", {}, `Get-togethers ${first} is going to`),
    h(
      "ul",
      { class: "cards", "aria-label": `Get-togethers ${first} is going to` },
      page.items.map((/** @type {any} */ e) =>
        h(
          "li",
          { class: "card" },
          h("h3", { class: "what" }, e.title),
          h("p", {}, `${partOfDay(e.starts_at)}, from ${timeOf(e.starts_at)} to ${timeOf(e.ends_at)}, at ${e.place}`),
          e.status === "cancelled"
            ? message("error", `Cancelled: ${e.cancel_reason || "sorry"}.`)
            : e.my_signup && e.my_signup.status === "waiting"
              ? h("p", {}, `${first} is number ${e.my_signup.position} waiting for a place.`)
              : e.my_signup && e.my_signup.needs_lift
                ? h("p", {}, `${first} is going, with a lift there and home.`)
                : h("p", {}, `${first} is going.`),
        ),
      ),
    ),
  ];
}

/** "Ada has 3 hours 30 minutes of help left." for someone a coordinator let see the account. */
async function hoursLeft(id, first) {
  const account = await need(api.GET("/api/v1/members/{id}/account", { params: { path: { id } } }));
  const m = Math.abs(account.available_minutes);
  const words = [Math.floor(m / 60) ? `${Math.floor(m / 60)} hour${Math.floor(m / 60) === 1 ? "" : "s"}` : "", m % 60 ? `${m % 60} minutes` : ""]
    .filter(Boolean)
    .join(" ") || "no time";
  return h(
    "div",
    { class: "card" },
    h("p", { class: "what" }, account.available_minutes >= 0 ? `${first} has ${words} of help left.` : `${first} is ${words} over: the coordinator knows.`),
    h("p", {}, "One token is one hour of help."),
  );
}

/**
 * @param {HTMLElement} main
 * @param {string} [note]
 */
export async function render(main, note) {
  const me = await need(api.GET("/api/v1/me"));
  const people = me.acts_for || [];
  if (!people.length) {
    show(
      main,
      h("h1", {}, "Helping someone"),
      h("p", {}, "You are not helping anyone arrange their visits just now."),
      h("p", {}, "When someone asks you, open the link in the email they send you."),
      h("a", { class: "button secondary", href: "#/details" }, "Your details"),
    );
    return;
  }
  const draw = async (/** @type {string | undefined} */ said) => {
    const helping = chosen(people);
    const first = helping.member.name.trim().split(/\s+/)[0];
    const can = (/** @type {string} */ r) => helping.can.includes(r);
    const reads = can("ask") || can("see");
    const { data: requests, at } = reads
      ? await kept(`family-${helping.member.id}`, () =>
          need(api.GET("/api/v1/requests", { params: { query: { member_id: helping.member.id, limit: 50 } } })),
        )
      : { data: { items: [] }, at: undefined };
    const soon = Date.now() - 7 * 24 * 3600 * 1000;
    const shown = requests.items.filter(
      (/** @type {any} */ r) =>
        ["open", "offered", "assigned"].includes(r.status) || (r.status === "completed" && new Date(r.window.start).getTime() > soon),
    );
    const others = people.filter((p) => p.member.id !== helping.member.id);
    show(
      main,
      h("h1", {}, `You are helping ${helping.member.name}`),
      lastUpdated(at),
      said ? message("done", said) : null,
      said && location.hash === "#/family-asked" ? push.offer(`Shall this phone tell you when a helper says yes to ${first}, and who is coming?`) : null,
      others.length
        ? h(
            "div",
            { class: "switch" },
            others.map((p) => {
              const b = h("button", { type: "button", class: "secondary" }, `Switch to ${p.member.name}`);
              b.addEventListener("click", () => {
                localStorage.setItem(CHOSEN, p.member.id);
                draw(undefined);
              });
              return b;
            }),
          )
        : null,
      can("ask") ? h("a", { class: "button", href: `#/ask-for/${encodeURIComponent(helping.member.id)}` }, `Ask for help for ${first}`) : null,
      reads
        ? shown.length
          ? h("ul", { class: "cards", "aria-label": `${first}'s help` }, shown.map((/** @type {any} */ r) => requestCard(r, draw, first)))
          : h("p", {}, `${first} has no help arranged just now.`)
        : null,
      can("see") ? await goingTo(helping.member.id, first) : null,
      can("account") ? await hoursLeft(helping.member.id, first) : null,
      h("h2", {}, "More"),
      h("a", { class: "button secondary", href: "#/details" }, "Your details"),
      h("a", { class: "button secondary", href: "#/concern" }, "A worry about someone"),
    );
  };
  await draw(note);
}
