/* Starts Swagger UI (bundled with django-ninja, served from this site) for the API documentation page. A file,
   not an inline script, so the page works under the site's Content Security Policy. Settings come from the
   page's JSON block. Swagger UI leaves a few controls without accessible names; they are named as they appear. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  SwaggerUIBundle(config);

  function mend(root) {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label]), tr[data-param-name] input:not([aria-label])")
      .forEach(function (control) {
        control.setAttribute("aria-label", control.closest("tr").getAttribute("data-param-name"));
      });
    // Code samples scroll sideways: let keyboard users reach them.
    root.querySelectorAll("pre.microlight:not([tabindex])").forEach(function (block) {
      block.setAttribute("tabindex", "0");
    });
  }

  var ui = document.getElementById("swagger-ui");
  new MutationObserver(function () { mend(ui); }).observe(ui, { childList: true, subtree: true });
})();
