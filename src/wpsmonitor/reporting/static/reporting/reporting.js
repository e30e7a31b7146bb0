/* Data entry, enhanced: derived totals update as you type, and the draft saves itself a few
   seconds after the last change. The page works without this file: the form posts as usual. */
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;

  function number(text) {
    text = (text || "").replace(/[\s\u00a0\u202f]/g, "");
    if (text.indexOf(",") >= 0 && text.indexOf(".") < 0) text = text.replace(",", ".");
    var n = parseFloat(text);
    return isFinite(n) ? n : null;
  }

  function total(block) {
    var out = block.querySelector("output[data-total-for]");
    if (!out) return;
    var kind = block.getAttribute("data-kind");
    if (kind === "number") {
      var sum = 0, any = false;
      block.querySelectorAll('input[data-part="v"]').forEach(function (input) {
        var n = number(input.value);
        if (n !== null) { sum += n; any = true; }
      });
      out.value = any ? String(Math.round(sum * 1e6) / 1e6) : "";
    } else if (kind === "percentage") {
      var num = 0, den = 0;
      block.querySelectorAll('input[data-part="n"]').forEach(function (input) { num += number(input.value) || 0; });
      block.querySelectorAll('input[data-part="d"]').forEach(function (input) { den += number(input.value) || 0; });
      var factor = parseFloat(block.getAttribute("data-factor")) || 1;
      out.value = den ? (num * factor / den).toFixed(1) : "";
    }
  }

  var status = document.getElementById("autosave-status");
  var timer = null;
  function save() {
    var data = new FormData(form);
    data.set("do", "save");
    // URL-encoded, not multipart: a sheet has hundreds of fields, and the server parses
    // this ten times faster.
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: new URLSearchParams(data),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) { return response.json(); }).then(function (answer) {
      var problems = Object.keys(answer.problems || {}).length;
      if (status) {
        status.textContent = problems
          ? (status.getAttribute("data-problems") || "Draft saved, except cells with problems: ") + problems
          : (status.getAttribute("data-saved") || "Draft saved.");
      }
    }).catch(function () {
      if (status) status.textContent = status.getAttribute("data-offline") || "Not saved: no connection. Your figures stay in the page.";
    });
  }

  form.addEventListener("input", function (event) {
    var block = event.target.closest("fieldset[data-ind]");
    if (block) total(block);
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 4000);
  });
})();
