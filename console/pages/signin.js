// Sign in: coordinators only; members and helpers are told to use the app.

import { signIn } from "../client.js";
import { busy, field, h, show } from "../ui.js";

export const title = "Sign in";

export async function render(main) {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const button = h("button", { type: "submit" }, "Sign in");
  const slot = h("div");
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          await signIn(email.value.trim(), password.value);
          location.hash = "#/today";
        });
      },
    },
    field("Email", email),
    field("Password", password),
    h("div", { class: "actions" }, button),
  );
  main.append(h("p", {}, "For Circle coordinators. Sign in with your email and password."), slot, form);
  show(slot);
}
