/* knoop: the session page (/sessies/{id}). Autosave, findings, treatments, note, steps.
 *
 * chart.js runs the drawing and the live ranking; this script saves as the therapist works:
 * field and drawing changes are collected and sent as one request (one transaction) after a
 * short pause, one request at a time; a failed request is retried, and leaving the page with
 * unsaved changes asks first. Every POST carries the CSRF token in X-CSRF-Token.
 */
(function () {
  "use strict";
  var root = document.getElementById("draw");
  if (!root || root.dataset.mode !== "session") return;
  var SID = root.dataset.session;
  var API = "/api/v1/sessions/" + SID;
  var READONLY = !!root.dataset.readonly;
  var meta = document.querySelector("meta[name=csrf-token]");
  var CSRF = meta ? meta.content : "";
  var I18N = {};
  try { I18N = JSON.parse(document.getElementById("session-i18n").textContent); } catch (e) { /* defaults */ }
  var statusEl = document.getElementById("save-status");

  function say(text, cls) {
    statusEl.textContent = text;
    statusEl.className = "save-status small " + (cls || "muted");
  }
  function post(path, data) {
    return fetch(API + path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
      body: JSON.stringify(data)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (r.status === 401) { window.location.href = "/inloggen?verlopen=1&volgende=" + encodeURIComponent(location.pathname); }
        if (!r.ok) { var e = new Error((j.error && j.error.message) || r.status); e.field = j.error && j.error.field; e.status = r.status; throw e; }
        return j;
      });
    });
  }

  // ------------------------------------------------------------------ autosave queue
  var pending = {}, inFlight = false, timer = null, retry = 0, fieldError = null;
  function drawingPart() {
    var b = root.knoop.body();
    return { strokes: b.strokes, regions: b.regions, exclude: b.exclude, symptoms: b.symptoms, screening: b.screening };
  }
  var lastDrawing = JSON.stringify(drawingPart());
  function queue(fields, wait) {
    if (READONLY) return;
    Object.keys(fields).forEach(function (k) { pending[k] = fields[k]; });
    say(I18N.saving || "…");
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, wait === undefined ? 600 : wait);
  }
  function flush() {
    timer = null;
    if (inFlight || !Object.keys(pending).length) return;
    var data = pending; pending = {};
    inFlight = true;
    post("", data).then(function (j) {
      inFlight = false; retry = 0;
      if (data.drawing) lastDrawing = JSON.stringify(data.drawing);
      update(j);
      if (fieldError && !(fieldError.base in data)) {   // the rest is saved; the bad field is not
        say(fieldError.text, "error");
      } else {
        fieldError = null; clearInvalid();
        say((I18N.saved || "Saved") + " " + new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" }), "ok");
      }
      if (Object.keys(pending).length) flush();
    }).catch(function (e) {
      inFlight = false;
      if (e.status === 422 || e.status === 409) {   // bad input: say which field, keep the rest
        fieldError = { base: (e.field || "").split(/[\[.]/)[0], text: (I18N.failed || "Not saved") + ": " + e.message };
        say(fieldError.text, "error");
        markInvalid(e.field);
        var rest = {};
        Object.keys(data).forEach(function (k) { if (!(e.field || "").startsWith(k)) rest[k] = data[k]; });
        Object.keys(rest).forEach(function (k) { if (!(k in pending)) pending[k] = rest[k]; });
        if (Object.keys(pending).length && Object.keys(rest).length) timer = setTimeout(flush, 400);
        return;
      }
      Object.keys(data).forEach(function (k) { if (!(k in pending)) pending[k] = data[k]; });
      say(I18N.offline || "Not saved", "error");
      retry = Math.min(retry + 1, 6);
      timer = setTimeout(flush, 500 * Math.pow(2, retry));
    });
  }
  window.addEventListener("beforeunload", function (e) {
    if (inFlight || Object.keys(pending).length) { e.preventDefault(); e.returnValue = ""; }
  });
  function markInvalid(field) {
    var base = (field || "").split(/[\[.]/)[0];
    var input = base && document.querySelector("[data-save=" + base + "], [data-note=" + base + "]");
    if (input) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", "save-status"); }
  }
  function clearInvalid() {
    document.querySelectorAll("[data-save][aria-invalid], [data-note][aria-invalid]").forEach(function (i) {
      i.removeAttribute("aria-invalid"); i.removeAttribute("aria-describedby");
    });
  }

  // fields of step 1 and 4
  function valueOf(name) {
    if (name === "causes") {
      return Array.prototype.map.call(document.querySelectorAll("input[data-save=causes]:checked"), function (c) { return c.value; });
    }
    var i = document.querySelector("[data-save=" + name + "]");
    var v = i.value;
    if (name === "nrs_before" || name === "nrs_after") return v === "" ? null : (/^\d+$/.test(v) ? +v : v);
    return v;
  }
  document.querySelectorAll("[data-save]").forEach(function (i) {
    var name = i.dataset.save;
    i.addEventListener(i.tagName === "TEXTAREA" ? "input" : "change", function () {
      var f = {}; f[name] = valueOf(name); queue(f, i.tagName === "TEXTAREA" ? 900 : 300);
    });
  });
  // the drawing, symptoms and screening: chart.js says when anything changed
  root.addEventListener("knoop:change", function () {
    var d = drawingPart(), s = JSON.stringify(d);
    if (s === lastDrawing) return;
    queue({ drawing: d }, 700);
  });

  // ------------------------------------------------------------------ red flags, findings
  root.addEventListener("knoop:flags-acked", function (e) {
    post("/flags", { flags: e.detail.flags }).then(update).catch(function (err) { say((I18N.failed || "") + ": " + err.message, "error"); });
  });
  var findingChain = Promise.resolve();
  root.addEventListener("knoop:finding", function (e) {
    var d = e.detail;
    say(I18N.saving || "…");
    // findings go one after another, so the last tap wins on the server as on screen
    findingChain = findingChain.then(function () {
      return flushNow().then(function () { return post("/findings", d); }).then(function (j) {
        update(j); say(I18N.findingSaved || "Saved", "ok");
        var sel = document.getElementById("t-muscle");
        if ((d.result === "active" || d.result === "latent") && sel && !sel.value) { sel.value = d.muscle; document.getElementById("t-side").value = d.side; }
      }).catch(function (err) { say((I18N.failed || "") + ": " + err.message, "error"); });
    });
  });
  function flushNow() {   // the drawing first, so the ranking the finding refines is saved
    if (timer) { clearTimeout(timer); timer = null; }
    if (!Object.keys(pending).length && !inFlight) return Promise.resolve();
    return new Promise(function (resolve) {
      var wait = function () { if (!inFlight && !Object.keys(pending).length) resolve(); else { if (!inFlight) flush(); setTimeout(wait, 60); } };
      wait();
    });
  }

  // ------------------------------------------------------------------ treatments
  var form = document.getElementById("treatment-form");
  var msg = document.getElementById("treatment-msg");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (READONLY) return;
    var fd = new FormData(form), data = {};
    fd.forEach(function (v, k) { data[k] = v; });
    if (!data.muscle) { msg.textContent = I18N.pickMuscle || ""; msg.className = "form-msg small error"; document.getElementById("t-muscle").focus(); return; }
    data.duration_min = data.duration_min === "" ? null : data.duration_min;
    var btn = document.getElementById("add-treatment");
    btn.disabled = true;
    flushNow().then(function () { return post("/treatments", data); }).then(function (j) {
      update(j);
      msg.textContent = I18N.treated || ""; msg.className = "form-msg small ok";
      document.getElementById("t-duration").value = "";
    }).catch(function (err) {
      msg.textContent = err.message; msg.className = "form-msg small error";
      var f = (err.field || "").split(/[\[.]/)[0];
      var input = form.querySelector("[name=" + f + "]");
      if (input) input.focus();
    }).then(function () { btn.disabled = false; });
  });

  // a treatment recorded by mistake: its remove button (one request, CSRF header as above)
  document.getElementById("treatments-list").addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-remove-treatment]");
    if (!b || READONLY) return;
    b.disabled = true;
    flushNow().then(function () { return post("/treatments/" + b.dataset.removeTreatment + "/remove", {}); }).then(function (j) {
      update(j);
      msg.textContent = I18N.removed || ""; msg.className = "form-msg small ok";
      document.getElementById("add-treatment").focus();
    }).catch(function (err) {
      b.disabled = false;
      msg.textContent = err.message; msg.className = "form-msg small error";
    });
  });

  // ------------------------------------------------------------------ the note
  var noteTimer = null;
  var notes = document.querySelectorAll("[data-note]");
  function saveNote() {
    var data = {};
    notes.forEach(function (t) { data[t.dataset.note] = t.value; });
    say(I18N.saving || "…");
    post("/note", data).then(function (j) { clearInvalid(); update(j); say(I18N.saved || "Saved", "ok"); })
      .catch(function (err) { say((I18N.failed || "") + ": " + err.message, "error"); markInvalid(err.field); });
  }
  notes.forEach(function (t) {
    t.addEventListener("input", function () { if (noteTimer) clearTimeout(noteTimer); noteTimer = setTimeout(saveNote, 900); });
  });

  // ------------------------------------------------------------------ what the server says
  function li(text, cls) { var e = document.createElement("li"); e.textContent = text; if (cls) e.className = cls; return e; }
  function update(j) {
    if (!j || !j.findings) return;
    var fl = document.getElementById("findings-list");
    fl.textContent = "";
    j.findings.forEach(function (f) {
      var e = document.createElement("li");
      e.appendChild(document.createTextNode(f.name + " (" + f.side_name + "): "));
      var b = document.createElement("strong"); b.textContent = f.result_name; e.appendChild(b);
      var extra = (f.trigger_point ? " · " + f.trigger_point : "") + (f.criteria.length ? " · " + f.criteria.join(", ") : "");
      if (extra) e.appendChild(document.createTextNode(extra));
      e.dataset.muscle = f.muscle; e.dataset.side = f.side; e.dataset.result = f.result;
      fl.appendChild(e);
    });
    if (!j.findings.length) fl.appendChild(li("–", "muted empty"));
    var tl = document.getElementById("treatments-list");
    tl.textContent = "";
    j.treatments.forEach(function (x) {
      var e = li(x.name + " (" + x.side_name + "): " + x.technique + (x.duration_min ? ", " + x.duration_min + " " + (I18N.minutes || "min") : "") + (x.pressure ? ", " + x.pressure : ""));
      e.dataset.treatment = x.id;
      if (!READONLY) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "link small remove"; b.dataset.removeTreatment = x.id;
        b.textContent = I18N.remove || "remove";
        b.setAttribute("aria-label", (I18N.removeTreatment || "Remove treatment") + ": " + x.name + " (" + x.side_name + ")");
        e.appendChild(document.createTextNode(" ")); e.appendChild(b);
      }
      tl.appendChild(e);
    });
    if (!j.treatments.length) tl.appendChild(li("–", "muted empty"));
    if (j.soap_text) document.getElementById("soap-text").textContent = j.soap_text;
  }

  // ------------------------------------------------------------------ steps
  var panelSteps = document.querySelectorAll(".session-panel .step");
  var links = document.querySelectorAll(".steps a");
  function show(step) {
    links.forEach(function (a) { if (a.dataset.step === step) a.setAttribute("aria-current", "step"); else a.removeAttribute("aria-current"); });
    if (step === "1" || step === "4" || step === "5") {
      panelSteps.forEach(function (p) { p.hidden = p.dataset.step !== step; });
    }
  }
  links.forEach(function (a) {
    a.addEventListener("click", function (e) {
      var step = a.dataset.step;
      show(step);
      if (step === "1" || step === "4" || step === "5") {
        e.preventDefault();
        var h = document.getElementById("step-" + step + "-h");
        if (h) { h.tabIndex = -1; h.focus(); }
      }
    });
  });
  show(location.hash === "#step-4" ? "4" : location.hash === "#step-5" ? "5" : "1");
  // picking a muscle in the results opens step 4 (charting) beside it
  document.getElementById("candidates").addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest(".pick")) show("4");
  });
  // ... and so does choosing a muscle in the chart's picker (the "Chart finding" tool)
  root.addEventListener("knoop:select", function () { show("4"); });
})();
