// Talks to the portal around our iframe. Kept in a file (not inline): the CSP allows only
// scripts from our origin and from the BX24 library's origin.
(function () {
  "use strict";
  function withBX24(fn) {
    if (typeof window.BX24 === "undefined") return; // opened outside Bitrix24 (tests, direct)
    try { window.BX24.init(fn); } catch (e) { /* the portal frame went away */ }
  }
  function fit() {
    withBX24(function () { window.BX24.fitWindow(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var action = document.body.getAttribute("data-b24-action");
    if (action === "install-finish") {
      withBX24(function () { window.BX24.installFinish(); });
    } else {
      fit();
    }
  });
  // The wizard swaps parts of the page: keep the frame as tall as its content.
  document.addEventListener("htmx:afterSettle", fit);
})();
