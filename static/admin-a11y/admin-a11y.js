/* Names for the controls Django's admin scripts build without one (axe: label,
   aria-input-field-name, aria-prohibited-attr, list). Runs once the page has loaded, after
   Django's own scripts have built select2 boxes and the two-list picker, and again when a
   row is added to an inline. Without JavaScript none of these controls exists. */
(function () {
    "use strict";

    function labelFor(select) {
        if (!select.id) {
            return null;
        }
        const label = document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
        if (label && !label.id) {
            label.id = select.id + "-label";
        }
        return label;
    }

    function nameSelect2(select) {
        const container = select.nextElementSibling;
        if (!container || !container.classList.contains("select2")) {
            return;
        }
        const label = labelFor(select);
        const name = label ? label.textContent.replace(/[:*\s]+$/, "").trim() : "";
        const selection = container.querySelector(".select2-selection");
        const rendered = container.querySelector(".select2-selection__rendered");
        if (rendered && rendered.tagName === "SPAN") {
            // A single choice: the box is a combobox named by the label and the choice shown.
            rendered.removeAttribute("role");
            rendered.removeAttribute("aria-readonly");
            if (selection && label) {
                selection.setAttribute("aria-labelledby", label.id + " " + rendered.id);
            }
        }
        if (rendered && rendered.tagName === "UL") {
            // Several choices: the chosen ones are a list, the box to type in is named.
            rendered.setAttribute("role", "list");
            rendered.querySelectorAll(":scope > li").forEach(function (item) {
                item.setAttribute("role", "listitem");
            });
        }
        container.querySelectorAll(".select2-search__field").forEach(function (field) {
            if (name) {
                field.setAttribute("aria-label", name);
            }
        });
    }

    function nameAll() {
        document.querySelectorAll("select.admin-autocomplete").forEach(nameSelect2);
        // The two-list picker's search icons (SelectFilter2.js) carry aria-label on a bare
        // span, which only an element with a role may have.
        document.querySelectorAll(".search-label-icon[aria-label]").forEach(function (icon) {
            icon.setAttribute("role", "img");
        });
    }

    window.addEventListener("load", function () {
        nameAll();
        document.addEventListener("formset:added", nameAll);
        // select2 redraws its box after each choice; it tells only through jQuery events.
        if (window.django && window.django.jQuery) {
            window.django.jQuery(document).on("change", "select.admin-autocomplete", function () {
                const select = this;
                window.setTimeout(function () { nameSelect2(select); }, 0);
            });
        }
    });
}());
