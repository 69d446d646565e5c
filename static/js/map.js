// The story map: the page's GeoJSON as markers over the offline Natural Earth basemap.
// Without this script (or Leaflet) the page stays a list of places; with it the list stays too,
// as the map's text alternative, and each place's button opens its card on the map.
(function () {
  "use strict";
  var box = document.getElementById("story-map");
  if (!box || !window.L || !window.topojson) return;
  var features = JSON.parse(document.getElementById("map-features").textContent).features;
  var places = Array.prototype.slice.call(document.querySelectorAll("li.place"));
  var legend = document.querySelector(".map-legend");
  var time = document.querySelector(".map-time");
  var slider = document.getElementById("map-until");
  var sliderText = document.getElementById("map-until-text");
  box.hidden = false;
  legend.hidden = false;

  var map = L.map(box, { keyboard: true, worldCopyJump: true, zoomSnap: 0.5 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");
  map.createPane("basemap").style.zIndex = 150;  // under the markers, over the sea (the box's colour)
  if (box.dataset.tiles) L.tileLayer(box.dataset.tiles, { attribution: "Map tiles", pane: "basemap" }).addTo(map);
  fetch(box.dataset.basemap).then(function (response) { return response.json(); }).then(function (topo) {
    L.geoJSON(topojson.feature(topo, topo.objects.countries), {
      pane: "basemap", interactive: false,
      style: { color: "#8f8a80", weight: 0.7, fillColor: "#f4f2ee", fillOpacity: box.dataset.tiles ? 0 : 1 }
    }).addTo(map);
  });

  // A kind's colour is its legend swatch's (static/css/tracker.css): one place says it.
  function colourOf(kind) {
    var swatch = legend.querySelector(".kind-" + kind);
    return swatch ? getComputedStyle(swatch).backgroundColor : "#4a4f5a";
  }
  // Precision shown honestly: a dot for the exact place, a circle the size of the doubt otherwise.
  var AREA = { near: { radius: 10000, dashArray: null }, region: { radius: 50000, dashArray: "6 4" },
               "": { radius: 25000, dashArray: "2 6" } };
  var layers = {};
  var points = [];
  var all = L.featureGroup().addTo(map);
  // The widest circles first, dots last: a dot inside a circle stays on top, clickable.
  var DRAWN = { region: 0, "": 1, near: 2, exact: 3 };
  features.slice().sort(function (a, b) {
    return DRAWN[a.properties.geo_precision || ""] - DRAWN[b.properties.geo_precision || ""];
  }).forEach(function (feature) {
    var place = document.getElementById("place-" + feature.id);
    if (!place) return;
    var at = L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
    points.push(at);
    var colour = colourOf(feature.properties.kind);
    var precision = feature.properties.geo_precision || "";
    var options = { color: "#16181d", weight: 1.5, fillColor: colour, fillOpacity: 0.95,
                    className: "map-marker map-marker-" + (precision || "unknown") };
    var layer = precision === "exact" ? L.circleMarker(at, L.extend(options, { radius: 7 }))
      : L.circle(at, L.extend(options, { color: colour, weight: 2, fillOpacity: 0.25 }, AREA[precision] || AREA[""]));
    var card = place.querySelector(".map-card").cloneNode(true);
    // Narrow enough for a phone, clear of the zoom buttons at the top left.
    layer.bindPopup(card, { maxWidth: Math.min(300, box.clientWidth - 124), minWidth: 160,
                            autoPanPaddingTopLeft: [56, 16], autoPanPaddingBottomRight: [16, 16] });
    layer.bindTooltip(feature.properties.title);
    layer.developmentId = feature.id;
    layers[feature.id] = layer;
    all.addLayer(layer);
    var button = place.querySelector(".show-on-map");
    button.hidden = false;
    button.addEventListener("click", function () {
      if (!all.hasLayer(layer)) return;
      map.setView(at, Math.max(map.getZoom(), 7));
      layer.openPopup();
      var link = card.querySelector("a");
      if (link) link.focus();
      layer.once("popupclose", function () { button.focus(); });
    });
  });
  if (points.length) {  // a circle has bounds only once on the map: fit its centre
    map.fitBounds(L.latLngBounds(points), { padding: [48, 48], maxZoom: 8 });
  } else {
    map.setView([30, 20], 2);
  }

  // The time slider: only what had happened by the chosen development's time, on the map and in the list.
  function showUntil(index) {
    var until = Date.parse(places[index].dataset.at);
    var shown = 0;
    places.forEach(function (place) {
      var visible = Date.parse(place.dataset.at) <= until;
      place.hidden = !visible;
      var layer = layers[place.dataset.development];
      if (layer && visible && !all.hasLayer(layer)) all.addLayer(layer);
      if (layer && !visible && all.hasLayer(layer)) { layer.closePopup(); all.removeLayer(layer); }
      if (visible) shown += 1;
    });
    sliderText.textContent = places[index].dataset.when + " · " + shown + " of " + places.length + " shown";
  }
  if (places.length > 1) {
    time.hidden = false;
    slider.addEventListener("input", function () { showUntil(Number(slider.value)); });
    showUntil(Number(slider.value));
  }
})();
