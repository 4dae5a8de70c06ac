// A member's or helper's own details: name, phone, how to reach them first and next, and (for a
// member) the address; a new postcode
// when they move (only what is changed is sent); messages on this phone; and the phones and
// computers they are signed in on, each with "Sign out there".

import { api } from "../../shared/api.js";
import { CHANNELS, tidyPostcode } from "../../shared/words.js";
import { action, dayOf, h, need, show, showPhoto, submitted, tell, timeOf, trouble } from "../ui.js";
import { signOut } from "../../shared/session.js";
import * as push from "../push.js";

function field(id, label, input, hint) {
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    input,
  );
}

export async function render(main) {
  const me = await need(api.GET("/api/v1/me"));
  const member = me.role === "member";
  const name = h("input", { id: "d-name", autocomplete: "name", value: me.name, required: true });
  const phone = h("input", { id: "d-phone", type: "tel", autocomplete: "tel", value: me.phone || "" });
  const address = member ? h("textarea", { id: "d-address", rows: "3", autocomplete: "street-address" }, me.address || "") : null;
  const postcode = h("input", { id: "d-postcode", autocomplete: "postal-code", "aria-describedby": "d-postcode-hint" });
  const needs = member ? h("textarea", { id: "d-needs", rows: "2", maxlength: "2000", "aria-describedby": "d-needs-hint" }, me.access_needs || "") : null;
  const ec = me.emergency_contact || {};
  const ecName = member ? h("input", { id: "d-ec-name", autocomplete: "off", value: ec.name || "" }) : null;
  const ecPhone = member ? h("input", { id: "d-ec-phone", type: "tel", autocomplete: "off", value: ec.phone || "" }) : null;
  // How to reach them: the first way and the next, as they choose (or as their details give).
  const current = me.contact_by || [];
  const way = (id, i, none) =>
    h(
      "select",
      { id },
      h("option", { value: "" }, none),
      Object.entries(CHANNELS).map(([value, words]) => h("option", { value, selected: current[i] === value }, words)),
    );
  const first = way("d-way-1", 0, "Whatever suits my details");
  const second = way("d-way-2", 1, "Nothing else");
  const slot = h("div");
  const button = h("button", { type: "submit" }, "Save my details");
  const form = h(
    "form",
    {
      onsubmit: submitted(button, slot, async () => {
        /** @type {Record<string, any>} */
        const body = {};
        if (name.value.trim() !== me.name) body.name = name.value.trim();
        if (phone.value.trim() !== (me.phone || "")) body.phone = phone.value.trim() || null;
        if (address && address.value.trim() !== (me.address || "")) body.address = address.value.trim();
        if (postcode.value.trim()) body.postcode = tidyPostcode(postcode.value);
        if (needs && needs.value.trim() !== (me.access_needs || "")) body.access_needs = needs.value.trim() || null;
        if (ecName && ecPhone && (ecName.value.trim() !== (ec.name || "") || ecPhone.value.trim() !== (ec.phone || ""))) {
          const n = ecName.value.trim();
          const p = ecPhone.value.trim();
          body.emergency_contact = n || p ? { name: n, phone: p, relation: ec.relation || null } : null;
        }
        const route = [...new Set([first.value, second.value].filter(Boolean))];
        if (route.join() !== current.slice(0, 2).join()) body.contact_by = route.length ? route : null;
        if (!Object.keys(body).length) return "Nothing has changed.";
        const path = { params: { path: { id: me.id } } };
        if (member) await need(api.PATCH("/api/v1/members/{id}", { ...path, body }));
        else await need(api.PATCH("/api/v1/helpers/{id}", { ...path, body }));
        postcode.value = "";
        Object.assign(me, body);
        if ("contact_by" in body) me.contact_by = body.contact_by || current;
        return "Thank you: your details are saved.";
      }),
    },
    field("d-name", "Your name", name),
    field("d-phone", "Your phone number", phone),
    field("d-way-1", "How should we reach you first?", first, "A text message needs a mobile number; email needs an email address."),
    field("d-way-2", "And if that does not work?", second),
    address ? field("d-address", "Your address", address) : null,
    field("d-postcode", "Your new postcode", postcode, member ? "Only if you have moved: it tells helpers nearby where you are." : "Only if you have moved: offers come from near your home."),
    needs ? field("d-needs", "Anything a helper should know at your door?", needs, "Such as \"I am slow to the door: please wait\". Only the helper coming sees it.") : null,
    ecName ? field("d-ec-name", "Who should we ring in an emergency?", ecName) : null,
    ecPhone ? field("d-ec-phone", "Their phone number", ecPhone) : null,
    h("div", { class: "actions" }, button),
    slot,
  );
  show(
    main,
    h("h1", {}, "Your details"),
    form,
    me.role === "helper" ? yourPhoto(me.id) : null,
    await messages(),
    calendar(),
    await signedIn(me.id),
    h("a", { href: "#/" }, "Back to your help"),
  );
}

/**
 * A helper's photo, which members they visit see with the words at the door: taken with the
 * phone's camera or chosen, made smaller on the phone, and sent.
 */
