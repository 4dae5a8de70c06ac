// Building the page: elements made with text nodes only (never HTML from data), form fields
// with their labels, messages, and the plain words the console uses for the service's codes.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG = "http://www.w3.org/2000/svg";

export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "value") {
      el.value = value;
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let fieldCount = 0;

/// A labelled input: `label` is what a person reads; `control` is an input, select or textarea.
export function field(label, control, hint) {
  const id = control.id || `f${++fieldCount}`;
  control.id = id;
  const hintEl = hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), hintEl, control);
}

/// A message read out by screen readers when it appears.
export function message(kind, text) {
  return h("p", { class: `message ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

/// Replace what `slot` shows.
export function show(slot, ...children) {
  slot.replaceChildren(...children.flat().filter(Boolean));
}

/// Run `work` while `button` says it is busy; an error is shown in `slot`.
export async function busy(button, slot, work) {
  button.disabled = true;
  try {
    await work();
  } catch (e) {
    if (slot) show(slot, message("error", e.message || String(e)));
  } finally {
    button.disabled = false;
  }
}

export const CATEGORIES = {
  shopping: "Shopping",
  gardening: "Gardening",
  diy: "Odd jobs and DIY",
  cleaning: "Cleaning",
  it_help: "Phones and computers",
  companionship: "Company and a chat",
  transport: "A lift",
  paperwork: "Letters and forms",
  other: "Something else",
};

export const STATUSES = {
  open: "Nobody found yet",
  offered: "Waiting for a helper to say yes",
  assigned: "A helper is going",
  completed: "Done",
  cancelled: "Cancelled",
  expired: "Time ran out",
};

/// Why a helper does not fit, as the end of a sentence about one helper and about several:
/// "1 helper lives too far away", "7 helpers live too far away".
export const RULES = {
  approved: ["is not approved yet", "are not approved yet"],
  vetting_valid: ["has vetting that runs out by then", "have vetting that runs out by then"],
  has_skill: ["does not do this kind of help", "do not do this kind of help"],
  within_distance: ["lives too far away", "live too far away"],
  not_declined: ["already said no to this one", "already said no to this one"],
  not_blocked: ["is someone the member asked not to have", "are people the member asked not to have"],
  under_weekly_cap: ["already has enough jobs that week", "already have enough jobs that week"],
  available: ["is not free at that time", "are not free at that time"],
};

/// One sentence of "why nobody fits": "7 helpers live too far away".
export function whyOne(rule, count) {
  const [one, many] = RULES[rule] || ["does not fit", "do not fit"];
  return count === 1 ? `1 helper ${one}` : `${count} helpers ${many}`;
}

export const EVENTS = {
  asked: "Asked for help",
  offered: "Offered",
  accepted: "Said yes",
  declined: "Said no",
  lapsed: "Did not answer in time",
  withdrawn: "Offer taken back",
  address_shown: "Address shown",
  assigned: "Assigned",
  assigned_by_hand: "Assigned by a coordinator",
  confirmed: "The helper confirmed",
  withdrew: "The helper withdrew",
  no_show: "The helper did not come",
  unconfirmed: "Passed on: the helper never confirmed",
  completed: "Done",
  cancelled: "Cancelled",
  expired: "Time ran out",
};

const when = new Intl.DateTimeFormat("en-GB", {
  weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
});
const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric" });

export function time(iso) {
  return iso ? when.format(new Date(iso)) : "";
}

export function date(iso) {
  return iso ? day.format(new Date(iso)) : "";
}

/// "Why nobody fits", in words, from `excluded: [{rule, count}]`.
export function whyNobody(excluded) {
  if (!excluded || excluded.length === 0) {
    return h("p", { class: "meta" }, "No helper with this skill lives within 10 km.");
  }
  return h(
    "ul",
    { class: "why", "aria-label": "Why nobody fits" },
    excluded.map((e) =>
      h("li", {}, whyOne(e.rule, e.count)),
    ),
  );
}

/// A local date and time (from date and time inputs) as an RFC 3339 instant.
export function instant(dateValue, timeValue) {
  return new Date(`${dateValue}T${timeValue}`).toISOString();
}

/// `YYYY-MM-DD` of a day `days` from today, in local time.
export function dayFromToday(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export const CONCERN_KINDS = {
  neglect: "Neglect by others",
  self_neglect: "Not looking after themselves",
  financial: "Money or belongings",
  physical: "Physical harm",
  emotional: "Emotional harm",
  helper_conduct: "A helper's behaviour",
  other: "Something else",
};

export const CONCERN_STATES = {
  open: "New, not yet picked up",
  investigating: "Being looked into",
  referred: "Passed on",
  closed: "Closed",
};
