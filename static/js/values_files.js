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

  // Back to a page kept in the browser's cache: its forms can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("[data-busy-text]").forEach(function (text) { text.hidden = true; });
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = false; });
    });
  });

  // htmx leaves the page as it was on an error answer: say so instead of spinning forever.
  function failed(event) {
    var element = event.detail.elt;
    if (element && element.dataset && element.dataset.failedText) {
      element.textContent = element.dataset.failedText;
      element.classList.add("error");
    }
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
