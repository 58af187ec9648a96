window.addEventListener("load", function () {
  if (!window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis], layout: "BaseLayout"});
});
