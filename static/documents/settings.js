// Settings and library: open a deal card in the portal when the library hands a contract over.
(function () {
  "use strict";
  document.body.addEventListener("docs1c:open-path", function (event) {
    var path = event.detail && event.detail.path;
    if (!path || typeof window.BX24 === "undefined") return; // outside Bitrix24: the message says what to do
    try { window.BX24.openPath(path, function () {}); } catch (e) { /* the portal frame went away */ }
  });
})();
