// The first screen after signing in: a helper's offers to answer and visits to come; a member's
// requests, each in words.

import { ringLink, withNumber } from "../../shared/circle.js";
import { api } from "../../shared/api.js";
import { current } from "../../shared/session.js";
import { HELP_WITH, STATUSES } from "../../shared/words.js";
import { action, between, dayOf, h, kept, lastUpdated, message, need, partOfDay, show, showPhoto, timeOf } from "../ui.js";
import * as push from "../push.js";

function helpWith(category) {
  return `Help with ${HELP_WITH[category] || "something else"}`;
}

/** What the service says of each action on `thing`: `can(name).allowed`, `.reason`. */
function allowed(thing) {
  return (name) => (thing.actions || []).find((a) => a.name === name) || { allowed: false };
}

/** "about an hour", "about 1 hour 30 minutes" */
function howLong(minutes) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [hours ? `${hours} hour${hours === 1 ? "" : "s"}` : "", rest ? `${rest} minutes` : ""].filter(Boolean);
  return `about ${parts.join(" ")}`;
}

function offerCard(o, refresh) {
  const slot = h("div");
  const can = allowed(o);
  const where = o.area_name
    ? `In ${o.area_name}, about ${o.distance_km.toFixed(1)} km from you`
    : `About ${o.distance_km.toFixed(1)} km from you`;
  return h(
    "li",
    { class: "card" },
    h("h3", { class: "what" }, helpWith(o.category)),
    h("p", {}, `“${o.description}”`),
    h("p", {}, `${partOfDay(o.window.start)}, ${between(o.window)}, ${howLong(o.duration_minutes)}`),
    h("p", {}, where),
    can("accept").allowed
      ? h("p", {}, `Please answer by ${timeOf(o.expires_at)} on ${dayOf(o.expires_at)}.`)
      : message("error", can("accept").reason || "This offer is no longer open."),
    o.standing_request ? h("p", {}, "This is one visit of a regular arrangement: take just this one, or become the regular helper.") : null,
    h(
      "div",
      { class: "actions" },
      (can("accept").allowed ? (o.standing_request ? [false, true] : [false]) : []).map((whole) =>
        action(
          o.standing_request ? (whole ? "Yes, and the visits after it too" : "Yes, just this visit") : "Yes, I can help",
          async () => {
            const done = await need(
              api.POST("/api/v1/offers/{id}/accept", { params: { path: { id: o.id } }, body: { whole_series: whole } }),
            );
            location.hash = `#/visits/${done.request.id}`;
          },
          { secondary: whole, slot },
        ),
      ),
      can("decline").allowed
        ? action(
            "No, not this time",
            async () => {
              await need(api.POST("/api/v1/offers/{id}/decline", { params: { path: { id: o.id } } }));
              await refresh();
            },
            { secondary: true, slot },
          )
        : null,
    ),
    slot,
  );
}

/** Whose and where, in a list: the member's first name and their street (the address shows only
 * while the visit is the helper's, so a list never says more than the visit does). */
function whoAndWhere(r) {
  const first = (r.member_name || "").trim().split(/\s+/)[0];
  const street = r.member ? r.member.address.split(",")[0].trim() : "";
  if (first && street) return `For ${first}, at ${street}`;
  return first ? `For ${first}` : null;
}

function visitCard(r) {
  return h(
    "li",
    { class: "card" },
    h("h3", { class: "what" }, helpWith(r.category)),
    h("p", {}, `${partOfDay(r.window.start)}, ${between(r.window)}`),
    h("p", {}, whoAndWhere(r)),
    h("p", {}, r.confirmed_at ? "You have confirmed you are coming." : "Not confirmed yet."),
    h("a", { class: "button", href: `#/visits/${r.id}` }, "Open this visit"),
  );
}

/** "Helping Ada Okoye" for a member or helper who also helps someone arrange visits (filled in
 * once the service has said; nothing is shown otherwise, or with no network). */
function helping() {
  const slot = h("div");
  api
    .GET("/api/v1/me")
    .then(({ data }) => {
      const people = (data && data.acts_for) || [];
      if (!people.length) return;
      const names = people.map((/** @type {any} */ p) => p.member.name).join(", ");
      slot.replaceChildren(h("a", { class: "button secondary", href: "#/family" }, `Helping ${names}`));
    })
    .catch(() => {});
  return slot;
}

/** The links every member and helper has at the foot of their first screen. */
function more() {
  return [
    helping(),
    h("a", { class: "button secondary", href: "#/details" }, "Your details"),
    h("a", { class: "button secondary", href: "#/concern" }, "A worry about someone"),
    h("p", { class: "ring" }, "To talk to someone, ", ringLink(), "."),
  ];
}

