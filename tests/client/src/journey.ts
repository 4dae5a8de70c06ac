// The mobile journey through a client generated from the served OpenAPI document: sign up, log
// in, ask for help, list my requests; a helper sets their week, finds the offer in their inbox,
// accepts it, arrives and completes the job; the member gives feedback; a coordinator puts on a coffee
// morning and the member signs up for it. Run against a live server:
//   node dist/journey.js http://127.0.0.1:8080
import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import type { paths } from "./api.js";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const password = "a long enough password";

function check(ok: unknown, what: string): asserts ok {
  if (!ok) {
    throw new Error(`journey failed: ${what}`);
  }
}

async function signedIn(email: string) {
  const anonymous = createClient<paths>({ baseUrl: base });
  const { data, error } = await anonymous.POST("/api/v1/auth/login", {
    body: { email, password },
  });
  check(data, `log in as ${email}: ${JSON.stringify(error)}`);
  const client = createClient<paths>({
    baseUrl: base,
    headers: { Authorization: `Bearer ${data.access_token}` },
  });
  return { client, id: data.user.id };
}

async function main() {
  const doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
  };
  const served = Object.values(doc.paths)
    .flatMap((item) => Object.values(item).map((op) => op.operationId))
    .sort();
  // Every operation of the document is in the client generated from it (src/api.d.ts), once.
  const declared = readFileSync(new URL("../src/api.d.ts", import.meta.url), "utf8");
  const ours = [...new Set([...declared.matchAll(/operations\["(\w+)"\]/g)].map((m) => m[1]))].sort();
  check(
    JSON.stringify(served) === JSON.stringify(ours),
    `the client has every operation: served ${served.join(",")} / generated ${ours.join(",")}`,
  );

  // A member signs up and logs in.
  const anonymous = createClient<paths>({ baseUrl: base });
  const email = `journey-${Date.now()}@example.org`;
  const signup = await anonymous.POST("/api/v1/members", {
    body: {
      email,
      password,
      name: "Jo Journey",
      phone: "020 7946 0042",
      address: "7 Bellenden Road, London SE15",
      location: { lat: 51.4705, lon: -0.0705 },
    },
  });
  check(signup.response.status === 201 && signup.data, `sign up: ${JSON.stringify(signup.error)}`);
  const member = await signedIn(email);
  const me = await member.client.GET("/api/v1/me");
  check(me.data?.role === "member", "me is a member");
  const moved = await member.client.PATCH("/api/v1/members/{id}", {
    params: { path: { id: member.id } },
    body: { phone: "020 7946 0043" },
  });
  check(moved.data?.phone === "020 7946 0043", `change my phone: ${JSON.stringify(moved.error)}`);

  // The helper makes themselves free all week.
  const helper = await signedIn("hal@example.org");
  const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const week = await helper.client.PUT("/api/v1/helpers/{id}/availability", {
    params: { path: { id: helper.id } },
    body: {
      timezone: "Europe/London",
      weekly: days.map((day) => ({ day, start: "00:00", end: "24:00" })),
    },
  });
  check(week.response.status === 200, `availability: ${JSON.stringify(week.error)}`);

  // The member asks for help from half an hour from now.
  const start = new Date(Date.now() + 30 * 60 * 1000);
  const end = new Date(start.getTime() + 4 * 3600 * 1000);
  const asked = await member.client.POST("/api/v1/requests", {
    params: { header: { "Idempotency-Key": `journey-${Date.now()}` } },
    body: {
      category: "gardening",
      description: "Trim the front hedge",
      window: { start: start.toISOString(), end: end.toISOString() },
      duration_minutes: 90,
    },
  });
  check(asked.data, `ask for help: ${JSON.stringify(asked.error)}`);
  const requestId = asked.data.id;
  check(asked.data.status === "offered", `the request is offered (${asked.data.status})`);

  const mine = await member.client.GET("/api/v1/requests", { params: { query: { limit: 10 } } });
  check(mine.data?.items.some((r) => r.id === requestId), "my requests list it");

  // The helper finds the offer and accepts it.
  const inbox = await helper.client.GET("/api/v1/offers", { params: { query: { status: "open" } } });
  const offer = inbox.data?.items.find((o) => o.request_id === requestId);
  check(offer, "the offer is in the helper's inbox");
  const accepted = await helper.client.POST("/api/v1/offers/{id}/accept", {
    params: { path: { id: offer.id } },
  });
  check(accepted.data?.request.status === "assigned", `accept: ${JSON.stringify(accepted.error)}`);
  check(accepted.data.request.member?.address, "the winner sees the address");

  // Not done before it happens: the request's actions say when; arriving opens an hour before.
  const early = accepted.data.request.actions.find((a) => a.name === "complete");
  check(early && !early.allowed && early.reason, `complete is not open yet: ${JSON.stringify(early)}`);
  check(accepted.data.request.planned_start, "the request says when the helper plans to arrive");
  const arrived = await helper.client.POST("/api/v1/requests/{id}/check-in", {
    params: { path: { id: requestId } },
    body: {},
  });
  check(arrived.data?.checked_in_at, `check in: ${JSON.stringify(arrived.error)}`);
  const done = await helper.client.POST("/api/v1/requests/{id}/complete", {
    params: { path: { id: requestId } },
    body: { minutes_spent: 80 },
  });
  check(done.data?.status === "completed", `complete: ${JSON.stringify(done.error)}`);

  const thanks = await member.client.POST("/api/v1/requests/{id}/feedback", {
    params: { path: { id: requestId } },
    body: { rating: 5, comment: "Lovely job" },
  });
  check(thanks.response.status === 201 && thanks.data?.rating === 5, "feedback");
  // A coordinator puts on a coffee morning; the member finds it and signs up.
  const coordinator = await signedIn("cora@example.org");
  const morning = new Date(Date.now() + 3 * 24 * 3600 * 1000);
  morning.setUTCHours(10, 30, 0, 0);
  const event = await coordinator.client.POST("/api/v1/events", {
    params: { header: { "Idempotency-Key": `journey-event-${Date.now()}` } },
    body: {
      title: "Coffee morning",
      description: "Tea, cake and a chat",
      place: "St Giles church hall, Camberwell",
      location: { lat: 51.4735, lon: -0.089 },
      starts_at: morning.toISOString(),
      ends_at: new Date(morning.getTime() + 2 * 3600 * 1000).toISOString(),
      capacity: 20,
    },
  });
  check(event.response.status === 201 && event.data, `put on an event: ${JSON.stringify(event.error)}`);
  const coming = await member.client.GET("/api/v1/events", { params: { query: { limit: 10 } } });
  check(coming.data?.items.some((e) => e.id === event.data.id), "the member sees the event");
  const going = await member.client.POST("/api/v1/events/{id}/signups", {
    params: { path: { id: event.data.id } },
    body: {},
  });
  check(going.data?.status === "going", `sign up: ${JSON.stringify(going.error)}`);
  const seen = await member.client.GET("/api/v1/events/{id}", {
    params: { path: { id: event.data.id } },
  });
  check(seen.data?.my_signup?.status === "going" && seen.data.going === 1, "the member is going");

  // The member reads everything the service holds about them.
  const myData = await member.client.GET("/api/v1/users/{id}/export", {
    params: { path: { id: member.id } },
  });
  check(myData.data?.user_id === member.id, `export my data: ${JSON.stringify(myData.error)}`);
  // A postcode no list holds is not found, whatever its spacing.
  const nowhere = await anonymous.GET("/api/v1/places/{postcode}", {
    params: { path: { postcode: "zz99 9zz" } },
  });
  check(nowhere.response.status === 404, "an unknown postcode is not found");

  console.log(`journey passed: request ${requestId}, ${ours.length} operations generated`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
