// Where keyboard focus goes when the page changes under it.
// After htmx swaps in the plan body ("Show as at"), the button that was pressed is gone and focus would fall
// back to the page itself. Move it to what changed, so a screen reader announces the new content: the error
// summary if the date was wrong, else the "Status as at ..." heading (data-focus-after-swap, tabindex="-1").
// A file of its own: the Content Security Policy allows no inline script.
(function () {
  "use strict";

  function isPlanBody(element) {
    return Boolean(element) && element.id === "plan-body";
  }

  // A form sent back with errors: start at the summary of what was wrong (it links to each field), as a
  // screen reader user or a keyboard user needs, rather than at the top of the page.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    if (!isPlanBody(event.target) && !isPlanBody(detail.target) && !isPlanBody(detail.elt)) {
      return;
    }
    var body = document.getElementById("plan-body");
    if (!body) {
      return;
    }
    var target = body.querySelector(".error-summary") || body.querySelector("[data-focus-after-swap]");
    if (target) {
      target.focus();
    }
  });
})();
