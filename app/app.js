// The app's start: it registers the service worker (the app then opens with no network, and the
// phone can be told of offers and visits) and draws the first page.

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).catch(() => {
    // Without a service worker the app still works online.
  });
}
