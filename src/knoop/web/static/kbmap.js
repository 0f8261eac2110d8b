/* knoop: the clickable body map on /kb/gebieden. The chart views are the drawing widget's
 * cacheable SVG files; a tap (or Enter) on a region opens that region's page. Zoom and pan
 * as on the drawing (chart-zoom.js). Keyboard users also have the list of regions below. */
(function () {
  "use strict";
  var root = document.getElementById("kbmap");
  if (!root) return;
  var lang = root.dataset.lang === "en" ? "en" : "nl";
  var box = root.querySelector(".kbmap-chart");
  var cache = {};
  function go(p) {
    location.href = "/kb/gebieden/" + encodeURIComponent(p.dataset.region) + (lang === "en" ? "?lang=en" : "");
  }
  function show(view) {
    root.querySelectorAll("[data-view-button]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.dataset.viewButton === view ? "true" : "false");
    });
    var p = cache[view] || (cache[view] = fetch(root.dataset.views + view + "?lang=" + lang + "&v=" + root.dataset.chartFiles)
      .then(function (r) { return r.text(); }));
    p.then(function (text) {
      box.innerHTML = text;   // server-rendered SVG from our own endpoint, no scripts
      var svg = box.querySelector("svg");
      if (window.KnoopZoom) window.KnoopZoom.attach(svg);
      svg.setAttribute("role", "group");   // it holds region buttons: not a plain image
      svg.setAttribute("tabindex", "0");
      root.dataset.loaded = view;
    });
  }
  box.addEventListener("click", function (e) {
    var p = e.target.closest && e.target.closest("path.region");
    if (p) go(p);
  });
  box.addEventListener("keydown", function (e) {
    var p = e.target.closest && e.target.closest("path.region");
    if (p && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); go(p); }
  });
  root.querySelectorAll("[data-view-button]").forEach(function (b) {
    b.addEventListener("click", function () { show(b.dataset.viewButton); });
  });
  root.querySelectorAll("[data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () {
      var svg = box.querySelector("svg"), z = svg && svg.__zoom;
      if (!z) return;
      if (b.dataset.zoom === "in") z.by(1.5); else if (b.dataset.zoom === "out") z.by(1 / 1.5); else z.reset();
    });
  });
  show("front");
})();
