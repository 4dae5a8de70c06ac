// Joining: a member who wants help, or a helper who offers it, signs up by postcode, then is
// signed in. A helper's application waits for a coordinator's check before offers come.

import { api } from "../../shared/api.js";
import { signIn } from "../../shared/session.js";
import { CATEGORIES, tidyPostcode } from "../../shared/words.js";
import { h, message, need, show, submitted } from "../ui.js";
import { WEEKDAY_DAYTIMES, weekBoxes } from "../week.js";

function field(id, label, control, hint) {
  control.id = id;
  if (hint) control.setAttribute("aria-describedby", `${id}-hint`);
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    control,
  );
}

const input = (attrs) => h("input", { autocomplete: "off", ...attrs });

function chooser(main) {
  show(
    main,
    h("h1", {}, "Join Neighbourly"),
    h("a", { class: "button", href: "#/join/member" }, "I would like help"),
    h("a", { class: "button secondary", href: "#/join/helper" }, "I would like to help others"),
    h("a", { href: "#/" }, "I have joined already: sign in"),
  );
}

function form(main, kind) {
  const helper = kind === "helper";
  const name = input({ required: true, autocomplete: "name" });
  const email = input({ type: "email", required: true, autocomplete: "email" });
  const password = input({ type: "password", required: true, minlength: "10", autocomplete: "new-password" });
  const phone = input({ type: "tel", autocomplete: "tel" });
  const street = input({ required: !helper, autocomplete: "street-address" });
  const postcode = input({ required: true, autocapitalize: "characters", autocomplete: "postal-code" });
  const skills = Object.entries(CATEGORIES).map(([value, words]) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", value }), ` ${words}`),
  );
  const reach = h(
    "select",
    {},
    [1, 2, 3, 5].map((km) => h("option", { value: String(km) }, km === 1 ? "Up to 1 km" : `Up to ${km} km`)),
  );
  reach.value = "2";
  /** @type {{lat: number, lon: number} | null} */
  let here = null;
  const hereSaid = h("div");
  const useHere = helper && "geolocation" in navigator
    ? h("button", {
        type: "button",
        class: "secondary",
        onclick: () => {
          hereSaid.replaceChildren(message("done", "Finding where you are…"));
          navigator.geolocation.getCurrentPosition(
            (p) => {
              here = { lat: p.coords.latitude, lon: p.coords.longitude };
              postcode.required = false;
              hereSaid.replaceChildren(message("done", "Thank you: we will use where you are now as your home. You can leave the postcode empty."));
            },
            () => hereSaid.replaceChildren(message("error", "The phone did not say where you are. Please type your postcode instead.")),
            { enableHighAccuracy: false, timeout: 20_000, maximumAge: 60_000 },
          );
        },
      }, "Use where I am now")
    : null;
  const week = helper ? weekBoxes(WEEKDAY_DAYTIMES, "When can you usually help?") : null;
  const slot = h("div");
  const button = h("button", { type: "submit" }, helper ? "Apply to help" : "Join");
  // The new account, once made: sending again after a failure only finishes what is left.
  /** @type {string | null} */
  let made = null;
  const send = async () => {
    const common = {
      name: name.value.trim(),
      email: email.value.trim(),
      password: password.value,
      phone: phone.value.trim() || undefined,
      postcode: tidyPostcode(postcode.value) || undefined,
    };
    if (helper) {
      const chosen = skills.map((l) => l.querySelector("input")).filter((b) => b.checked).map((b) => b.value);
      if (!chosen.length) throw new Error("Please choose at least one kind of help you can give.");
      const weekly = week.chosen();
      if (!weekly.length) throw new Error("Please tick at least one time you could help. You can change it whenever you like.");
      if (!made) {
        const helperMade = await need(
          api.POST("/api/v1/helpers", {
            body: {
              ...common,
              ...(here && !common.postcode ? { home: here } : {}),
              skills: /** @type {any} */ (chosen),
              max_distance_km: Number(reach.value),
            },
          }),
        );
        const { error } = await signIn(common.email, common.password);
        if (error) throw new Error(error);
        made = helperMade.id;
      }
      await need(
        api.PUT("/api/v1/helpers/{id}/availability", {
          params: { path: { id: made } },
          // The Circle's days are in UK time, wherever the phone thinks it is.
          body: { timezone: "Europe/London", weekly, time_off: [] },
        }),
      );
    } else {
      const where = street.value.trim();
      await need(api.POST("/api/v1/members", { body: { ...common, address: `${where}, ${common.postcode}` } }));
      const { error } = await signIn(common.email, common.password);
      if (error) throw new Error(error);
    }
  };
  const the = h(
    "form",
    {
      onsubmit: submitted(button, slot, async () => {
        await send();
        location.hash = helper ? "#/applied" : "#/";
      }),
    },
    field("name", "Your name", name),
    field("email", "Your email", email),
    field("password", "Choose a password", password, "At least 10 letters, numbers or spaces."),
    field("phone", "Your phone number", phone, "So that your coordinator can ring you."),
    helper ? null : field("street", "Your house number and street", street),
    field("postcode", "Your postcode", postcode, helper ? "So that you are asked to help near home." : "So that helpers nearby are asked."),
    useHere ? h("div", { class: "actions" }, useHere) : null,
    hereSaid,
    helper ? h("fieldset", {}, h("legend", {}, "What can you help with?"), skills) : null,
    helper ? field("reach", "How far would you go?", reach) : null,
    helper ? week.fieldset : null,
    h("div", { class: "actions" }, button),
    slot,
  );
  show(main, h("h1", {}, helper ? "Offer to help" : "Ask for help with Neighbourly"), the, h("a", { href: "#/join" }, "Back"));
}

export function render(main, kind) {
  if (kind === "member" || kind === "helper") form(main, kind);
  else chooser(main);
}
