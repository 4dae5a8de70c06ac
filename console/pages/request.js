// One request: what was asked, for whom, where it stands, why nobody fits, the helpers who
// could go, and its story (offers, answers, the address shown, the outcome).

import { get, post } from "../api.js";
import { busy, CATEGORIES, EVENTS, h, message, show, STATUSES, time, whyNobody } from "../ui.js";

export const title = "A request";

export async function render(main, [id]) {
  if (!id) {
    main.append(message("error", "No request was chosen."));
    return;
  }
  const path = `/api/v1/requests/${encodeURIComponent(id)}`;
  const [r, story] = await Promise.all([get(path), get(`${path}/timeline`)]);
  const member = r.member ? r.member.name : "the member";
  main.querySelector("h1").textContent = `${CATEGORIES[r.category] || r.category} for ${member}`;
  document.title = `${main.querySelector("h1").textContent} · Neighbourly console`;
  main.append(
    h("p", { class: "card" }, r.description),
    h(
      "dl",
      {},
      h("dt", {}, "Where it stands"),
      h("dd", {}, STATUSES[r.status] || r.status),
      h("dt", {}, "When"),
      h("dd", {}, `Between ${time(r.window.start)} and ${time(r.window.end)}, for ${r.duration_minutes} minutes`),
      r.member ? h("dt", {}, "Member") : null,
      r.member ? h("dd", {}, [r.member.name, r.member.phone, r.member.address].filter(Boolean).join(" · ")) : null,
      r.helper ? h("dt", {}, "Helper") : null,
      r.helper ? h("dd", {}, [r.helper.name, r.helper.phone].filter(Boolean).join(" · ")) : null,
    ),
  );
  if (r.status === "open" || r.status === "offered") {
    const c = await get(`${path}/candidates?limit=5`);
    const slot = h("div");
    main.append(
      h("h2", {}, "Helpers who could go"),
      c.items.length
        ? h(
            "ul",
            { class: "items", "aria-label": "Helpers who could go" },
            c.items.map((x) => {
              const send = h("button", { type: "button" }, `Send ${x.name}`);
              send.addEventListener("click", () =>
                busy(send, slot, async () => {
                  await post(`${path}/assign`, { helper_id: x.helper_id });
                  show(slot, message("done", `${x.name} is going.`));
                }),
              );
              return h("li", {}, h("h3", {}, x.name), h("p", { class: "meta" }, `${x.distance_km.toFixed(1)} km away`), send);
            }),
          )
        : h("p", {}, "Nobody fits yet."),
      h("h3", {}, "Why the others do not fit"),
      whyNobody(c.excluded),
      slot,
    );
  }
  main.append(
    h("h2", {}, "What happened"),
    h(
      "ol",
      { class: "items" },
      story.items.map((e) =>
        h(
          "li",
          {},
          h("strong", {}, `${EVENTS[e.event] || e.event}${e.who_name ? `: ${e.who_name}` : ""}`),
          h("p", { class: "meta" }, [time(e.at), e.detail].filter(Boolean).join(" · ")),
        ),
      ),
    ),
  );
}
