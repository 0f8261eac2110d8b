/* knoop: the client's aftercare page (/nazorg/{token}). The page works without JavaScript;
 * this adds a print button and puts the optional drawing (the chart widget's public
 * root.knoop.body()) into the form's hidden field on submit. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var print = document.getElementById("print-page");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
  var form = document.getElementById("diary-form");
  var root = document.getElementById("draw");
  if (!form) return;
  var q = document.getElementById("region-q");
  if (q) q.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
  var sent = false;
  form.addEventListener("submit", function (e) {
    if (sent) { e.preventDefault(); return; }
    if (root && root.knoop) {
      var b = root.knoop.body();
      if ((b.strokes && b.strokes.length) || (b.regions && b.regions.length)) {
        document.getElementById("drawing-field").value =
          JSON.stringify({ strokes: b.strokes, regions: b.regions, exclude: b.exclude });
      }
    }
    sent = true;
  });
})();
