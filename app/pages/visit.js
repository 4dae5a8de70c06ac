// One of a helper's visits: what, when, the member's name, address and phone once the visit is
// theirs, the place in the phone's own maps app, and confirming that they are coming. Which
// buttons show, and what is said when one cannot be pressed yet, come from the request's
// `actions` alone: the service decides what may be done now.

import { api } from "../../shared/api.js";
import { mapLinks } from "../../shared/circle.js";
import { HELP_WITH } from "../../shared/words.js";
import { action, between, h, kept, lastUpdated, message, need, partOfDay, show, timeOf } from "../ui.js";
import * as push from "../push.js";

export async function render(main, _go, _user, id) {
  const draw = async (note) => {
    const { data: r, at } = await kept(`visit-${id}`, () =>
      need(api.GET("/api/v1/requests/{id}", { params: { path: { id } } })),
    );
    const m = r.member;
    const slot = h("div");
    const can = allowed(r);
    show(
      main,
      h("h1", {}, `Help with ${HELP_WITH[r.category] || "something else"}`),
      lastUpdated(at),
      note ? message("done", note) : null,
      h(
        "div",
        { class: "card" },
        h("p", {}, `“${r.description}”`),
        h("p", {}, `${partOfDay(r.window.start)}, ${between(r.window)}`),
        m ? h("p", {}, `For ${m.name}`) : null,
        m
          ? h("p", {}, `Address: ${m.address}`)
          : h("p", {}, r.status === "completed" ? "The visit is done, so the address is no longer shown." : "The address shows here while the visit is yours."),
        m && m.phone ? h("p", {}, "Phone: ", h("a", { href: `tel:${m.phone.replace(/\s+/g, "")}` }, m.phone)) : null,
        m && m.access_needs ? h("p", { class: "what" }, `At the door: ${m.access_needs}`) : null,
        m && r.status === "assigned" ? sayAtTheDoor(id, m.name) : null,
        ...(m ? mapLinks(m.address).map((l) => h("a", { class: "button secondary", href: l.href, rel: "noreferrer" }, l.words)) : []),
      ),
      r.feedback ? said(r) : null,
      r.status === "assigned" ? push.offer("This visit is yours. Shall this phone tell you when someone nearby asks for help, and remind you before each visit?") : null,
      can("confirm").allowed
        ? h(
            "div",
            { class: "actions" },
            action(
              "Yes, I am coming",
              async () => {
                await need(api.POST("/api/v1/requests/{id}/confirm", { params: { path: { id } } }));
                await draw("Thank you: your visit is confirmed.");
              },
              { slot },
            ),
          )
        : null,
      r.confirmed_at && !r.checked_in_at ? h("p", {}, "You have confirmed you are coming.") : null,
      steps(r, can, id, draw, slot),
      slot,
      can("withdraw").allowed ? cannotCome(id, slot) : null,
      h("a", { href: "#/" }, "Back to your help"),
    );
  };
  await draw();
}

/** What the service says of each action on this request: `can(name).allowed`, `.reason`. */
function allowed(r) {
  return (name) => (r.actions || []).find((a) => a.name === name) || { allowed: false };
}

/**
 * The next step of the visit, as the service allows it now: arrived, finished, done (with the
 * time it took); before the time comes, when arriving opens.
 */
