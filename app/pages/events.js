// A member's social events: what is coming up, with places left; signing up (with a lift there
// and home if they need one) and leaving; where they are in the queue when it is full.

import { api } from "../../shared/api.js";
import { current } from "../../shared/session.js";
import { action, h, message, need, partOfDay, show, timeOf } from "../ui.js";

function mine(e) {
  const s = e.my_signup;
  if (!s) return null;
  if (s.status === "going") {
    return h("p", { class: "what" }, s.needs_lift ? "You are going, with a lift there and home." : "You are going.");
  }
  return h("p", { class: "what" }, `The event is full: you are number ${s.position} waiting for a place.`);
}

function eventCard(e, draw, me) {
  const slot = h("div");
  const path = { params: { path: { id: e.id } } };
  const lift = h("input", { type: "checkbox", id: `lift-${e.id}` });
  const signUp = async () => {
    const signed = await need(api.POST("/api/v1/events/{id}/signups", { ...path, body: { needs_lift: lift.checked } }));
    await draw(signed.status === "going" ? `You are going to ${e.title}.` : `${e.title} is full: you are waiting for a place, and will be told if one comes up.`);
  };
  const leave = async () => {
    await need(api.DELETE("/api/v1/events/{id}/signups/{member_id}", { params: { path: { id: e.id, member_id: me } } }));
    await draw(`You have left ${e.title}. Thank you for saying.`);
  };
  return h(
    "li",
    { class: "card" },
    h("h3", { class: "what" }, e.title),
    h("p", {}, e.description),
    h("p", {}, `${partOfDay(e.starts_at)}, from ${timeOf(e.starts_at)} to ${timeOf(e.ends_at)}`),
    h("p", {}, `At ${e.place}`),
    e.status === "cancelled" ? message("error", `Cancelled: ${e.cancel_reason || "sorry"}.`) : null,
    mine(e),
    (e.actions || []).some((a) => a.name === "signups" && a.allowed)
      ? h(
          "div",
          {},
          h("p", {}, e.places_left > 0 ? `${e.places_left} places left.` : "It is full: you can wait for a place."),
          h("label", { class: "check", for: `lift-${e.id}` }, lift, " I would like a lift there and home"),
          h("div", { class: "actions" }, action(e.places_left > 0 ? "I would like to go" : "Wait for a place", signUp, { slot })),
        )
      : null,
    (e.actions || []).some((a) => a.name === "leave" && a.allowed)
      ? h("div", { class: "actions" }, action("I cannot go after all", leave, { secondary: true, slot }))
      : null,
    slot,
  );
}

/** The get-togethers to come, or only `one` (an email's link) with a way to the others. */
export async function render(main, one) {
  const me = current().user.id;
  const draw = async (note) => {
    const events = one
      ? { items: [await need(api.GET("/api/v1/events/{id}", { params: { path: { id: one } } }))] }
      : await need(api.GET("/api/v1/events", { params: { query: { limit: 50 } } }));
    show(
      main,
      h("h1", {}, one ? events.items[0].title : "Get-togethers"),
      note ? message("done", note) : null,
      events.items.length
        ? h("ul", { class: "cards", "aria-label": "Get-togethers" }, events.items.map((e) => eventCard(e, draw, me)))
        : h("p", {}, "Nothing planned just now. Your coordinator will tell you of the next one."),
      one ? h("p", {}, h("a", { href: "#/events" }, "All get-togethers")) : null,
      h("a", { href: "#/" }, "Back to your help"),
    );
  };
  await draw();
}
