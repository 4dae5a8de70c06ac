// The Circle's name and number (GET /api/v1/circle): every screen that says to ring gives the
// number, as a link a phone can call. Read once per opening and held in memory only (the phone's
// storage holds nothing but the session); with no connection the words say to ring without it.

import { api } from "./api.js";

/** @type {{name: string, phone?: string | null, maps_url?: string, min_notice_minutes?: number, max_days_ahead?: number} | null} */
let circle = null;

function known() {
  return circle;
}

/** Read the Circle's details, for every screen after that says to ring. */
export async function refresh() {
  try {
    const { data } = await api.GET("/api/v1/circle");
    if (data) circle = data;
  } catch {
    // The words without a number.
  }
}

/** "ring Test Circle on 020 7946 0999"; "ring your coordinator" until the number is known. */
export function ringWords() {
  const c = known();
  return c && c.phone ? `ring ${c.name} on ${c.phone}` : "ring your coordinator";
}

/** The same words, as a link the phone can call. */
export function ringLink() {
  const c = known();
  if (!c || !c.phone) return document.createTextNode(ringWords());
  const a = document.createElement("a");
  a.href = `tel:${c.phone.replace(/[^+\d]/g, "")}`;
  a.textContent = ringWords();
  return a;
}

/** Words that say to ring (the service's own among them), with the Circle's number in them. */
export function withNumber(text) {
  return String(text).replace(/(r)ing your coordinator/gi, (_, r) => {
    const words = ringWords();
    return r === "R" ? words[0].toUpperCase() + words.slice(1) : words;
  });
}

/**
 * Links that open an address in a map: the Circle's map on the web (an https link every phone
 * opens, iPhones included), and on Android also the phone's own maps app (`geo:`, which only
 * Android opens).
 * @param {string} address
 * @returns {{href: string, words: string}[]}
 */
export function mapLinks(address) {
  const template = (known() && known().maps_url) || "https://www.openstreetmap.org/search?query={address}";
  const links = [{ href: template.replace("{address}", encodeURIComponent(address)), words: "Open the address in a map" }];
  if (/Android/.test(navigator.userAgent)) {
    links.push({ href: `geo:0,0?q=${encodeURIComponent(address)}`, words: "Open it in the phone's maps app" });
  }
  return links;
}

/** How soon help asked for today may start, in minutes (the Circle's rule; an hour until known). */
export function noticeMinutes() {
  const c = known();
  return c && typeof c.min_notice_minutes === "number" ? c.min_notice_minutes : 60;
}
