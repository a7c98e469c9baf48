// The API documentation page: Swagger UI over the app's own OpenAPI document.
(function () {
  "use strict";
  var root = document.getElementById("api-docs");
  window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    dom_id: "#api-docs",
    deepLinking: true,
    tryItOutEnabled: false,
    persistAuthorization: false,
  });
})();
