// Members: every member a page at a time, found by name, phone or postcode and by where their
// membership stands (current, ending within four weeks, ended, never had one), closed accounts
// on request; each opens their account; the list as it stands downloads as a CSV file in words.

import { api, download, need } from "../client.js";
import { busy, date, dotted, field, h, message, show, tel } from "../ui.js";

export const title = "Members";

const PAGE = 25;

const STATES = [
  ["", "Any"],
  ["current", "Member now"],
  ["ending", "Ending within four weeks"],
  ["ended", "Ended"],
  ["none", "Never a member"],
];

/** "Member until 3 March 2027", "Ended 1 May 2026", "Never a member". */
function membershipWords(m) {
  if (!m.membership_ends_on) return "Never a member";
  const ends = new Date(`${m.membership_ends_on}T23:59:59`);
  return ends.getTime() >= Date.now() ? `Member until ${date(m.membership_ends_on)}` : `Membership ended ${date(m.membership_ends_on)}`;
}

function row(m) {
  return h(
    "li",
    {},
    h("a", { href: `#/account/${encodeURIComponent(m.id)}` }, m.name),
    h("span", { class: "meta" }, " · ", ...dotted(tel(m.phone), m.address, membershipWords(m), m.active ? null : "Account closed")),
  );
}

export async function render(main) {
  const q = h("input", { name: "q", autocomplete: "off" });
  const state = h("select", { name: "membership" }, STATES.map(([value, words]) => h("option", { value }, words)));
  const closed = h("input", { type: "checkbox", id: "include-closed" });
  const showButton = h("button", { type: "submit" }, "Show the members");
  const csv = h("button", { type: "button", class: "secondary" }, "Download this list (CSV)");
  const list = h("ul", { class: "items compact", "aria-label": "Members" });
  const count = h("p", { class: "meta", "aria-live": "polite" });
  const slot = h("div");
  const more = h("button", { type: "button", class: "secondary" }, `Show ${PAGE} more`);
  more.hidden = true;
  const query = () => ({
    q: q.value.trim() || undefined,
    membership: /** @type {any} */ (state.value || undefined),
    include_closed: closed.checked || undefined,
  });
  let cursor = null;
  let shown = 0;
  const load = async (first) => {
    const page = await need(api.GET("/api/v1/members", { params: { query: { ...query(), limit: PAGE, cursor: first ? undefined : cursor } } }));
    if (first) {
      list.replaceChildren();
      shown = 0;
    }
    list.append(...page.items.map(row));
    shown += page.items.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    count.textContent = shown === 0 ? "Nobody matches." : `${shown === 1 ? "One member" : `${shown} members`} shown${cursor ? "; there are more." : "."}`;
  };
  more.addEventListener("click", () => busy(more, slot, () => load(false)));
  csv.addEventListener("click", () =>
    busy(csv, slot, async () => {
      await download(api.GET("/api/v1/members", { params: { query: query() }, headers: { Accept: "text/csv" }, parseAs: "blob" }), "neighbourly-members.csv");
      show(slot, message("done", "The list is downloaded, as neighbourly-members.csv."));
    }),
  );
  const form = h(
    "form",
    {
      onsubmit: (e) => {
        e.preventDefault();
        busy(showButton, slot, async () => {
          show(slot);
          await load(true);
        });
      },
    },
    field("Name, phone number or postcode", q, "Left empty, every member."),
    field("Membership", state),
    h("div", { class: "field" }, h("label", { for: closed.id, class: "inline" }, closed, " Include closed accounts")),
    h("div", { class: "actions" }, showButton, csv),
  );
  main.append(form, count, list, more, slot);
  await load(true);
}
