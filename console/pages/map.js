// The map: requests waiting for a helper and approved helpers' homes, each dot opening its
// request or helper. Dots that would overlap (people placed by one postcode, neighbours in one
// street) are drawn as one numbered dot that lists them below the map. With map tiles set
// (`console.map_tiles_url`), drawn on them with Leaflet (vendored, loaded only then); without,
// drawn from the places alone, asking no other host for anything. A table of the same follows,
// 50 rows at a time, for reading aloud.

import { api, need } from "../client.js";
import { CATEGORIES, h, s, show } from "../ui.js";

const ROWS = 50;

/**
 * Points grouped by `key`: each group one dot on the map.
 * @param {any[]} points
 * @param {(p: any) => string} key
 */
function groups(points, key) {
  const by = new Map();
  for (const p of points) {
    const k = key(p);
    if (!by.has(k)) by.set(k, []);
    by.get(k).push(p);
  }
  return [...by.values()];
}

/** The list of a group's requests and helpers, shown below the map when its dot is chosen. */
function listPlace(slot, group) {
  show(
    slot,
    h("h2", { tabindex: "-1" }, `At this place: ${group.length} on the map`),
    h("ul", { class: "items compact", "aria-label": "At this place" }, group.map((p) => h("li", {}, h("a", { href: p.href }, p.label), h("span", { class: "meta" }, ` · ${p.reach}`)))),
  );
  slot.querySelector("h2").focus();
}

/** The table of every dot, a page of rows at a time. */
function table(points) {
  const body = h("tbody");
  const more = h("button", { type: "button", class: "secondary" }, `Show ${ROWS} more`);
  let shown = 0;
  const next = () => {
    body.append(...points.slice(shown, shown + ROWS).map((p) => h("tr", {}, h("td", {}, h("a", { href: p.href }, p.label)), h("td", {}, p.reach))));
    shown = Math.min(points.length, shown + ROWS);
    more.hidden = shown >= points.length;
  };
  more.addEventListener("click", next);
  next();
  return h(
    "div",
    {},
    h(
      "table",
      {},
      h("caption", {}, "Requests and helpers on the map"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "What"), h("th", { scope: "col" }, "Within reach"))),
      body,
    ),
    h("div", { class: "actions" }, more),
  );
}

export const title = "Map";

export async function render(main) {
  const [open, offered, helpers, tiles] = await Promise.all([
    need(api.GET("/api/v1/requests", { params: { query: { status: "open", limit: 200 } } })),
    need(api.GET("/api/v1/requests", { params: { query: { status: "offered", limit: 200 } } })),
    need(api.GET("/api/v1/helpers", { params: { query: { vetting: "approved", limit: 200 } } })),
    need(api.GET("/api/v1/map/tiles")),
  ]);
  const requests = [...open.items, ...offered.items];
  const reaches = (p, r) => km(p.home, r.location) <= p.max_distance_km;
  const points = [
    ...requests.map((r) => {
      const near = helpers.items.filter((p) => reaches(p, r)).length;
      const where = r.area_name ? ` in ${r.area_name}` : "";
      return {
        kind: "request",
        href: `#/request/${encodeURIComponent(r.id)}`,
        lat: r.location.lat,
        lon: r.location.lon,
        label: `${CATEGORIES[r.category] || r.category}${r.member_name ? ` for ${r.member_name}` : ""}${where}: ${r.description}`,
        reach: near === 0 ? "No approved helper can reach it" : near === 1 ? "1 approved helper can reach it" : `${near} approved helpers can reach it`,
      };
    }),
    ...helpers.items.map((p) => {
      const n = requests.filter((r) => reaches(p, r)).length;
      return {
        kind: "helper",
        href: `#/helpers/${encodeURIComponent(p.id)}`,
        lat: p.home.lat,
        lon: p.home.lon,
        label: `Helper: ${p.name}`,
        reach: n === 0 ? "No waiting request within their reach" : n === 1 ? "1 waiting request within their reach" : `${n} waiting requests within their reach`,
      };
    }),
  ];
  const place = h("div", { "aria-live": "polite" });
  main.append(
    h("p", {}, `${count(requests.length, "request", "requests")} waiting for a helper and ${count(helpers.items.length, "approved helper", "approved helpers")}.`),
    h(
      "p",
      { class: "legend" },
      h("span", {}, h("span", { class: "swatch request" }), "A request waiting for a helper"),
      h("span", {}, h("span", { class: "swatch helper" }), "Where a helper lives"),
    ),
    !points.length ? h("p", {}, "Nothing to show yet.") : tiles.url ? await onTiles(points, tiles, place) : drawing(points, place),
    place,
    h("h2", {}, "The same, as a list"),
    table(points),
  );
}

