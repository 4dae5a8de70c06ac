// Building the app's screens: elements made with text nodes only (never HTML from data), large
// buttons, messages read out when they appear, and times in plain words ("Tuesday 8 December,
// morning").

import { api } from "../shared/api.js";
import { withNumber } from "../shared/circle.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c != null && c !== false) el.append(c);
  return el;
}

/** Draw a screen into `main`, and move the focus to its heading. */
export function show(main, ...children) {
  main.replaceChildren(...children.flat().filter(Boolean));
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}

export function message(kind, text) {
  return h("p", { class: `message ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

/**
 * A button that runs `work` once at a time, saying what went wrong in `slot` if it fails.
 * @param {string} label
 * @param {() => Promise<unknown>} work
 * @param {{secondary?: boolean, slot?: HTMLElement}} [options]
 */
export function action(label, work, { secondary = false, slot = undefined } = {}) {
  const b = h("button", { type: "button", class: secondary ? "secondary" : null }, label);
  b.addEventListener("click", async () => {
    b.disabled = true;
    try {
      await work();
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      (slot || b.parentElement).append(message("error", text));
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

const day = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long" });
const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });

/** Tomorrow's date in this phone's time, as a date field takes it ("2026-12-08"). */
export function tomorrow() {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "Tuesday 8 December" */
export function dayOf(iso) {
  return day.format(new Date(iso));
}

/** "10:30" */
export function timeOf(iso) {
  return clock.format(new Date(iso));
}

/** "Tuesday 8 December, morning" for a window starting at `iso`. */
export function partOfDay(iso) {
  const hour = new Date(iso).getHours();
  const part = hour < 12 ? "morning" : hour < 17 ? "afternoon" : "evening";
  return `${dayOf(iso)}, ${part}`;
}

/** "between 10:00 and 14:00" */
export function between(window) {
  return `between ${timeOf(window.start)} and ${timeOf(window.end)}`;
}

// A field the service names, as the app's forms ask for it.
const FIELDS = {
  name: "Your name",
  email: "Your email",
  password: "Your password",
  phone: "Your phone number",
  address: "Your address",
  postcode: "Your postcode",
  skills: "What you can help with",
  description: "What needs doing",
  window: "The time",
  duration_minutes: "How long",
  reason: "The reason",
  minutes_spent: "The minutes",
};

/** An API answer's error as a sentence that says what to do. */
export function trouble(error, response) {
  if (!response) return "No connection. Please check the phone is online and try again.";
  if (error && Array.isArray(error.errors) && error.errors.length) {
    return error.errors
      .map((f) => `${FIELDS[String(f.field).split(/[.[]/)[0]] || "This"} ${String(f.message).replace(/\.$/, "")}.`)
      .join(" ");
  }
  if (error && error.detail && response.status < 500) return withNumber(error.detail);
  return withNumber("Something went wrong on our side. Please try again in a minute, or ring your coordinator.");
}

/** The answer's data, or an Error whose message says what to do. */
export async function need(call) {
  let answer;
  try {
    answer = await call;
  } catch {
    const offline = new Error(trouble(null, null));
    offline.name = "Offline";
    throw offline;
  }
  if (answer.error || !answer.response.ok) throw new Error(trouble(answer.error, answer.response));
  return answer.data;
}

/**
 * Load `name` with `load`, keeping a copy in this tab (sessionStorage, gone when the tab closes or
 * on signing out); with no network, the copy kept, with when it was kept (`at`).
 * @template T
 * @param {string} name
 * @param {() => Promise<T>} load
 * @returns {Promise<{data: T, at?: number}>}
 */
export async function kept(name, load) {
  const key = `neighbourly.kept.${name}`;
  try {
    const data = await load();
    sessionStorage.setItem(key, JSON.stringify({ at: Date.now(), data }));
    return { data };
  } catch (e) {
    const copy = JSON.parse(sessionStorage.getItem(key) || "null");
    if (copy && e instanceof Error && e.name === "Offline") return { data: copy.data, at: copy.at };
    throw e;
  }
}

/** "No connection: this is as it was at 10:30." */
export function lastUpdated(at) {
  return at ? message("error", `No connection: this is as it was at ${clock.format(new Date(at))}. It may have changed since.`) : null;
}

/** Say `text` in `slot` (replacing what it said), brought into view. */
export function tell(slot, kind, text) {
  slot.replaceChildren(message(kind, text));
  slot.scrollIntoView({ block: "center" });
}

/**
 * A form's submit handler: `work` runs once at a time with `button` held; a sentence it returns
 * is said as done in `slot`, and an error it throws is said there as what to do.
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} slot
 * @param {() => Promise<string | void>} work
 */
export function submitted(button, slot, work) {
  return async (/** @type {Event} */ e) => {
    e.preventDefault();
    slot.replaceChildren();
    button.disabled = true;
    try {
      const said = await work();
      if (said) tell(slot, "done", said);
    } catch (err) {
      tell(slot, "error", err instanceof Error ? err.message : String(err));
    } finally {
      button.disabled = false;
    }
  };
}

/**
 * Show the photo at `path` (read with the signed-in person's token) in `box`, described by
 * `alt`; nothing when there is none or it cannot be read.
 * @param {HTMLElement} box
 * @param {string} path
 * @param {string} alt
 */
export async function showPhoto(box, path, alt) {
  const { data } = await api
    .GET(/** @type {any} */ (path), { parseAs: "blob" })
    .catch(() => ({ data: undefined }));
  if (!(data instanceof Blob) || !data.size) return;
  box.replaceChildren(h("img", { src: URL.createObjectURL(data), alt, width: "160", height: "160" }));
}
