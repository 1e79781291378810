/* The running MARC import's page keeps its figures current: every few seconds it fetches
   itself and swaps in the new fieldsets, until the import is no longer running; then the
   status line (a polite live region) says so. Without JavaScript the «Оновити стан» link
   does the same by hand. */
(function () {
    "use strict";
    const script = document.currentScript;
    const seconds = Number(script && script.dataset.seconds) || 3;

    function swap(next) {
        const now = document.querySelectorAll("#content-main form fieldset.module");
        const fresh = next.querySelectorAll("#content-main form fieldset.module");
        if (now.length !== fresh.length) {
            return false;
        }
        now.forEach(function (fieldset, index) {
            fieldset.replaceWith(document.importNode(fresh[index], true));
        });
        return true;
    }

    function tick() {
        window.fetch(window.location.href, { credentials: "same-origin" })
            .then(function (response) {
                return response.ok ? response.text() : Promise.reject(response.status);
            })
            .then(function (html) {
                const next = new DOMParser().parseFromString(html, "text/html");
                const state = document.getElementById("marc-import-state");
                const nextState = next.getElementById("marc-import-state");
                if (!swap(next)) {
                    window.location.reload();
                    return;
                }
                if (nextState && nextState.hasAttribute("data-running")) {
                    window.setTimeout(tick, seconds * 1000);
                } else if (state) {
                    state.removeAttribute("data-running");
                    state.textContent = state.dataset.done || "";
                }
            })
            .catch(function () {
                window.setTimeout(tick, seconds * 1000 * 3);
            });
    }

    window.addEventListener("load", function () {
        window.setTimeout(tick, seconds * 1000);
    });
}());
