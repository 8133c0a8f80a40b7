// Values pages (entry, review queue, completeness). No inline scripts anywhere (Content-Security-Policy).
(function () {
  "use strict";

  // Refused forms answer 400 (errors next to the fields), 403 or 409 (a conflict) with a page to show.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var code = event.detail.xhr.status;
    if (code === 400 || code === 403 || code === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Choosing a framework, period, agency or filter shows it at once.
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosubmit]");
    if (form && event.target.matches("select")) { form.requestSubmit(); }
  });

  // The review queue's "tick every row" box.
  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches("[data-check-all]")) { return; }
    var form = event.target.closest("form");
    form.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = event.target.checked; });
  });
})();
