// The values entry grid: Enter or an up/down arrow moves to the next (previous) indicator's input, a value far
// from last period's shows a warning as one types, and a chosen evidence file shows its name. The grid is a
// plain form without this script.
(function () {
  "use strict";

  var FAR_CHANGE = 0.5; // as assessments.values.selectors.FAR_CHANGE

  function rowOf(el) { return el.closest && el.closest("tr[data-testid=row]"); }

  function firstInput(row) {
    return row && row.querySelector(".grid-input input:not([type=hidden]), .grid-input select");
  }

  function move(row, step) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-testid=row]"));
    var next = rows[rows.indexOf(row) + step];
    var input = firstInput(next);
    if (input) { input.focus(); if (input.select) { input.select(); } }
  }

  document.addEventListener("keydown", function (event) {
    var el = event.target;
    var row = rowOf(el);
    if (!row || !el.closest(".grid-input") || el.matches("textarea")) { return; }
    var isSelect = el.matches("select");
    if (event.key === "Enter") { event.preventDefault(); move(row, 1); }
    else if (event.key === "ArrowDown" && !isSelect) { event.preventDefault(); move(row, 1); }
    else if (event.key === "ArrowUp" && !isSelect) { event.preventDefault(); move(row, -1); }
  });

  function number(text) {
    var cleaned = (text || "").trim().replace(",", ".");
    return cleaned === "" || isNaN(cleaned) ? null : Number(cleaned);
  }

  function typed(row) {
    var value = row.querySelector("input[data-testid=value]");
    if (value) { return number(value.value); }
    var num = row.querySelector("[data-testid=numerator]"), den = row.querySelector("[data-testid=denominator]");
    if (!num || !den) { return null; }
    var n = number(num.value), d = number(den.value);
    return n === null || !d ? null : n * 100 / d;
  }

  document.addEventListener("input", function (event) {
    var row = rowOf(event.target);
    if (!row || !row.hasAttribute("data-previous")) { return; }
    var previous = Number(row.getAttribute("data-previous")), now = typed(row);
    var far = now !== null && Math.abs(now - previous) > FAR_CHANGE * Math.max(Math.abs(previous), Math.abs(now));
    row.querySelector("[data-testid=far-warning]").hidden = !far;
  });

  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches(".file-pick input[type=file]")) { return; }
    var files = event.target.files;
    event.target.closest(".file-pick").querySelector(".file-name").textContent = files.length ? files[0].name : "";
  });
})();