function steps(r, can, id, draw, slot) {
  const path = { params: { path: { id } } };
  if (r.status === "completed") return h("p", {}, "Done. Thank you for your help.");
  if (can("check-in").allowed) {
    return h(
      "div",
      { class: "actions" },
      action(
        "I have arrived",
        async () => {
          await need(api.POST("/api/v1/requests/{id}/check-in", { ...path, body: {} }));
          await draw("Thank you: you have arrived.");
        },
        { secondary: Boolean(!r.confirmed_at), slot },
      ),
      can("running-late").allowed ? runningLate(r, path, draw, slot) : null,
    );
  }
  if (can("check-out").allowed) {
    return h(
      "div",
      { class: "actions" },
      action(
        "I have finished",
        async () => {
          await need(api.POST("/api/v1/requests/{id}/check-out", { ...path, body: {} }));
          await draw("Thank you: you have finished.");
        },
        { slot },
      ),
    );
  }
  if (!can("complete").allowed) {
    // Not yet: the first step that opens later says when.
    const waiting = ["check-in", "complete"].map(can).find((a) => !a.allowed && a.from);
    return waiting ? h("p", { class: "when-next" }, waiting.reason) : null;
  }
  const minutes = h("input", { id: "minutes", type: "number", inputmode: "numeric", min: "1", max: "720" });
  return h(
    "div",
    {},
    h(
      "div",
      { class: "field" },
      h("label", { for: "minutes" }, "How many minutes did it take? Leave it empty to use the times you arrived and finished."),
      minutes,
    ),
    h(
      "div",
      { class: "actions" },
      action(
        "It is done",
        async () => {
          const typed = minutes.value.trim();
          const body = typed ? { minutes_spent: Number(typed) } : {};
          await need(api.POST("/api/v1/requests/{id}/complete", { ...path, body }));
          await draw("Thank you: the visit is done.");
        },
        { slot },
      ),
    ),
  );
}

/** "I can't come any more": why, then the visit goes to others. */
function cannotCome(id, slot) {
  const reason = h("textarea", { id: "reason", rows: "3", maxlength: "500" });
  const form = h(
    "details",
    {},
    h("summary", {}, "I cannot come any more"),
    h("div", { class: "field" }, h("label", { for: "reason" }, "Please say why, in a few words"), reason),
    h(
      "div",
      { class: "actions" },
      action(
        "Let someone else go",
        async () => {
          if (!reason.value.trim()) throw new Error("Please say why, in a few words.");
          await need(
            api.POST("/api/v1/requests/{id}/withdraw", { params: { path: { id } }, body: { reason: reason.value.trim() } }),
          );
          location.hash = "#/";
        },
        { secondary: true, slot },
      ),
    ),
  );
  return form;
}

const RATINGS = ["", "poor", "not good", "all right", "good", "very good"];

/** What the member said of a visit that was done, for the helper who came. */
function said(r) {
  const who = r.member_name ? r.member_name.split(" ")[0] : "The member";
  return h(
    "div",
    { class: "card" },
    h("p", { class: "what" }, `${who} said it was ${RATINGS[r.feedback.rating] || "done"}.`),
    r.feedback.comment ? h("p", {}, `“${r.feedback.comment}”`) : null,
  );
}

/** "I am running about 15 minutes late" in one tap (or 30); the member is told at once. */
function runningLate(r, path, draw, slot) {
  const said = r.eta ? h("p", { class: "what" }, `You said you would be there at about ${timeOf(r.eta)}.`) : null;
  const late = (minutes) =>
    action(
      `I am running about ${minutes} minutes late`,
      async () => {
        const done = await need(api.POST("/api/v1/requests/{id}/running-late", { ...path, body: { minutes } }));
        await draw(`Thank you: ${r.member ? r.member.name.split(" ")[0] : "the member"} has been told you will be there at about ${timeOf(done.eta)}.`);
      },
      { secondary: true, slot },
    );
  return h("div", {}, said, late(15), late(30));
}

/** "Say these at the door": the visit's two words, so that the member knows it is really you. */
function sayAtTheDoor(id, member) {
  const box = h("div", { class: "doorstep", hidden: true });
  api
    .GET("/api/v1/requests/{id}/doorstep", { params: { path: { id } } })
    .then(({ data }) => {
      if (!data) return;
      const first = member.split(" ")[0];
      box.replaceChildren(
        h("p", {}, `Say these words at the door, so that ${first} knows it is you:`),
        h("p", { class: "words" }, data.words),
      );
      box.hidden = false;
    })
    .catch(() => {});
  return box;
}