async function helperHome(main, user, note) {
  const draw = async () => {
    const { data, at } = await kept("helper-home", () =>
      Promise.all([
        need(api.GET("/api/v1/offers", { params: { query: { status: "open", limit: 50 } } })),
        need(api.GET("/api/v1/requests", { params: { query: { status: "assigned", order: "soonest", limit: 50 } } })),
        need(api.GET("/api/v1/helpers/{id}/availability", { params: { path: { id: user.id } } })),
      ]),
    );
    const [offers, visits, week] = data;
    // Offers in the order their visits come, soonest first.
    const soonest = [...offers.items].sort((a, b) => Date.parse(a.window.start) - Date.parse(b.window.start));
    // With no times (and not free just now), no offer can come: said first, plainly, with the
    // way to say them.
    const helpingNow = Boolean(week.help_now_until && Date.parse(week.help_now_until) > Date.now());
    const noTimes = week.weekly.length === 0 && !helpingNow;
    show(
      main,
      h("h1", {}, "Your help"),
      lastUpdated(at),
      note ? message("done", note) : null,
      noTimes
        ? h(
            "div",
            { class: "card" },
            h("p", { class: "what" }, "You have not said when you can help, so no offers can come to you yet."),
            h("a", { class: "button", href: "#/when" }, "Say when you can help"),
          )
        : null,
      h("h2", {}, "Can you help?"),
      soonest.length
        ? h("ul", { class: "cards", "aria-label": "Offers" }, soonest.map((o) => offerCard(o, draw)))
        : h("p", {}, noTimes ? "No offers yet." : "No one is asking just now. We will tell you when someone nearby needs help."),
      noTimes ? null : h("a", { class: "button secondary", href: "#/when" }, "When you can help, and time away"),
      helpNow(user, week, draw),
      h("h2", {}, "Your visits"),
      visits.items.length
        ? h("ul", { class: "cards", "aria-label": "Visits" }, visits.items.map(visitCard))
        : h("p", {}, "No visits planned."),
      h("h2", {}, "More"),
      more(),
    );
  };
  await draw();
}

/** "I can help now": free for the next few hours for jobs today, then off by itself. */
function helpNow(user, week, draw) {
  const slot = h("div");
  const path = { params: { path: { id: user.id } } };
  const until = week.help_now_until && Date.parse(week.help_now_until) > Date.now() ? week.help_now_until : null;
  if (until) {
    return h(
      "div",
      { class: "card" },
      h("p", { class: "what" }, `You are free to help until ${timeOf(until)} today: jobs nearby for that time can come to you.`),
      action("I cannot help now after all", async () => {
        await need(api.DELETE("/api/v1/helpers/{id}/help-now", path));
        await draw();
      }, { secondary: true, slot }),
      slot,
    );
  }
  const hours = h(
    "select",
    { id: "help-now-hours" },
    [1, 2, 3, 4].map((n) => h("option", { value: String(n) }, n === 1 ? "For the next hour" : `For the next ${n} hours`)),
  );
  hours.value = "2";
  return h(
    "div",
    { class: "card" },
    h("p", { class: "what" }, "Free today? Say so, and jobs nearby for today can come to you."),
    h("div", { class: "field" }, h("label", { for: "help-now-hours" }, "How long are you free?"), hours),
    action("I can help now", async () => {
      await need(api.PUT("/api/v1/helpers/{id}/help-now", { ...path, body: { hours: Number(hours.value) } }));
      await draw();
    }, { slot }),
    slot,
  );
}

/** "Rosa is coming on Tuesday 8 December between 10:00 and 12:00"; `forName` when read by
 * someone who helps the member arrange it. */
function requestInWords(r, forName) {
  if (r.status === "assigned" && r.helper && r.eta) {
    const first = r.helper.name.split(" ")[0];
    return `${first} is running late, and will be with ${forName || "you"} at about ${timeOf(r.eta)}.`;
  }
  if (r.status === "assigned" && r.helper) {
    const first = r.helper.name.split(" ")[0];
    return `${first} is coming on ${partOfDay(r.window.start).replace(/, \w+$/, "")} ${between(r.window)}.`;
  }
  const when = `${partOfDay(r.window.start)}, ${between(r.window)}`;
  if (r.status === "offered") {
    return `For ${when}. We have asked helpers nearby and will tell you when one says yes.`;
  }
  if (r.status === "open") {
    // Asked for today and nobody free: a phone call may still find someone in time.
    if (new Date(r.window.start).toDateString() === new Date().toDateString()) {
      return withNumber(`For ${when}. Nobody nearby is free yet. If you need help today, please ring your coordinator.`);
    }
    return `For ${when}. Nobody nearby is free yet: we keep asking, and a coordinator can see it.`;
  }
  return `${STATUSES[r.status] || "Being arranged"}.`;
}

