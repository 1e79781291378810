// Suggestions for the catalogue search box. Progressive enhancement: the form works without
// this file; with it, an <input data-autocomplete-url> becomes an ARIA combobox whose listbox
// is filled from the catalogue's autocomplete endpoint (a JSON list of strings) as the reader
// types. Arrow keys move through the suggestions, Enter takes one, Escape closes the list;
// a click or tap takes one too. (A <datalist> is not used: Chromium does not show options
// that arrive while the reader is typing, and its popup cannot be zoomed or styled.)
(function () {
  "use strict";

  var DELAY_MS = 200;
  var MIN_LENGTH = 2;

  function enhance(input, number) {
    var url = input.getAttribute("data-autocomplete-url");
    if (!url || !window.fetch) {
      return;
    }
    if (!input.id) {
      input.id = "autocomplete-" + number;
    }
    var list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var label = input.labels && input.labels[0];
    if (label) {
      if (!label.id) {
        label.id = input.id + "-label";
      }
      list.setAttribute("aria-labelledby", label.id);
    }
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastAsked = "";

    function isOpen() {
      return !list.hidden;
    }

    function open() {
      if (!options.length) {
        return;
      }
      // Right under the box, as wide as it, whatever the layout around it.
      list.style.top = input.offsetTop + input.offsetHeight + "px";
      list.style.left = input.offsetLeft + "px";
      list.style.width = input.offsetWidth + "px";
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
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
      lastAsked = input.value.trim();
      close();
      input.focus();
    }

    function show(words) {
      close();
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      options = words.map(function (word, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = word;
        list.appendChild(option);
        return option;
      });
      if (document.activeElement === input) {
        open();
      }
    }

    function ask() {
      var prefix = input.value.trim();
      if (prefix.length < MIN_LENGTH) {
        show([]);
        lastAsked = "";
        return;
      }
      if (prefix === lastAsked) {
        return;
      }
      lastAsked = prefix;
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var target = url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(prefix);
      fetch(target, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (words) {
          if (Array.isArray(words) && input.value.trim() === prefix) {
            show(words.filter(function (word) { return typeof word === "string"; }));
          }
        })
        .catch(function () {
          // Suggestions are a nicety: on any failure the box simply has none.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) {
        if (event.altKey && event.key === "ArrowDown") {
          open();
          event.preventDefault();
        }
        return;
      }
      switch (event.key) {
        case "ArrowDown":
          if (!options.length) {
            return;
          }
          open();
          setActive(active + 1 < options.length ? active + 1 : 0);
          event.preventDefault();
          break;
        case "ArrowUp":
          if (!options.length) {
            return;
          }
          open();
          setActive(active > 0 ? active - 1 : options.length - 1);
          event.preventDefault();
          break;
        case "Enter":
          // With a suggestion picked Enter takes it; otherwise it submits the search.
          if (isOpen() && active >= 0) {
            choose(options[active]);
            event.preventDefault();
          }
          break;
        case "Escape":
          // The first Escape closes the list; the next one clears the box as usual.
          if (isOpen()) {
            close();
            event.preventDefault();
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", close);

    // Keep the focus in the box while a suggestion is clicked or tapped.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role='option']");
      if (option) {
        choose(option);
      }
    });

    window.addEventListener("resize", function () {
      if (isOpen()) {
        open();
      }
    });
  }

  document.querySelectorAll("input[data-autocomplete-url]").forEach(enhance);
})();
