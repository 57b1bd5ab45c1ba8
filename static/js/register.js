/* The registration form shows the boxes of the role chosen ("Untuk koordinator kampung" or "Untuk mitra");
   before a choice, or without script, both stay (phone walk: the partner's box stayed under a coordinator's
   choice). Hidden fields are still sent; the server reads only the chosen role's. */
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-for-role]");
  function show() {
    var chosen = document.querySelector('input[name="role"]:checked');
    Array.prototype.forEach.call(boxes, function (box) {
      box.hidden = Boolean(chosen) && box.getAttribute("data-for-role") !== chosen.value;
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('input[name="role"]'), function (radio) {
    radio.addEventListener("change", show);
  });
  show();
})();