/** "Cancel this" asks first, naming who will be told, and cancels only on a second tap. */
function cancel(r, draw, slot, forName) {
  const ask = h("button", { type: "button", class: "secondary" }, "Cancel this");
  ask.addEventListener("click", () => {
    const who = r.helper ? `${r.helper.name} will be told ${forName ? "they are not needed" : "you do not need them"}.` : "Nobody has said yes yet.";
    const keep = h("button", { type: "button", class: "secondary" }, "No, keep it");
    keep.addEventListener("click", () => {
      show(slot);
      ask.focus();
    });
    show(
      slot,
      h(
        "div",
        { class: "message", role: "alert" },
        h("p", {}, `Cancel ${forName ? `${forName}'s` : "your"} help with ${HELP_WITH[r.category] || "something else"} on ${dayOf(r.window.start)}? ${who}`),
        h(
          "div",
          { class: "actions" },
          action(
            "Yes, cancel it",
            async () => {
              await need(api.POST("/api/v1/requests/{id}/cancel", { params: { path: { id: r.id } }, body: {} }));
              await draw(r.helper ? `Cancelled. ${r.helper.name} has been told.` : "Cancelled.");
            },
            { slot },
          ),
          keep,
        ),
      ),
    );
  });
  return ask;
}

/** From 1 to 5 for a visit that is done, with a note for the helper if the member likes. */
function rate(r, draw, slot) {
  const words = ["", "Poor", "Not good", "All right", "Good", "Very good"];
  const first = r.helper ? r.helper.name.split(" ")[0] : null;
  const noteId = `note-${r.id}`;
  const note = h("textarea", { id: noteId, rows: "2", maxlength: "1000" });
  return h(
    "div",
    {},
    first ? h("div", { class: "field" }, h("label", { for: noteId }, `A note for ${first}, if you like`), note) : null,
    h("p", {}, "How was it?"),
    h(
      "div",
      { class: "actions rating" },
      [5, 4, 3, 2, 1].map((n) =>
        action(
          words[n],
          async () => {
            await need(
              api.POST("/api/v1/requests/{id}/feedback", {
                params: { path: { id: r.id } },
                body: note.value.trim() ? { rating: n, comment: note.value.trim() } : { rating: n },
              }),
            );
            await draw("Thank you for saying.");
          },
          { secondary: n !== 5, slot },
        ),
      ),
    ),
  );
}

/** For a visit whose time has come and nobody has: the member says so, and we look again. */
function nobodyCame(r, draw, slot) {
  return action(
    "Nobody came",
    async () => {
      await need(api.POST("/api/v1/requests/{id}/no-show", { params: { path: { id: r.id } }, body: {} }));
      await draw("Sorry nobody came. We are looking for someone else, and a coordinator knows.");
    },
    { secondary: true, slot },
  );
}

/**
 * One of the member's requests with what can be done to it; `forName` (the member's first name)
 * when shown to someone who helps them arrange it.
 * @param {any} r
 * @param {(said?: string) => Promise<void>} draw
 * @param {string} [forName]
 */
export function requestCard(r, draw, forName) {
  const slot = h("div");
  const can = allowed(r);
  return h(
    "li",
    { class: "card" },
    h("h3", { class: "what" }, helpWith(r.category)),
    h("p", {}, `“${r.description}”`),
    h("p", {}, r.status === "completed" ? `Done on ${partOfDay(r.window.start).replace(/, \w+$/, "")}.` : requestInWords(r, forName)),
    r.status === "assigned" && r.helper ? doorstep(r, forName) : null,
    can("no-show").allowed || can("cancel").allowed
      ? h("div", { class: "actions" }, can("no-show").allowed ? nobodyCame(r, draw, slot) : null, can("cancel").allowed ? cancel(r, draw, slot, forName) : null)
      : null,
    can("feedback").allowed ? rate(r, draw, slot) : null,
    r.rated ? h("p", {}, "Thank you for saying how it was.") : null,
    forName ? null : askAgain(r),
    slot,
  );
}

/**
 * The two words the helper will say at the door, in large type (filled in when they have come;
 * nothing is shown without them).
 */
function doorstep(r, forName) {
  const box = h("div", { class: "doorstep", hidden: true });
  api
    .GET("/api/v1/requests/{id}/doorstep", { params: { path: { id: r.id } } })
    .then(({ data }) => {
      if (!data) return;
      const first = data.helper.name.split(" ")[0];
      const photo = h("div", { class: "photo" });
      if (data.helper.photo_url) showPhoto(photo, data.helper.photo_url, `Photo of ${first}`);
      box.replaceChildren(
        photo,
        h("p", {}, forName ? `When ${first} comes to ${forName}'s door, they will say:` : `When ${first} comes to your door, they will say:`),
        h("p", { class: "words" }, data.words),
        h("p", { class: "hint" }, withNumber(forName ? `If someone at ${forName}'s door does not say these words, ${forName} should not let them in: ring your coordinator.` : "If someone at the door does not say these words, do not let them in: ring your coordinator.")),
      );
      box.hidden = false;
    })
    .catch(() => {});
  return box;
}

/** "Ask Clive again" for a visit that was done: the same help, offered to Clive first. */
function askAgain(r) {
  if (r.status !== "completed" || !r.helper) return null;
  const first = r.helper.name.split(" ")[0];
  return h("a", { class: "button secondary", href: `#/ask/${encodeURIComponent(r.id)}` }, `Ask ${first} again`);
}

/** Visits done before the last week, newest first, each with "Ask … again". */
function pastVisits(requests) {
  const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
  const past = requests
    .filter((r) => r.status === "completed" && new Date(r.window.start).getTime() <= weekAgo)
    .slice(0, 10);
  if (!past.length) return null;
  return [
    h("h2", {}, "Past visits"),
    h(
      "ul",
      { class: "cards", "aria-label": "Past visits" },
      past.map((r) =>
        h(
          "li",
          { class: "card" },
          h("p", { class: "what" }, helpWith(r.category)),
          h("p", {}, `${partOfDay(r.window.start).replace(/, \w+$/, "")}${r.helper ? `, ${r.helper.name.split(" ")[0]} came` : ""}.`),
          askAgain(r),
        ),
      ),
    ),
  ];
}

async function memberHome(main, note) {
  const draw = async (said) => {
    const { data: requests, at } = await kept("member-home", () =>
      need(api.GET("/api/v1/requests", { params: { query: { limit: 50 } } })),
    );
    const soon = Date.now() - 7 * 24 * 3600 * 1000;
    const shown = requests.items.filter(
      (r) => ["open", "offered", "assigned"].includes(r.status) || (r.status === "completed" && new Date(r.window.start).getTime() > soon),
    );
    show(
      main,
      h("h1", {}, "Your help"),
      lastUpdated(at),
      said ? message("done", said) : null,
      said && location.hash === "#/asked" ? push.offer("Shall this phone tell you when a helper says yes, and who is coming?") : null,
      h("a", { class: "button", href: "#/ask" }, "Ask for help"),
      shown.length
        ? h("ul", { class: "cards", "aria-label": "Your requests" }, shown.map((r) => requestCard(r, draw)))
        : h("p", {}, "You have not asked for help yet."),
      pastVisits(requests.items),
      h("h2", {}, "More"),
      h("a", { class: "button secondary", href: "#/regular" }, "Regular help"),
      h("a", { class: "button secondary", href: "#/events" }, "Get-togethers"),
      h("a", { class: "button secondary", href: "#/account" }, "Your hours and membership"),
      more(),
    );
  };
  await draw(note);
}

export async function render(main, _go, user, note) {
  if (user.role === "helper") return helperHome(main, user, note);
  if (user.role === "member") return memberHome(main, note);
  if (user.role === "delegate") return (await import("./family.js")).render(main, note);
  show(main, h("h1", {}, "Neighbourly"), message("error", "This app is for members and helpers."));
}

/** One request of the member's (emails link here), with what can be done to it. */
export async function requestPage(main, id) {
  const draw = async (said) => {
    const r = await need(api.GET("/api/v1/requests/{id}", { params: { path: { id } } }));
    // Someone who helps the member arrange it reads it in the third person.
    const theirs = r.member_id !== (current() || { user: { id: "" } }).user.id;
    const first = (r.member_name || "").trim().split(/\s+/)[0];
    show(
      main,
      h("h1", {}, theirs && first ? `${first}'s request` : "Your request"),
      said ? message("done", said) : null,
      h("ul", { class: "cards" }, requestCard(r, draw, theirs ? first : undefined)),
      h("a", { href: "#/" }, "Back to your help"),
    );
  };
  await draw();
}

/** One offer of the helper's (emails link here): yes or no while it is open. */
export async function offerPage(main, id) {
  const draw = async () => {
    const offers = await need(api.GET("/api/v1/offers", { params: { query: { status: "open", limit: 50 } } }));
    const offer = offers.items.find((o) => o.id === id);
    show(
      main,
      h("h1", {}, "Can you help?"),
      offer
        ? h("ul", { class: "cards" }, offerCard(offer, async () => { location.hash = "#/"; }))
        : message("error", "This offer is no longer open: someone else may have taken it, or its time has passed. Your other offers are on your first screen."),
      h("a", { href: "#/" }, "Back to your help"),
    );
  };
  await draw();
}
