/* The service worker (issue 12): keeps a copy of the static files (CSS, scripts, icons) so the app
   opens quickly on a weak connection. It answers ONLY requests under /static/: pages, uploads,
   exports and the API always go to the server and are never stored, because they hold personal
   data (names of households, phone numbers) that must not stay on a shared phone. */
"use strict";

var CACHE = "gg-static-v1";
var CORE = [
  "/static/vendor/bootstrap-5.3.9/bootstrap.min.css",
  "/static/vendor/bootstrap-5.3.9/bootstrap.bundle.min.js",
  "/static/css/app.css",
  "/static/js/forms.js",
  "/static/js/photo-shrink.js",
  "/static/js/pwa.js",
  "/static/img/favicon.svg",
  "/static/img/icon-192.png"
];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(CORE); })
      .catch(function () { /* offline at install: the copies come with the next visits */ })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("gg-static-") === 0 && n !== CACHE; })
        .map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isStatic(request) {
  if (request.method !== "GET") return false;
  var url = new URL(request.url);
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

/* Static files: the stored copy at once, refreshed from the server in the background. */
self.addEventListener("fetch", function (event) {
  if (!isStatic(event.request)) return;  /* pages and everything else: straight to the network */
  event.respondWith(
    caches.open(CACHE).then(function (cache) {
      return cache.match(event.request).then(function (stored) {
        var fresh = fetch(event.request).then(function (response) {
          if (response.ok && response.type === "basic") cache.put(event.request, response.clone());
          return response;
        });
        if (stored) {
          fresh.catch(function () { /* offline: the stored copy stands */ });
          return stored;
        }
        return fresh;
      });
    })
  );
});
