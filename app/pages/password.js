// A forgotten password: asking for a link by email, and choosing a new password from that link.
// Neither needs signing in; the answer never says whether an email is known.

import { api } from "../../shared/api.js";
import { h, need, show, submitted } from "../ui.js";

export function forgot(main) {
  const email = h("input", { id: "f-email", type: "email", autocomplete: "email", required: true });
  const slot = h("div");
  const button = h("button", { type: "submit" }, "Send me a link");
  const form = h(
    "form",
    {
      onsubmit: submitted(button, slot, async () => {
        await need(api.POST("/api/v1/auth/password-reset", { body: { email: email.value.trim() } }));
        form.hidden = true;
        return "If that email is on our list, a link is on its way. It works for one hour. Please look in your email.";
      }),
    },
    h("div", { class: "field" }, h("label", { for: "f-email" }, "Your email"), email),
    h("div", { class: "actions" }, button),
  );
  show(
    main,
    h("h1", {}, "Forgotten your password?"),
    h("p", {}, "We will email you a link to choose a new one."),
    form,
    slot,
    h("a", { href: "#/" }, "Back to signing in"),
  );
}

export function reset(main, token) {
  const password = h("input", { id: "p-new", type: "password", autocomplete: "new-password", minlength: "10", required: true, "aria-describedby": "p-new-hint" });
  const again = h("input", { id: "p-again", type: "password", autocomplete: "new-password", required: true });
  const slot = h("div");
  const button = h("button", { type: "submit" }, "Save the new password");
  const form = h(
    "form",
    {
      onsubmit: submitted(button, slot, async () => {
        if (password.value !== again.value) throw new Error("The two passwords are not the same. Please type the new one twice.");
        await need(api.POST("/api/v1/auth/password-reset/confirm", { body: { token, password: password.value } }));
        form.hidden = true;
        return "Your password is changed. Please sign in with the new one.";
      }),
    },
    h("div", { class: "field" }, h("label", { for: "p-new" }, "A new password"), h("p", { class: "hint", id: "p-new-hint" }, "At least 10 characters."), password),
    h("div", { class: "field" }, h("label", { for: "p-again" }, "The same again"), again),
    h("div", { class: "actions" }, button),
  );
  show(main, h("h1", {}, "Choose a new password"), form, slot, h("a", { href: "#/" }, "Back to signing in"));
}
