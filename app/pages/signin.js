// Signing in: email and password, kept on this phone unless the person says not to (a shared or
// borrowed phone). Coordinators go on to the console.

import { ringLink } from "../../shared/circle.js";
import { signIn } from "../../shared/session.js";
import { h, message, show } from "../ui.js";

export function render(main, go) {
  const email = h("input", { id: "email", type: "email", autocomplete: "username", required: true });
  const password = h("input", { id: "password", type: "password", autocomplete: "current-password", required: true });
  const stay = h("input", { type: "checkbox", id: "stay", checked: true });
  const slot = h("div");
  const button = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    {
      onsubmit: async (e) => {
        e.preventDefault();
        button.disabled = true;
        slot.replaceChildren();
        /** @type {{user?: {role: string}, error?: string}} */
        const { user, error } = await signIn(email.value.trim(), password.value, stay.checked).catch(() => ({
          error: "No connection. Please check the phone is online and try again.",
        }));
        button.disabled = false;
        if (error) {
          slot.append(message("error", error));
          return;
        }
        // On to the page the address named (a link in an email), or the first screen.
        if (user.role === "coordinator") location.assign("/console");
        else go(location.hash.length > 2 ? location.hash : "#/");
      },
    },
    h("div", { class: "field" }, h("label", { for: "email" }, "Your email"), email),
    h("div", { class: "field" }, h("label", { for: "password" }, "Your password"), password),
    h("label", { class: "check" }, stay, " Keep me signed in on this phone"),
    h("p", { class: "hint" }, "Untick this on a phone or computer that others use."),
    h("div", { class: "actions" }, button),
    slot,
  );
  show(
    main,
    h("h1", {}, "Sign in"),
    form,
    h("a", { class: "button secondary", href: "#/join" }, "New to Neighbourly? Join"),
    h("p", {}, h("a", { href: "#/forgot" }, "Forgotten your password?")),
    h("p", {}, "No email? Please ", ringLink(), "."),
  );
}
