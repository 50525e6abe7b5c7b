// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // The language selector does not submit on change: a keyboard user moving
  // through its options with the arrow keys would switch the page's language
  // at the first one (WCAG 3.2.2). Its "Đổi" button sends the choice.
  // The skip link moves focus to <main> without adding "#main" to the address:
  // a form whose action is its own page would carry the fragment to the page
  // it sends back, and the browser would move focus to <main> again, away from
  // the error summary below.
  var skip = document.querySelector(".skip-link");
  var main = document.getElementById("main");
  if (skip && main) {
    skip.addEventListener("click", function (event) {
      event.preventDefault();
      main.focus();
      main.scrollIntoView();
    });
  }
  // A form sent back with errors: move focus to its error summary, whose links
  // lead to each field, so screen-reader users hear what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
