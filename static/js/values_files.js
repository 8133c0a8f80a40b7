// Value file pages: a form marked data-busy shows its "working…" text and cannot be sent twice while an
// upload or an import runs. Delegated from the document so that forms swapped in by htmx work too.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-busy]")) { return; }
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    var text = form.querySelector("[data-busy-text]");
    if (text) { text.hidden = false; }
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
  });
})();
