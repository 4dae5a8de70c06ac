// A family invitation's link (`/app/d/{token}` opens `#/d/{token}`): who asks, what saying yes
// lets the person do, and yes: signed in already, by choosing a password for a new account, or
// by signing in first (the sign-in screen comes back here).

import { api } from "../../shared/api.js";
import { withNumber } from "../../shared/circle.js";
import { current, signIn } from "../../shared/session.js";
import { h, message, need, show, submitted } from "../ui.js";
import * as signin from "./signin.js";

/** What each right lets the person do, in words. */
const RIGHTS = {
  ask: "ask for help for them, and cancel it if plans change",
  see: "see who is coming to their door, when, and the two words the helper will say",
  account: "see their hours and membership",
};

/** The invitation, or why it cannot be used, as a sentence that says what to do. */
async function read(token) {
  const { data, response } = await api
    .GET("/api/v1/delegate-invitations/{token}", { params: { path: { token } } })
    .catch(() => ({ data: undefined, response: undefined }));
  if (data) return { invitation: data };
  if (!response) return { problem: "No connection. Please check the phone is online and try again." };
  if (response.status === 410) {
    return { problem: withNumber("This invitation has been used already, or is more than a week old. Please ask for a new one, or ring your coordinator.") };
  }
  return { problem: withNumber("We do not know this link. Please open the whole link from the email again, or ring your coordinator.") };
}

/**
 * @param {HTMLElement} main
 * @param {string} token
 * @param {(route: string) => void} go
 */
export async function render(main, token, go) {
  const { invitation, problem } = await read(token);
  if (!invitation) {
    show(main, h("h1", {}, "Helping someone"), message("error", problem || ""), h("a", { href: "#/" }, "Go to the app"));
    return;
  }
  const who = invitation.member_name;
  const accept = (/** @type {any} */ body) =>
    need(api.POST("/api/v1/delegate-invitations/{token}/accept", { params: { path: { token } }, body }));
  const intro = [
    h("h1", {}, `Help ${who} arrange their visits`),
    h("p", { class: "what" }, `${who} would like you to be able to:`),
    h("ul", { class: "plain" }, invitation.can.map((/** @type {keyof typeof RIGHTS} */ r) => h("li", {}, RIGHTS[r]))),
  ];
  const slot = h("div");
  if (current()) {
    const yes = h("button", { type: "submit" }, "Yes, I will help");
    show(
      main,
      ...intro,
      h(
        "form",
        {
          onsubmit: submitted(yes, slot, async () => {
            await accept({});
            go("#/family");
          }),
        },
        h("div", { class: "actions" }, yes),
        slot,
      ),
    );
    return;
  }
  const name = h("input", { id: "name", type: "text", autocomplete: "name", value: invitation.name, maxlength: "100", required: true });
  const password = h("input", { id: "new-password", type: "password", autocomplete: "new-password", minlength: "10", required: true });
  const yes = h("button", { type: "submit" }, "Yes, I will help");
  const haveAccount = h("button", { type: "button", class: "secondary" }, "I already have a Neighbourly account");
  haveAccount.addEventListener("click", () => signin.render(main, go));
  show(
    main,
    ...intro,
    h("p", {}, `Choose a password to sign in with. Your email is ${invitation.email}.`),
    h(
      "form",
      {
        onsubmit: submitted(yes, slot, async () => {
          await accept({ password: password.value, name: name.value.trim() });
          const { error } = await signIn(invitation.email, password.value, true);
          if (error) throw new Error(error);
          go("#/family");
        }),
      },
      h("div", { class: "field" }, h("label", { for: "name" }, "Your name"), name),
      h("div", { class: "field" }, h("label", { for: "new-password" }, "A password (at least 10 letters or numbers)"), password),
      h("div", { class: "actions" }, yes),
      slot,
    ),
    haveAccount,
  );
}
