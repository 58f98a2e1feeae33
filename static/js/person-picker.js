// The person picker: a search-as-you-type combobox (WAI-ARIA combobox with a
// listbox popup) over the organization's people. The select it enhances stays
// in the form and carries the value; without JavaScript the select is shown.
(function () {
  "use strict";

  function setup(root) {
    var select = root.querySelector("select");
    var combo = root.querySelector(".person-picker__combo");
    if (!select || !combo) {
      return;
    }
    var input = combo.querySelector("[role=combobox]");
    var list = combo.querySelector("[role=listbox]");
    var status = combo.querySelector("[data-person-picker-status]");
    var active = -1;

    // Swap the select for the search box; the label now names the search box.
    combo.hidden = false;
    select.hidden = true;
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      label.setAttribute("for", input.id);
    }
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) {
        input.setAttribute(name, select.getAttribute(name));
      }
    });
    if (select.value) {
      input.value = select.options[select.selectedIndex].text;
    }

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    }

    function open(show) {
      list.hidden = !show;
      input.setAttribute("aria-expanded", String(show));
      if (!show) {
        highlight(-1);
      }
    }

    function highlight(index) {
      var all = options();
      active = index;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", String(i === index));
        option.classList.toggle("is-active", i === index);
      });
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(option) {
      select.value = option.dataset.value;
      input.value = option.dataset.label;
      open(false);
      status.textContent = option.dataset.label + " chosen.";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    list.addEventListener("htmx:afterSwap", function () {
      var all = options();
      all.forEach(function (option, i) {
        option.id = list.id + "-option-" + i;
      });
      status.textContent = all.length
        ? all.length + (all.length === 1 ? " match" : " matches") + ", use the arrow keys to choose."
        : "No one matches. Try part of a name, an email or a department.";
      open(all.length > 0 && document.activeElement === input);
    });

    input.addEventListener("input", function () {
      // What is typed is not a choice until a person is picked from the list.
      if (select.value) {
        select.value = "";
      }
    });

    input.addEventListener("keydown", function (event) {
      var all = options();
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden && all.length) {
          open(true);
        }
        highlight(Math.min(active + 1, all.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(all[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        open(false);
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(function () {
        open(false);
      }, 150);
    });

    // mousedown keeps the focus in the search box while a person is picked.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        choose(option);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-person-picker]").forEach(setup);
  });
})();
