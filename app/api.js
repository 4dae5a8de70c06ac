// The API for the app, through a client made from the served OpenAPI document: openapi-fetch
// with the document's paths, checked against the types generated from it (tests/client, see
// docs/app.md). No URL is built by hand.

import createClient from "./vendor/openapi-fetch.js";

/** @type {import("openapi-fetch").Client<import("../tests/client/src/api").paths>} */
export const api = /** @type {any} */ (createClient({ baseUrl: "" }));
