// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("primary-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", String(!open));
        nav.classList.toggle("is-open", !open);
      });
    }
    // Buttons with data-confirm ask before their form is submitted.
    document.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      var text = (submitter && submitter.dataset.confirm) || event.target.dataset.confirm;
      if (text && !window.confirm(text)) {
        event.preventDefault();
      }
    });
    // "Select all" checkboxes for bulk actions.
    document.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll(box.dataset.selectAll).forEach(function (other) {
          other.checked = box.checked;
        });
      });
    });
    // A live "n of max characters" counter under every text area with a limit.
    document.querySelectorAll("textarea[maxlength]").forEach(function (area) {
      var max = Number(area.getAttribute("maxlength"));
      var counter = document.createElement("p");
      counter.className = "char-counter";
      counter.id = (area.id || "textarea") + "-counter";
      counter.setAttribute("aria-live", "polite");
      var update = function () {
        counter.textContent = area.value.length + " of " + max + " characters";
        counter.classList.toggle("char-counter--near", area.value.length > max * 0.9);
      };
      update();
      area.addEventListener("input", update);
      area.insertAdjacentElement("afterend", counter);
      var described = area.getAttribute("aria-describedby");
      area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    });
  });
})();
