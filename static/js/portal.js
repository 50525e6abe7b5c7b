// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // The language selector submits on change; its button stays for keyboard users
  // and browsers without JavaScript.
  var select = document.getElementById("language-select");
  if (select && select.form) {
    select.addEventListener("change", function () { select.form.submit(); });
  }
})();
