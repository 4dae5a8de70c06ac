// The app's service worker (scope /app/): it keeps the app's own files so that the app opens at
// once, also with no network, and shows each push message, opening its page when tapped. It
// never keeps an answer of the API: nothing of one person stays for another who signs in on
// the same phone.

const SHELL = "neighbourly-shell-v8";
const FILES = [
  "/app/",
  "/app/app.css",
  "/app/app.js",
  "/shared/words.js",
  "/shared/api.js",
  "/shared/session.js",
  "/shared/circle.js",
  "/app/ui.js",
  "/app/week.js",
  "/app/pages/signin.js",
  "/app/pages/home.js",
  "/app/pages/visit.js",
  "/app/pages/ask.js",
  "/app/pages/join.js",
  "/app/pages/when.js",
  "/app/pages/events.js",
  "/app/pages/regular.js",
  "/app/pages/account.js",
  "/app/pages/concern.js",
  "/app/pages/details.js",
  "/app/pages/password.js",
  "/app/pages/family.js",
  "/app/pages/invitation.js",
  "/app/push.js",
  "/app/reading.js",
  "/shared/vendor/openapi-fetch.js",
  "/app/a.js",
  "/app/manifest.webmanifest",
  "/app/icons/icon-192.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The app's own files come from the copy kept, at once (an old phone on a poor signal waits for
// nothing), and are fetched again behind it, so that the next opening has any new version. A
// file not kept yet comes from the network. Pages the app has not kept (a one-tap link offline)
// fall back to its first page; the API is never kept.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const ours = url.pathname.startsWith("/app/") || FILES.includes(url.pathname);
  if (event.request.method !== "GET" || url.origin !== location.origin || !ours) {
    return;
  }
  const fresh = fetch(event.request).then((answer) => {
    if (answer.ok && FILES.includes(url.pathname)) {
      const copy = answer.clone();
      event.waitUntil(caches.open(SHELL).then((cache) => cache.put(event.request, copy)));
    }
    return answer;
  });
  event.respondWith(
    caches.match(event.request, { ignoreSearch: true }).then(
      (kept) =>
        (FILES.includes(url.pathname) && kept) ||
        fresh.catch(() =>
          (kept ? Promise.resolve(kept) : event.request.mode === "navigate" ? caches.match("/app/") : Promise.resolve(undefined))
            .then((page) => page || new Response("Offline", { status: 503, headers: { "content-type": "text/plain" } })),
        ),
    ),
  );
  // Fetched either way, to keep the copy fresh; an offline failure here is expected.
  event.waitUntil(fresh.catch(() => undefined));
});

// A push: `{title, body, url}` from the server; shown as a notification that opens `url`.
self.addEventListener("push", (event) => {
  let note = { title: "Neighbourly", body: "There is news for you.", url: "/app/" };
  try {
    note = { ...note, ...event.data.json() };
  } catch {
    // A push without a readable payload still says there is news.
  }
  event.waitUntil(
    self.registration.showNotification(note.title, {
      body: note.body,
      icon: "/app/icons/icon-192.png",
      badge: "/app/icons/icon-192.png",
      data: { url: note.url },
      lang: "en-GB",
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/app/", location.origin);
  if (target.origin !== location.origin || !target.pathname.startsWith("/app/")) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((open) => {
      const here = open.find((c) => c.url.startsWith(`${location.origin}/app/`));
      if (here) return here.navigate(target.href).then((c) => (c || here).focus());
      return self.clients.openWindow(target.href);
    }),
  );
});
