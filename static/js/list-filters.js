// Lists: on a wide screen the filters behind "Saring" start open (on a phone they stay folded).
(function () {
  if (!window.matchMedia || !window.matchMedia("(min-width: 768px)").matches) return;
  document.querySelectorAll("details.list-filters").forEach(function (details) {
    details.open = true;
  });
})();
