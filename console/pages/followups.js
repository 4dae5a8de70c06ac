// Follow-ups: what needs a coordinator today, oldest first, each in words with whom to ring and
// the page to open: visits with no outcome, concerns due for review, emails that failed before
// a visit, members no one can reach, call-backs whose day has come (marked done here).

import { api, need } from "../client.js";
import { busy, dotted, h, message, show, tel } from "../ui.js";

export const title = "Follow-ups";

const PAGE = 25;

/** What each kind is called, as a heading on its line. */
export const FOLLOW_UP_KINDS = {
  visit_without_outcome: "Visit with no outcome",
  concern_review: "Concern to review",
  message_failed: "Message not delivered",
  no_contact_route: "No way to reach them",
  call_back: "Call-back",
  no_arrival: "No arrival yet",
  tell_who_is_coming: "Tell them who is coming",
};

/** The page that deals with it. */
function open(f) {
  if (f.request_id) return h("a", { href: `#/request/${encodeURIComponent(f.request_id)}` }, "Open the visit");
  if (f.concern_id) return h("a", { href: `#/concern/${encodeURIComponent(f.concern_id)}` }, "Open the concern");
  return null;
}

/** The person: their page, by name, and their phone to ring. */
function person(f) {
  if (!f.person_name) return null;
  const page = f.person_role === "helper" ? `#/helpers/${encodeURIComponent(f.person_id)}` : `#/account/${encodeURIComponent(f.person_id)}`;
  return h("span", {}, h("a", { href: page }, f.person_name), f.person_phone ? ", " : "", tel(f.person_phone));
}

/**
 * One follow-up on one line; a call-back has a button to say it was made.
 * @param {any} f
 * @param {() => void} [gone] called when it is dealt with here
 */
export function followUpRow(f, gone) {
  const slot = h("span", { "aria-live": "polite" });
  let done = null;
  if (f.kind === "call_back" && f.note_id && f.person_id) {
    done = h("button", { type: "button", class: "secondary" }, `I rang ${f.person_name || "them"}`);
    done.addEventListener("click", () =>
      busy(done, slot, async () => {
        await need(api.POST("/api/v1/people/{id}/notes/{note_id}/done", { params: { path: { id: f.person_id, note_id: f.note_id } } }));
        done.remove();
        show(slot, message("done", "Marked done."));
        if (gone) gone();
      }),
    );
  }
  if (f.kind === "tell_who_is_coming" && f.person_id) {
    // Told on the phone: a call kept on their record, which ends this line.
    done = h("button", { type: "button", class: "secondary" }, `I have told ${f.person_name || "them"}`);
    done.addEventListener("click", () =>
      busy(done, slot, async () => {
        const text = `Told them who is coming and the words at the door. ${f.summary}`;
        await need(api.POST("/api/v1/people/{id}/notes", { params: { path: { id: f.person_id } }, body: { kind: "call", text } }));
        done.remove();
        show(slot, message("done", "Kept on their record as a call."));
        if (gone) gone();
      }),
    );
  }
  return h(
    "li",
    {},
    h("p", {}, h("strong", {}, FOLLOW_UP_KINDS[f.kind] || "To follow up"), " · ", ...dotted(person(f), open(f))),
    h("p", { class: "said" }, f.summary),
    done,
    slot,
  );
}

export async function render(main) {
  const first = await need(api.GET("/api/v1/follow-ups", { params: { query: { limit: PAGE } } }));
  let total = first.total;
  const heading = h("p", { class: "meta", "aria-live": "polite" });
  const say = () => {
    heading.textContent = total === 0 ? "Nothing to follow up." : total === 1 ? "One thing to follow up, the oldest first." : `${total} things to follow up, the oldest first.`;
  };
  say();
  const less = () => {
    total -= 1;
    say();
  };
  const list = h("ul", { class: "items" }, first.items.map((f) => followUpRow(f, less)));
  const slot = h("div");
  main.append(
    heading,
    h(
      "p",
      {},
      "Each line leaves the list once it is dealt with: the visit's outcome recorded, the concern's next step added, the call made, a way to reach them added.",
    ),
    first.items.length ? list : h("p", {}, "Everything is in hand."),
    slot,
  );
  let cursor = first.next_cursor;
  if (cursor) {
    const more = h("button", { type: "button", class: "secondary" }, `Show ${PAGE} more`);
    more.addEventListener("click", () =>
      busy(more, slot, async () => {
        const next = await need(api.GET("/api/v1/follow-ups", { params: { query: { limit: PAGE, cursor } } }));
        list.append(...next.items.map((f) => followUpRow(f, less)));
        cursor = next.next_cursor;
        if (!cursor) more.remove();
      }),
    );
    main.append(more);
  }
}
