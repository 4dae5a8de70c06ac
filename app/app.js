// The app's frame: it registers the service worker (the app then opens with no network, and the
// phone can be told of offers and visits), knows who is signed in, and draws the screen the
// address names (routes in docs/app.md), with a way back and a way to sign out.

import { current, signOut } from "./session.js";
import { h, message, show } from "./ui.js";
import * as push from "./push.js";
import * as signin from "./pages/signin.js";
import * as home from "./pages/home.js";
import * as visit from "./pages/visit.js";
import * as ask from "./pages/ask.js";
import * as join from "./pages/join.js";
import * as when from "./pages/when.js";
import * as events from "./pages/events.js";
import * as regular from "./pages/regular.js";
import * as account from "./pages/account.js";
import * as concern from "./pages/concern.js";
import * as details from "./pages/details.js";
import * as password from "./pages/password.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).catch(() => {
    // Without a service worker the app still works online.
  });
}

const main = document.getElementById("main");
const out = document.getElementById("sign-out");

function go(hash) {
  if (location.hash === hash) draw();
  else location.hash = hash;
}

async function draw() {
  const session = current();
  out.hidden = !session;
  const [name, id] = location.hash.replace(/^#\/?/, "").split("/");
  if (!session && name === "join") return join.render(main, id);
  if (name === "reset" && id) return password.reset(main, decodeURIComponent(id));
  if (!session && name === "forgot") return password.forgot(main);
  if (!session) return signin.render(main, go);
  if (session.user.role === "coordinator") return location.assign("/console");
  try {
    if (name === "visits" && id) await visit.render(main, go, session.user, decodeURIComponent(id));
    else if (name === "ask" && session.user.role === "member") ask.render(main);
    else if (name === "when" && session.user.role === "helper") await when.render(main);
    else if (name === "events" && session.user.role === "member") await events.render(main, id && decodeURIComponent(id));
    else if (name === "requests" && id && session.user.role === "member") await home.requestPage(main, decodeURIComponent(id));
    else if (name === "offers" && id && session.user.role === "helper") await home.offerPage(main, decodeURIComponent(id));
    else if (name === "regular" && session.user.role === "member") await regular.render(main);
    else if (name === "account" && session.user.role === "member") await account.render(main);
    else if (name === "concern") await concern.render(main);
    else if (name === "details") await details.render(main);
    else if (name === "applied")
      await home.render(main, go, session.user, "Thank you for offering to help. A coordinator will ring you to check your details; offers come once you are approved.");
    else if (name === "asked") await home.render(main, go, session.user, "Thank you: we are asking helpers nearby, and will tell you who is coming.");
    else await home.render(main, go, session.user);
  } catch (e) {
    show(
      main,
      h("h1", {}, "Sorry"),
      message("error", e instanceof Error ? e.message : String(e)),
      h("a", { href: "#/" }, "Back to your help"),
    );
  }
}

out.addEventListener("click", async () => {
  await push.forget().catch(() => {});
  await signOut();
  go("#/");
});
window.addEventListener("hashchange", draw);
window.addEventListener("signed-out", draw);
draw();
