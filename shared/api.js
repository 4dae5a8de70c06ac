// The API for the app and the console, through a client made from the served
// OpenAPI document: openapi-fetch with the document's paths, checked against the types generated
// from it (tests/client, see docs/app.md). No URL is built by hand. Also the Idempotency-Key a
// form's creating POST carries.

import createClient from "./vendor/openapi-fetch.js";

/** @type {import("openapi-fetch").Client<import("../tests/client/src/api").paths>} */
export const api = /** @type {any} */ (createClient({ baseUrl: "" }));

/**
 * The Idempotency-Key of a form's creating POST: the same body again (a retry, also after the
 * network failed) gets the same key, so it never creates twice; a corrected body gets a new one,
 * as a key belongs to one body.
 * @returns {(body: unknown) => string}
 */
export function onceKey() {
  const keys = new Map();
  return (body) => {
    const text = JSON.stringify(body);
    if (!keys.has(text)) keys.set(text, crypto.randomUUID());
    return keys.get(text);
  };
}