function yourPhoto(id) {
  const path = { params: { path: { id } } };
  const slot = h("div");
  const shown = h("div", { class: "photo" });
  const draw = () => showPhoto(shown, `/api/v1/helpers/${id}/photo`, "Your photo");
  const input = h("input", { id: "photo", type: "file", accept: "image/jpeg,image/png,image/*", capture: "user" });
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    slot.replaceChildren();
    try {
      const body = await smaller(file);
      const { response, error } = await api.PUT("/api/v1/helpers/{id}/photo", {
        ...path,
        body: /** @type {any} */ (body),
        bodySerializer: (b) => b,
        headers: { "Content-Type": body.type },
      });
      if (!response.ok) throw new Error((error && error.errors && error.errors[0] && `The photo ${error.errors[0].message}.`) || trouble(error, response));
      tell(slot, "done", "Thank you: your photo is saved. Members you visit will see it.");
      await draw();
    } catch (err) {
      tell(slot, "error", err instanceof Error ? err.message : String(err));
    }
  });
  draw();
  return h(
    "div",
    {},
    h("h2", {}, "Your photo"),
    h("p", {}, "Members you visit see it with the words you say at the door, so that they know it is you."),
    shown,
    h("div", { class: "field" }, h("label", { for: "photo" }, "Take or choose a photo of your face"), input),
    slot,
  );
}

/** The photo made at most 1024 pixels a side, as a JPEG, before it is sent (phones' are large). */
async function smaller(file) {
  if (!("createImageBitmap" in window)) return file;
  const bitmap = await createImageBitmap(file).catch(() => null);
  if (!bitmap) return file;
  const scale = Math.min(1, 1024 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d")?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", 0.9));
  return blob || file;
}

/**
 * Visits in the phone's own calendar: a secret address made on request (a new one stops the old
 * one working), opened in the calendar app, or copied.
 */
function calendar() {
  const slot = h("div");
  const make = action(
    "Put my visits in my phone's calendar",
    async () => {
      const { url } = await need(api.POST("/api/v1/me/calendar"));
      const subscribe = url.replace(/^https?:/, "webcal:");
      const copy = h("button", { type: "button", class: "secondary" }, "Copy the address");
      copy.addEventListener("click", async () => {
        await navigator.clipboard?.writeText(url).catch(() => {});
        copy.textContent = "Copied";
      });
      slot.replaceChildren(
        h("a", { class: "button", href: subscribe, id: "calendar-link" }, "Open in my calendar"),
        copy,
        h("p", { class: "hint" }, "Keep this address to yourself: anyone with it can see your visits. Pressing the button again makes a new address and stops the old one."),
      );
    },
    { secondary: true, slot },
  );
  return h("div", {}, h("h2", {}, "Your calendar"), h("p", {}, "Your visits, and the get-togethers you are going to, can show in your phone's calendar."), make, slot);
}

/** Where the person is signed in, each with "Sign out there"; and "Sign out everywhere". */
async function signedIn(id) {
  const sessions = await need(api.GET("/api/v1/me/sessions"));
  const slot = h("div");
  const list = h(
    "ul",
    { class: "cards" },
    sessions.map((s) => {
      const item = h(
        "li",
        { class: "card" },
        h("p", {}, h("strong", {}, s.this_one ? `${s.device} (this phone)` : s.device)),
        h("p", {}, `Last used ${dayOf(s.last_used_at)} at ${timeOf(s.last_used_at)}${s.kept ? ", kept signed in" : ""}.`),
      );
      if (!s.this_one) {
        const out = h(
          "button",
          {
            type: "button",
            class: "secondary",
            onclick: async () => {
              out.disabled = true;
              const { response } = await api.DELETE("/api/v1/me/sessions/{id}", { params: { path: { id: s.id } } });
              if (response.ok || response.status === 404) item.replaceChildren(h("p", {}, `Signed out on ${s.device}.`));
              else {
                out.disabled = false;
                tell(slot, "error", "That did not work. Please try again in a minute.");
              }
            },
          },
          "Sign out there",
        );
        item.append(out);
      }
      return item;
    }),
  );
  const everywhere = h("div", { class: "actions" });
  const askFirst = () => {
    everywhere.replaceChildren(
      h("p", { class: "what" }, "Sign out on every phone and computer, this one too? You will need your email and password to sign in again."),
      action("Yes, sign out everywhere", async () => {
        await need(api.POST("/api/v1/users/{id}/sign-out-everywhere", { params: { path: { id } } }));
        await signOut();
        window.dispatchEvent(new Event("signed-out"));
      }, { slot }),
      action("No, stay signed in", async () => offer(), { secondary: true, slot }),
    );
    everywhere.querySelector("button")?.focus();
  };
  const offer = () => everywhere.replaceChildren(action("Sign out everywhere", async () => askFirst(), { secondary: true, slot }));
  offer();
  return h(
    "div",
    {},
    h("h2", {}, "Where you are signed in"),
    h("p", {}, "If you have lost a phone, or signed in on someone else's, sign out there."),
    list,
    everywhere,
    slot,
  );
}

/** Turning messages on this phone on or off. */
async function messages() {
  if (!("PushManager" in window) || !("serviceWorker" in navigator)) return null;
  const registration = await navigator.serviceWorker.getRegistration("/app/");
  const on = !!(registration && (await registration.pushManager.getSubscription()));
  const slot = h("div");
  const button = h(
    "button",
    {
      type: "button",
      class: "secondary",
      onclick: async () => {
        slot.replaceChildren();
        button.disabled = true;
        if (on) {
          await push.forget();
          tell(slot, "done", "This phone will not get messages any more. You will still get emails.");
        } else {
          const said = await push.subscribe().catch((e) => ({ ok: false, again: true, text: e instanceof Error ? e.message : String(e) }));
          tell(slot, said.ok ? "done" : "error", said.again ? `${said.text} Press "Try again" in a minute.` : said.text);
          if (said.again) {
            button.textContent = "Try again";
            button.disabled = false;
            return;
          }
        }
        button.hidden = true;
      },
    },
    on ? "Stop messages on this phone" : "Send messages to this phone",
  );
  return h(
    "div",
    {},
    h("h2", {}, "Messages on this phone"),
    h("p", {}, on ? "This phone tells you of offers, visits and news." : "This phone can tell you of offers, visits and news, as well as emails."),
    h("div", { class: "actions" }, button),
    slot,
  );
}
