// Progressive enhancement of the submission wizard: every page works without it.
(function () {
  "use strict";
  // After "fill from the population registry", say what happened: move focus to
  // the notice (unless an error summary already took it).
  var notice = document.getElementById("registry-notice");
  if (notice && !document.getElementById("error-summary")) { notice.focus(); }
})();
