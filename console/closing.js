// The rare steps on a person's account, each asked before it is done, with the state it leaves
// shown at once: their data as a file, signing them out on every phone, closing and reopening the
// account, and erasing them. Drawn on a member's account page and on each helper.

import { api, download, need } from "./client.js";
import { askFirst, busy, h, message, show } from "./ui.js";

/**
 * The "Their account" section for `person` ({id, name, active}); `role` words what closing does.
 * @param {{id: string, name: string, active: boolean}} person
 * @param {"member" | "helper"} role
 */
export function closingSteps(person, role) {
  const path = { params: { path: { id: person.id } } };
  const slot = h("div", { "aria-live": "polite" });
  const state = h("p", {});
  const steps = h("div", { class: "actions" });
  const said = (text) => show(slot, message("done", text));

  const exportData = h("button", { type: "button", class: "secondary" }, `Download ${person.name}'s data`);
  exportData.addEventListener("click", () =>
    busy(exportData, slot, async () => {
      await download(api.GET("/api/v1/users/{id}/export", { ...path, parseAs: "blob" }), `data-${person.name.replace(/\W+/g, "-")}.json`);
      said(`${person.name}'s data is downloaded: everything the service holds about them, as one file.`);
    }),
  );

  const signOut = h("button", { type: "button", class: "secondary" }, "Sign out on every phone");
  askFirst(signOut, slot, `Sign ${person.name} out on every phone and computer? They will need their password to sign in again.`, "Yes, sign them out", async () => {
    await need(api.POST("/api/v1/users/{id}/sign-out-everywhere", path));
    said(`${person.name} is signed out everywhere.`);
  });

  const closes =
    role === "member"
      ? "Their requests not yet done are cancelled (any helper is told), their regular help ends and their event places are given up."
      : "Their open offers go to others, and they are offered no more jobs.";
  const close = h("button", { type: "button", class: "danger" }, "Close this account");
  const why = (label) => ({ label, missing: "Please say why, in a few words: it is kept with the account's history." });
  askFirst(
    close,
    slot,
    `Close ${person.name}'s account? ${closes} Reopening it brings none of these back.`,
    "Yes, close the account",
    async (reason) => {
      await need(api.POST("/api/v1/users/{id}/deactivate", { ...path, body: { reason } }));
      person.active = false;
      draw();
      said(`${person.name}'s account is closed. They can no longer sign in.`);
    },
    why("Why it is closed"),
  );
  const reopen = h("button", { type: "button" }, "Reopen this account");
  reopen.addEventListener("click", () =>
    busy(reopen, slot, async () => {
      await need(api.POST("/api/v1/users/{id}/reactivate", { ...path, body: {} }));
      person.active = true;
      draw();
      said(`${person.name}'s account is open again. They sign in afresh.`);
    }),
  );

  const erase = h("button", { type: "button", class: "danger" }, `Erase ${person.name}`);
  askFirst(
    erase,
    slot,
    `Erase ${person.name}? This cannot be undone. Their name, contact details, address and notes are removed; the sums of their account and the audit stay.`,
    `Yes, erase ${person.name}`,
    async (reason) => {
      await need(api.POST("/api/v1/users/{id}/erase", { ...path, body: { reason } }));
      show(state, "Erased.");
      show(steps);
      said(`${person.name} is erased.`);
    },
    why("Why they are erased"),
  );

  const draw = () => {
    show(state, person.active ? "The account is open." : "The account is closed: they cannot sign in.");
    show(steps, exportData, signOut, person.active ? close : reopen, erase);
  };
  draw();
  return h("section", { "aria-label": "Their account" }, h("h2", {}, "Their account"), state, steps, slot);
}
