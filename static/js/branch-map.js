// Progressive enhancement: the list and addresses work without this; the map only adds a view.
(function () {
  "use strict";
  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function start() {
    var container = document.getElementById("branch-map");
    var markers = readJSON("branch-map-data");
    var config = readJSON("map-settings") || {};
    if (!container || !markers || !markers.length || typeof L === "undefined") {
      return;
    }
    container.hidden = false;
    var map = L.map(container, { scrollWheelZoom: false, zoomControl: false });
    // Leaflet's own buttons say "Zoom in"/"Zoom out" whatever the page's language.
    L.control
      .zoom({
        zoomInTitle: config.zoomIn || "Zoom in",
        zoomOutTitle: config.zoomOut || "Zoom out",
      })
      .addTo(map);
    // …and so does a popup's close button ("Close popup").
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && config.close) {
        close.setAttribute("aria-label", config.close);
        close.title = config.close;
      }
    });
    if (config.tiles) {
      L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.attribution }).addTo(map);
    }
    var bounds = [];
    markers.forEach(function (m) {
      var marker = L.marker([m.lat, m.lng], { title: m.name, alt: m.name }).addTo(map);
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = m.url;
      link.textContent = m.name;
      popup.appendChild(link);
      if (m.address) {
        popup.appendChild(document.createElement("br"));
        popup.appendChild(document.createTextNode(m.address));
      }
      marker.bindPopup(popup);
      bounds.push([m.lat, m.lng]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 16);
    } else {
      map.fitBounds(bounds, { padding: [30, 30] });
    }
  }
  document.addEventListener("DOMContentLoaded", start);
})();
