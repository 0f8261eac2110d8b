/* knoop: small helpers for ordinary pages (no build step, no inline script). */
(function () {
  "use strict";
  var url = document.getElementById("intake-url");
  if (url) {
    url.addEventListener("focus", function () { url.select(); });
    url.focus();
  }
  function say(btn, text) {
    var status = document.getElementById(btn.getAttribute("data-status") || "copy-status");
    if (status) status.textContent = text;
  }
  /* A button with data-copy="<id>" copies that field's text; the clipboard API needs a secure
     context, so on plain http the field is selected and copied the old way. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (btn) {
    btn.addEventListener("click", function () {
      var field = document.getElementById(btn.getAttribute("data-copy"));
      if (!field) return;
      var done = btn.getAttribute("data-done") || "✓";
      function fallback() {
        if (field.select) { field.focus(); field.select(); } else {
          var range = document.createRange(); range.selectNodeContents(field);
          var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        }
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        say(btn, ok ? done : (btn.getAttribute("data-manual") || ""));
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value || field.textContent || "").then(
          function () { say(btn, done); }, fallback);
      } else {
        fallback();
      }
    });
  });
  /* A skip link with data-open="<details id>" opens that section and puts the focus in it
     (data-focus: the field to start in), so the region list is two Tab presses away. */
  Array.prototype.forEach.call(document.querySelectorAll("a[data-open]"), function (a) {
    a.addEventListener("click", function (e) {
      var box = document.getElementById(a.getAttribute("data-open"));
      if (!box) return;
      e.preventDefault();
      box.open = true;
      box.scrollIntoView({ block: "start" });
      var target = document.getElementById(a.getAttribute("data-focus") || "") ||
        box.querySelector("summary");
      if (target) target.focus();
    });
  });
  /* Print one part of a page: body gets data-printing="<part>" while the dialog is open; the
     print style shows only that part (the SOAP note of a session). */
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (btn) {
    btn.addEventListener("click", function () {
      document.body.setAttribute("data-printing", btn.getAttribute("data-print"));
      window.print();
    });
  });
  window.addEventListener("afterprint", function () { document.body.removeAttribute("data-printing"); });
})();
