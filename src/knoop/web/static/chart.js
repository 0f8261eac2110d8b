/* knoop: the drawable body chart and live results (/tekenen). Vanilla JS, no build step.
 *
 * The server renders the chart SVG; this script adds an ink layer per view, turns pointer
 * input (mouse, touch, pen) into strokes in template coordinates, and sends the whole drawing
 * to POST /api/v1/drawing, which computes region coverage and the ranking. The browser never
 * decides which regions are painted: the server does, from the same template geometry.
 *
 * After every ranking is on screen, #results gets data-updated-at (performance.now()) and
 * data-latency (ms since the change), and the document gets a "knoop:ranked" event.
 */
(function () {
  "use strict";
  var root = document.getElementById("draw");
  if (!root) return;
  var SVGNS = "http://www.w3.org/2000/svg";
  var LANG = root.dataset.lang === "en" ? "en" : "nl";
  var NRS = ["#fff3a8", "#ffe07a", "#ffc457", "#ffa440", "#fb8230", "#f05f26", "#dc3d1f",
             "#c1231a", "#9f1214", "#7a0a0e"];
  var DASH = { tingling: "0.1 1.7", numb: "1.6 1.0" }; // in brush widths
  var T = {};  // texts from the gettext catalogs: the page's #chart-i18n data block
  try { T = JSON.parse(document.getElementById("chart-i18n").textContent); } catch (e) { T = {}; }
  T.urg = T.urg || {}; T.crit = T.crit || {};
  var VIEW_NAMES = {};
  root.querySelectorAll("[role=tab]").forEach(function (b) { VIEW_NAMES[b.dataset.view] = b.textContent.trim(); });

  // ------------------------------------------------------------------ state
  var state = {
    strokes: [],              // {view, points:[[x,y]..], width, intensity, quality, erase}
    regions: new Map(),       // key "region|side" -> {region, side, intensity, quality}
    exclude: new Set(),       // keys switched off in the list
    symptoms: new Set(), screening: new Set(),
    findings: new Map(),      // "muscle|side" -> result
    details: new Map()        // "muscle|side" -> {trigger_point, pain_recognised, ...} (session mode)
  };
  var MODE = root.dataset.mode || "draw";        // draw | session | client
  var READONLY = !!root.dataset.readonly;
  function emit(name, detail) { root.dispatchEvent(new CustomEvent(name, { detail: detail })); }
  var history = [];
  var view = "front";
  var tool = "brush";
  var coverage = new Map();   // key -> coverage entry from the server
  var selected = null;        // {muscle, side}
  var overlayCache = new Map();
  var lastRanking = null;
  var ackedFlags = "";
  // a saved drawing (session page): strokes, explicit regions, exclusions, findings, flags read
  (function restore() {
    var node = document.getElementById("draw-init");
    if (!node) return;
    var init;
    try { init = JSON.parse(node.textContent); } catch (e) { return; }
    (init.strokes || []).forEach(function (st) { state.strokes.push(st); });
    (init.regions || []).forEach(function (r) {
      var side = r.side || "midline";
      var o = { region: r.region, side: side, intensity: r.intensity || 5 };
      if (r.quality) o.quality = r.quality;
      state.regions.set(key(r.region, side), o);
    });
    (init.exclude || []).forEach(function (x) { state.exclude.add(key(x.region, x.side)); });
    (init.findings || []).forEach(function (f) {
      if (f.result === "not_examined") return;
      var k = f.muscle + "|" + f.side;
      state.findings.set(k, f.result);
      state.details.set(k, { trigger_point: f.trigger_point || null, pain_recognised: f.pain_recognised,
        tender_spot: f.tender_spot, taut_band: f.taut_band, referral_elicited: f.referral_elicited, twitch: f.twitch });
    });
    ackedFlags = (init.acked_flags || []).join(",");
  })();
  var showAll = false;

  function key(region, side) { return region + "|" + (side || "midline"); }
  function snapshot() {
    history.push({ strokes: state.strokes.slice(), regions: new Map(state.regions),
                   exclude: new Set(state.exclude), findings: new Map(state.findings) });
    if (history.length > 200) history.shift();
  }
  function intensity() { var c = root.querySelector("input[name=intensity]:checked"); return c ? +c.value : 6; }
  function quality() { var c = root.querySelector("input[name=quality]:checked"); return c && c.value ? c.value : null; }
  function brushSize() { return +document.getElementById("brush-size").value || 18; }
  function el(name, attrs, ns) {
    var e = ns ? document.createElementNS(SVGNS, name) : document.createElement(name);
    if (attrs) for (var k in attrs) if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    return e;
  }
  function sideWord(side) { return T[side] || ""; }
  // a share as people read it: "45 %" in Dutch (a no-break space), "45%" in English
  function pct(f) { return Math.round(f * 100) + (LANG === "nl" ? "\u00a0%" : "%"); }

  // ------------------------------------------------------------------ the chart views
  var svgs = {};
  function initSvg(panel) {
    var svg = panel.querySelector("svg");
    if (!svg || svg.__knoop) return svg;
    svg.__knoop = true;
    svg.setAttribute("role", "group");   // it holds region buttons: not a plain image
    var v = panel.dataset.view;
    svgs[v] = svg;
    var vb = svg.viewBox.baseVal;
    var defs = el("defs", null, true);
    var pat = el("pattern", { id: "ov-st-" + v, width: 7, height: 7, patternUnits: "userSpaceOnUse" }, true);
    pat.appendChild(el("rect", { width: 7, height: 7, fill: "#f2a49c", "fill-opacity": "0.35" }, true));
    pat.appendChild(el("circle", { cx: 2, cy: 2, r: 1.4, fill: "#c4453a" }, true));
    pat.appendChild(el("circle", { cx: 5.5, cy: 5.5, r: 1.4, fill: "#c4453a" }, true));
    defs.appendChild(pat);
    var exMask = el("mask", { id: "ex-" + v, maskUnits: "userSpaceOnUse", x: 0, y: 0, width: vb.width, height: vb.height }, true);
    exMask.appendChild(el("rect", { x: 0, y: 0, width: vb.width, height: vb.height, fill: "#fff" }, true));
    defs.appendChild(exMask);
    svg.insertBefore(defs, svg.firstChild);
    var ink = el("g", { "class": "ink", "pointer-events": "none", mask: "url(#ex-" + v + ")" }, true);
    var live = el("g", { "class": "live", "pointer-events": "none" }, true);
    var ov = el("g", { "class": "overlay", "pointer-events": "none" }, true);
    // ink goes right above the surface regions: the outline, deep anchors and R/L labels stay
    // on top of the paint; the muscle overlay above the ink; the stroke being drawn on top
    var surface = svg.querySelectorAll("path.region:not(.deep)");
    var after = surface.length ? surface[surface.length - 1] : null;
    if (after) { after.parentNode.insertBefore(ink, after.nextSibling); ink.parentNode.insertBefore(ov, ink.nextSibling); }
    else { svg.appendChild(ink); svg.appendChild(ov); }
    svg.appendChild(live);
    svg.__ink = ink; svg.__live = live; svg.__ov = ov; svg.__ex = exMask; svg.__w = vb.width; svg.__h = vb.height;
    svg.querySelectorAll("path.region").forEach(function (p) { p.dataset.skin = p.getAttribute("fill"); });
    // zoom and pan (chart-zoom.js): only the viewBox changes, strokes stay in template units
    if (window.KnoopZoom) {
      window.KnoopZoom.attach(svg, { onChange: onZoom });
      svg.setAttribute("tabindex", "0");
      if (T.zoomKeys) svg.setAttribute("aria-description", T.zoomKeys);
    }
    addLenses(svg, v);
    // zoomed in, the template's R and L may be out of sight: keep them in the panel's corners
    // (the client's right is on the viewer's left, except on the back view)
    // (not on lateral: there each figure is one side, and its close-ups say which)
    var rl = v === "back" ? ["L", "R"] : ["R", "L"];
    if (v !== "lateral") ["left", "right"].forEach(function (corner, i) {
      var b = text("span", "corner-side " + corner, rl[i]);
      b.setAttribute("aria-hidden", "true");
      panel.appendChild(b);
    });
    if (!READONLY) {
      svg.addEventListener("pointerdown", onDown);
      svg.addEventListener("pointermove", onMove);
      svg.addEventListener("pointerup", onUp);
      svg.addEventListener("pointercancel", onCancel);
    }
    svg.addEventListener("keydown", function (e) {  // a region that got focus anyway: Enter fills it
      var p = e.target.closest && e.target.closest("path.region");
      if (p && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        if (tool === "chart") openPicker(p); else toggleRegion(p.dataset.region, p.dataset.side);
      }
    });
    renderView(v);
    return svg;
  }

  function toTemplate(svg, e) {
    var m = svg.getScreenCTM();
    if (!m) return null;
    var pt = svg.createSVGPoint(); pt.x = e.clientX; pt.y = e.clientY;
    var p = pt.matrixTransform(m.inverse());
    return [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10];
  }

  var drag = null, fingers = 0, pinching = false;
  // a second finger means a pinch (chart-zoom.js zooms the viewBox): the stroke the first finger began is
  // dropped, and nothing is drawn until every finger is lifted
  function liftFinger(e) { if (e.pointerType === "touch") { fingers = Math.max(0, fingers - 1); if (!fingers) pinching = false; } }
  function onDown(e) {
    if (e.pointerType === "touch") {
      fingers++;
      if (fingers > 1) {
        pinching = true;
        if (drag && drag.path) drag.path.remove();
        drag = null;
        return;
      }
    }
    if (pinching) return;
    if (e.button !== undefined && e.button > 0) return;
    var svg = e.currentTarget;
    if (e.target.closest && e.target.closest(".lens")) return;   // a lens opens a close-up on click
    if (tool === "pan" && svg.__zoom) {
      e.preventDefault();
      try { svg.setPointerCapture(e.pointerId); } catch (err) { /* synthetic events */ }
      drag = { pan: window.KnoopZoom.dragPan(svg.__zoom, e), id: e.pointerId };
      return;
    }
    if (tool === "fill" || tool === "chart") {
      var p = e.target.closest && e.target.closest("path.region");
      drag = { fill: p, id: e.pointerId, chart: tool === "chart", svg: svg, pt: toTemplate(svg, e) };
      e.preventDefault();
      return;
    }
    var pt = toTemplate(svg, e);
    if (!pt) return;
    e.preventDefault();
    try { svg.setPointerCapture(e.pointerId); } catch (err) { /* synthetic events */ }
    var s = { view: svg.dataset.view, points: [pt], width: strokeWidth(svg), intensity: intensity(),
              quality: quality(), erase: tool === "erase" };
    var path = strokePath(s, true);
    svg.__live.appendChild(path);
    drag = { svg: svg, stroke: s, path: path, id: e.pointerId };
  }
  function onMove(e) {
    if (drag && drag.pan && e.pointerId === drag.id) { e.preventDefault(); drag.pan.move(e); return; }
    if (!drag || !drag.stroke || e.pointerId !== drag.id) return;
    e.preventDefault();
    var evs = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    if (!evs.length) evs = [e];
    var pts = drag.stroke.points;
    for (var i = 0; i < evs.length; i++) {
      var pt = toTemplate(drag.svg, evs[i]);
      if (!pt) continue;
      var last = pts[pts.length - 1];
      if (Math.abs(pt[0] - last[0]) + Math.abs(pt[1] - last[1]) >= 1.5) pts.push(pt);
    }
    drag.path.setAttribute("d", pathD(pts));
  }
  function onUp(e) {
    liftFinger(e);
    if (!drag || e.pointerId !== drag.id) return;
    var d = drag; drag = null;
    if (d.pan) return;
    if (d.fill !== undefined) {
      var p = e.target.closest && e.target.closest("path.region");
      if (d.chart) {   // charting: an ✕ of the selected muscle picks its trigger point, a region opens the picker
        if (!tapMark(d.svg, d.pt) && p && p === d.fill) openPicker(p);
        return;
      }
      if (p && p === d.fill) toggleRegion(p.dataset.region, p.dataset.side);
      return;
    }
    onMove(e);
    d.path.remove();
    if (MODE === "session" && d.stroke.points.length <= 2 && tapMark(d.svg, d.stroke.points[0])) return;
    snapshot();
    state.strokes.push(d.stroke);
    renderView(d.stroke.view);
    changed(true);
  }
  function onCancel(e) {
    liftFinger(e);
    if (drag && drag.path) drag.path.remove();
    drag = null;
  }

  // session mode: a tap on (or next to) a trigger point's X of the selected muscle picks it
  function tapMark(svg, pt) {
    if (!selected || !pt) return false;
    var best = null, bestD = 15;
    svg.__ov.querySelectorAll(".ov-mark").forEach(function (g) {
      var x = +g.dataset.x, y = +g.dataset.y, dd = Math.sqrt((x - pt[0]) * (x - pt[0]) + (y - pt[1]) * (y - pt[1]));
      if (dd < bestD) { bestD = dd; best = g; }
    });
    if (!best) return false;
    var k = selected.muscle + "|" + selected.side;
    var det = state.details.get(k) || {};
    det.trigger_point = best.dataset.triggerPoint;
    state.details.set(k, det);
    renderSelected();
    if (state.findings.has(k)) emitFinding(selected.muscle, selected.side);
    var first = selBox.querySelector(".findings button");
    if (first) first.focus();
    return true;
  }
  // charting: a tap on a region lists the muscles with a trigger point there (that side), best
  // ranked first; choosing one selects the muscle with that trigger point, as the results list does
  var picker = null, pickSeq = 0, focusAfterOverlay = false;
  function pickerDialog() {
    if (picker) return picker;
    picker = el("dialog", { "class": "tp-picker", id: "tp-picker", "aria-labelledby": "tp-picker-h",
                            "aria-describedby": "tp-picker-hint" });
    picker.appendChild(el("h3", { id: "tp-picker-h" }));
    var hint = text("p", "muted small", T.pickerHint); hint.id = "tp-picker-hint";
    picker.appendChild(hint);
    picker.appendChild(el("p", { "class": "tp-note small", role: "status" }));
    picker.appendChild(el("ul", { "class": "tp-list" }));
    var close = text("button", "secondary tp-close", T.close);
    close.type = "button";
    close.addEventListener("click", function () { picker.close(); });
    picker.appendChild(close);
    picker.addEventListener("click", function (e) { if (e.target === picker) picker.close(); });  // the backdrop
    root.appendChild(picker);
    return picker;
  }
  function openPicker(p) {
    if (MODE === "client") return;
    var region = p.dataset.region, side = p.dataset.side, d = pickerDialog(), my = ++pickSeq;
    d.dataset.region = region; d.dataset.side = side;
    d.querySelector("h3").textContent = T.pickerTitle + ": " + (p.getAttribute("aria-label") || region);
    var ul = d.querySelector(".tp-list"), note = d.querySelector(".tp-note");
    ul.textContent = ""; note.textContent = ""; note.className = "tp-note small";
    d.setAttribute("aria-busy", "true");
    if (!d.open) d.showModal();
    var url = (root.dataset.regions || "/api/v1/regions/") + encodeURIComponent(region) + "/trigger-points?lang=" + LANG +
      (side && side !== "midline" ? "&side=" + side : "");
    fetch(url).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw new Error(j.error ? j.error.message : r.status); return j; });
    }).then(function (list) {
      if (my !== pickSeq) return;
      d.setAttribute("aria-busy", "false");
      var ranked = {};
      (lastRanking ? lastRanking.candidates : []).forEach(function (c) { ranked[c.muscle + "|" + c.side] = c; });
      function rank(m) { var c = ranked[m.muscle + "|" + m.side]; return c ? c.rank : 1e9; }
      list.sort(function (a, b) { return rank(a) - rank(b); });   // stable: by name after the ranked ones
      if (!list.length) note.textContent = T.pickerNone;
      list.forEach(function (m, i) {
        var c = ranked[m.muscle + "|" + m.side], hid = "tp-m-" + i;
        var li = el("li", { "class": "tp-muscle", "data-muscle": m.muscle, "data-side": m.side });
        var head = el("p", { "class": "tp-mname", id: hid });
        if (c) head.appendChild(text("span", "rk", c.rank + ". "));
        head.appendChild(text("strong", null, m.name + " (" + sideWord(m.side) + ")"));
        if (c && c.finding) head.appendChild(text("span", "badge " + c.finding, T[c.finding]));
        head.appendChild(text("span", "muted small", " " + (c ? pct(c.score) : T.notRanked)));
        li.appendChild(head);
        var bl = el("ul", { "class": "tp-points", "aria-labelledby": hid });
        m.trigger_points.forEach(function (tp) {
          var item = el("li"), b = el("button", { type: "button", "class": "secondary", "data-trigger-point": tp.id });
          b.appendChild(text("span", null, "✕ ")).setAttribute("aria-hidden", "true");
          b.appendChild(document.createTextNode(tp.name));
          b.setAttribute("aria-label", tp.name + ", " + m.name + " (" + sideWord(m.side) + ")");
          b.addEventListener("click", function () { d.close(); choose(m.muscle, m.side, tp.id); });
          item.appendChild(b); bl.appendChild(item);
        });
        li.appendChild(bl); ul.appendChild(li);
      });
      var first = ul.querySelector("button") || d.querySelector(".tp-close");
      first.focus();
    }).catch(function (err) {
      if (my !== pickSeq) return;
      d.setAttribute("aria-busy", "false");
      note.textContent = T.pickerError + err.message; note.className = "tp-note small error";
    });
  }
  function focusFindings() {
    var b = selBox.querySelector(".findings button");
    if (b && !selBox.hidden) b.focus();
  }
  function choose(m, side, tpId) {
    var k = m + "|" + side, det = state.details.get(k) || {};
    det.trigger_point = tpId; state.details.set(k, det);
    if (selected && selected.muscle === m && selected.side === side) {
      drawOverlayFromCache(); renderSelected(); focusFindings();
    } else { focusAfterOverlay = true; select(m, side); }
    if (state.findings.has(k)) emitFinding(m, side);
    emit("knoop:select", { muscle: m, side: side, trigger_point: tpId });
  }
  function emitFinding(m, side) {
    var k = m + "|" + side, det = state.details.get(k) || {};
    var d = { muscle: m, side: side, result: state.findings.get(k) || null };
    Object.keys(det).forEach(function (c) { d[c] = det[c]; });
    emit("knoop:finding", d);
  }

  function pathD(pts) {
    if (pts.length === 1) return "M" + pts[0][0] + " " + pts[0][1] + "l0.01 0";
    var d = "M" + pts[0][0] + " " + pts[0][1];
    for (var i = 1; i < pts.length; i++) d += "L" + pts[i][0] + " " + pts[i][1];
    return d;
  }
  function strokePath(s, live) {
    var a = { d: pathD(s.points), fill: "none", "stroke-width": s.width, "stroke-linecap": "round",
              "stroke-linejoin": "round" };
    if (s.erase) { a.stroke = live ? "#6b7280" : "#000"; a["stroke-opacity"] = live ? "0.35" : "1"; }
    else {
      a.stroke = NRS[s.intensity - 1]; a["stroke-opacity"] = "0.78";
      if (s.quality && DASH[s.quality]) {
        a["stroke-dasharray"] = DASH[s.quality].split(" ").map(function (f) { return (+f * s.width).toFixed(1); }).join(" ");
      }
    }
    return el("path", a, true);
  }

  function renderView(v) {
    var svg = svgs[v];
    if (!svg) return;
    // explicit region fills
    svg.querySelectorAll("path.region").forEach(function (p) {
      var r = state.regions.get(key(p.dataset.region, p.dataset.side));
      if (r) { p.setAttribute("fill", NRS[r.intensity - 1]); p.setAttribute("fill-opacity", "0.85"); p.classList.add("chosen"); }
      else if (p.classList.contains("chosen")) {
        p.classList.remove("chosen");
        p.setAttribute("fill", p.dataset.skin || "#f7f1ec");
        p.setAttribute("fill-opacity", p.classList.contains("deep") ? "0.35" : "1");
      }
    });
    // regions switched off in the list: their paint is masked away
    var ex = svg.__ex;
    while (ex.childNodes.length > 1) ex.removeChild(ex.lastChild);
    state.exclude.forEach(function (k) {
      var parts = k.split("|");
      svg.querySelectorAll('path.region[data-region="' + parts[0] + '"][data-side="' + parts[1] + '"]').forEach(function (p) {
        ex.appendChild(el("path", { d: p.getAttribute("d"), fill: "#000" }, true));
      });
    });
    // strokes; an eraser stroke masks everything drawn before it on this view
    var ink = svg.__ink;
    while (ink.firstChild) ink.removeChild(ink.firstChild);
    var defs = el("defs", null, true);
    ink.appendChild(defs);
    var g = el("g", null, true), n = 0;
    state.strokes.forEach(function (s) {
      if (s.view !== v) return;
      if (s.erase) {
        var id = "er-" + v + "-" + (n++);
        var m = el("mask", { id: id, maskUnits: "userSpaceOnUse", x: 0, y: 0, width: svg.__w, height: svg.__h }, true);
        m.appendChild(el("rect", { x: 0, y: 0, width: svg.__w, height: svg.__h, fill: "#fff" }, true));
        m.appendChild(strokePath(s, false));
        defs.appendChild(m);
        var wrap = el("g", { mask: "url(#" + id + ")" }, true);
        wrap.appendChild(g);
        g = el("g", null, true); g.appendChild(wrap);
      } else g.appendChild(strokePath(s, false));
    });
    ink.appendChild(g);
  }
  function renderAll() { Object.keys(svgs).forEach(renderView); }

  function toggleRegion(region, side) {
    var k = key(region, side);
    snapshot();
    if (state.regions.has(k)) state.regions.delete(k);
    else {
      state.exclude.delete(k);
      var q = quality();
      var r = { region: region, side: side, intensity: intensity() };
      if (q) r.quality = q;
      state.regions.set(k, r);
    }
    renderAll();
    changed(true);
  }

  // ------------------------------------------------------------------ zoom, close-ups, lenses
  // The brush keeps its size on screen: zoomed in 3x, a stroke is a third as wide in template
  // units, so a short stroke on the temple stays on the temple.
  function strokeWidth(svg) {
    var f = svg.__zoom ? svg.__zoom.scale() : 1;
    return Math.max(1, Math.round(brushSize() / f * 10) / 10);
  }
  var CU = { closeups: [], lenses: [] };
  try { CU = JSON.parse(document.getElementById("chart-closeups").textContent); } catch (e) { /* no close-ups */ }
  var closeupById = {};
  CU.closeups.forEach(function (g) { g.items.forEach(function (c) { c.view = g.view; closeupById[c.id] = c; }); });
  var closeupOf = {};   // view -> the close-up shown (id), "" = the whole view
  var zoomBar = document.getElementById("closeups");
  function renderCloseups() {
    if (!zoomBar) return;
    zoomBar.textContent = "";
    var items = [];
    CU.closeups.forEach(function (g) { if (g.view === view) items = g.items; });
    zoomBar.hidden = !items.length || !svgs[view] || !svgs[view].__zoom;
    var cur = closeupOf[view] || "";
    items.forEach(function (c) {
      var b = text("button", "chip small", c.name);
      b.type = "button"; b.dataset.closeup = c.id;
      b.setAttribute("aria-pressed", cur === c.id ? "true" : "false");
      b.addEventListener("click", function () { openCloseup(view, c.id); });
      zoomBar.appendChild(b);
    });
  }
  function openCloseup(v, id) {
    return ensureView(v).then(function (svg) {
      if (v !== view) showView(v);
      var z = svg && svg.__zoom;
      if (!z) return;
      var c = id && closeupById[id];
      closeupOf[v] = c ? id : "";
      if (c) z.set(c.box, "closeup"); else z.reset();
      closeupOf[v] = c ? id : "";
      renderCloseups();
    });
  }
  function onZoom(z, why) {
    var v = z.svg.dataset.view;
    if (why === "zoom" || why === "pan" || why === "pinch" || why === "reset") {
      if (closeupOf[v]) { closeupOf[v] = ""; if (v === view) renderCloseups(); }
      if (why === "reset" && v === view) renderCloseups();
    }
    z.svg.classList.toggle("zoomed", z.scale() > 1.01);
    var panel = z.svg.closest(".chart-panel");
    if (panel) panel.classList.toggle("zoomed", z.scale() > 1.01);
  }
  function addLenses(svg, v) {
    CU.lenses.forEach(function (ln) {
      if (ln.view !== v) return;
      var g = el("g", { "class": "lens", role: "button", tabindex: "0", "aria-label": ln.name,
                        "data-target": ln.target, "data-closeup": ln.closeup || "" }, true);
      var r = ln.r, x = ln.x, y = ln.y;
      g.appendChild(el("circle", { cx: x, cy: y, r: r, fill: "#fff", stroke: "#1a5fb4", "stroke-width": 2.2 }, true));
      g.appendChild(el("circle", { cx: x - r * 0.12, cy: y - r * 0.12, r: r * 0.42, fill: "none", stroke: "#1a5fb4", "stroke-width": 3 }, true));
      g.appendChild(el("path", { d: "M" + (x + r * 0.18) + " " + (y + r * 0.18) + "L" + (x + r * 0.55) + " " + (y + r * 0.55),
                                 stroke: "#1a5fb4", "stroke-width": 4, "stroke-linecap": "round" }, true));
      g.appendChild(text("title", null, ln.name));
      function go(e) { e.preventDefault(); e.stopPropagation(); openCloseup(ln.target, ln.closeup || ""); }
      g.addEventListener("click", go);
      g.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") go(e); });
      svg.appendChild(g);
    });
  }
  function currentZoom() { var s = svgs[view]; return s && s.__zoom; }
  [["zoom-in", function (z) { z.by(1.5); }], ["zoom-out", function (z) { z.by(1 / 1.5); }],
   ["zoom-reset", function (z) { z.reset(); }]].forEach(function (p) {
    var b = document.getElementById(p[0]);
    if (b) b.addEventListener("click", function () { var z = currentZoom(); if (z) p[1](z); });
  });

  // every view's SVG is a cacheable file (GET /tekenen/kaart/{view}), fetched once per view
  var loading = {};
  function ensureView(v) {
    if (svgs[v]) return Promise.resolve(svgs[v]);
    var panel = document.getElementById("panel-" + v);
    if (!panel) return Promise.resolve(null);
    if (panel.querySelector("svg")) return Promise.resolve(initSvg(panel));
    if (!loading[v]) {
      var ver = root.dataset.chartFiles ? "&v=" + root.dataset.chartFiles : "";
      loading[v] = fetch(root.dataset.views + v + "?lang=" + LANG + ver).then(function (r) { return r.text(); }).then(function (t) {
        panel.innerHTML = t;   // server-rendered SVG from our own endpoint, no scripts
        var svg = initSvg(panel);
        if (v === view) renderCloseups();
        root.dataset.loaded = Object.keys(svgs).join(" ");
        emit("knoop:view-loaded", { view: v });
        return svg;
      });
    }
    return loading[v];
  }

  // ------------------------------------------------------------------ tabs and tools
  var tabs = Array.prototype.slice.call(root.querySelectorAll("[role=tab]"));
  function showView(v, focus) {
    view = v;
    tabs.forEach(function (t) {
      var on = t.dataset.view === v;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      if (on && focus) t.focus();
    });
    root.querySelectorAll(".chart-panel").forEach(function (p) { p.hidden = p.dataset.view !== v; });
    renderCloseups();
    if (!svgs[v]) ensureView(v).then(function () { if (selected) showOverlay(); });
    else if (selected) showOverlay();
  }
  tabs.forEach(function (t, i) {
    t.addEventListener("click", function () { showView(t.dataset.view); });
    t.addEventListener("keydown", function (e) {
      var j = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : e.key === "Home" ? 0 : e.key === "End" ? tabs.length - 1 : null;
      if (j === null) return;
      e.preventDefault();
      showView(tabs[(j + tabs.length) % tabs.length].dataset.view, true);
    });
  });
  if (MODE === "client") root.querySelectorAll(".tool-chart").forEach(function (l) { l.remove(); });  // no muscles for the client
  root.querySelectorAll("input[name=tool]").forEach(function (r) {
    r.addEventListener("change", function () { tool = r.value; root.dataset.tool = tool; });
  });
  root.dataset.tool = tool;
  var undoBtn = document.getElementById("undo"), clearBtn = document.getElementById("clear");
  undoBtn.addEventListener("click", function () {
    var h = history.pop();
    if (!h) return;
    var before = state.findings;
    state.strokes = h.strokes; state.regions = h.regions; state.exclude = h.exclude; state.findings = h.findings;
    renderAll(); changed(true);
    if (MODE === "session") {  // a finding the undo puts back or takes away is saved too
      var keys = new Set(Array.from(before.keys()).concat(Array.from(h.findings.keys())));
      keys.forEach(function (k) {
        if (before.get(k) !== h.findings.get(k)) { var p = k.split("|"); emitFinding(p[0], p[1]); }
      });
    }
  });
  clearBtn.addEventListener("click", function () {
    snapshot();
    state.strokes = []; state.regions = new Map(); state.exclude = new Set();
    renderAll(); changed(true);
  });

  // deep regions: chosen from a list
  var deepBtns = Array.prototype.slice.call(root.querySelectorAll(".deep-list .chip"));
  deepBtns.forEach(function (b) {
    b.addEventListener("click", function () { toggleRegion(b.dataset.region, b.dataset.side); });
  });

  // intake
  function bindChecks(name, set) {
    root.querySelectorAll("input[name=" + name + "]").forEach(function (c) {
      if (c.checked) set.add(c.value);
      c.addEventListener("change", function () {
        if (c.checked) set.add(c.value); else set.delete(c.value);
        changed(true);
      });
    });
  }
  bindChecks("symptoms", state.symptoms);
  bindChecks("screening", state.screening);

  // ------------------------------------------------------------------ the region list
  var rows = new Map();
  root.querySelectorAll("#region-list li").forEach(function (li) {
    var k = key(li.dataset.region, li.dataset.side);
    var row = { li: li, box: li.querySelector("input[type=checkbox]"), num: li.querySelector("input[type=number]"),
                st: li.querySelector(".st"), sig: "" };
    rows.set(k, row);
    row.box.addEventListener("change", function () {
      snapshot();
      if (row.box.checked) {
        if (state.exclude.has(k)) state.exclude.delete(k);
        if (!coverage.has(k) || !coverageVisible(k)) {
          var r = { region: li.dataset.region, side: li.dataset.side, intensity: clampNrs(row.num.value) };
          var q = quality(); if (q) r.quality = q;
          state.regions.set(k, r);
        }
      } else {
        state.regions.delete(k);
        if (coverage.has(k)) state.exclude.add(k);
      }
      renderAll(); changed(true);
    });
    row.num.addEventListener("change", function () {
      var n = clampNrs(row.num.value);
      row.num.value = n;
      if (!row.box.checked && !state.regions.has(k)) return;
      snapshot();
      var old = state.regions.get(k);
      var r = { region: li.dataset.region, side: li.dataset.side, intensity: n };
      if (old && old.quality) r.quality = old.quality;
      state.regions.set(k, r); state.exclude.delete(k);
      renderAll(); changed(true);
    });
  });
  function clampNrs(v) { v = Math.round(+v); return v >= 1 && v <= 10 ? v : Math.max(1, Math.min(10, v || 6)); }
  function coverageVisible(k) { var c = coverage.get(k); return c && !c.excluded; }
  var q = document.getElementById("region-q"), countEl = document.getElementById("region-count");
  function filterRows() {
    var words = q.value.toLowerCase().trim().split(/\s+/).filter(Boolean), n = 0;
    rows.forEach(function (row) {
      var s = row.li.dataset.search, hit = words.every(function (w) { return s.indexOf(w) >= 0; });
      row.li.hidden = !hit; if (hit) n++;
    });
    countEl.textContent = n + " " + (n === 1 ? T.region : T.regions) + " " + T.shown;
  }
  q.addEventListener("input", filterRows);
  filterRows();

  function syncList(pm) {
    var inMap = new Map();
    pm.regions.forEach(function (r) { inMap.set(key(r.region, r.side), r); });
    rows.forEach(function (row, k) {
      var r = inMap.get(k), cov = coverage.get(k);
      var st = r ? (state.regions.has(k) ? T.chosen : T.drawn + (cov ? " " + pct(cov.fraction) : ""))
                 : (state.exclude.has(k) && cov ? T.off : "");
      var sig = (r ? "1" : "0") + (r ? r.intensity : "") + st;
      if (sig === row.sig) return;
      row.sig = sig;
      row.box.checked = !!r;
      if (r) row.num.value = r.intensity;
      row.st.textContent = st;
    });
    deepBtns.forEach(function (b) {
      b.setAttribute("aria-pressed", inMap.has(key(b.dataset.region, b.dataset.side)) ? "true" : "false");
    });
  }

  // ------------------------------------------------------------------ talking to the server
  var timer = null, controller = null, lastSent = -1e9, changeAt = 0;
  var THROTTLE = 50;
  function changed(now) {
    emit("knoop:change", {});
    undoBtn.disabled = history.length === 0;
    clearBtn.disabled = !state.strokes.length && !state.regions.size && !state.exclude.size;
    changeAt = performance.now();
    if (timer) clearTimeout(timer);
    // debounced to at most one request per ~50 ms; a change after a quiet spell goes at once
    var wait = Math.max(0, THROTTLE - (changeAt - lastSent));
    timer = setTimeout(send, now ? wait : THROTTLE);
  }
  function body() {
    var f = [];
    state.findings.forEach(function (result, k) { var p = k.split("|"); f.push({ muscle: p[0], side: p[1], result: result }); });
    return JSON.stringify({
      strokes: state.strokes,
      regions: Array.from(state.regions.values()).map(function (r) {
        var o = { region: r.region, intensity: r.intensity };
        if (r.side && r.side !== "midline") o.side = r.side;
        if (r.quality) o.quality = r.quality;
        return o;
      }),
      exclude: Array.from(state.exclude).map(function (k) { var p = k.split("|"); return p[1] === "midline" ? { region: p[0] } : { region: p[0], side: p[1] }; }),
      symptoms: Array.from(state.symptoms), screening: Array.from(state.screening), findings: f,
      // on a session: the client's age, for the red-flag rules (as the stored ranking has it)
      client: root.dataset.clientAge ? { age: +root.dataset.clientAge } : undefined
    });
  }
  var resultsEl = document.getElementById("results");
  function send() {
    timer = null;
    if (controller) controller.abort();   // a newer drawing makes the running request stale
    controller = new AbortController();
    var myController = controller, since = changeAt;
    lastSent = performance.now();
    resultsEl.setAttribute("aria-busy", "true");
    fetch(root.dataset.api + "?lang=" + LANG + (MODE === "client" ? "&top=1" : ""), {
      method: "POST", headers: { "Content-Type": "application/json" }, body: body(), signal: controller.signal
    }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw new Error(j.error ? j.error.message : r.status); return j; });
    }).then(function (j) {
      if (myController !== controller) return;
      controller = null;
      apply(j);
      var t = performance.now();
      resultsEl.setAttribute("aria-busy", "false");
      resultsEl.dataset.updatedAt = t.toFixed(1);
      resultsEl.dataset.latency = (t - since).toFixed(1);
      document.dispatchEvent(new CustomEvent("knoop:ranked", { detail: { at: t, changeAt: since, latency: t - since } }));
    }).catch(function (err) {
      if (err.name === "AbortError") return;
      resultsEl.setAttribute("aria-busy", "false");
      document.getElementById("results-note").textContent = T.error + err.message;
    });
  }

  function apply(j) {
    coverage = new Map();
    j.coverage.forEach(function (c) { coverage.set(key(c.region, c.side), c); });
    syncList(j.painmap);
    if (MODE === "client") return;   // the client sees no muscles or scores
    lastRanking = j.ranking;
    renderFlags(j.ranking.red_flags);
    renderRanking(j.ranking);
    if (selected) renderSelected();
  }

  // ------------------------------------------------------------------ results
  function text(tag, cls, s) { var e = el(tag, cls ? { "class": cls } : null); e.textContent = s; return e; }
  function renderFlags(flags) {
    var box = document.getElementById("flags");
    var ids = flags.map(function (f) { return f.id; }).join(",");
    if (!flags.length) { box.hidden = true; box.textContent = ""; resultsEl.inert = false; resultsEl.removeAttribute("inert"); return; }
    var acked = ids === ackedFlags || (ackedFlags && ids.split(",").every(function (i) { return ackedFlags.split(",").indexOf(i) >= 0; }));
    box.hidden = false;
    box.textContent = "";
    box.setAttribute("role", acked ? "region" : "alert");
    box.setAttribute("aria-label", T.flagsTitle);
    box.classList.toggle("acked", !!acked);
    box.appendChild(text("h3", null, T.flagsTitle));
    var ul = el("ul");
    flags.forEach(function (f) {
      var li = el("li", { "data-flag": f.id, "data-urgency": f.urgency });
      li.appendChild(text("span", "urgency", (T.urg[f.urgency] || f.urgency) + ": "));
      li.appendChild(document.createTextNode(f.message));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    // on a session, an emergency sign is not clicked away: it needs a written reason
    var emergency = root.dataset.mode === "session" &&
      flags.some(function (f) { return f.urgency === "emergency"; });
    if (acked) {
      box.appendChild(text("p", "muted small", T.acked));
      resultsEl.inert = false; resultsEl.removeAttribute("inert");
    } else {
      var reason = null;
      if (emergency) {
        var lbl = text("label", "lbl", T.reasonLabel);
        lbl.setAttribute("for", "override-reason");
        reason = el("textarea", { id: "override-reason", rows: "2", maxlength: "2000" });
        box.appendChild(lbl); box.appendChild(reason);
      }
      var b = text("button", "ack", emergency ? T.override : T.ack);
      b.type = "button"; b.id = "ack-flags";
      b.addEventListener("click", function () {
        var why = reason ? reason.value.trim() : "";
        if (reason && why.length < 10) {
          reason.setAttribute("aria-invalid", "true"); reason.focus();
          var hint = box.querySelector(".reason-hint") || box.appendChild(text("p", "reason-hint small error", ""));
          hint.textContent = T.reasonShort;
          return;
        }
        ackedFlags = ids; renderFlags(flags);
        emit("knoop:flags-acked", { flags: ids.split(","), reason: why,
          urgency: flags.reduce(function (o, f) { o[f.id] = f.urgency; return o; }, {}) });
        if (selected) renderSelected();
        var first = resultsEl.querySelector(".pick"); if (first) first.focus();
      });
      box.appendChild(b);
      resultsEl.inert = true; resultsEl.setAttribute("inert", "");
      selBox.hidden = true;
    }
  }
  root.addEventListener("knoop:flags-refused", function () {
    ackedFlags = "";
    if (lastRanking) renderFlags(lastRanking.red_flags || []);
  });
  function findingOf(m, side) { return state.findings.get(m + "|" + side); }
  function renderRanking(r) {
    var note = document.getElementById("results-note");
    note.textContent = r.notes.filter(function (n) { return !/rode vlaggen|red flags/i.test(n); }).join(" ");
    var ol = document.getElementById("candidates");
    var list = r.candidates, limit = showAll ? list.length : 8;
    var frag = document.createDocumentFragment();
    list.slice(0, limit).forEach(function (c) { frag.appendChild(candidateItem(c)); });
    list.slice(limit).forEach(function (c) { if (c.finding) frag.appendChild(candidateItem(c)); });
    ol.textContent = ""; ol.appendChild(frag);
    placeSelected();
    var more = document.getElementById("more");
    more.hidden = list.length <= 8;
    more.textContent = showAll ? T.less : T.more;
    var tb = document.getElementById("together-box"), tl = document.getElementById("together");
    tl.textContent = "";
    tb.hidden = !r.together.length;
    var names = {};
    list.forEach(function (c) { names[c.muscle + "|" + c.side] = c.name; });
    r.together.forEach(function (p) {
      var li = el("li", { "data-muscle": p.muscle, "data-side": p.side });
      li.appendChild(text("span", null, (names[p.muscle + "|" + p.side] || p.muscle) + " (" + sideWord(p.side) + ")"));
      li.appendChild(text("span", "muted", T.explains + " " + pct(p.explains)));
      var bar = el("div", { "class": "bar", "aria-hidden": "true" }), i = el("i");
      i.style.width = Math.round(p.explains * 100) + "%";
      bar.appendChild(i); li.appendChild(bar); tl.appendChild(li);
    });
  }
  function candidateItem(c) {
    var li = el("li", { "class": "cand", "data-muscle": c.muscle, "data-side": c.side, "data-rank": c.rank });
    if (selected && selected.muscle === c.muscle && selected.side === c.side) li.classList.add("sel");
    var b = el("button", { type: "button", "class": "pick", "aria-pressed": li.classList.contains("sel") ? "true" : "false",
                           title: T.select });
    b.appendChild(text("span", "rk", c.rank + "."));
    var nm = text("span", "nm", c.name);
    if (c.finding) nm.appendChild(text("span", "badge " + c.finding, T[c.finding]));
    b.appendChild(nm);
    b.appendChild(text("span", "sd", sideWord(c.side)));
    b.appendChild(text("span", "sc", pct(c.score)));
    // the accessible name is the visible text (WCAG 2.5.3), with "score" for screen readers
    b.insertBefore(text("span", "sr-only", T.score + " "), b.lastChild);
    b.addEventListener("click", function () { select(c.muscle, c.side); });
    li.appendChild(b);
    var bar = el("div", { "class": "bar", "aria-hidden": "true" }), i = el("i");
    i.style.width = Math.max(2, Math.round(c.score * 100)) + "%";
    bar.appendChild(i); li.appendChild(bar);
    var ul = el("ul", { "class": "why" });
    var sel = li.classList.contains("sel");
    c.reasons_for.slice(0, sel ? 99 : 3).forEach(function (s) { ul.appendChild(text("li", "pro", s)); });
    c.reasons_against.slice(0, sel ? 99 : 2).forEach(function (s) { ul.appendChild(text("li", "con", s)); });
    li.appendChild(ul);
    return li;
  }
  document.getElementById("more").addEventListener("click", function () {
    showAll = !showAll; if (lastRanking) renderRanking(lastRanking);
  });

  // ------------------------------------------------------------------ a selected muscle
  function select(m, side) {
    if (selected && selected.muscle === m && selected.side === side) { selected = null; clearOverlay(); renderSelected(); markSelected(); return; }
    selected = { muscle: m, side: side };
    markSelected();
    placeSelected();
    if (lastRanking) renderRanking(lastRanking);
    showOverlay();
  }
  var selBox = document.getElementById("selected");
  function placeSelected() {
    // the selected muscle's details open inside its list item (or on top when it left the list)
    var li = selected && root.querySelector('.cand[data-muscle="' + selected.muscle + '"][data-side="' + selected.side + '"]');
    if (li) li.appendChild(selBox);
    else resultsEl.insertBefore(selBox, resultsEl.firstChild);
  }
  function markSelected() {
    root.querySelectorAll(".cand").forEach(function (li) {
      var on = !!selected && li.dataset.muscle === selected.muscle && li.dataset.side === selected.side;
      li.classList.toggle("sel", on);
      li.querySelector(".pick").setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  function clearOverlay() { Object.keys(svgs).forEach(function (v) { svgs[v].__ov.textContent = ""; }); }
  function showOverlay() {
    if (!selected) return;
    var s = selected, v = view, ck = s.muscle + "|" + s.side + "|" + v;
    var got = overlayCache.get(ck);
    var p = got ? Promise.resolve(got) : fetch(root.dataset.overlay + encodeURIComponent(s.muscle) + "/overlay?side=" + s.side +
      "&view=" + v + "&lang=" + LANG).then(function (r) { return r.json(); });
    p.then(function (o) {
      if (!o || o.error) return;
      overlayCache.set(ck, o);
      if (!selected || selected.muscle !== s.muscle || selected.side !== s.side || view !== v) return;
      drawOverlay(o); renderSelected(o);
      if (focusAfterOverlay) { focusAfterOverlay = false; focusFindings(); }
    });
  }
  function drawOverlay(o) {
    clearOverlay();
    var svg = svgs[o.view];
    if (!svg) return;
    var g = svg.__ov;
    function zone(list, cls) {
      list.forEach(function (k) {
        svg.querySelectorAll('path.region[data-region="' + k.region + '"][data-side="' + k.side + '"]').forEach(function (p) {
          var a = { d: p.getAttribute("d"), "class": cls };
          if (cls === "ov-ess") { a.fill = "#b3261e"; a["fill-opacity"] = "0.55"; a.stroke = "#7d1610"; a["stroke-width"] = "1.6"; }
          else { a.fill = "url(#ov-st-" + o.view + ")"; a.stroke = "#c4453a"; a["stroke-width"] = "1"; a["stroke-dasharray"] = "3 2"; }
          g.appendChild(el("path", a, true));
        });
      });
    }
    // smooth shapes from the server (softened unions of the regions); region by region otherwise
    var sh = o.shapes || {};
    if (sh.spillover || sh.essential) {
      if (sh.spillover) g.appendChild(el("path", { d: sh.spillover, "class": "ov-spill", fill: "url(#ov-st-" + o.view + ")",
        stroke: "#c4453a", "stroke-width": "1", "stroke-dasharray": "3 2" }, true));
      if (sh.essential) g.appendChild(el("path", { d: sh.essential, "class": "ov-ess", fill: "#b3261e", "fill-opacity": "0.55",
        stroke: "#7d1610", "stroke-width": "1.6" }, true));
    } else {
      zone(o.spillover, "ov-spill");
      zone(o.essential, "ov-ess");
    }
    o.trigger_points.forEach(function (tp) {
      if (!tp.mark) return;
      var x = tp.mark.x, y = tp.mark.y, r = 7;
      var d = "M" + (x - r) + " " + (y - r) + "L" + (x + r) + " " + (y + r) + "M" + (x - r) + " " + (y + r) + "L" + (x + r) + " " + (y - r);
      var mg = el("g", { "class": "ov-mark", "data-trigger-point": tp.id, "data-x": x, "data-y": y }, true);
      var det = selected && state.details.get(selected.muscle + "|" + selected.side);
      if (det && det.trigger_point === tp.id) mg.appendChild(el("circle", { cx: x, cy: y, r: 12, fill: "none", stroke: "#1a5fb4", "stroke-width": "3" }, true));
      mg.appendChild(el("path", { d: d, stroke: "#fff", "stroke-width": "5", "stroke-linecap": "round" }, true));
      mg.appendChild(el("path", { d: d, stroke: "#111", "stroke-width": "2.4", "stroke-linecap": "round" }, true));
      g.appendChild(mg);
    });
  }
  function renderSelected(o) {
    var box = selBox;
    if (!selected) { box.hidden = true; box.textContent = ""; return; }
    if (!o) o = overlayCache.get(selected.muscle + "|" + selected.side + "|" + view);
    if (!o) return;
    var cand = lastRanking && lastRanking.candidates.filter(function (c) { return c.muscle === o.muscle && c.side === o.side; })[0];
    box.hidden = resultsEl.inert;
    box.textContent = "";
    box.dataset.muscle = o.muscle; box.dataset.side = o.side;
    var h = text("h3", null, o.name + " (" + sideWord(o.side) + ")");
    h.appendChild(text("span", "latin", " " + o.latin));
    box.appendChild(h);
    var lg = el("p", { "class": "legend-ov" });
    lg.appendChild(el("span", { "class": "key ess" })); lg.appendChild(document.createTextNode(T.essential));
    lg.appendChild(el("span", { "class": "key spill" })); lg.appendChild(document.createTextNode(T.spill));
    lg.appendChild(text("span", "key x", "✕")); lg.appendChild(document.createTextNode(T.tp));
    box.appendChild(lg);
    if (o.best_view !== view) {
      var p = text("p", "small", T.onView + " ");
      var b = text("button", "secondary", T.show + ": " + (VIEW_NAMES[o.best_view] || o.best_view));
      b.type = "button";
      b.addEventListener("click", function () { showView(o.best_view); });
      p.appendChild(b); box.appendChild(p);
    }
    box.appendChild(text("p", "small", T.findingQ));
    var fd = el("div", { "class": "findings", role: "group", "aria-label": T.findingQ });
    ["active", "latent", "none_found"].forEach(function (res) {
      var cur = findingOf(o.muscle, o.side) === res;
      var fb = text("button", null, T[res]);
      fb.type = "button"; fb.dataset.result = res; fb.setAttribute("aria-pressed", cur ? "true" : "false");
      fb.addEventListener("click", function () {
        snapshot();
        var k = o.muscle + "|" + o.side;
        if (state.findings.get(k) === res) state.findings.delete(k); else state.findings.set(k, res);
        renderSelected(o);
        changed(true);
        if (MODE === "session") emitFinding(o.muscle, o.side);
      });
      fd.appendChild(fb);
    });
    box.appendChild(fd);
    if (MODE === "session") box.appendChild(criteriaBox(o));
    if (!cand) box.appendChild(text("p", "muted small", o.name + ": " + T.noLonger));
    var dl = el("dl");
    o.trigger_points.forEach(function (tp) {
      dl.appendChild(text("dt", null, "✕ " + tp.name + (tp.mark ? "" : " " + T.noMark)));
      dl.appendChild(text("dd", null, T.howto + ": " + tp.how_to_find));
    });
    box.appendChild(dl);
    var a = text("a", null, T.kb);
    a.href = o.kb_page + (LANG === "en" ? "?lang=en" : "");
    box.appendChild(a);
  }

  function criteriaBox(o) {
    var k = o.muscle + "|" + o.side, det = state.details.get(k) || {};
    var wrap = el("div", { "class": "criteria" });
    var fs = el("fieldset", { "class": "crit" });
    fs.appendChild(text("legend", null, T.tpWhich));
    var tps = [{ id: "", name: T.tpAny }].concat(o.trigger_points);
    tps.forEach(function (tp) {
      var id = "tp-" + o.muscle + "-" + o.side + "-" + (tp.id || "none");
      var lab = el("label", { "for": id });
      var r = el("input", { type: "radio", name: "tp-" + o.muscle + "-" + o.side, id: id, value: tp.id });
      r.checked = (det.trigger_point || "") === (tp.id || "");
      r.addEventListener("change", function () {
        det.trigger_point = tp.id || null; state.details.set(k, det);
        drawOverlayFromCache();
        if (state.findings.has(k)) emitFinding(o.muscle, o.side);
      });
      lab.appendChild(r); lab.appendChild(document.createTextNode(" " + tp.name));
      fs.appendChild(lab);
    });
    fs.appendChild(text("p", "muted small", T.tapX));
    wrap.appendChild(fs);
    var cs = el("fieldset", { "class": "crit" });
    cs.appendChild(text("legend", null, T.criteria));
    Object.keys(T.crit).forEach(function (c) {
      var id = "cr-" + o.muscle + "-" + o.side + "-" + c;
      var lab = el("label", { "for": id });
      var b = el("input", { type: "checkbox", id: id, "data-criterion": c });
      b.checked = !!det[c];
      b.addEventListener("change", function () {
        det[c] = b.checked; state.details.set(k, det);
        if (state.findings.has(k)) emitFinding(o.muscle, o.side);
      });
      lab.appendChild(b); lab.appendChild(document.createTextNode(" " + T.crit[c]));
      cs.appendChild(lab);
    });
    wrap.appendChild(cs);
    return wrap;
  }
  function drawOverlayFromCache() {
    if (!selected) return;
    var o = overlayCache.get(selected.muscle + "|" + selected.side + "|" + view);
    if (o) drawOverlay(o);
  }
  root.knoop = {
    body: function () { return JSON.parse(body()); },
    selected: function () { return selected; },
    select: function (m, side) { select(m, side); },
    choose: function (m, side, tp) { choose(m, side, tp); },
    // zoom: a close-up by id ("front.head"), or "" for the whole view
    closeup: function (v, id) { return openCloseup(v, id || ""); },
    ready: function (v) { return ensureView(v || "front"); }
  };

  // ------------------------------------------------------------------ start
  root.querySelectorAll(".chart-panel").forEach(function (p) { if (p.querySelector("svg")) initSvg(p); });
  ensureView("front").then(function () { ensureView("back"); });
  renderCloseups();
  changed(true);
})();
