// The wizard's small behaviours; resizing the frame after swaps lives in b24app/app.js.
(function () {
  "use strict";
  // Links to Bitrix24 cards open in the portal's slider, not inside our iframe.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-b24-open-path]");
    if (!link || typeof window.BX24 === "undefined") return;
    event.preventDefault();
    var url = new URL(link.getAttribute("data-b24-open-path"));
    window.BX24.openPath(url.pathname);
  });
  // After a step is swapped in, keyboard users continue from its heading or first error.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target || event.target.id !== "wizard") return;
    var target = event.target.querySelector("[aria-invalid=true], .wz-error, #wz-step-title");
    if (target && target.focus) target.focus();
  });
})();
