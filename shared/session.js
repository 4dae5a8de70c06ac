// Who is signed in on this tab: the tokens live in sessionStorage only (never localStorage), so
// closing the tab signs out and the next person on the phone starts afresh. Every call of the API
// carries the access token, renewed first when it is about to run out; a 401 signs out.

import { api } from "./api.js";

const KEY = "neighbourly.session";

export function current() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY));
  } catch {
    return null;
  }
}

function keep(tokens) {
  sessionStorage.setItem(
    KEY,
    JSON.stringify({
      access: tokens.access_token,
      refresh: tokens.refresh_token,
      until: Date.now() + tokens.expires_in * 1000,
      user: tokens.user,
    }),
  );
}

export function forget() {
  sessionStorage.removeItem(KEY);
  for (const k of Object.keys(sessionStorage)) {
    if (k.startsWith("neighbourly.kept.")) sessionStorage.removeItem(k);
  }
}

async function renew(session) {
  const r = await fetch("/api/v1/auth/refresh", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ refresh_token: session.refresh }),
  });
  if (!r.ok) {
    forget();
    return null;
  }
  const tokens = await r.json();
  keep({ ...tokens, user: tokens.user || session.user });
  return current();
}

api.use({
  async onRequest({ request }) {
    if (request.url.includes("/api/v1/auth/")) return request;
    let session = current();
    if (session && session.until - Date.now() < 60_000) session = await renew(session);
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

/** Sign in; the signed-in person, or an error sentence. */
export async function signIn(email, password) {
  const { data, error, response } = await api.POST("/api/v1/auth/login", { body: { email, password } });
  if (data) {
    keep(data);
    return { user: data.user };
  }
  if (response.status === 401) return { error: "That email and password do not match. Please check them and try again." };
  if (response.status === 429) return { error: "Too many tries. Please wait a few minutes and try again." };
  return { error: (error && error.detail) || "Signing in did not work. Please try again in a minute." };
}

export async function signOut() {
  const session = current();
  forget();
  if (session) await api.POST("/api/v1/auth/logout", { body: { refresh_token: session.refresh } }).catch(() => {});
}
