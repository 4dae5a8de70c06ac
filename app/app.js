// The app's frame: it registers the service worker (the app then opens with no network, and the
// phone can be told of offers and visits), knows who is signed in, and draws the screen the
// address names (routes in docs/app.md), with a way back and a way to sign out.

import { current, resume, signOut } from "../shared/session.js";
import { api } from "../shared/api.js";
import { h, message, need, show, trouble } from "./ui.js";
import * as push from "./push.js";
import * as reading from "./reading.js";
import { refresh as knowCircle, withNumber } from "../shared/circle.js";
import * as signin from "./pages/signin.js";
import * as home from "./pages/home.js";

// The other screens load when first opened (the service worker keeps them all once installed),
// so that the first screen needs as few files as it can on a poor signal.
const pages = {
  visit: () => import("./pages/visit.js"),
  ask: () => import("./pages/ask.js"),
  join: () => import("./pages/join.js"),
  when: () => import("./pages/when.js"),
  events: () => import("./pages/events.js"),
  regular: () => import("./pages/regular.js"),
  account: () => import("./pages/account.js"),
  concern: () => import("./pages/concern.js"),
  details: () => import("./pages/details.js"),
  family: () => import("./pages/family.js"),
  invitation: () => import("./pages/invitation.js"),
  password: () => import("./pages/password.js"),
};

/**
 * The screen's module; with no network and no copy kept, an error that says what to do.
 * @template {keyof typeof pages} K
 * @param {K} name
 * @returns {ReturnType<(typeof pages)[K]>}
 */
function page(name) {
  return /** @type {any} */ (
    pages[name]().catch(() => {
      throw new Error(trouble(null, null));
    })
  );
}

// The service worker is installed once the first screen is drawn, so that fetching the files it
// keeps does not slow that screen down.
function installServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).catch(() => {
    // Without a service worker the app still works online.
  });
}

const main = document.getElementById("main");
const out = document.getElementById("sign-out");
reading.setUp(document.getElementById("tools"), main);

function go(hash) {
  if (location.hash === hash) draw();
  else location.hash = hash;
}

// The Circle's name and number, read once per opening alongside the first screen's files; and a
// kept sign-in resumed from its cookie at the same time.
const circleKnown = knowCircle();
const resumed = resume();

/** Draw the screen the address names; marked when done, for measuring (docs/benchmarks.md). */
async function draw() {
  await circleKnown;
  await resumed;
  await screen();
  performance.mark("neighbourly:drawn");
}

async function screen() {
  const session = current();
  out.hidden = !session;
  const [name, id] = location.hash.replace(/^#\/?/, "").split("/");
  const role = session && session.user.role;
  try {
    if (!session && name === "join") return (await page("join")).render(main, id);
    if (name === "d" && id) return (await page("invitation")).render(main, decodeURIComponent(id), go);
    if (name === "reset" && id) return (await page("password")).reset(main, decodeURIComponent(id));
    if (!session && name === "forgot") return (await page("password")).forgot(main);
    if (!session) return signin.render(main, go);
    if (role === "coordinator") return location.assign("/console");
    const one = id && decodeURIComponent(id);
    if (name === "visits" && one) await (await page("visit")).render(main, go, session.user, one);
    else if (name === "ask" && role === "member") await (await page("ask")).render(main, one);
    else if (name === "when" && role === "helper") await (await page("when")).render(main);
    else if (name === "events" && role === "member") await (await page("events")).render(main, one);
    else if (name === "requests" && one && role === "member") await home.requestPage(main, one);
    else if (name === "offers" && one && role === "helper") await home.offerPage(main, one);
    else if (name === "regular" && role === "member") await (await page("regular")).render(main);
    else if (name === "account" && role === "member") await (await page("account")).render(main);
    else if (name === "family") await (await page("family")).render(main);
    else if (name === "family-asked") await (await page("family")).render(main, "Thank you: we are asking helpers nearby, and will tell you who is coming.");
    else if (name === "ask-for" && one) await askFor(one);
    else if (name === "requests" && one && role === "delegate") await home.requestPage(main, one);
    else if (name === "concern") await (await page("concern")).render(main);
    else if (name === "details") await (await page("details")).render(main);
    else if (name === "applied")
      await home.render(main, go, session.user, "Thank you for offering to help. A coordinator will ring you to check your details; offers come once you are approved.");
    else if (name === "asked") await home.render(main, go, session.user, "Thank you: we are asking helpers nearby, and will tell you who is coming.");
    else await home.render(main, go, session.user);
  } catch (e) {
    show(
      main,
      h("h1", {}, "Sorry"),
      message("error", e instanceof Error ? e.message : String(e)),
      h("a", { href: "#/" }, session ? "Back to your help" : "Back to signing in"),
    );
  }
}

/** Asking for help for someone the signed-in person helps, named by the service's list. */
async function askFor(memberId) {
  const me = await need(api.GET("/api/v1/me"));
  const helping = (me.acts_for || []).find((/** @type {any} */ p) => p.member.id === memberId && p.can.includes("ask"));
  if (!helping) throw new Error(withNumber("You cannot ask for help for this person. Please ask them, or ring your coordinator."));
  await (await page("ask")).render(main, undefined, { id: memberId, name: helping.member.name.trim().split(/\s+/)[0] });
}

out.addEventListener("click", async () => {
  await push.forget().catch(() => {});
  await signOut();
  go("#/");
});
window.addEventListener("hashchange", draw);
window.addEventListener("signed-out", () => {
  push.dropHere().catch(() => {});
  draw();
});
resumed.then((session) => {
  if (!session) push.dropHere().catch(() => {});
});
draw().then(installServiceWorker);
