// Names for the admin's form controls that Django leaves without one (templates/admin/base_site.html):
// the inputs of a tabular inline (Django ticket #36509) take their column's header, and an
// autocomplete's select2 box and search field take the field's label. Checked by axe-core in
// tests/test_accessibility.py.
(function () {
  "use strict";

  function text(element) {
    return element.textContent.trim().replace(/:$/, "");
  }

  function nameTabularInputs() {
    document.querySelectorAll(".tabular table").forEach(function (table) {
      var headers = table.tHead.rows[0].cells;
      // The first column holds the saved row's description and its hidden keys.
      if (!text(headers[0])) {
        var description = document.createElement("span");
        description.className = "visually-hidden";
        description.textContent = "Saved as";
        headers[0].append(description);
      }
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          var header = headers[index];
          if (!header || cell.colSpan > 1) {
            return;
          }
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
            if (!control.labels.length && !control.hasAttribute("aria-label")) {
              control.setAttribute("aria-label", text(header));
            }
          });
        });
      });
    });
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var box = select.nextElementSibling;
      if (!label || !box || !box.classList.contains("select2")) {
        return;
      }
      label.id = label.id || select.id + "_label";
      box.querySelectorAll("[role=combobox], [role=textbox], .select2-search__field").forEach(function (part) {
        part.setAttribute("aria-labelledby", label.id);
      });
      // The chosen values and select2's "remove all" button share a list: not a list to read out.
      box.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
        list.setAttribute("role", "presentation");
      });
    });
  }

  function run() {
    nameTabularInputs();
    nameAutocompletes();
  }

  // After Django's own ready handlers (autocomplete.js starts select2 in one).
  if (window.django && window.django.jQuery) {
    window.django.jQuery(run);
  } else {
    document.addEventListener("DOMContentLoaded", run);
  }
  // A row added to a formset is a copy of the named empty row; its autocompletes start anew.
  document.addEventListener("formset:added", nameAutocompletes);
})();
