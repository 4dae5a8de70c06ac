// The page a one-tap link from an email opens (/app/a/TOKEN): it shows the job the link is for
// and one button (two for a standing request's accept). Opening it changes nothing; the button
// posts the link, which does what it names once. Everything is shown as text, never as markup.

import { refresh as knowCircle, ringLink, withNumber } from "../shared/circle.js";
import { api } from "../shared/api.js";
import { HELP_WITH } from "../shared/words.js";

const token = decodeURIComponent(location.pathname.split("/").pop() || "");
const link = { params: { path: { token } } };
const main = document.getElementById("main");

const day = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long" });
const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null) el.append(c);
  return el;
}

function show(...children) {
  main.replaceChildren(...children.flat().filter(Boolean));
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}

function minutes(n) {
  const hours = Math.floor(n / 60);
  const rest = n % 60;
  const parts = [];
  if (hours) parts.push(hours === 1 ? "1 hour" : `${hours} hours`);
  if (rest) parts.push(`${rest} minutes`);
  return parts.join(" ") || "a few minutes";
}

function when(window, duration) {
  const start = new Date(window.start);
  const end = new Date(window.end);
  return `${day.format(start)}, between ${clock.format(start)} and ${clock.format(end)} (${minutes(duration)})`;
}

function job(j, where) {
  return h(
    "div",
    { class: "card" },
    h("p", { class: "what" }, `Help with ${HELP_WITH[j.category] || "something else"}`),
    h("p", {}, `“${j.description}”`),
    h("p", {}, `When: ${when(j.window, j.duration_minutes)}`),
    where ? h("p", {}, where) : null,
  );
}

function offerWhere(o) {
  const km = `about ${Number(o.distance_km).toFixed(1)} km from you`;
  return o.area_name ? `Where: in ${o.area_name}, ${km}` : `Where: ${km}`;
}

/** What the link would do (GET), or doing it (POST), with the answer's status and body. */
async function call(method, body) {
  const answer =
    method === "GET"
      ? await api.GET("/api/v1/action-links/{token}", link)
      : await api.POST("/api/v1/action-links/{token}", { ...link, body: body || undefined });
  return { status: answer.response.status, data: answer.data || answer.error || {} };
}

function trouble(status, data) {
  if (status === 404) {
    return withNumber("This link does not work. Please check that the whole link from the email was opened, or ring your coordinator.");
  }
  if (status === 409 || status === 410) return withNumber(data.detail || "This link has nothing more to do.");
  return withNumber("Something went wrong. Please try again in a minute, or ring your coordinator.");
}

/** The way on from a link's page: the app, where every offer and visit is. */
function intoTheApp() {
  return h("a", { class: "button", href: "/app/" }, "Open the Neighbourly app");
}

function failed(status, data) {
  const heading = status === 409 ? "Thank you all the same" : status === 410 ? "Nothing more to do" : "Sorry";
  show(h("h1", {}, heading), h("p", { class: "message error", role: "alert" }, trouble(status, data)), intoTheApp());
}

/** What the service says may be done with `thing` now ([{name, allowed, reason}]). */
function can(thing, name) {
  return ((thing && thing.actions) || []).find((a) => a.name === name) || { allowed: false };
}

/** A link whose job can no longer be done: said as the page opens, with no button to press. */
function closed(heading, what, reason) {
  show(
    h("h1", {}, heading),
    what,
    h("p", { class: "message error", role: "alert" }, withNumber(reason || "This link has nothing more to do.")),
    intoTheApp(),
  );
}

function button(label, onclick, secondary) {
  return h("button", { type: "button", class: secondary ? "secondary" : "", onclick }, label);
}

function act(buttons, body, done) {
  return async () => {
    for (const b of buttons()) b.disabled = true;
    try {
      const { status, data } = await call("POST", body);
      if (status === 200) done(data);
      else failed(status, data);
    } catch {
      for (const b of buttons()) b.disabled = false;
      main.append(h("p", { class: "message error", role: "alert" }, "No connection. Please check the phone is online and try again."));
    }
  };
}

function accepted(data) {
  const r = data.request;
  show(
    h("h1", {}, "Thank you: the job is yours"),
    h("p", { class: "message done", role: "status" }, `You are going to help ${r.member_name || "your neighbour"}.`),
    job(r, null),
    h("p", {}, "We have just emailed you their address and phone number. They are also in the Neighbourly app, under your visits."),
    h("a", { class: "button", href: `/app/#/visits/${encodeURIComponent(r.id)}` }, "Open this visit in the app"),
    h("p", {}, "If you cannot go after all, please ", ringLink(), "."),
  );
}

function render(view) {
  const all = () => main.querySelectorAll("button");
  const name = view.action === "decline" ? "decline" : view.action === "accept" ? "accept" : "confirm";
  const thing = view.action === "confirm" ? view.request : view.offer;
  const what = view.action === "confirm" ? job(view.request, null) : job(view.offer, offerWhere(view.offer));
  const now = can(thing, name);
  if (!now.allowed) return closed("Thank you all the same", what, now.reason);
  if (view.action === "accept") {
    const o = view.offer;
    const yes = view.standing_request
      ? [
          button("Yes, just this visit", act(all, { whole_series: false }, accepted)),
          button("Yes, and the visits after it too", act(all, { whole_series: true }, accepted), true),
        ]
      : [button("Yes, I can help", act(all, null, accepted))];
    show(
      h("h1", {}, "Can you help?"),
      job(o, offerWhere(o)),
      view.standing_request ? h("p", {}, "This is one visit of a regular arrangement. You can take just this one, or become the regular helper.") : null,
      h("div", { class: "actions" }, yes),
      h("p", {}, "The first helper to say yes goes."),
    );
  } else if (view.action === "decline") {
    const o = view.offer;
    show(
      h("h1", {}, "Say no to this job?"),
      job(o, offerWhere(o)),
      h("div", { class: "actions" }, [
        button("No, not this time", act(all, null, () =>
          show(h("h1", {}, "Thank you for letting us know"), h("p", { class: "message done", role: "status" }, "We will ask someone else. You will keep getting offers as usual."))),
        ),
      ]),
    );
  } else {
    const r = view.request;
    show(
      h("h1", {}, "Are you coming?"),
      job(r, null),
      h("div", { class: "actions" }, [
        button("Yes, I am coming", act(all, null, () =>
          show(h("h1", {}, "Thank you"), h("p", { class: "message done", role: "status" }, "Your visit is confirmed. Thank you for going."))),
        ),
      ]),
      h("p", {}, "If you cannot come, please ", ringLink(), ", so that someone else can go."),
    );
  }
}

async function start() {
  try {
    const [{ status, data }] = await Promise.all([call("GET"), knowCircle()]);
    if (status === 200) render(data);
    else failed(status, data);
  } catch {
    show(h("h1", {}, "No connection"), h("p", { class: "message error", role: "alert" }, "Please check the phone is online, then open the link again."));
  }
}

start();
