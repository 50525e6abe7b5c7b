// Progressive enhancement of schema forms: a field whose condition does not hold
// is hidden. Without JavaScript every field shows, with a note saying when it is
// needed, and the server ignores what does not apply.
(function () {
  "use strict";
  var form = document.querySelector("form.schema-form");
  if (!form) { return; }

  function valueOf(name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { return input.value; }
      } else {
        return input.value;
      }
    }
    return null;
  }

  function same(actual, expected) {
    if (actual === null || actual === "") { return false; }
    if (expected === true) { return actual === "yes"; }
    if (expected === false) { return actual === "no"; }
    return String(actual) === String(expected);
  }

  function holds(condition) {
    if (condition.all) { return condition.all.every(holds); }
    var actual = valueOf(condition.field);
    if (condition["in"]) {
      return condition["in"].some(function (v) { return same(actual, v); });
    }
    return same(actual, condition.equals);
  }

  function refresh() {
    var blocks = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < blocks.length; i++) {
      var shown = holds(JSON.parse(blocks[i].getAttribute("data-show-if")));
      blocks[i].hidden = !shown;
    }
  }

  form.addEventListener("change", refresh);
  refresh();
})();
