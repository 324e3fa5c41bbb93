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

  // htmx does not swap error answers: show their message (or a generic one) instead of nothing.
  function showError(text) {
    var box = document.getElementById("b24-request-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "b24-request-error";
      box.className = "b24-alert b24-alert--danger b24-toast";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.textContent = text;
    fit();
  }
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var message = page.querySelector("[data-error-message]");
    showError(message ? message.textContent.trim() : document.body.getAttribute("data-error-generic"));
  });
  document.addEventListener("htmx:sendError", function () {
    showError(document.body.getAttribute("data-error-offline"));
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("b24-request-error");
    if (box) box.remove();
  });
})();
