// One of a helper's visits: what, when, the member's name, address and phone once the visit is
// theirs, the place in the phone's own maps app, and confirming that they are coming.

import { api } from "../api.js";
import { HELP_WITH } from "../words.js";
import { action, between, h, message, need, partOfDay, show } from "../ui.js";

export async function render(main, _go, _user, id) {
  const draw = async (note) => {
    const r = await need(api.GET("/api/v1/requests/{id}", { params: { path: { id } } }));
    const m = r.member;
    const slot = h("div");
    show(
      main,
      h("h1", {}, `Help with ${HELP_WITH[r.category] || "something else"}`),
      note ? message("done", note) : null,
      h(
        "div",
        { class: "card" },
        h("p", {}, `“${r.description}”`),
        h("p", {}, `${partOfDay(r.window.start)}, ${between(r.window)}`),
        m ? h("p", {}, `For ${m.name}`) : null,
        m ? h("p", {}, `Address: ${m.address}`) : h("p", {}, "The address shows here while the visit is yours."),
        m && m.phone ? h("p", {}, "Phone: ", h("a", { href: `tel:${m.phone.replace(/\s+/g, "")}` }, m.phone)) : null,
        m ? h("a", { class: "button secondary", href: `geo:0,0?q=${encodeURIComponent(m.address)}` }, "Open the address in maps") : null,
      ),
      r.status === "assigned" && !r.confirmed_at
        ? h(
            "div",
            { class: "actions" },
            action(
              "Yes, I am coming",
              async () => {
                await need(api.POST("/api/v1/requests/{id}/confirm", { params: { path: { id } } }));
                await draw("Thank you: your visit is confirmed.");
              },
              { slot },
            ),
          )
        : null,
      r.confirmed_at ? h("p", {}, "You have confirmed you are coming.") : null,
      slot,
      h("p", {}, "If you cannot go, please ring your coordinator, so that someone else can."),
      h("a", { href: "#/" }, "Back to your help"),
    );
  };
  await draw();
}
