/* knoop: the client's intake page (/intake/{token}). On "Send" the drawing (strokes, chosen
 * regions, regions switched off) goes into a hidden field of the ordinary form, so the page
 * also works as a plain form: without JavaScript the client can still answer the questions. */
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  var root = document.getElementById("draw");
  if (!form || !root) return;
  var q = document.getElementById("region-q");
  if (q) q.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
  var sent = false;
  form.addEventListener("submit", function (e) {
    if (sent) { e.preventDefault(); return; }   // one submit: the link works once
    if (root.knoop) {
      var b = root.knoop.body();
      document.getElementById("drawing-field").value =
        JSON.stringify({ strokes: b.strokes, regions: b.regions, exclude: b.exclude });
    }
    sent = true;
    document.getElementById("send-intake").disabled = true;
  });
})();
