// «Біля мене»: progressive enhancement of the libraries page. Without JavaScript the reader
// chooses a part of the city or types coordinates. With it, a button asks the browser for the
// location — only when pressed — and submits it in the page's own GET form: the coordinates
// go nowhere but into this page's address, and the portal computes the distances itself.
(function () {
  "use strict";
  function start() {
    var button = document.getElementById("near-me-button");
    if (!button || !("geolocation" in navigator)) {
      return;
    }
    var box = button.closest(".near-me-locate");
    var status = document.getElementById("near-me-status");
    var form = button.form;
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    var place = form.querySelector("select[name=place]");
    box.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.wait;
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          // About 10 m: enough to sort libraries, no more precise than that.
          lat.value = position.coords.latitude.toFixed(4);
          lon.value = position.coords.longitude.toFixed(4);
          if (place) {
            place.value = "";
          }
          form.submit();
        },
        function () {
          button.disabled = false;
          status.textContent = button.dataset.denied;
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
      );
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
