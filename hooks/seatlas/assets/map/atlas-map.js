/* The atlas map's own behaviour: markers, popups, year filter, legend, fullscreen and a shareable URL hash.
 * Folium creates the map and empty layers; start() fills them from the compact data the build embedded
 * (column arrays and a string table, see maps.places). Data values only ever reach the page as text:
 * popups are built with DOM nodes and textContent, tooltips get an escaped string. */
(function () {
  "use strict";

  var KIND_LABELS = { clusters: "클러스터·공유공간", centers: "지원센터", organisations: "사회적경제 조직" };
  var KINDS = ["clusters", "centers", "organisations"];

  // One icon object per look, shared by all markers of that look (30,000 markers, six icons).
  var icons = {};
  function icon(kind, approx) {
    var cls = "atlas-pin atlas-pin--" + kind + (approx ? " atlas-pin--approx" : "");
    if (!icons[cls]) icons[cls] = L.divIcon({ className: cls, iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8] });
    return icons[cls];
  }

  // Leaflet puts a string tooltip in with innerHTML: the plain name goes in escaped.
  function escapeText(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The places of each kind as objects; the popup columns stay in the tables until a popup opens.
  function decode(data) {
    var out = [];
    KINDS.forEach(function (kind) {
      var cols = data.kinds[kind];
      if (!cols) return;
      for (var i = 0; i < cols.id.length; i++) {
        out.push({
          id: cols.id[i], kind: kind, lat: cols.lat[i], lon: cols.lon[i], approx: cols.approx[i] === 1,
          name: data.strings[cols.name[i]],
          year: cols.year ? cols.year[i] : null, planned: cols.planned ? cols.planned[i] === 1 : false,
          row: i
        });
      }
    });
    return out;
  }

  function popup(data, place, approxLabel) {
    var cols = data.kinds[place.kind], i = place.row, s = data.strings;
    var box = document.createElement("div");
    function row(label, text) {
      if (box.firstChild) box.appendChild(document.createElement("br"));
      if (label) box.appendChild(document.createTextNode(label + ": "));
      if (typeof text === "string") box.appendChild(document.createTextNode(text));
      else box.appendChild(text);
    }
    function el(tag, cls, text) {
      var node = document.createElement(tag);
      if (cls) node.className = cls;
      node.textContent = text;
      return node;
    }
    row("", el("strong", "", place.name));
    row("", el("span", "atlas-kind", s[cols.label[i]]));
    if (cols.address[i]) row("주소", s[cols.address[i]]);
    if (cols.opened && cols.opened[i]) row("개관", s[cols.opened[i]]);
    if (cols.area && cols.area[i]) row("면적", s[cols.area[i]]);
    if (cols.tenants && cols.tenants[i] !== null) row("입주", cols.tenants[i] + "개 조직");
    if (cols.phone[i]) {
      var phone = s[cols.phone[i]];
      var tel = el("a", "", phone);
      tel.href = "tel:" + phone.replace(/[^0-9+]/g, "");
      row("전화", tel);
    }
    if (place.approx) row("", el("em", "atlas-approx", approxLabel));
    var district = data.districts[cols.district[i]];
    if (district) {
      var link = el("a", "", district[0] + " 페이지 보기");
      link.href = district[1];
      link.target = "_top";
      row("", link);
    }
    return box;
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
    var data = config.places;
    var places = decode(data);
    var markers = [];
    places.forEach(function (place) {
      var marker = L.marker([place.lat, place.lon], {
        icon: icon(place.kind, place.approx),
        // Leaflet gives markers role="button": the title is their accessible name.
        title: place.name + (place.approx ? " (" + config.approxLabel + ")" : ""),
        alt: "",
        keyboard: true
      });
      // Built when opened, from the tables: nothing per marker until then.
      marker.bindPopup(function () { return popup(data, place, config.approxLabel); });
      marker.bindTooltip(escapeText(place.name + (place.approx ? " · " + config.approxLabel : "")));
      marker.atlasPlace = place;
      markers.push(marker);
    });

    layers.boundaries.eachLayer(function (shape) {
      shape.bindTooltip(shape.feature.properties.label, { sticky: true });
    });

    var years = [];
    places.forEach(function (p) {
      if (p.kind === "clusters" && p.year && years.indexOf(p.year) < 0) years.push(p.year);
    });
    years.sort();
    var year = null;

    // Bulk adds and removes: one by one, 30,000 markers would each re-cluster the layer.
    // With chunkedLoading the add runs in slices between frames; `done` runs when all are in.
    function applyYear(done) {
      var pending = 1;
      function finished() {
        pending -= 1;
        if (pending === 0 && done) done();
      }
      KINDS.forEach(function (kind) {
        var group = layers[kind], add = [], remove = [];
        markers.forEach(function (marker) {
          if (marker.atlasPlace.kind !== kind) return;
          var show = visibleIn(marker.atlasPlace, year);
          if (show && !marker.atlasIn) add.push(marker);
          if (!show && marker.atlasIn) remove.push(marker);
          marker.atlasIn = show;
        });
        if (remove.length) group.removeLayers(remove);
        if (!add.length) return;
        if (map.hasLayer(group)) {
          pending += 1;
          group.options.chunkProgress = function (n, total) {
            if (n < total) return;
            group.options.chunkProgress = null;
            finished();
          };
        }
        group.addLayers(add);
      });
      finished();
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

    map.on("moveend overlayadd overlayremove", saveHash);
    saveHash();
    // Published once every marker is in its layer, so what reads it sees the whole map.
    applyYear(function () {
      window.atlasMapState = { map: map, layers: layers, markers: markers, setYear: function (y) {
        year = y;
        applyYear();
        saveHash();
      } };
    });
  }

  window.atlasMap = { start: start };
})();
