// Plan pages: the editor's rows and sums, autosave answers, the new-plan form.
// No inline scripts anywhere (Content-Security-Policy forbids them).
(function () {
  "use strict";

  function digits(value) {
    // "1.234.567", "1,234,567" or "1 234 567" đồng -> 1234567; anything else -> NaN
    var raw = (value || "").trim();
    if (!raw) { return 0; }
    if (/^\d+$/.test(raw) || /^\d{1,3}([., ]\d{3})+$/.test(raw)) { return Number(raw.replace(/\D/g, "")); }
    return NaN;
  }

  function format(number) {
    var lang = document.documentElement.lang || "vi";
    return new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB").format(number);
  }

  function renumber(tbody) {
    var n = 0;
    tbody.querySelectorAll("[data-row-number]").forEach(function (cell) { n += 1; cell.textContent = String(n); });
  }

  function recompute(form) {
    var table = form.querySelector("[data-task-table]");
    if (!table) { return; }
    var sums = {};
    var grand = 0;
    table.querySelectorAll("tbody [data-task-row]").forEach(function (row) {
      var deleted = row.querySelector("[data-delete-row]");
      row.classList.toggle("deleted", Boolean(deleted && deleted.checked));
      var total = 0;
      var bad = false;
      row.querySelectorAll("input.amount").forEach(function (input) {
        var value = digits(input.value);
        if (Number.isNaN(value)) { bad = true; return; }
        total += value;
        if (!(deleted && deleted.checked)) {
          sums[input.dataset.source] = (sums[input.dataset.source] || 0) + value;
        }
      });
      var cell = row.querySelector("[data-row-total]");
      if (cell) { cell.textContent = bad ? "?" : format(total); }
      if (!bad && !(deleted && deleted.checked)) { grand += total; }
    });
    table.querySelectorAll("[data-sum-source]").forEach(function (cell) {
      cell.textContent = format(sums[cell.dataset.sumSource] || 0);
    });
    var totalCell = table.querySelector("[data-sum-total]");
    if (totalCell) { totalCell.textContent = format(grand); }
    renumber(table.querySelector("tbody"));
  }

  function addRow(form, kind) {
    var tbody = form.querySelector('tbody[data-rows="' + kind + '"]');
    var template = document.getElementById(kind + "-row-template");
    if (!tbody || !template) { return; }
    var index = Number(tbody.dataset.nextIndex || "0");
    tbody.dataset.nextIndex = String(index + 1);
    tbody.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__n__/g, String(index)));
    var first = tbody.lastElementChild && tbody.lastElementChild.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
    recompute(form);
  }

  function setUpEditor(form) {
    recompute(form);
    form.addEventListener("input", function () { recompute(form); });
    form.addEventListener("change", function () { recompute(form); });
    form.querySelectorAll("[data-add-row]").forEach(function (button) {
      button.addEventListener("click", function () { addRow(form, button.dataset.addRow); });
    });
    // After a conflict, autosave stops: the user's text stays in the form until they decide.
    form.addEventListener("htmx:confirm", function (event) {
      var status = document.getElementById("autosave-status");
      if (status && status.dataset.conflict) { event.preventDefault(); }
    });
    // A full save cancels a pending autosave.
    form.addEventListener("submit", function () {
      if (window.htmx) { window.htmx.trigger(form, "htmx:abort"); }
    });
  }

  // Answers 400 (not saved: errors), 403 and 409 (conflict) carry a status fragment to show.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var code = event.detail.xhr.status;
    if (code === 400 || code === 403 || code === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function setUpNewPlan(form) {
    var kind = form.querySelector("[data-plan-kind]");
    if (!kind) { return; }
    function sync() {
      form.querySelectorAll("[data-for-kind]").forEach(function (label) {
        label.hidden = label.dataset.forKind !== kind.value;
      });
    }
    kind.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-plan-editor]").forEach(setUpEditor);
    document.querySelectorAll("form.new-plan").forEach(setUpNewPlan);
  });
})();
