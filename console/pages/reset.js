// Choosing a new password from an emailed link (anyone with the link; no sign-in).

import { api, need } from "../client.js";
import { busy, field, h, message, show } from "../ui.js";

export const title = "Choose a new password";

export async function render(main, [token]) {
  const password = h("input", { type: "password", name: "password", autocomplete: "new-password", minlength: "10", required: true });
  const again = h("input", { type: "password", name: "again", autocomplete: "new-password", required: true });
  const button = h("button", { type: "submit" }, "Save the new password");
  const slot = h("div");
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        if (password.value !== again.value) {
          show(slot, message("error", "The two passwords are not the same."));
          return;
        }
        busy(button, slot, async () => {
          await need(api.POST("/api/v1/auth/password-reset/confirm", { body: { token: token || "", password: password.value } }));
          show(slot, message("done", "Your password is changed. Sign in with the new one."));
          form.hidden = true;
        });
      },
    },
    field("New password", password, "At least 10 characters."),
    field("The same again", again),
    h("div", { class: "actions" }, button),
  );
  main.append(slot, form);
}
