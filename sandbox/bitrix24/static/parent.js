/* The portal side of the frame protocol: answers the app's BX24 shim (see bx24-shim.js). */
(function () {
  "use strict";
  var ctx = JSON.parse(document.getElementById("b24-context").textContent);
  var frame = document.getElementById("app-frame");

  function reply(event, msg, result) {
    event.source.postMessage({ bx24: 1, id: msg.id, result: result }, event.origin);
  }

  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (!msg || !msg.bx24 || event.source !== frame.contentWindow) return;
    var p = msg.params || {};
    if (msg.cmd === "init") {
      reply(event, msg, ctx.frame);
    } else if (msg.cmd === "resizeWindow") {
      var h = parseInt(p.height, 10);
      if (h > 0) frame.style.height = Math.max(h, 200) + "px";
      reply(event, msg, { width: p.width, height: h });
    } else if (msg.cmd === "installFinish") {
      fetch("/sandbox/install-finished", { method: "POST" }).then(function () {
        var mark = document.getElementById("install-status");
        if (mark) { mark.textContent = "Приложение установлено"; mark.className = "ok"; }
        document.body.setAttribute("data-installed", "1");
      });
      reply(event, msg, true);
    } else if (msg.cmd === "openPath") {
      reply(event, msg, { result: "ok" });
      window.location.href = p.path;
    } else if (msg.cmd === "setTitle") {
      document.title = p.title; reply(event, msg, true);
    } else if (msg.cmd === "reloadWindow") {
      document.getElementById("b24-post").submit();
    } else {
      reply(event, msg, null);
    }
  });

  if (ctx.autosubmit) document.getElementById("b24-post").submit();
  var button = document.getElementById("install-button");
  if (button) button.addEventListener("click", function () {
    frame.style.display = "block";
    document.getElementById("b24-post").submit();
  });
})();
