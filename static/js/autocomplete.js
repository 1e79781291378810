// Suggestions for the catalogue search box. Progressive enhancement: the form works without
// this file; with it, an <input data-autocomplete-url> gets a <datalist> filled from the
// catalogue's autocomplete endpoint (a JSON list of strings) as the reader types.
(function () {
  "use strict";

  var DELAY_MS = 200;
  var MIN_LENGTH = 2;

  function enhance(input) {
    var url = input.getAttribute("data-autocomplete-url");
    if (!url || !window.fetch) {
      return;
    }
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);

    var timer = null;
    var controller = null;
    var lastAsked = "";

    function show(words) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      words.forEach(function (word) {
        var option = document.createElement("option");
        option.value = word;
        list.appendChild(option);
      });
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
  }

  document.querySelectorAll("input[data-autocomplete-url]").forEach(enhance);
})();
