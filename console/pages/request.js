// One request: what was asked, for whom, where it stands, what can be done to it (send a helper,
// confirm for a helper who rang, or say they cannot come and send another, nobody came, done,
// cancel after asking twice), why nobody fits, and its story. The page is drawn again after each action, saying what was done at its top.

import { api, need } from "../client.js";
import { add, busy, CATEGORIES, date, dotted, EVENTS, field, h, message, redrawable, show, STATUSES, tel, time, whyNobody } from "../ui.js";

export const title = "A request";

/** "an hour", "1 hour 30 minutes", "45 minutes" */
export function length(minutes) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [];
  if (hours) parts.push(hours === 1 ? "1 hour" : `${hours} hours`);
  if (rest) parts.push(`${rest} minutes`);
  return parts.join(" ") || "no time";
}

const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });

export async function render(main, [id]) {
  if (!id) {
    main.append(message("error", "No request was chosen."));
    return;
  }
  await redrawable(main, (note, redraw) => fill(main, id, note, redraw));
}

async function fill(main, id, note, redraw) {
  const path = { params: { path: { id } } };
  const [r, story, door] = await Promise.all([
    need(api.GET("/api/v1/requests/{id}", path)),
    need(api.GET("/api/v1/requests/{id}/timeline", path)),
    // The words the helper says at the door: only an assigned visit has them.
    api.GET("/api/v1/requests/{id}/doorstep", path).then(({ data }) => data, () => undefined),
  ]);
  const member = r.member ? r.member.name : "the member";
  const what = CATEGORIES[r.category] || "Help";
  main.querySelector("h1").textContent = `${what} for ${member}`;
  document.title = `${main.querySelector("h1").textContent} · Neighbourly console`;
  add(
    main,
    note ? message("done", note) : null,
    h("p", { class: "card" }, r.description),
    h(
      "dl",
      {},
      h("dt", {}, "Where it stands"),
      h("dd", {}, `${STATUSES[r.status] || "Being arranged"}${r.status === "assigned" ? (r.confirmed_at ? ", confirmed" : ", not confirmed yet") : ""}`),
      h("dt", {}, "When"),
      h("dd", {}, `${date(r.window.start)}, between ${clock.format(new Date(r.window.start))} and ${clock.format(new Date(r.window.end))}; about ${length(r.duration_minutes)}`),
      r.member ? h("dt", {}, "Member") : null,
      r.member ? h("dd", {}, dotted(r.member.name, tel(r.member.phone), r.member.address)) : null,
      r.helper ? h("dt", {}, "Helper") : null,
      r.helper ? h("dd", {}, dotted(r.helper.name, tel(r.helper.phone))) : null,
      door ? h("dt", {}, "Words at the door") : null,
      door ? h("dd", {}, h("strong", { class: "doorstep-words" }, door.words), ` (tell ${member}: ${r.helper ? r.helper.name.split(" ")[0] : "the helper"} will say them)`) : null,
      r.member_id ? h("dt", {}, "Their account") : null,
      r.member_id ? h("dd", {}, h("a", { href: `#/account/${encodeURIComponent(r.member_id)}` }, `${member}'s account and requests`)) : null,
    ),
    actions(r, path, member, redraw),
  );
  if (r.status === "open" || r.status === "offered") await candidates(main, r, path, member, redraw);
  main.append(
    h("h2", {}, "What happened"),
    h(
      "ol",
      { class: "items compact" },
      story.items.map((e) =>
        h(
          "li",
          {},
          h("strong", {}, `${EVENTS[e.event] || "A change"}${e.who_name ? `: ${e.who_name}` : ""}`),
          h("span", { class: "meta" }, ` · ${[time(e.at), e.detail].filter(Boolean).join(" · ")}`),
        ),
      ),
    ),
  );
}

/**
 * What a coordinator can do to the request as it stands, as the service says (`actions`): a
 * button for each action allowed now, and for a step of the visit not open yet, when it opens.
 */
