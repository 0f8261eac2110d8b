/* knoop: small helpers for ordinary pages (no build step, no inline script). */
(function () {
  "use strict";
  var url = document.getElementById("intake-url");
  if (url) {
    url.addEventListener("focus", function () { url.select(); });
    url.focus();
  }
})();
