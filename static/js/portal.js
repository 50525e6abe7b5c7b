// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // The language selector submits on change; its button stays for keyboard users
  // and browsers without JavaScript.
  var select = document.getElementById("language-select");
  if (select && select.form) {
    select.addEventListener("change", function () { select.form.submit(); });
  }
  // A form sent back with errors: move focus to its error summary, whose links
  // lead to each field, so screen-reader users hear what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
