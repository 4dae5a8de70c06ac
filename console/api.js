// Talking to the public API: the session (kept in this tab's sessionStorage only, never
// localStorage), the bearer token on each call, one refresh when the access token has run out,
// and problem+json answers turned into readable errors.

const KEY = "neighbourly.session";

export function session() {
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
      user: tokens.user,
    }),
  );
}

export function forget() {
  sessionStorage.removeItem(KEY);
}

// A field the service names, as the console's forms call it: "Postcode", never `postcode`.
const FIELD_WORDS = {
  postcode: "Postcode",
  location: "Position",
  home: "Home",
  name: "Name",
  phone: "Phone number",
  email: "Email",
  address: "Address",
  description: "What they need",
  title: "Title",
  place: "Where",
  capacity: "Places",
  referred_to: "Passed to",
  reference: "Their reference",
  closure_reason: "Why it is closed",
  reason: "Why",
  note: "Note",
  minutes_spent: "Minutes it took",
  minutes: "Minutes",
  tokens: "Tokens",
  amount_pence: "Paid",
  fee_pence: "Fee",
  starts_on: "Starts",
  ends_on: "Ends",
  expires_on: "Checks valid until",
  window: "When",
  duration_minutes: "How long",
  category: "Kind of help",
  skills: "Can help with",
  max_distance_km: "Travels up to",
  starts_at: "Starts",
  ends_at: "Ends",
};

function fieldWords(field) {
  const top = String(field).split(/[.[]/)[0];
  if (FIELD_WORDS[top]) return FIELD_WORDS[top];
  const words = top.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export class ApiError extends Error {
  constructor(status, problem) {
    const fields = (problem && problem.errors) || [];
    const detail = (problem && (problem.detail || problem.title)) || `The service answered ${status}.`;
    // With fields named, their messages say it all; the summary above them is for programs.
    // "Passed to: is required when referring." Each also goes next to its field (ui.js).
    const said = fields.map((f) => ({ ...f, sentence: `${fieldWords(f.field)}: ${String(f.message).replace(/\.$/, "")}.` }));
    const more = said.map((f) => f.sentence).join(" ");
    super(more || detail);
    this.status = status;
    this.fields = said;
  }
}

async function send(method, path, body, headers) {
  const current = session();
  const h = { Accept: "application/json" };
  // A header given as a function (a form's Idempotency-Key, see onceKey) is made from the body.
  for (const [name, value] of Object.entries(headers)) {
    h[name] = typeof value === "function" ? value(JSON.stringify(body)) : value;
  }
  if (current) h.Authorization = `Bearer ${current.access}`;
  if (body !== undefined) h["Content-Type"] = "application/json";
  return fetch(path, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function refresh() {
  const current = session();
  if (!current) return false;
  const r = await fetch("/api/v1/auth/refresh", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ refresh_token: current.refresh }),
  });
  if (!r.ok) {
    forget();
    return false;
  }
  keep(await r.json());
  return true;
}

/// Call the API; answers the parsed JSON (or text for non-JSON answers), throws ApiError.
export async function api(method, path, body, headers = {}) {
  let r = await send(method, path, body, headers);
  if (r.status === 401 && session() && (await refresh())) {
    r = await send(method, path, body, headers);
  }
  if (r.status === 401) {
    forget();
    window.dispatchEvent(new Event("signed-out"));
  }
  const type = r.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await r.json() : await r.text();
  if (!r.ok) throw new ApiError(r.status, typeof data === "object" ? data : null);
  return data;
}

export const get = (path) => api("GET", path);
export const post = (path, body = {}, headers = {}) => api("POST", path, body, headers);
export const patch = (path, body) => api("PATCH", path, body);
export const put = (path, body) => api("PUT", path, body);
export const del = (path) => api("DELETE", path);

/// The Idempotency-Key of a form's creating POST, safe to retry: the same body again gets the
/// same key (a retry never creates twice), a corrected body a new one (a key belongs to one
/// body). Give it as the header's value; `send` calls it with the body.
export function onceKey() {
  const keys = new Map();
  return (body) => {
    if (!keys.has(body)) keys.set(body, crypto.randomUUID());
    return keys.get(body);
  };
}

export async function signIn(email, password) {
  const r = await fetch("/api/v1/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const data = await r.json();
  if (!r.ok) throw new ApiError(r.status, data);
  keep(data);
  if (data.user.role !== "coordinator") {
    // Members and helpers have the app; the session carries over (same tab, same origin).
    location.assign("/app/");
    return new Promise(() => {});
  }
  return data.user;
}

export async function signOut() {
  const current = session();
  forget();
  if (current) {
    await fetch("/api/v1/auth/logout", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: current.refresh }),
    });
  }
}

/// Download the answer of a GET as a file (the weekly report as CSV).
export async function download(path, accept, filename) {
  const current = session();
  const r = await fetch(path, {
    headers: { Accept: accept, Authorization: `Bearer ${current ? current.access : ""}` },
  });
  if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null));
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
