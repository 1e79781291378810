// Picking a record in a row of «Додати примірники». Progressive enhancement: without this file
// the librarian presses «Знайти» and chooses among the records the page offers. With it, a box
// marked data-record-lookup-url becomes an ARIA combobox: as the librarian types an ISBN, a
// title or an author, the catalogue search's best records appear under it; arrow keys move
// through them, Enter or a click takes one (its number goes into the row's hidden field named
// by data-record-input), Escape closes the list. Typing again forgets the record picked.
(function () {
  "use strict";

  var DELAY_MS = 250;
  var MIN_LENGTH = 2;

  function enhance(input) {
    var url = input.getAttribute("data-record-lookup-url");
    var hidden = document.getElementById(input.getAttribute("data-record-input"));
    if (!url || !window.fetch || !hidden || hidden.type !== "hidden") {
      return;
    }
    var list = document.createElement("ul");
    list.id = input.id + "-records";
    list.className = "record-picker-list";
    list.setAttribute("role", "listbox");
    if (input.labels && input.labels[0]) {
      if (!input.labels[0].id) {
        input.labels[0].id = input.id + "-label";
      }
      list.setAttribute("aria-labelledby", input.labels[0].id);
    }
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastAsked = input.value.trim();

    function open() {
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function close() {
      setActive(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function setActive(index) {
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        if (options[active].scrollIntoView) {
          options[active].scrollIntoView({ block: "nearest" });
        }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(option) {
      input.value = option.textContent;
      hidden.value = option.getAttribute("data-record");
      lastAsked = input.value.trim();
      close();
      input.focus();
    }

    function show(records) {
      close();
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      options = records.map(function (record, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-record", String(record.id));
        option.textContent = record.label;
        list.appendChild(option);
        return option;
      });
      if (document.activeElement === input) {
        open();
      }
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        show([]);
        lastAsked = "";
        return;
      }
      if (query === lastAsked) {
        return;
      }
      lastAsked = query;
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (records) {
          if (Array.isArray(records) && input.value.trim() === query) {
            show(records);
          }
        })
        .catch(function () {
          // Suggestions are a help: on a failure «Знайти» still works.
        });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      switch (event.key) {
        case "ArrowDown":
          if (options.length) {
            open();
            setActive(active + 1 < options.length ? active + 1 : 0);
            event.preventDefault();
          }
          break;
        case "ArrowUp":
          if (options.length) {
            open();
            setActive(active > 0 ? active - 1 : options.length - 1);
            event.preventDefault();
          }
          break;
        case "Enter":
          // With a record highlighted Enter takes it; otherwise the form's first button,
          // «Знайти», looks the rows up on the server.
          if (!list.hidden && active >= 0) {
            choose(options[active]);
            event.preventDefault();
          }
          break;
        case "Escape":
          if (!list.hidden) {
            close();
            event.preventDefault();
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", close);
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role='option']");
      if (option) {
        choose(option);
      }
    });
  }

  document.querySelectorAll("input[data-record-lookup-url]").forEach(enhance);
})();
