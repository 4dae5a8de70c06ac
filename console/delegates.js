// The people who help a member arrange their visits (family, friends), on the member's page: who
// they are, what they may do and whether they have said yes yet; a form to invite someone for a
// member on the phone (an email with a link goes to them; only here can "their hours and
// membership" be given); and stopping one, asked first, which takes effect at once.

import { api, need } from "./client.js";
import { askFirst, busy, field, h, message, show, time } from "./ui.js";

/** What each right lets the person do, in the words the form and the list use. */
const RIGHTS = {
  ask: "Ask for help for them, and cancel it",
  see: "See their visits and the words at the door",
  account: "See their hours and membership",
};

const STATUS = { invited: "Invited, not yet said yes", active: "Helping", expired: "Invitation ran out: invite again" };

/**
 * The "Family and friends who help" section for the member `id`, named `name`; `redraw(note)`
 * draws the page again, saying `note`.
 * @param {string} id
 * @param {string} name
 * @param {(note: string) => Promise<void>} redraw
 */
export function delegatesSection(id, name, redraw) {
  const path = { params: { path: { id } } };
  const list = h("ul", { class: "items", "aria-label": `People who help ${name} arrange visits` });
  const slot = h("div", { "aria-live": "polite" });
  need(api.GET("/api/v1/members/{id}/delegates", path))
    .then((people) => {
      if (!people.length) return show(list, h("li", {}, "Nobody yet."));
      show(
        list,
        people.map((d) => {
          const stop = h("button", { type: "button", class: "secondary" }, d.status === "active" ? "Stop their access" : "Withdraw the invitation");
          const here = h("div");
          askFirst(stop, here, `${d.name} will no longer be able to act for ${name}, from their next step.`, "Yes, stop it", async () => {
            await need(api.DELETE("/api/v1/members/{id}/delegates/{delegate_id}", { params: { path: { id, delegate_id: d.id } } }));
            await redraw(`${d.name} no longer acts for ${name}.`);
          });
          return h(
            "li",
            {},
            h("p", {}, h("strong", {}, d.name), ` · ${d.email}`),
            h("p", { class: "meta" }, `${STATUS[d.status] || d.status} · invited ${time(d.invited_at)}`),
            h("p", {}, d.can.map((/** @type {keyof typeof RIGHTS} */ r) => RIGHTS[r]).join(" · ")),
            stop,
            here,
          );
        }),
      );
    })
    .catch((e) => show(slot, message("error", e.message)));
  return [h("h2", {}, "Family and friends who help"), list, slot, inviteForm(id, name, redraw)];
}

/** Invite someone for the member: their name, email and what they may do. */
function inviteForm(id, name, redraw) {
  const who = h("input", { type: "text", maxlength: "100", autocomplete: "off" });
  const email = h("input", { type: "email", maxlength: "254", autocomplete: "off" });
  const boxes = Object.entries(RIGHTS).map(([value, words]) => {
    const box = h("input", { type: "checkbox", value, checked: value !== "account" });
    return h("label", {}, box, ` ${words}`);
  });
  const button = h("button", { type: "submit" }, "Send the invitation");
  const slot = h("div", { "aria-live": "polite" });
  return h(
    "form",
    {
      onsubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        busy(button, slot, async () => {
          const can = /** @type {("ask" | "see" | "account")[]} */ (
            boxes.map((l) => /** @type {HTMLInputElement} */ (l.querySelector("input"))).filter((b) => b.checked).map((b) => b.value)
          );
          if (!who.value.trim() || !email.value.trim()) throw new Error("Give their name and their email.");
          if (!can.length) throw new Error("Tick at least one thing they may do.");
          await need(api.POST("/api/v1/members/{id}/delegates", { params: { path: { id } }, body: { name: who.value.trim(), email: email.value.trim(), can } }));
          await redraw(`An invitation has gone to ${email.value.trim()}. It works for 7 days.`);
        });
      },
    },
    h("h3", {}, `Invite someone to help ${name}`),
    field("Their name", who),
    field("Their email", email, "They get a link to say yes, from their own phone or computer."),
    h("fieldset", { class: "checks rights" }, h("legend", {}, "They may"), ...boxes),
    h("div", { class: "actions" }, button),
    slot,
  );
}
