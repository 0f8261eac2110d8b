/* knoop: zoom and pan for the body chart SVGs (vanilla JS, no build step).
 *
 * Zooming only changes the SVG's viewBox: the element keeps its size on the page, and
 * chart.js turns pointer positions into template coordinates with getScreenCTM(), so strokes
 * stay in chart space at every zoom level. A close-up is a named viewBox on a view
 * (knoop.bodymap.closeups). Wheel and keyboard (+, -, 0, arrows) zoom and pan; one finger draws;
 * two fingers pinch (Pointer Events): the viewBox zooms around the fingers' midpoint and follows
 * it, so the point of the chart under the fingers stays under them (zoom and pan at once).
 * chart.css sets touch-action: none on the chart, so the browser leaves the pinch to us.
 *
 *   var z = KnoopZoom.attach(svg, {onChange: fn});  z.set([x, y, w, h]); z.by(factor, [cx, cy]);
 *   z.pan(dx, dy); z.reset(); z.box(); z.scale()   (zoom factor against the whole view)
 */
(function () {
  "use strict";
  var MAX = 12;   // at most 12x the whole view

  function attach(svg, opts) {
    opts = opts || {};
    var vb = svg.viewBox.baseVal;
    var base = [0, 0, vb.width, vb.height];
    var cur = base.slice();
    // the element keeps the whole view's proportions whatever the viewBox shows
    svg.style.aspectRatio = base[2] + " / " + base[3];
    svg.removeAttribute("width"); svg.removeAttribute("height");

    function clamp(b) {
      var w = Math.max(base[2] / MAX, Math.min(base[2], b[2]));
      var h = b[3] * (w / b[2]);
      if (h > base[3]) { h = base[3]; w = b[2] * (h / b[3]); }
      var x = Math.max(base[0] - w * 0.25, Math.min(base[0] + base[2] - w * 0.75, b[0]));
      var y = Math.max(base[1] - h * 0.25, Math.min(base[1] + base[3] - h * 0.75, b[1]));
      return [x, y, w, h];
    }
    function apply(b, why) {
      cur = b;
      svg.setAttribute("viewBox", b.map(function (n) { return Math.round(n * 100) / 100; }).join(" "));
      svg.dataset.zoom = scale().toFixed(2);
      if (opts.onChange) opts.onChange(api, why || "zoom");
    }
    function scale() { return base[2] / cur[2]; }
    // the point of the visible box under a client position (the viewBox may be letterboxed)
    function at(clientX, clientY) {
      var m = svg.getScreenCTM();
      if (!m) return [cur[0] + cur[2] / 2, cur[1] + cur[3] / 2];
      var p = svg.createSVGPoint(); p.x = clientX; p.y = clientY;
      p = p.matrixTransform(m.inverse());
      return [p.x, p.y];
    }
    function by(f, c) {
      c = c || [cur[0] + cur[2] / 2, cur[1] + cur[3] / 2];
      var w = cur[2] / f, h = cur[3] / f;
      var b = clamp([c[0] - (c[0] - cur[0]) / f, c[1] - (c[1] - cur[1]) / f, w, h]);
      apply(b, "zoom");
    }
    function pan(dx, dy) { apply(clamp([cur[0] + dx, cur[1] + dy, cur[2], cur[3]]), "pan"); }
    var api = {
      svg: svg,
      set: function (b, why) { apply(clamp(b.slice()), why || "closeup"); },
      by: by, pan: pan, scale: scale,
      reset: function () { apply(base.slice(), "reset"); },
      box: function () { return cur.slice(); },
      base: function () { return base.slice(); },
      at: at
    };
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      by(Math.pow(1.0025, -dy), at(e.clientX, e.clientY));
    }, { passive: false });
    svg.addEventListener("keydown", function (e) {
      if (e.target !== svg) return;   // a focused region or lens handles its own keys
      var step = cur[2] * 0.1, k = e.key;
      if (k === "+" || k === "=") by(1.25);
      else if (k === "-" || k === "_") by(1 / 1.25);
      else if (k === "0") api.reset();
      else if (k === "ArrowLeft") pan(-step, 0);
      else if (k === "ArrowRight") pan(step, 0);
      else if (k === "ArrowUp") pan(0, -step);
      else if (k === "ArrowDown") pan(0, step);
      else return;
      e.preventDefault();
    });
    pinch(svg, api, function () { return cur.slice(); }, function (b) { apply(clamp(b), "pinch"); });
    svg.__zoom = api;
    return api;
  }

  // two touch pointers on the chart: zoom around their midpoint, pan with it. The template point
  // under the first midpoint stays under the current midpoint; the box width shrinks by the
  // ratio of the finger distances. api.pinching() is true from the second finger until all lift.
  function pinch(svg, api, box, put) {
    var touches = new Map(), start = null, active = false;
    function pair() { var a = []; touches.forEach(function (p) { a.push(p); }); return a.slice(0, 2); }
    function mid(a) { return [(a[0][0] + a[1][0]) / 2, (a[0][1] + a[1][1]) / 2]; }
    function dist(a) { return Math.max(1, Math.hypot(a[0][0] - a[1][0], a[0][1] - a[1][1])); }
    function begin() {
      // the screen transform: template units per pixel and where the box's corner is on screen
      // (the same with the box letterboxed inside a chart capped by max-height)
      var a = pair(), m = mid(a), b = box(), t = svg.getScreenCTM();
      if (!t) { start = null; return; }
      var k = 1 / t.a, left = t.e + b[0] * t.a, top = t.f + b[1] * t.d;
      start = { d: dist(a), box: b, k: k, left: left, top: top,
                at: [b[0] + (m[0] - left) * k, b[1] + (m[1] - top) * k] };
    }
    svg.addEventListener("pointerdown", function (e) {
      if (e.pointerType !== "touch") return;
      touches.set(e.pointerId, [e.clientX, e.clientY]);
      if (touches.size === 2) { active = true; begin(); }
    });
    svg.addEventListener("pointermove", function (e) {
      if (!touches.has(e.pointerId)) return;
      touches.set(e.pointerId, [e.clientX, e.clientY]);
      if (!active || touches.size < 2 || !start) return;
      e.preventDefault();
      var a = pair(), m = mid(a), f = dist(a) / start.d;
      var w = start.box[2] / f, h = start.box[3] / f, k = start.k / f;
      put([start.at[0] - (m[0] - start.left) * k, start.at[1] - (m[1] - start.top) * k, w, h]);
    });
    function lift(e) {
      if (!touches.delete(e.pointerId)) return;
      if (touches.size === 2) begin();          // a third finger lifted: go on with the other two
      else start = null;
      if (!touches.size) active = false;
    }
    svg.addEventListener("pointerup", lift);
    svg.addEventListener("pointercancel", lift);
    api.pinching = function () { return active; };
  }

  // drag to pan (the pan tool): screen pixels to template units at the current zoom
  function dragPan(z, e) {
    var m = z.svg.getScreenCTM(), a = m ? m.a : 1;
    var last = [e.clientX, e.clientY];
    return {
      move: function (ev) {
        z.pan((last[0] - ev.clientX) / a, (last[1] - ev.clientY) / a);
        last = [ev.clientX, ev.clientY];
      }
    };
  }

  window.KnoopZoom = { attach: attach, dragPan: dragPan };
})();