/** "1 request", "7 requests" */
function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// Kilometres between two places, along the Earth's surface.
function km(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const x = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(x));
}

function drawing(points, place) {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const pad = 0.005;
  const [minLat, maxLat] = [Math.min(...lats) - pad, Math.max(...lats) + pad];
  const [minLon, maxLon] = [Math.min(...lons) - pad, Math.max(...lons) + pad];
  // Degrees of longitude are shorter than degrees of latitude away from the equator.
  const squash = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const width = 720;
  const height = Math.max(240, Math.min(720, (width * (maxLat - minLat)) / ((maxLon - minLon) * squash)));
  const x = (lon) => ((lon - minLon) / (maxLon - minLon)) * width;
  const y = (lat) => height - ((lat - minLat) / (maxLat - minLat)) * height;
  // Dots closer than about a dot's width are one place.
  const near = groups(points, (p) => `${Math.round(x(p.lon) / 14)},${Math.round(y(p.lat) / 14)}`);
  const dot = (group) => {
    const p = group[0];
    const [cx, cy] = [x(p.lon), y(p.lat)];
    if (group.length === 1) {
      return s(
        "a",
        { href: p.href, "aria-label": p.label },
        p.kind === "request"
          ? s("rect", { x: cx - 7, y: cy - 7, width: 14, height: 14, fill: "#a4161a" }, s("title", {}, p.label))
          : s("circle", { cx, cy, r: 6, fill: "#0b4f8a" }, s("title", {}, p.label)),
      );
    }
    const words = `${group.length} at this place: show them`;
    const many = s(
      "g",
      { class: "place", role: "button", tabindex: "0", "aria-label": words },
      s("circle", { cx, cy, r: 13, fill: "#1b1b1b", stroke: "#ffffff", "stroke-width": 2 }, s("title", {}, words)),
      s("text", { x: cx, y: cy + 5, "text-anchor": "middle", "font-size": 14, "font-weight": "bold", fill: "#ffffff" }, String(group.length)),
    );
    many.addEventListener("click", () => listPlace(place, group));
    many.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        listPlace(place, group);
      }
    });
    return many;
  };
  return s(
    "svg",
    { class: "map", viewBox: `0 0 ${width} ${height}`, role: "group", "aria-label": "Map of requests waiting for a helper and of where helpers live" },
    s("rect", { x: 0, y: 0, width, height, fill: "#f3f2f1" }),
    near.map(dot),
  );
}

/** Leaflet, loaded once, when the map is drawn on tiles. */
function leaflet() {
  const page = /** @type {any} */ (window);
  if (page.L) return Promise.resolve(page.L);
  return new Promise((resolve, reject) => {
    document.head.append(h("link", { rel: "stylesheet", href: "/console/vendor/leaflet.css" }));
    const script = h("script", { src: "/console/vendor/leaflet.js" });
    script.addEventListener("load", () => resolve(page.L));
    script.addEventListener("error", () => reject(new Error("The map could not be loaded. Please reload the page.")));
    document.head.append(script);
  });
}

/** The dots on map tiles: each a link to its request or helper, named for screen readers; those
 * at one place (within about ten metres) one numbered dot that lists them. */
async function onTiles(points, tiles, place) {
  const L = await leaflet();
  const box = h("div", { class: "tiles", role: "region", "aria-label": "Map of requests waiting for a helper and of where helpers live" });
  // Leaflet measures its box: draw it once the page has put the box in place.
  setTimeout(() => {
    const map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(tiles.url, { maxZoom: 19, attribution: tiles.attribution || "" }).addTo(map);
    const dots = groups(points, (p) => `${p.lat.toFixed(4)},${p.lon.toFixed(4)}`).map((group) => {
      const p = group[0];
      if (group.length > 1) {
        const words = `${group.length} at this place: show them`;
        return L.marker([p.lat, p.lon], {
          icon: L.divIcon({ className: "place-icon", html: String(group.length), iconSize: [30, 30] }),
          title: words,
          alt: words,
        })
          .on("click", () => listPlace(place, group))
          .addTo(map);
      }
      return L.circleMarker([p.lat, p.lon], {
        radius: p.kind === "request" ? 9 : 7,
        color: "#ffffff",
        weight: 2,
        fillColor: p.kind === "request" ? "#a4161a" : "#0b4f8a",
        fillOpacity: 1,
      })
        .bindTooltip(p.label)
        .on("click", () => {
          location.hash = p.href;
        })
        .addTo(map);
    });
    map.fitBounds(L.featureGroup(dots).getBounds().pad(0.1), { maxZoom: 16 });
  }, 0);
  return box;
}
