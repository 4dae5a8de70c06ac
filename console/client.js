// The console's way to the public API: the app's client made from the served OpenAPI document
// (`api.js` and `session.js`, served here as they are to the app: every call names a path of the
// document, type-checked against it, and carries the session, renewed before it runs out), with
// what the console's pages add: answers as data or a readable error, Idempotency-Keys that
// follow a form's body, and downloads.

import { api, onceKey } from "../shared/api.js";
import { current, forget, resume, signIn as startSession, signOut } from "../shared/session.js";

export { api, current, forget, onceKey, resume, signOut };

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
  /**
   * @param {number} status
   * @param {any} problem
   */
  constructor(status, problem) {
    const fields = (problem && problem.errors) || [];
    const detail = (problem && (problem.detail || problem.title)) || `The service answered ${status}.`;
    // "Passed to: is required when referring." Each also goes next to its field (ui.js).
    const said = fields.map((f) => ({ ...f, sentence: `${fieldWords(f.field)}: ${String(f.message).replace(/\.$/, "")}.` }));
    const more = said.map((f) => f.sentence).join(" ");
    super(more || detail);
    this.status = status;
    this.fields = said;
  }
}

/**
 * The answer's data, or an ApiError whose message says what to do.
 * @template T
 * @param {Promise<{data?: T, error?: any, response: Response}>} call
 * @returns {Promise<T>}
 */
export async function need(call) {
  let answer;
  try {
    answer = await call;
  } catch {
    throw new ApiError(0, { detail: "No connection to the service. Please check the network and try again." });
  }
  if (!answer.response.ok) throw new ApiError(answer.response.status, answer.error);
  return answer.data;
}

/** Sign in; coordinators stay, members and helpers go on to their app (the session carries over). */
export async function signIn(email, password) {
  const { user, error } = await startSession(email, password);
  if (error) throw new ApiError(401, { detail: error });
  if (user.role !== "coordinator") {
    location.assign("/app/");
    return new Promise(() => {});
  }
  return user;
}

/**
 * Save an answer as a file (the weekly report and a statement as CSV).
 * @param {Promise<{data?: any, error?: any, response: Response}>} call made with `parseAs: "blob"`
 * @param {string} filename
 */
export async function download(call, filename) {
  const blob = await need(call);
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
