// Signing in: email and password, or a code texted to the person's mobile (for those who cannot
// keep a password); kept on this phone unless the person says not to (a shared or borrowed
// phone). Coordinators go on to the console.

import { ringLink } from "../../shared/circle.js";
import { askForCode, signIn, signInWithCode } from "../../shared/session.js";
import { h, show, submitted } from "../ui.js";

const OFFLINE = "No connection. Please check the phone is online and try again.";

/**
 * A sign-in form: `fields`, "Keep me signed in on this phone" (ticked), and `label` on its
 * button; `attempt` signs in with whether to stay, and on success the person goes on to the page
 * the address named (a link in an email), or the first screen.
 * @param {HTMLElement[]} fields
 * @param {string} label
 * @param {(stay: boolean) => Promise<{user?: {role: string}, error?: string}>} attempt
 * @param {(route: string) => void} go
 * @param {HTMLElement[]} [after] shown under the box
 */
function signInForm(fields, label, attempt, go, after = []) {
  const stay = h("input", { type: "checkbox", id: "stay", checked: true });
  const slot = h("div");
  const button = h("button", { type: "submit" }, label);
  const work = async () => {
    const { user, error } = await attempt(stay.checked).catch(() => ({ error: OFFLINE, user: undefined }));
    if (error || !user) throw new Error(error);
    if (user.role === "coordinator") location.assign("/console");
    else go(location.hash.length > 2 ? location.hash : "#/");
  };
  return h(
    "form",
    { onsubmit: submitted(button, slot, work) },
    ...fields,
    h("label", { class: "check" }, stay, " Keep me signed in on this phone"),
    ...after,
    h("div", { class: "actions" }, button),
    slot,
  );
}

/** A labelled field. */
const field = (input, label) => h("div", { class: "field" }, h("label", { for: input.id }, label), input);

export function render(main, go) {
  const email = h("input", { id: "email", type: "email", autocomplete: "username", required: true });
  const password = h("input", { id: "password", type: "password", autocomplete: "current-password", required: true });
  const form = signInForm(
    [field(email, "Your email"), field(password, "Your password")],
    "Sign in",
    (stay) => signIn(email.value.trim(), password.value, stay),
    go,
    [h("p", { class: "hint" }, "Untick this on a phone or computer that others use.")],
  );
  show(
    main,
    h("h1", {}, "Sign in"),
    form,
    h("h2", {}, "No password?"),
    h("p", {}, "We can text a code to your mobile instead."),
    h("button", { type: "button", class: "button secondary", id: "by-code", onclick: () => byCode(main, go) }, "Text me a code"),
    h("a", { class: "button secondary", href: "#/join" }, "New to Neighbourly? Join"),
    h("p", {}, h("a", { href: "#/forgot" }, "Forgotten your password?")),
    h("p", {}, "No email and no mobile? Please ", ringLink(), "."),
  );
}

/** Signing in by a code: the mobile number first, then the six numbers texted to it. */
function byCode(main, go) {
  const phone = h("input", { id: "phone", type: "tel", autocomplete: "tel", required: true, maxlength: "32" });
  const slot = h("div");
  const send = h("button", { type: "submit" }, "Text me a code");
  const ask = async () => {
    const { error } = await askForCode(phone.value.trim()).catch(() => ({ error: OFFLINE }));
    if (error) throw new Error(error);
    enterCode(main, go, phone.value.trim());
  };
  show(
    main,
    h("h1", {}, "Sign in with a code"),
    h("p", {}, "We will text a code of six numbers to your mobile. It works for 10 minutes."),
    h("form", { onsubmit: submitted(send, slot, ask) }, field(phone, "Your mobile number"), h("div", { class: "actions" }, send), slot),
    h("button", { type: "button", class: "button secondary", onclick: () => render(main, go) }, "Sign in with a password instead"),
    h("p", {}, "No text? Please ", ringLink(), "."),
  );
  phone.focus();
}

function enterCode(main, go, number) {
  const code = h("input", { id: "code", type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "8", required: true });
  const form = signInForm([field(code, "The six numbers in the text")], "Sign in", (stay) => signInWithCode(number, code.value.trim(), stay), go);
  show(
    main,
    h("h1", {}, "Sign in with a code"),
    h("p", { class: "hint", role: "status" }, `If ${number} is the mobile on your account, a text with a code is on its way. It can take a minute.`),
    form,
    h("button", { type: "button", class: "button secondary", onclick: () => byCode(main, go) }, "Send another code"),
    h("p", {}, "No text? Please ", ringLink(), "."),
  );
  code.focus();
}
