/* The atlas map's own behaviour: markers, year filter, legend, fullscreen and a shareable URL hash.
 * Folium creates the map and empty layers; start() fills them from the data the build embedded. */
(function () {
  "use strict";

  var KIND_LABELS = { clusters: "클러스터·공유공간", centers: "지원센터", organisations: "사회적경제 조직" };

  function icon(kind, approx) {
    var cls = "atlas-pin atlas-pin--" + kind + (approx ? " atlas-pin--approx" : "");
    return L.divIcon({ className: cls, iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8] });
  }

  // Names arrive HTML-escaped for popups and tooltips; a title attribute wants the plain text.
  function plainText(escaped) {
    var box = document.createElement("textarea");
    box.innerHTML = escaped;
    return box.value;
  }

  function parseHash() {
    var state = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("=");
      if (kv.length === 2) state[kv[0]] = decodeURIComponent(kv[1]);
    });
    return state;
  }

  // Clusters that existed in a year: opened in or before it (planned ones only from their year on).
  function visibleIn(place, year) {
    if (place.kind !== "clusters" || year === null) return true;
    return place.year !== null && place.year !== undefined && place.year <= year;
  }

  function start(config) {
    var map = window[config.map];
    var layers = {};
    Object.keys(config.layers).forEach(function (key) { layers[key] = window[config.layers[key]]; });
    var markers = [];
    config.places.forEach(function (place) {
      var marker = L.marker([place.lat, place.lon], {
        icon: icon(place.kind, place.approx),
        // Leaflet gives markers role="button": the title is their accessible name.
        title: plainText(place.name) + (place.approx ? " (" + config.approxLabel + ")" : ""),
        alt: "",
        keyboard: true
      });
      marker.bindPopup(place.popup);
      marker.bindTooltip(place.name + (place.approx ? " · " + config.approxLabel : ""));
      marker.atlasPlace = place;
      markers.push(marker);
    });

    layers.boundaries.eachLayer(function (shape) {
      shape.bindTooltip(shape.feature.properties.label, { sticky: true });
    });

    var years = [];
    config.places.forEach(function (p) {
      if (p.kind === "clusters" && p.year && years.indexOf(p.year) < 0) years.push(p.year);
    });
    years.sort();
    var year = null;

    function applyYear() {
      markers.forEach(function (marker) {
        var group = layers[marker.atlasPlace.kind];
        var show = visibleIn(marker.atlasPlace, year);
        if (show && !group.hasLayer(marker)) group.addLayer(marker);
        if (!show && group.hasLayer(marker)) group.removeLayer(marker);
      });
    }

    function saveHash() {
      var c = map.getCenter();
      var shown = Object.keys(layers).filter(function (k) { return map.hasLayer(layers[k]); });
      var hash = "#z=" + map.getZoom() + "&c=" + c.lat.toFixed(5) + "," + c.lng.toFixed(5) +
        "&l=" + shown.join(",") + (year === null ? "" : "&y=" + year);
      if (window.location.hash !== hash && window.history.replaceState) {
        window.history.replaceState(null, "", hash);
      }
      if (share) share.href = window.location.pathname + hash;
    }

    var state = parseHash();
    if (state.y && /^\d{4}$/.test(state.y)) year = parseInt(state.y, 10);
    if (state.l !== undefined) {
      var wanted = state.l.split(",");
      Object.keys(layers).forEach(function (k) {
        if (wanted.indexOf(k) < 0 && map.hasLayer(layers[k])) map.removeLayer(layers[k]);
      });
    }
    if (state.c && state.z) {
      var ll = state.c.split(",").map(Number);
      var z = parseInt(state.z, 10);
      if (ll.length === 2 && isFinite(ll[0]) && isFinite(ll[1]) && isFinite(z)) map.setView(ll, z, { animate: false });
    }

    var Legend = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "atlas-legend leaflet-bar");
        Object.keys(KIND_LABELS).forEach(function (kind) {
          var row = L.DomUtil.create("div", "atlas-legend__row", box);
          L.DomUtil.create("span", "atlas-pin atlas-pin--" + kind, row);
          row.appendChild(document.createTextNode(" " + KIND_LABELS[kind]));
        });
        var approx = L.DomUtil.create("div", "atlas-legend__row", box);
        L.DomUtil.create("span", "atlas-pin atlas-pin--approx", approx);
        approx.appendChild(document.createTextNode(" " + config.approxLabel));
        var area = L.DomUtil.create("div", "atlas-legend__row", box);
        L.DomUtil.create("span", "atlas-legend__area", area);
        area.appendChild(document.createTextNode(" 자치구 경계"));
        return box;
      }
    });
    new Legend().addTo(map);

    var share = null;
    var YearFilter = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "atlas-year leaflet-bar");
        var label = L.DomUtil.create("label", "", box);
        label.appendChild(document.createTextNode("클러스터 연도 "));
        var select = L.DomUtil.create("select", "", label);
        select.setAttribute("aria-label", "이 연도에 있던 클러스터만 보기");
        var all = L.DomUtil.create("option", "", select);
        all.value = "";
        all.textContent = "전체";
        var last = years.length ? years[years.length - 1] : null;
        for (var y = years.length ? years[0] : 0; last !== null && y <= last; y++) {
          var opt = L.DomUtil.create("option", "", select);
          opt.value = String(y);
          opt.textContent = y + "년";
        }
        select.value = year === null ? "" : String(year);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.on(select, "change", function () {
          year = select.value ? parseInt(select.value, 10) : null;
          applyYear();
          saveHash();
        });
        share = L.DomUtil.create("a", "atlas-share", box);
        share.textContent = "이 보기 링크";
        share.target = "_blank";
        share.rel = "noopener";
        return box;
      }
    });
    new YearFilter().addTo(map);
    if (L.Control.FullScreen) {
      new L.Control.FullScreen({ position: "topleft", title: "전체 화면", titleCancel: "전체 화면 끝내기" }).addTo(map);
    }

    applyYear();
    map.on("moveend overlayadd overlayremove", saveHash);
    saveHash();
    window.atlasMapState = { map: map, layers: layers, markers: markers, setYear: function (y) {
      year = y;
      applyYear();
      saveHash();
    } };
  }

  window.atlasMap = { start: start };
})();
