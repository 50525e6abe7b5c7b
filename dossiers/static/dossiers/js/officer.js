// Officer pages; progressive enhancement only: every page works without it.
(function () {
  "use strict";

  // Queue: one box ticks every dossier awaiting receipt on the page.
  var all = document.querySelector("[data-pick-all]");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("[data-pick]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }

  // Queue: "/" moves to the search box, as in many work lists.
  var search = document.getElementById("id_q");
  if (search) {
    document.addEventListener("keydown", function (event) {
      var tag = (event.target.tagName || "").toLowerCase();
      if (event.key === "/" && tag !== "input" && tag !== "textarea" && tag !== "select") {
        event.preventDefault();
        search.focus();
      }
    });
  }

  // After an action that produces a slip, try to open it; when the browser
  // blocks the window, the focused button opens it with Enter.
  var slip = document.querySelector("[data-auto-open]");
  if (slip) {
    var opened = window.open(slip.href, "_blank", "noopener");
    if (!opened) { slip.focus(); }
  }

  // Actions that end a dossier ask once more.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // Forward: offer only the officers of the chosen unit.
  var unit = document.getElementById("id_forward-to_unit");
  var person = document.getElementById("id_forward-assignee");
  if (unit && person) {
    var options = Array.prototype.slice.call(person.options);
    var units = {};
    Array.prototype.forEach.call(unit.options, function (option) {
      units[option.value] = option.text;
    });
    var filter = function () {
      var name = units[unit.value] || "";
      options.forEach(function (option) {
        var keep = !option.value || option.text.slice(-name.length) === name;
        option.hidden = !keep;
        option.disabled = !keep;
        if (!keep && option.selected) { person.value = ""; }
      });
    };
    unit.addEventListener("change", filter);
    filter();
  }

  // A page sent back with a problem: move focus to it.
  var problem = document.getElementById("problem");
  if (problem && !document.getElementById("error-summary")) { problem.focus(); }
})();
