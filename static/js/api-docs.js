// Swagger UI for /api/v1/docs, started from this file because the CSP forbids inline scripts.
(function () {
  "use strict";
  var holder = document.getElementById("swagger-ui");
  if (!holder || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: holder.getAttribute("data-spec-url"),
    domNode: holder,
    deepLinking: true,
    tryItOutEnabled: false,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
  });
})();
