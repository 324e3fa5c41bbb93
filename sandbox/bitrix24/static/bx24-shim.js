/* A small stand-in for Bitrix24's BX24 frame library, served by the sandbox portal.
 * The app's page runs inside the portal's iframe; every call becomes a postMessage to the
 * parent (the sandbox page), which answers with the auth data, resizes the frame or records
 * installFinish. Written for the sandbox; not the vendor's code. */
(function () {
  "use strict";
  var seq = 0, pending = {}, data = null, waiting = [];

  function send(cmd, params, callback) {
    var id = ++seq;
    if (callback) pending[id] = callback;
    window.parent.postMessage({ bx24: 1, id: id, cmd: cmd, params: params || {} }, "*");
  }

  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (!msg || !msg.bx24 || event.source !== window.parent) return;
    var callback = pending[msg.id];
    if (callback) { delete pending[msg.id]; callback(msg.result); }
  });

  function pageHeight() {
    var doc = document.documentElement, body = document.body;
    return Math.max(doc ? doc.scrollHeight : 0, body ? body.scrollHeight : 0);
  }

  var BX24 = {
    init: function (callback) {
      if (data) { if (callback) callback(); return; }
      waiting.push(callback);
      if (waiting.length > 1) return;
      send("init", {}, function (result) {
        data = result;
        var queue = waiting; waiting = [];
        queue.forEach(function (f) { if (f) f(); });
      });
    },
    getAuth: function () {
      if (!data) return false;
      return {
        access_token: data.auth.access_token,
        refresh_token: data.auth.refresh_token,
        expires_in: data.auth.expires_in,
        domain: data.domain,
        member_id: data.member_id
      };
    },
    getDomain: function () { return data ? data.domain : ""; },
    getLang: function () { return data ? data.lang : "ru"; },
    isAdmin: function () { return !!(data && data.is_admin); },
    placement: {
      info: function () {
        return data ? { placement: data.placement, options: data.options } : {};
      }
    },
    installFinish: function () { send("installFinish", {}); },
    resizeWindow: function (width, height, callback) {
      send("resizeWindow", { width: width, height: height }, callback);
    },
    fitWindow: function (callback) {
      send("resizeWindow", { width: "100%", height: pageHeight() }, callback);
    },
    getScrollSize: function () {
      return { scrollWidth: document.documentElement.scrollWidth, scrollHeight: pageHeight() };
    },
    openPath: function (path, callback) { send("openPath", { path: path }, callback); },
    setTitle: function (title, callback) { send("setTitle", { title: title }, callback); },
    reloadWindow: function () { send("reloadWindow", {}); },
    closeApplication: function () { send("closeApplication", {}); }
  };
  window.BX24 = BX24;
})();
