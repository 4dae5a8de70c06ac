// Messages on the phone (Web Push): asked for at a moment that says why (a helper's job taken, a
// member's help asked), never on opening the app. Subscribing gives the browser the service's
// key and tells the service where to push; signing out forgets this phone, so the next person
// to sign in on it gets none of the last one's messages.

import { api } from "../shared/api.js";
import { h, message, need } from "./ui.js";

const DECLINED = "neighbourly.push.not-now";

function supported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/** The key as the bytes `pushManager.subscribe` takes. */
function bytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function within(ms, promise) {
  return Promise.race([promise, new Promise((_, no) => setTimeout(() => no(new Error("timed out")), ms))]);
}

/** Subscribe this phone; a sentence for the person either way. */
export async function subscribe() {
  if ((await Notification.requestPermission()) !== "granted") {
    return { ok: false, again: false, text: "Messages are turned off for this app on this phone. You will still get emails." };
  }
  const { public_key } = await need(api.GET("/api/v1/push/key"));
  let subscription;
  try {
    const registration = await within(10_000, navigator.serviceWorker.ready);
    subscription = await within(
      15_000,
      registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes(public_key) }),
    );
  } catch {
    return { ok: false, again: true, text: "This phone could not be set up for messages just now. You will still get emails." };
  }
  const json = subscription.toJSON();
  await need(
    api.POST("/api/v1/me/push-subscriptions", {
      body: { endpoint: String(json.endpoint), keys: { p256dh: String(json.keys?.p256dh), auth: String(json.keys?.auth) } },
    }),
  );
  return { ok: true, again: false, text: "Thank you: this phone will tell you." };
}

/**
 * A card asking to send messages to this phone, saying `why`; nothing when the phone cannot, has
 * been asked already, or the person said "not now".
 * @param {string} why
 */
export function offer(why) {
  if (!supported() || Notification.permission !== "default" || localStorage.getItem(DECLINED)) return null;
  const card = h(
    "div",
    { class: "card" },
    h("p", { class: "what" }, why),
    h("p", {}, "The phone will ask you to allow it."),
    h(
      "div",
      { class: "actions" },
      h("button", {
        type: "button",
        onclick: async () => {
          const said = await subscribe().catch((e) => ({ ok: false, again: true, text: e instanceof Error ? e.message : String(e) }));
          const later = said.again ? " You can try again from Your details." : "";
          card.replaceChildren(message(said.ok ? "done" : "error", said.text + later));
        },
      }, "Yes, tell me on this phone"),
      h("button", {
        type: "button",
        class: "secondary",
        onclick: () => {
          localStorage.setItem(DECLINED, "1");
          card.replaceChildren(message("done", "All right. You can turn messages on from Your details."));
        },
      }, "Not now"),
    ),
  );
  return card;
}

/**
 * Signed out without asking (the session ran out, or the app was opened with none): the browser
 * drops its subscription, so that nothing more is shown on this phone; the service forgets it
 * when the push service next says it is gone.
 */
export async function dropHere() {
  if (!supported()) return;
  const registration = await navigator.serviceWorker.getRegistration("/app/");
  const subscription = registration && (await registration.pushManager.getSubscription());
  if (subscription) await subscription.unsubscribe().catch(() => {});
}

/** Stop messages to this phone: the service forgets it and the browser drops the subscription. */
export async function forget() {
  if (!supported()) return;
  const registration = await navigator.serviceWorker.getRegistration("/app/");
  const subscription = registration && (await registration.pushManager.getSubscription());
  if (!subscription) return;
  await api.DELETE("/api/v1/me/push-subscriptions", { params: { query: { endpoint: subscription.endpoint } } }).catch(() => {});
  await subscription.unsubscribe().catch(() => {});
}
