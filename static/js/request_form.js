// Request forms (issue 13): a field with "only when field X has value Y" shows only
// while X has Y. The server applies the same rule (answers to hidden fields are
// dropped), so this is only a convenience; without JavaScript every field shows
// with its "Only when …" hint.
(function () {
  "use strict";

  function valuesOf(form, name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "checkbox" || input.type === "radio") && !input.checked) return;
      if (input.closest(".field") && input.closest(".field").hidden) return;
      if (input.tagName === "SELECT" && input.multiple) {
        Array.prototype.forEach.call(input.selectedOptions, function (o) { values.push(o.value); });
      } else {
        values.push(input.value);
      }
    });
    return values;
  }

  function update(form) {
    // Twice, so a field whose controller was just hidden hides too.
    for (var pass = 0; pass < 2; pass++) {
      form.querySelectorAll("[data-show-when]").forEach(function (input) {
        var field = input.closest(".field");
        if (!field) return;
        var wanted = input.getAttribute("data-show-value");
        var shown = valuesOf(form, input.getAttribute("data-show-when")).indexOf(wanted) !== -1;
        field.hidden = !shown;
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.request-form, form.orders-form").forEach(function (form) {
      if (!form.querySelector("[data-show-when]")) return;
      update(form);
      form.addEventListener("change", function () { update(form); });
    });
  });
})();
