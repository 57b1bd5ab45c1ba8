/* Loads a page's heavy parts only when the reader gets near them: the charts (Chart.js, ~210 KB)
   and the kelurahan map (Leaflet, ~150 KB, plus the boundaries and figures it fetches) sit below
   the first screen of a phone, and reading the page's figures never needs them (each chart has its
   table, each map figure is in a table too). Used as
     <script src="lazy.js" data-lazy-for="CSS selector" data-scripts="a.js b.js" data-styles="c.css">
   The scripts run in the order given once any element matching the selector comes within 120 px
   of the screen (at once when the browser has no IntersectionObserver); style sheets load first. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) return;
  var selector = me.getAttribute("data-lazy-for");
  var scripts = (me.getAttribute("data-scripts") || "").split(/\s+/).filter(Boolean);
  var styles = (me.getAttribute("data-styles") || "").split(/\s+/).filter(Boolean);
  var loaded = false;

  function addScripts() {
    scripts.forEach(function (src) {
      var s = document.createElement("script");
      s.src = src;
      s.async = false; /* dynamic scripts run in insertion order when not async */
      document.body.appendChild(s);
    });
  }

  function load() {
    if (loaded) return;
    loaded = true;
    var waiting = styles.length;
    if (!waiting) { addScripts(); return; }
    styles.forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.onload = link.onerror = function () { waiting -= 1; if (waiting === 0) addScripts(); };
      document.head.appendChild(link);
    });
  }

  function start() {
    var targets = selector ? document.querySelectorAll(selector) : [];
    if (!targets.length) return;
    if (typeof window.IntersectionObserver !== "function") { load(); return; }
    var watcher = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { watcher.disconnect(); load(); }
    }, { rootMargin: "120px 0px" });
    Array.prototype.forEach.call(targets, function (el) { watcher.observe(el); });
    /* Printing shows the tables; a print started before scrolling still gets the drawings next time. */
    window.addEventListener("beforeprint", load);
  }

  /* Folded tables (details[data-print-open], e.g. a long chart's table) are opened for printing: paper has
     no tap to open them, and this runs whether or not the charts were ever loaded. */
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-print-open]"),
      function (details) { details.open = true; });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
