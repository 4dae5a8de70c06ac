// Who is signed in. A sign-in for this visit keeps its tokens in sessionStorage (never
// localStorage), so that closing the tab signs out and the next person on the phone starts afresh.
// A kept sign-in ("Keep me signed in on this phone") holds its tokens in memory only: its refresh
// token lives in a cookie scripts cannot read, and the app resumes from it when it opens (the tab
// keeps only who is signed in, so that with no network the last screens can still be read); all
// localStorage holds is the word that there is a sign-in to resume. Every call of the API carries
// the access token, renewed first when it is missing or about to run out (one renewal at a time,
// however many calls are waiting); a 401 signs out.

import { api } from "./api.js";

const KEY = "neighbourly.session";
const KEPT = "neighbourly.staySignedIn";

/** A kept sign-in's tokens, for as long as the page is open. */
let held = null;

export function current() {
  if (held) return held;
  try {
    return JSON.parse(sessionStorage.getItem(KEY));
  } catch {
    return null;
  }
}

function keep(tokens) {
  const session = {
    access: tokens.access_token,
    refresh: tokens.refresh_token || null,
    until: Date.now() + tokens.expires_in * 1000,
    user: tokens.user,
  };
  if (session.refresh) {
    sessionStorage.setItem(KEY, JSON.stringify(session));
  } else {
    held = session;
    sessionStorage.setItem(KEY, JSON.stringify({ user: session.user, kept: true }));
    localStorage.setItem(KEPT, "yes");
  }
}

export function forget() {
  held = null;
  localStorage.removeItem(KEPT);
  sessionStorage.removeItem(KEY);
  for (const k of Object.keys(sessionStorage)) {
    if (k.startsWith("neighbourly.kept.")) sessionStorage.removeItem(k);
  }
}

/** @type {Promise<any> | null} */
let renewing = null;

/** New tokens for `session` (or, with none, from the kept sign-in's cookie); null when it has ended. */
function renew(session) {
  if (!renewing) renewing = renewNow(session).finally(() => (renewing = null));
  return renewing;
}

async function renewNow(session) {
  const refresh = session && session.refresh;
  const r = await fetch("/api/v1/auth/refresh", {
    method: "POST",
    credentials: "same-origin",
    headers: refresh ? { "Content-Type": "application/json", Accept: "application/json" } : { Accept: "application/json" },
    body: refresh ? JSON.stringify({ refresh_token: refresh }) : undefined,
  });
  if (!r.ok) {
    forget();
    return null;
  }
  const tokens = await r.json();
  keep({ ...tokens, user: tokens.user || (session && session.user) });
  return current();
}

/**
 * On opening: the signed-in person's session, resumed from a kept sign-in when there is one. With
 * no network, who was signed in on this tab (the calls then fail as having no connection).
 */
export async function resume() {
  const session = current();
  if ((session && session.access) || (!session && localStorage.getItem(KEPT) !== "yes")) return session;
  return renew(session).catch(() => session);
}

api.use({
  async onRequest({ request }) {
    if (request.url.includes("/api/v1/auth/")) return request;
    let session = current();
    if (session && (!session.access || session.until - Date.now() < 60_000)) session = await renew(session);
    if (session) request.headers.set("Authorization", `Bearer ${session.access}`);
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401 && current()) {
      forget();
      window.dispatchEvent(new Event("signed-out"));
    }
    return response;
  },
});

/**
 * Sign in, kept on this phone when `remember`; the signed-in person, or an error sentence.
 * @param {string} email
 * @param {string} password
 * @param {boolean} [remember]
 */
export async function signIn(email, password, remember = false) {
  const answer = await api.POST("/api/v1/auth/login", { body: { email, password, remember } });
  return signedIn(answer, "That email and password do not match. Please check them and try again.");
}

/**
 * Keep the tokens of a sign-in that worked; else what to tell the person (`wrong` for a 401).
 * @param {{data?: any, error?: any, response: Response}} answer
 * @param {string} wrong
 * @returns {{user?: {id: string, role: string, name: string}, error?: string}}
 */
function signedIn({ data, error, response }, wrong) {
  if (data) {
    forget();
    keep(data);
    return { user: data.user };
  }
  if (response.status === 401) return { error: wrong };
  if (response.status === 429) return { error: "Too many tries. Please wait a few minutes and try again." };
  return { error: (error && error.detail) || "Signing in did not work. Please try again in a minute." };
}

/**
 * Ask for a code by text to sign in with. The answer is the same whether or not the number has
 * an account, so all that can be said is that a code is on its way if it has.
 * @param {string} phone
 * @returns {Promise<{error?: string}>}
 */
export async function askForCode(phone) {
  const { error, response } = await api.POST("/api/v1/auth/sms-code", { body: { phone } });
  if (response.status === 202) return {};
  if (response.status === 422) return { error: "That does not look like a phone number. Please write it as on your phone, for example 07700 900123." };
  if (response.status === 429) return { error: "Too many codes asked for. Please wait an hour and try again." };
  return { error: (error && error.detail) || "That did not work. Please try again in a minute." };
}

/**
 * Sign in with the code texted to this number.
 * @param {string} phone
 * @param {string} code
 * @param {boolean} remember
 */
export async function signInWithCode(phone, code, remember = false) {
  const answer = await api.POST("/api/v1/auth/sms-login", { body: { phone, code, remember } });
  if (answer.response.status === 422) return { error: "The code is the six numbers in the text. Please check them and try again." };
  return signedIn(answer, "That code is not right, or it has run out. Please check the six numbers, or ask for a new code.");
}

export async function signOut() {
  const session = current();
  forget();
  if (!session) return;
  const body = session.refresh ? { refresh_token: session.refresh } : {};
  await api.POST("/api/v1/auth/logout", { body }).catch(() => {});
}
