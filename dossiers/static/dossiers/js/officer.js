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

  // Forward: offer only the officers of the chosen unit. Without the script the
  // list shows every unit's officers in groups, and the server refuses an
  // officer of another unit with a message.
  var unit = document.getElementById("id_forward-to_unit");
  var person = document.getElementById("id_forward-assignee");
  if (unit && person) {
    var nobody = person.querySelector('option[value=""]');
    var officers = Array.prototype.slice.call(
      person.querySelectorAll("option[data-unit]"));
    var follow = function () {
      var chosen = person.value;
      while (person.firstChild) { person.removeChild(person.firstChild); }
      if (nobody) { person.appendChild(nobody); }
      officers.forEach(function (option) {
        if (option.getAttribute("data-unit") === unit.value) {
          person.appendChild(option);
        }
      });
      person.value = chosen;
      if (person.value !== chosen) { person.value = ""; }
    };
    unit.addEventListener("change", follow);
    follow();
  }

  // A page sent back with a problem: move focus to it.
  var problem = document.getElementById("problem");
  if (problem && !document.getElementById("error-summary")) { problem.focus(); }
})();