function actions(r, path, member, redraw) {
  const slot = h("div");
  const can = (name) => (r.actions || []).find((a) => a.name === name) || { allowed: false };
  const buttons = [];
  const notYet = [];
  const act = (label, work, secondary = false) => {
    const b = h("button", { type: "button", class: secondary ? "secondary" : null }, label);
    b.addEventListener("click", () => busy(b, slot, work));
    buttons.push(b);
  };
  const helper = r.helper ? r.helper.name : "the helper";
  if (can("confirm").allowed) {
    act(`${helper} rang: confirm the visit`, async () => {
      await need(api.POST("/api/v1/requests/{id}/confirm", path));
      await redraw(`Confirmed for ${helper}.`);
    });
  }
  if (can("withdraw").allowed) {
    const cannot = h("button", { type: "button", class: "secondary" }, `${helper} rang: cannot come`);
    cannot.addEventListener("click", () => show(slot, confirmWithdraw(r, path, helper, redraw, slot)));
    buttons.push(cannot);
  }
  if (can("complete").allowed) {
    const minutes = h("input", { name: "minutes", type: "number", min: "1", max: "1440", value: String(r.duration_minutes) });
    act("Mark it done", async () => {
      await need(api.POST("/api/v1/requests/{id}/complete", { ...path, body: { minutes_spent: Number(minutes.value) } }));
      await redraw(`Done: ${length(Number(minutes.value))} recorded.`);
    });
    buttons.push(field("Minutes it took", minutes));
  } else if (can("complete").from) {
    // A step of the visit that opens (or closed) at a time: say when.
    notYet.push(can("complete").reason);
  }
  if (can("no-show").allowed) {
    act(
      "Nobody came",
      async () => {
        await need(api.POST("/api/v1/requests/{id}/no-show", { ...path, body: {} }));
        await redraw(`Recorded that ${helper} did not come. Other helpers are asked if there is still time.`);
      },
      true,
    );
  } else if (can("no-show").from) {
    notYet.push(can("no-show").reason);
  }
  if (can("cancel").allowed) {
    const cancel = h("button", { type: "button", class: "secondary" }, "Cancel this request");
    cancel.addEventListener("click", () => show(slot, confirmCancel(r, path, member, redraw, slot)));
    buttons.push(cancel);
  }
  if (!buttons.length && !notYet.length) return null;
  return h(
    "section",
    { "aria-label": "What can be done" },
    h("h2", {}, "What can be done"),
    r.planned_start ? h("p", {}, `The helper plans to arrive at ${clock.format(new Date(r.planned_start))} on ${date(r.planned_start)}.`) : null,
    notYet.map((why) => h("p", { class: "hint" }, why)),
    h("div", { class: "actions" }, buttons),
    slot,
  );
}

/** A helper who rang to say they cannot come: why, then the visit goes to others. */
function confirmWithdraw(r, path, helper, redraw, slot) {
  const reason = h("input", { name: "reason", autocomplete: "off", maxlength: "500", required: true });
  const yes = h("button", { type: "button" }, `Yes, ${helper} cannot come`);
  const no = h("button", { type: "button", class: "secondary" }, "No, go back");
  const said = h("div");
  yes.addEventListener("click", () =>
    busy(yes, said, async () => {
      const after = await need(api.POST("/api/v1/requests/{id}/withdraw", { ...path, body: { reason: reason.value.trim() } }));
      const late = after.late ? " It was less than a day before the visit, so it counts as late." : "";
      await redraw(`${helper} is no longer going.${late} The visit is offered to other helpers; you can also send one below.`);
    }),
  );
  no.addEventListener("click", () => show(slot));
  const box = h(
    "div",
    { class: "message error", role: "alert" },
    h("p", {}, `${helper} cannot come? The visit goes to other helpers, and ${helper} is not asked again.`),
    h("form", { onsubmit: (e) => { e.preventDefault(); yes.click(); } }, field("Why they cannot come", reason), h("div", { class: "actions" }, yes, no), said),
  );
  queueMicrotask(() => reason.focus());
  return box;
}

/** The second step of cancelling: who is told, an optional reason, and a way back. */
function confirmCancel(r, path, member, redraw, slot) {
  const reason = h("input", { name: "reason", autocomplete: "off", maxlength: "500" });
  const yes = h("button", { type: "button" }, "Yes, cancel it");
  const no = h("button", { type: "button", class: "secondary" }, "No, keep it");
  const told = r.helper ? `${r.helper.name} is told by email.` : "Helpers who were asked are told it is no longer needed.";
  yes.addEventListener("click", () =>
    busy(yes, slot, async () => {
      await need(api.POST("/api/v1/requests/{id}/cancel", { ...path, body: reason.value.trim() ? { reason: reason.value.trim() } : {} }));
      await redraw(`Cancelled. ${told}`);
    }),
  );
  no.addEventListener("click", () => show(slot));
  const box = h(
    "div",
    { class: "message error", role: "alert" },
    h("p", {}, `Cancel ${member}'s request for ${date(r.window.start)}? ${told}`),
    field("Why (optional)", reason),
    h("div", { class: "actions" }, yes, no),
  );
  queueMicrotask(() => yes.focus());
  return box;
}

/** The helpers who could go, each with a button that sends them; their phone is said after. */
async function candidates(main, r, path, member, redraw) {
  const c = await need(api.GET("/api/v1/requests/{id}/candidates", { params: { path: { id: r.id }, query: { limit: 5 } } }));
  const slot = h("div");
  main.append(
    h("h2", {}, "Helpers who could go"),
    c.items.length
      ? h(
          "ul",
          { class: "items", "aria-label": "Helpers who could go" },
          c.items.map((x) => {
            const send = h("button", { type: "button" }, `Send ${x.name}`);
            send.addEventListener("click", () =>
              busy(send, slot, async () => {
                const done = await need(api.POST("/api/v1/requests/{id}/assign", { ...path, body: { helper_id: x.helper_id } }));
                const phone = done.helper && done.helper.phone ? ` Their phone: ${done.helper.phone}.` : "";
                await redraw(`${x.name} is going and has been told by email.${phone} Please let ${member} know.`);
              }),
            );
            return h("li", {}, h("h3", {}, x.name), h("p", { class: "meta" }, `${x.distance_km.toFixed(1)} km away`), send);
          }),
        )
      : h("p", {}, "Nobody fits yet."),
    h("h3", {}, "Why the others do not fit"),
    whyNobody(c.excluded),
    slot,
  );
}
