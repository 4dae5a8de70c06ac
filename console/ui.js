// Building the page: elements made with text nodes only (never HTML from data), form fields
// with their labels, messages; the plain words for the service's codes come from words.js,
// shared with the app.

export {
  CATEGORIES,
  CHANNELS,
  CONCERN_KINDS,
  CONCERN_STATES,
  EVENTS,
  HELP_WITH,
  RULES,
  STATUSES,
  tidyPostcode,
  whyOne,
} from "../shared/words.js";
import { CHANNELS as CHANNEL_WORDS, whyOne } from "../shared/words.js";

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

/// Add `children` to `el`, leaving out the empty ones (null, undefined, false).
export function add(el, ...children) {
  append(el, children);
}

/// A harmful action asked twice: pressing `button` asks `question` in `slot`, with `yes` and
/// "No, go back"; only `yes` runs `work` (its errors shown in `slot`). With `why` (`{label,
/// missing}`), it also asks why, in a box labelled `label`, and passes the answer to `work`;
/// an empty answer says `missing`.
/**
 * @param {HTMLElement} button
 * @param {HTMLElement} slot
 * @param {string} question
 * @param {string} yes
 * @param {(reason: string) => Promise<void>} work
 * @param {{label: string, missing: string}} [why]
 */
export function askFirst(button, slot, question, yes, work, why) {
  button.addEventListener("click", () => {
    const reason = why ? h("textarea", { rows: "2", maxlength: "500", required: true }) : null;
    const go = h("button", { type: "button", class: "danger" }, yes);
    const back = h("button", { type: "button", class: "secondary" }, "No, go back");
    const trouble = h("div");
    go.addEventListener("click", () =>
      busy(go, trouble, async () => {
        const said = reason ? reason.value.trim() : "";
        if (reason && !said) throw new Error(why.missing);
        await work(said);
      }),
    );
    back.addEventListener("click", () => {
      show(slot);
      button.focus();
    });
    show(
      slot,
      h("div", { class: "message error", role: "alert" }, h("p", {}, question), reason ? field(why.label, reason) : null, h("div", { class: "actions" }, go, back), trouble),
    );
    slot.scrollIntoView({ block: "nearest" });
    (reason || go).focus();
  });
}

/// Draw a page below its heading with `fill(note, redraw)`. `redraw(note)` draws it again after an
/// action, saying `note` at its top, and moves the focus to the heading.
export async function redrawable(main, fill) {
  const heading = main.querySelector("h1");
  const redraw = async (note) => {
    main.replaceChildren(heading);
    await fill(note, redraw);
    heading.focus();
  };
  await fill(null, redraw);
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

/// A phone number as a link a phone (or a computer's softphone) can call; "" for none.
export function tel(phone) {
  return phone ? h("a", { href: `tel:${phone.replace(/[^+\d]/g, "")}` }, phone) : "";
}

/// Parts of a line (text or elements) with " · " between those that are there.
export function dotted(...parts) {
  const kept = parts.filter(Boolean);
  return kept.flatMap((p, i) => (i ? [" · ", p] : [p]));
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
  const form = button.form || button.closest("form");
  if (form) unmark(form);
  try {
    await work();
  } catch (e) {
    if (form && e.fields) mark(form, e.fields);
    if (slot) {
      show(slot, message("error", e.message || String(e)));
      slot.scrollIntoView({ block: "nearest" });
    }
  } finally {
    button.disabled = false;
    keepFocus(button, slot);
  }
}

/// After an action, the focus stays where the coordinator works: when it was lost (the pressed
/// button was disabled or drawn away), it goes to what the action said, else back to the button.
function keepFocus(button, slot) {
  const now = document.activeElement;
  if (now && now !== document.body && now.isConnected) return;
  const said = slot && slot.isConnected ? slot.querySelector("[role=status], [role=alert]") : null;
  const target = said || (button.isConnected ? button : null);
  if (!target) return;
  if (target === said && !said.hasAttribute("tabindex")) said.setAttribute("tabindex", "-1");
  target.focus();
}

/// Say each field's error next to the field it concerns (the control named as the service names
/// the field), marked invalid and described by it.
function mark(form, fields) {
  for (const f of fields) {
    const control = form.querySelector(`[name="${CSS.escape(String(f.field).split(/[.[]/)[0])}"]`);
    const wrapper = control && control.closest(".field");
    if (!wrapper) continue;
    const said = h("span", { class: "field-error", id: `${control.id}-error` }, f.sentence || f.message);
    wrapper.insertBefore(said, control);
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), said.id].filter(Boolean).join(" "));
  }
}

function unmark(form) {
  for (const said of form.querySelectorAll(".field-error")) {
    const control = said.parentElement.querySelector("[aria-invalid]");
    if (control) {
      control.removeAttribute("aria-invalid");
      const rest = (control.getAttribute("aria-describedby") || "").split(" ").filter((id) => id !== said.id);
      if (rest.length) control.setAttribute("aria-describedby", rest.join(" "));
      else control.removeAttribute("aria-describedby");
    }
    said.remove();
  }
}

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

/**
 * A list drawn a page at a time: the first page at once, then "Show more" while the API has
 * more (each next page by its cursor, added below).
 * @param {string} label what the list is, for screen readers
 * @param {(cursor?: string) => Promise<{items: any[], next_cursor?: string | null}>} fetch
 * @param {(item: any) => HTMLElement} row
 * @param {string} empty what to say when there is nothing
 * @param {string} [cls] the list's class: "items compact" (one line each) or "items"
 */
export function paged(label, fetch, row, empty, cls = "items compact") {
  const list = h("ul", { class: cls, "aria-label": label });
  const slot = h("div");
  const more = h("button", { type: "button", class: "secondary" }, "Show more");
  more.hidden = true;
  let cursor = null;
  const load = async () => {
    const page = await fetch(cursor || undefined);
    list.append(...page.items.map(row));
    if (!cursor && !page.items.length) list.append(h("li", {}, empty));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  };
  more.addEventListener("click", () => busy(more, slot, load));
  const box = h("div", {}, list, h("div", { class: "actions" }, more), slot);
  load().catch((e) => show(slot, message("error", e.message || String(e))));
  return box;
}

/** "A phone call, then the app": a person's ways to be reached, in words. */
export function routeWords(route) {
  return route.length ? route.map((c, i) => (i ? CHANNEL_WORDS[c].toLowerCase() : CHANNEL_WORDS[c])).join(", then ") : "";
}

/**
 * Choosing how to reach a person, in order: four selects in a fieldset; `changed()` is the new
 * route (or `null` to go back to what their details give) when it differs from `current`, else
 * `undefined`.
 * @param {string[]} current
 */
export function routeChooser(current) {
  const ways = [0, 1, 2, 3].map((i) =>
    h(
      "select",
      { name: `contact_by.${i}` },
      h("option", { value: "" }, i ? "Nothing more" : "As their details give"),
      Object.entries(CHANNEL_WORDS).map(([value, words]) => h("option", { value, selected: current[i] === value }, words)),
    ),
  );
  const fieldset = h(
    "fieldset",
    {},
    h("legend", {}, "How to reach them, in order"),
    field("First", ways[0], "A text message needs a UK mobile number; email needs an email address."),
    field("Second", ways[1]),
    field("Third", ways[2]),
    field("Fourth", ways[3]),
  );
  const changed = () => {
    const route = [...new Set(ways.map((w) => w.value).filter(Boolean))];
    if (route.join() === current.join()) return undefined;
    return route.length ? route : null;
  };
  return { fieldset, changed };
}
