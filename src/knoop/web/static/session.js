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
  // the version this page's state is based on: sent as If-Match with every write, so a
  // change made in another window or device is never overwritten without a warning
  var version = +root.dataset.version || 0;
  function post(path, data) {
    return fetch(API + path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF, "If-Match": '"v' + version + '"' },
      body: JSON.stringify(data)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (r.status === 401) { window.location.href = "/inloggen?verlopen=1&volgende=" + encodeURIComponent(location.pathname); }
        if (!r.ok) { var e = new Error((j.error && j.error.message) || r.status); e.field = j.error && j.error.field; e.status = r.status; e.current = j.current; throw e; }
        if (j.version) version = j.version;
        return j;
      });
    });
  }

  // ------------------------------------------------------------------ changed elsewhere
  var conflictEl = document.getElementById("conflict");
  var STASH = "knoop-unsaved-" + SID;
  function readable(data) {
    return Object.keys(data).filter(function (k) { return k !== "drawing"; }).map(function (k) {
      var lab = document.querySelector("label[for=" + k + "], label[for=t-" + k + "]");
      var v = data[k]; return (lab ? lab.textContent.trim() : k) + ": " + (Array.isArray(v) ? v.join(", ") : (v === null ? "" : v));
    }).join("\n") + (data.drawing ? "\n(" + (I18N.drawingChanged || "drawing") + ")" : "");
  }
  function showConflict(data, current, retry) {
    conflictEl.textContent = "";
    conflictEl.hidden = false;
    var p = document.createElement("p"); p.className = "error"; p.textContent = I18N.stale; conflictEl.appendChild(p);
    var lbl = document.createElement("label"); lbl.setAttribute("for", "conflict-mine"); lbl.textContent = I18N.yourText;
    var mine = document.createElement("textarea"); mine.id = "conflict-mine"; mine.readOnly = true; mine.rows = 4;
    mine.value = readable(data);
    conflictEl.appendChild(lbl); conflictEl.appendChild(mine);
    var keep = document.createElement("button"); keep.type = "button"; keep.id = "conflict-keep"; keep.textContent = I18N.keepMine;
    var load = document.createElement("button"); load.type = "button"; load.id = "conflict-load"; load.className = "secondary"; load.textContent = I18N.loadTheirs;
    keep.addEventListener("click", function () {   // knowingly over the other version
      if (current && current.version) version = current.version;
      conflictEl.hidden = true; retry();
    });
    load.addEventListener("click", function () {   // their version; mine stays to copy
      try { sessionStorage.setItem(STASH, mine.value); } catch (e) { /* private mode */ }
      window.removeEventListener("beforeunload", guard);
      location.reload();
    });
    conflictEl.appendChild(keep); conflictEl.appendChild(load);
    say(I18N.stale, "error");
    keep.focus();
  }
  (function stashed() {   // text kept from before "load the other version"
    var text = null;
    try { text = sessionStorage.getItem(STASH); sessionStorage.removeItem(STASH); } catch (e) { /* none */ }
    if (!text) return;
    conflictEl.hidden = false;
    var lbl = document.createElement("label"); lbl.setAttribute("for", "conflict-mine"); lbl.textContent = I18N.yourText;
    var mine = document.createElement("textarea"); mine.id = "conflict-mine"; mine.readOnly = true; mine.rows = 4; mine.value = text;
    var close = document.createElement("button"); close.type = "button"; close.className = "secondary"; close.textContent = "×";
    close.setAttribute("aria-label", I18N.close || "close");
    close.addEventListener("click", function () { conflictEl.hidden = true; });
    conflictEl.appendChild(lbl); conflictEl.appendChild(mine); conflictEl.appendChild(close);
  })();

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
      if (e.status === 412) {   // changed elsewhere: never overwrite silently, never lose mine
        Object.keys(data).forEach(function (k) { if (!(k in pending)) pending[k] = data[k]; });
        var mineNow = pending; pending = {};
        showConflict(mineNow, e.current, function () {
          Object.keys(mineNow).forEach(function (k) { if (!(k in pending)) pending[k] = mineNow[k]; });
          flush();
        });
        return;
      }
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
  function guard(e) {
    if (inFlight || Object.keys(pending).length || !conflictEl.hidden) { e.preventDefault(); e.returnValue = ""; }
  }
  window.addEventListener("beforeunload", guard);
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
    // emergency signs are overridden with the written reason; the others acknowledged
    var d = e.detail, body = { flags: [], override: {} };
    d.flags.forEach(function (f) {
      if ((d.urgency || {})[f] === "emergency") body.override[f] = d.reason; else body.flags.push(f);
    });
    flushNow().then(function () { return post("/flags", body); }).then(update).catch(function (err) {
      say((I18N.failed || "") + ": " + err.message, "error");
      root.dispatchEvent(new CustomEvent("knoop:flags-refused"));
    });
  });
  var findingChain = Promise.resolve();
  // the findings in force, so a finding taken back can be put back ("Ongedaan maken")
  var knownFindings = {};
  var FINDING_KEYS = ["muscle", "side", "result", "trigger_point", "pain_recognised", "tender_spot",
                      "taut_band", "referral_elicited", "twitch", "note"];
  try {
    (JSON.parse(document.getElementById("draw-init").textContent).findings || []).forEach(function (f) {
      knownFindings[f.muscle + "|" + f.side] = f;
    });
  } catch (err) { knownFindings = {}; }
  function findingBody(f) {
    var b = {};
    FINDING_KEYS.forEach(function (k) { if (f[k] !== undefined && f[k] !== "") b[k] = f[k]; });
    return b;
  }
  function offerFindingUndo(prev) {
    var fm = document.getElementById("finding-msg");
    if (!fm) return;
    fm.textContent = (I18N.findingRemoved || "") + " "; fm.className = "form-msg small ok";
    var u = document.createElement("button");
    u.type = "button"; u.className = "link small"; u.id = "undo-finding";
    u.textContent = I18N.undo || "Undo";
    u.addEventListener("click", function () {
      u.disabled = true;
      // the chart keeps its own state of the findings: reload it from the server afterwards
      post("/findings", findingBody(prev)).then(function () { window.location.reload(); }).catch(function (err) {
        u.disabled = false; fm.textContent = err.message; fm.className = "form-msg small error";
      });
    });
    fm.appendChild(u);
  }
  root.addEventListener("knoop:finding", function (e) {
    var d = e.detail, fkey = d.muscle + "|" + d.side, prev = knownFindings[fkey];
    say(I18N.saving || "…");
    // findings go one after another, so the last tap wins on the server as on screen
    findingChain = findingChain.then(function () {
      function send() {
        return post("/findings", d).then(function (j) {
          update(j); say(I18N.findingSaved || "Saved", "ok");
          if (d.result) { knownFindings[fkey] = d; } else if (prev) { delete knownFindings[fkey]; offerFindingUndo(prev); }
          var sel = document.getElementById("t-muscle");
          if ((d.result === "active" || d.result === "latent") && sel && !sel.value) { sel.value = d.muscle; document.getElementById("t-side").value = d.side; }
        });
      }
      return flushNow().then(send).catch(function (err) {
        if (err.status === 412) { showConflict(d, err.current, function () { send().catch(function (e2) { say((I18N.failed || "") + ": " + e2.message, "error"); }); }); return; }
        say((I18N.failed || "") + ": " + err.message, "error");
      });
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
    function send() {
      return post("/treatments", data).then(function (j) {
        update(j);
        msg.textContent = I18N.treated || ""; msg.className = "form-msg small ok";
        document.getElementById("t-duration").value = "";
      });
    }
    flushNow().then(send).catch(function (err) {
      if (err.status === 412) { showConflict(data, err.current, function () { send().catch(function (e2) { msg.textContent = e2.message; }); }); return; }
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
    var gone = treatmentsById[b.dataset.removeTreatment], row = b.closest("li");
    if (!gone && row && row.dataset.item) { try { gone = JSON.parse(row.dataset.item); } catch (err) { gone = null; } }
    flushNow().then(function () { return post("/treatments/" + b.dataset.removeTreatment + "/remove", {}); }).then(function (j) {
      update(j);
      msg.textContent = (I18N.removed || "") + " "; msg.className = "form-msg small ok";
      if (gone) msg.appendChild(undoButton(gone));
      (msg.querySelector("button") || document.getElementById("add-treatment")).focus();
    }).catch(function (err) {
      b.disabled = false;
      msg.textContent = err.message; msg.className = "form-msg small error";
    });
  });

  // a removed treatment can be put back: the same fields recorded again
  var treatmentsById = {};
  function undoButton(x) {
    var u = document.createElement("button");
    u.type = "button"; u.className = "link small"; u.id = "undo-remove";
    u.textContent = I18N.undo || "Undo";
    u.addEventListener("click", function () {
      u.disabled = true;
      post("/treatments", { muscle: x.muscle, side: x.side, technique: x.technique_id,
                            duration_min: x.duration_min, pressure_tolerance: x.pressure_tolerance || null,
                            note: x.note || null }).then(function (j) {
        update(j);
        msg.textContent = I18N.restored || ""; msg.className = "form-msg small ok";
        document.getElementById("add-treatment").focus();
      }).catch(function (err) {
        u.disabled = false; msg.textContent = err.message; msg.className = "form-msg small error";
      });
    });
    return u;
  }

  // ------------------------------------------------------------------ the note
  var noteTimer = null;
  var notes = document.querySelectorAll("[data-note]");
  function saveNote() {
    var data = {};
    notes.forEach(function (t) { data[t.dataset.note] = t.value; });
    say(I18N.saving || "…");
    function send() { return post("/note", data).then(function (j) { clearInvalid(); update(j); say(I18N.saved || "Saved", "ok"); }); }
    send().catch(function (err) {
      if (err.status === 412) { showConflict(data, err.current, function () { send().catch(function (e2) { say((I18N.failed || "") + ": " + e2.message, "error"); }); }); return; }
      say((I18N.failed || "") + ": " + err.message, "error"); markInvalid(err.field);
    });
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
    treatmentsById = {};
    j.treatments.forEach(function (x) {
      treatmentsById[x.id] = x;
      var e = li(x.name + " (" + x.side_name + "): " + x.technique + (x.duration_min ? ", " + x.duration_min + " " + (I18N.minutes || "min") : "") + (x.pressure ? ", " + (I18N.pressure ? I18N.pressure + " " : "") + x.pressure : ""));
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
