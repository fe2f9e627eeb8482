/* The atlas map's own behaviour: markers and popups, and beside the map a searchable, filterable list
 * of the places, "near me", directions, a CSV of the list and the whole state in the URL.
 * Folium creates the map and empty layers; start() fills them from the compact data the build embedded
 * (column arrays and a string table, see maps.places). Data values only ever reach the page as text:
 * popups and list rows are built with DOM nodes and textContent, tooltips get an escaped string. */
(function () {
  "use strict";

  var KINDS = ["centers", "clusters", "organisations"]; // list order: who a citizen calls first
  // The words the pages beside the map use too, from the build (config.labels, see maps.folium_map.LABELS).
  var LABELS = null;
  var PAGE = 50; // list rows added at a time: 30,000 places never become 30,000 rows at once
  var NEAR_KINDS = { centers: true, clusters: true };
  var MARGIN_DEG = 0.1; // about 10 km around the view's districts still counts as "in the atlas's area"

  // -- small helpers ---------------------------------------------------------------------

  // Leaflet puts a string tooltip in with innerHTML: the plain name goes in escaped.
  function escapeText(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Search ignores spaces, case and the difference between composed and decomposed Hangul.
  function norm(text) {
    var s = String(text);
    if (s.normalize) s = s.normalize("NFKC");
    return s.toLowerCase().replace(/\s+/g, "");
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function makeLink(text, href, external) {
    var a = el("a", "", text);
    a.href = href;
    if (external) {
      a.target = "_blank";
      a.rel = "noopener";
    }
    return a;
  }

  function km(metres) {
    return metres < 1000 ? Math.round(metres / 10) * 10 + " m" : (metres / 1000).toFixed(1) + " km";
  }

  // Straight-line distance on the sphere, in metres.
  function distance(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180;
    var a = Math.sin(((lat2 - lat1) * r) / 2);
    var b = Math.sin(((lon2 - lon1) * r) / 2);
    var h = a * a + Math.cos(lat1 * r) * Math.cos(lat2 * r) * b * b;
    return 12742000 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  // -- the places ------------------------------------------------------------------------

  // Every place as an object, in list order: kind, then district, then the order of the data files.
  function decode(data) {
    var s = data.strings, out = [];
    KINDS.forEach(function (kind) {
      var cols = data.kinds[kind];
      if (!cols) return;
      for (var i = 0; i < cols.id.length; i++) {
        var facilities = cols.facilities ? cols.facilities[i].map(function (j) { return s[j]; }) : [];
        out.push({
          id: cols.id[i], kind: kind, lat: cols.lat[i], lon: cols.lon[i],
          placed: cols.lat[i] !== null, approx: cols.approx[i] === 1, reviewed: cols.reviewed[i] === 1,
          district: cols.district[i], label: s[cols.label[i]], name: s[cols.name[i]],
          address: s[cols.address[i]], detail: s[cols.detail[i]], phone: s[cols.phone[i]],
          dong: s[cols.dong[i]], host: s[cols.host[i]],
          opened: cols.opened ? s[cols.opened[i]] : "", area: cols.area ? s[cols.area[i]] : "",
          tenants: cols.tenants ? cols.tenants[i] : null,
          year: cols.year ? cols.year[i] : null, planned: cols.planned ? cols.planned[i] === 1 : false,
          facilities: facilities, key: null
        });
      }
    });
    var rank = {};
    KINDS.forEach(function (k, i) { rank[k] = i; });
    out.forEach(function (p, i) { p.order = i; });
    out.sort(function (a, b) { return rank[a.kind] - rank[b.kind] || a.district - b.district || a.order - b.order; });
    out.forEach(function (p, i) { p.order = i; });
    return out;
  }

  function searchKey(p, districts) {
    if (p.key === null) {
      var d = districts[p.district];
      p.key = norm([p.name, p.address, p.detail, p.dong, d ? d[0] : "", p.label, LABELS.kinds[p.kind],
        p.facilities.join(" "), p.phone, p.phone.replace(/[^0-9]/g, ""), p.host, p.opened].join("\u0001"));
    }
    return p.key;
  }

  // -- directions ------------------------------------------------------------------------
  // The pages' own search links (pages.map_search_links): the city and the road address. Without an
  // address, the name and district are the best search there is.
  function searchText(p, districts) {
    var d = districts[p.district];
    if (p.address) return (d ? d[2] + " " : "") + p.address;
    return (d ? d[2] + " " + d[0] + " " : "") + p.name;
  }

  function directions(p, districts) {
    var q = encodeURIComponent(searchText(p, districts));
    // Kakao documents map.kakao.com/link/to/NAME,LAT,LNG for a route to a point (a comma in the name
    // would end it). Naver documents points and routes only for its app (nmap://, which does nothing
    // where the app is not installed) and no point link for its web map, so Naver gets the search.
    var kakao = p.reviewed
      ? "https://map.kakao.com/link/to/" + encodeURIComponent(p.name.replace(/,/g, " ")) + "," + p.lat + "," + p.lon
      : "https://map.kakao.com/?q=" + q;
    return { kakao: kakao, naver: "https://map.naver.com/p/search/" + q };
  }

  function directionLinks(p, districts) {
    var box = el("span", "atlas-directions");
    var urls = directions(p, districts);
    box.appendChild(document.createTextNode("길찾기: "));
    var k = makeLink("카카오맵", urls.kakao, true);
    k.className = "atlas-kakao";
    box.appendChild(k);
    box.appendChild(document.createTextNode(" · "));
    var n = makeLink("네이버 지도", urls.naver, true);
    n.className = "atlas-naver";
    box.appendChild(n);
    return box;
  }

  function telLink(phone) {
    return makeLink(phone, "tel:" + phone.replace(/[^0-9+]/g, ""), false);
  }

  function popup(data, p) {
    var box = el("div", "atlas-popup");
    function row(label, content) {
      if (box.firstChild) box.appendChild(el("br"));
      if (label) box.appendChild(document.createTextNode(label + ": "));
      box.appendChild(typeof content === "string" ? document.createTextNode(content) : content);
    }
    row("", el("strong", "", p.name));
    row("", el("span", "atlas-kind", p.label));
    if (p.host) row("있는 곳", p.host + " 건물");
    if (p.address) row("주소", p.address + (p.detail ? " " + p.detail : ""));
    if (p.opened) row("개관", p.opened);
    if (p.area) row("면적", p.area);
    if (p.tenants !== null && p.tenants !== undefined) row("입주", p.tenants + "개 조직");
    if (p.phone) row("전화", telLink(p.phone));
    if (p.approx) row("", el("em", "atlas-approx", LABELS.approximate));
    row("", directionLinks(p, data.districts));
    var district = data.districts[p.district];
    if (district) {
      var link = makeLink(district[0] + " 페이지 보기", district[1], false);
      link.target = "_top";
      row("", link);
    }
    return box;
  }

  // -- the state and the URL -------------------------------------------------------------

  function parseHash(hash) {
    var out = {};
    hash.replace(/^#/, "").split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i > 0) {
        try {
          out[part.slice(0, i)] = decodeURIComponent(part.slice(i + 1));
        } catch (e) {
          /* a mangled value is ignored like an unknown key */
        }
      }
    });
    return out;
  }

  // The map page (same origin, iframe marked data-atlas-sync) keeps the state in its own address too,
  // so the address bar of the page is the link to share.
  function syncedParent() {
    try {
      var frame = window.frameElement;
      return frame && frame.hasAttribute("data-atlas-sync") ? window.parent : null;
    } catch (e) {
      return null;
    }
  }

  // -- start -------------------------------------------------------------------------------

  function start(config) {
    LABELS = config.labels;
    var map = window[config.map];
    var layers = {};
    Object.keys(config.layers).forEach(function (key) { layers[key] = window[config.layers[key]]; });
    var data = config.places;
    var districts = data.districts;
    var places = decode(data);
    var byId = {};
    places.forEach(function (p) { byId[p.id] = p; });
    var root = document.getElementById("atlas");
    var parentWindow = syncedParent();

    // -- markers
    var icons = {};
    function icon(kind, approx) {
      var cls = "atlas-pin atlas-pin--" + kind + (approx ? " atlas-pin--approx" : "");
      if (!icons[cls]) icons[cls] = L.divIcon({ className: cls, iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -10] });
      return icons[cls];
    }
    // Popups keep clear of the map's controls (see fitPopups); one object shared by every popup.
    var popupOptions = { autoPanPaddingTopLeft: [10, 10], autoPanPaddingBottomRight: [10, 10], maxWidth: 280 };
    var markers = [];
    var markerOf = {};
    var opening = null; // the place whose popup is being opened
    var openPopup = null;
    places.forEach(function (p) {
      if (!p.placed) return;
      var marker = L.marker([p.lat, p.lon], {
        icon: icon(p.kind, p.approx),
        // Leaflet gives markers role="button": the title is their accessible name.
        title: p.name + (p.approx ? " (" + LABELS.approximate + ")" : ""),
        alt: "",
        keyboard: true
      });
      // Built when opened, from the tables: nothing per marker until then.
      marker.bindPopup(function () {
        opening = p;
        return popup(data, p);
      }, popupOptions);
      marker.bindTooltip(escapeText(p.name + (p.approx ? " · " + LABELS.approximate : "")));
      marker.atlasPlace = p;
      marker.atlasIn = false;
      markers.push(marker);
      markerOf[p.id] = marker;
    });

    // -- state
    var years = [], facilities = [];
    places.forEach(function (p) {
      if (p.kind === "clusters" && p.year && years.indexOf(p.year) < 0) years.push(p.year);
      p.facilities.forEach(function (f) { if (facilities.indexOf(f) < 0) facilities.push(f); });
    });
    years.sort();
    facilities.sort(function (a, b) { return a.localeCompare(b, "ko"); });
    var codes = districts.map(function (d) { return d[3]; });

    var state = {
      q: "", shown: { centers: true, clusters: true, organisations: true, boundaries: true },
      district: "", facility: "", status: "", year: null, all: false, place: null, near: null
    };
    var initial = parseHash(window.location.hash);
    if (!window.location.hash && parentWindow) initial = parseHash(parentWindow.location.hash);
    if (initial.q) state.q = initial.q;
    if (initial.l !== undefined) {
      var wanted = initial.l.split(",");
      Object.keys(state.shown).forEach(function (k) { state.shown[k] = wanted.indexOf(k) >= 0; });
    }
    if (initial.d && codes.indexOf(initial.d) >= 0) state.district = initial.d;
    if (initial.f && facilities.indexOf(initial.f) >= 0) state.facility = initial.f;
    if (initial.s === "opened" || initial.s === "planned") state.status = initial.s;
    if (initial.y && /^\d{4}$/.test(initial.y)) state.year = parseInt(initial.y, 10);
    if (initial.a === "1") state.all = true;
    if (initial.p && byId[initial.p]) state.place = initial.p;

    function filtered(p, query) {
      if (!state.shown[p.kind]) return false;
      if (state.near && !NEAR_KINDS[p.kind]) return false;
      if (state.district && districts[p.district][3] !== state.district) return false;
      // Facilities, status and opening are known for clusters only: choosing one shows clusters.
      if (state.facility && p.facilities.indexOf(state.facility) < 0) return false;
      if (state.status && (p.kind !== "clusters" || p.planned !== (state.status === "planned"))) return false;
      // Clusters that existed in a year: opened in or before it (planned ones only from their year on).
      if (state.year !== null && !(p.kind === "clusters" && p.year && p.year <= state.year)) return false;
      if (query && searchKey(p, districts).indexOf(query) < 0) return false;
      return true;
    }

    // -- the panel
    var panel = el("section", "atlas-panel");
    panel.setAttribute("aria-label", "곳 찾기");
    var searchRow = el("div", "atlas-search");
    var searchLabel = el("label", "atlas-visually-hidden", "이름, 주소, 동, 전화번호로 찾기");
    searchLabel.htmlFor = "atlas-q";
    var input = el("input", "atlas-q");
    input.id = "atlas-q";
    input.type = "search";
    input.autocomplete = "off";
    input.placeholder = "찾기: 이름, 주소, 동, 전화";
    input.value = state.q;
    var nearButton = el("button", "atlas-near", "내 주변");
    nearButton.type = "button";
    var viewButton = el("button", "atlas-view-toggle", "목록");
    viewButton.type = "button";
    viewButton.setAttribute("aria-controls", "atlas-results");
    searchRow.appendChild(searchLabel);
    searchRow.appendChild(input);
    searchRow.appendChild(nearButton);
    searchRow.appendChild(viewButton);
    panel.appendChild(searchRow);

    // The kinds double as the legend and the layer switches.
    var chips = el("fieldset", "atlas-kinds");
    chips.appendChild(el("legend", "atlas-visually-hidden", "보이는 종류"));
    var kindBoxes = {};
    KINDS.concat(["boundaries"]).forEach(function (kind) {
      var label = el("label", "atlas-chip");
      var box = el("input");
      box.type = "checkbox";
      box.value = kind;
      box.checked = state.shown[kind];
      kindBoxes[kind] = box;
      label.appendChild(box);
      label.appendChild(el("span", kind === "boundaries" ? "atlas-legend__area" : "atlas-pin atlas-pin--" + kind));
      label.appendChild(document.createTextNode(kind === "boundaries" ? LABELS.boundaries : LABELS.kinds[kind]));
      chips.appendChild(label);
    });
    var approxNote = el("span", "atlas-chip atlas-chip--note");
    approxNote.appendChild(el("span", "atlas-pin atlas-pin--approx"));
    approxNote.appendChild(document.createTextNode(LABELS.approximate));
    chips.appendChild(approxNote);

    // Kinds, legend and filters fold into one control: open beside a wide map, closed above a narrow one.
    var more = el("details", "atlas-filters");
    var moreSummary = el("summary", "", "종류·필터·범례");
    more.appendChild(moreSummary);
    more.appendChild(chips);
    function select(name, label, options, value) {
      var wrap = el("label", "atlas-filter");
      wrap.appendChild(document.createTextNode(label + " "));
      var sel = el("select");
      sel.name = name;
      options.forEach(function (o) {
        var opt = el("option", "", o[1]);
        opt.value = o[0];
        sel.appendChild(opt);
      });
      sel.value = value;
      wrap.appendChild(sel);
      more.appendChild(wrap);
      return sel;
    }
    var districtSelect = codes.length > 1
      ? select("d", "자치구", [["", "전체"]].concat(districts.map(function (d) { return [d[3], d[0]]; })), state.district)
      : null;
    var facilitySelect = facilities.length
      ? select("f", "시설", [["", "전체"]].concat(facilities.map(function (f) { return [f, f]; })), state.facility)
      : null;
    var statusSelect = select("s", "개관", [["", "전체"], ["opened", "운영 중"], ["planned", "개관 예정"]], state.status);
    var yearOptions = [["", "전체"]];
    for (var y = years.length ? years[0] : 0; years.length && y <= years[years.length - 1]; y++) yearOptions.push([String(y), y + "년까지"]);
    var yearSelect = select("y", "개관 시기", yearOptions, state.year === null ? "" : String(state.year));
    yearSelect.setAttribute("aria-label", "개관 시기: 이 연도까지 문을 연 클러스터만 보기");
    more.appendChild(el("p", "atlas-hint", "시설·개관은 클러스터·공유공간에만 있는 정보라, 고르면 클러스터만 보입니다."));
    var clear = el("button", "atlas-clear", "필터 지우기");
    clear.type = "button";
    more.appendChild(clear);
    panel.appendChild(more);

    var status = el("p", "atlas-status");
    status.setAttribute("role", "status");
    panel.appendChild(status);

    var results = el("div", "atlas-results");
    results.id = "atlas-results";
    var summary = el("div", "atlas-summary");
    var count = el("span", "atlas-count");
    count.setAttribute("aria-live", "polite");
    var allLabel = el("label", "atlas-all");
    var allBox = el("input");
    allBox.type = "checkbox";
    allBox.checked = !state.all;
    allLabel.appendChild(allBox);
    allLabel.appendChild(document.createTextNode(" 지도에 보이는 곳만"));
    var endNear = el("button", "atlas-near-end", "가까운 순 끝내기");
    endNear.type = "button";
    endNear.hidden = true;
    summary.appendChild(count);
    summary.appendChild(allLabel);
    summary.appendChild(endNear);
    results.appendChild(summary);
    var list = el("ol", "atlas-list");
    list.setAttribute("aria-label", "곳 목록");
    results.appendChild(list);
    var moreRows = el("button", "atlas-more");
    moreRows.type = "button";
    moreRows.hidden = true;
    results.appendChild(moreRows);
    var footer = el("div", "atlas-footer");
    var csv = el("button", "atlas-csv", "목록 CSV 내려받기");
    csv.type = "button";
    var share = makeLink("이 보기 링크", "#", true);
    share.className = "atlas-share";
    footer.appendChild(csv);
    footer.appendChild(share);
    results.appendChild(footer);
    panel.appendChild(results);
    root.insertBefore(panel, root.firstChild);
    // The panel took part of the map's width: fit the districts again to the size that is left.
    map.invalidateSize({ pan: false });
    map.fitBounds(config.bounds, { animate: false });

    // -- the list
    var rows = [];      // the places the list shows, in order
    var rendered = 0;   // how many of them have a row
    var hereMarker = null;

    function inView(p, bounds) {
      return p.placed && bounds.contains([p.lat, p.lon]);
    }

    // The bounds of the map as last seen: while the list covers a phone's screen the map has no size.
    var seen = null;
    function viewBounds() {
      var size = map.getSize();
      if (size.x > 0 && size.y > 0) seen = map.getBounds();
      return seen || L.latLngBounds(config.bounds);
    }

    function compute() {
      var query = norm(state.q);
      var bounds = viewBounds();
      var onlyVisible = !state.all && !state.near;
      rows = places.filter(function (p) {
        return filtered(p, query) && (!onlyVisible || inView(p, bounds));
      });
      if (state.near) {
        var here = state.near;
        rows = rows.filter(function (p) { return p.placed; });
        rows.forEach(function (p) { p.distance = distance(here.lat, here.lon, p.lat, p.lon); });
        // Equal distances (a center inside its cluster): the center first, as in the list order.
        rows.sort(function (a, b) { return a.distance - b.distance || a.order - b.order; });
      }
    }

    function row(p) {
      var item = el("li", "atlas-item atlas-item--" + p.kind);
      item.setAttribute("data-id", p.id);
      var head = p.placed ? el("button", "atlas-item__main") : el("div", "atlas-item__main");
      if (p.placed) head.type = "button";
      head.appendChild(el("span", "atlas-pin atlas-pin--" + p.kind + (p.approx ? " atlas-pin--approx" : "")));
      head.appendChild(el("span", "atlas-item__name", p.name));
      var d = districts[p.district];
      head.appendChild(el("span", "atlas-item__meta", p.label + (d ? " · " + d[0] : "")));
      var where = p.address ? p.address + (p.detail ? " " + p.detail : "") : p.host || p.dong;
      if (p.host && p.address) where = p.address + " (" + p.host + ")";
      if (where) head.appendChild(el("span", "atlas-item__addr", where));
      var loc = !p.placed ? LABELS.noPlace : state.near ? "직선거리 " + km(p.distance) : p.approx ? LABELS.approximateShort : "";
      if (loc) head.appendChild(el("span", "atlas-item__loc" + (p.placed ? "" : " atlas-item__loc--none"), loc));
      item.appendChild(head);
      var links = el("div", "atlas-item__links");
      if (p.phone) links.appendChild(telLink(p.phone));
      links.appendChild(directionLinks(p, districts));
      item.appendChild(links);
      if (state.place === p.id) item.classList.add("is-selected");
      return item;
    }

    function renderMore(upTo) {
      var end = Math.min(rows.length, Math.max(rendered + PAGE, upTo || 0));
      var frag = document.createDocumentFragment();
      for (var i = rendered; i < end; i++) frag.appendChild(row(rows[i]));
      list.appendChild(frag);
      rendered = end;
      var left = rows.length - rendered;
      moreRows.hidden = left <= 0;
      moreRows.textContent = "더 보기 (" + left.toLocaleString("ko-KR") + "곳 남음)";
    }

    function renderList() {
      compute();
      list.textContent = "";
      rendered = 0;
      renderMore();
      count.textContent = (state.near ? "가까운 순 " : "") + rows.length.toLocaleString("ko-KR") + "곳";
      allLabel.hidden = !!state.near;
      endNear.hidden = !state.near;
      list.dispatchEvent(new CustomEvent("atlas-list", { bubbles: true }));
    }

    // Rows are added as the list is scrolled near its end.
    if (window.IntersectionObserver) {
      new IntersectionObserver(function (entries) {
        if (entries[0].isIntersecting && rendered < rows.length) renderMore();
      }, { root: results, rootMargin: "200px" }).observe(moreRows);
    }
    moreRows.addEventListener("click", function () { renderMore(); });

    function highlight(id, scroll) {
      var old = list.querySelector(".is-selected");
      if (old) old.classList.remove("is-selected");
      if (!id) return;
      var index = -1;
      for (var i = 0; i < rows.length; i++) if (rows[i].id === id) { index = i; break; }
      if (index < 0) return;
      if (index >= rendered) renderMore(index + 1);
      var item = list.querySelector('[data-id="' + (window.CSS && CSS.escape ? CSS.escape(id) : id) + '"]');
      if (!item) return;
      item.classList.add("is-selected");
      if (scroll) item.scrollIntoView({ block: "nearest" });
    }

    // -- markers follow the filters (in bulk: one by one, 30,000 markers would each re-cluster)
    // With chunkedLoading the add runs in slices between frames; `done` runs when all are in.
    function syncMarkers(done) {
      var query = norm(state.q);
      var pending = 1;
      function finished() {
        pending -= 1;
        if (pending === 0 && done) done();
      }
      KINDS.forEach(function (kind) {
        var group = layers[kind], add = [], remove = [];
        markers.forEach(function (marker) {
          if (marker.atlasPlace.kind !== kind) return;
          var show = filtered(marker.atlasPlace, query);
          if (show && !marker.atlasIn) add.push(marker);
          if (!show && marker.atlasIn) remove.push(marker);
          marker.atlasIn = show;
        });
        if (remove.length) group.removeLayers(remove);
        var wanted = state.shown[kind];
        if (wanted && !map.hasLayer(group)) map.addLayer(group);
        if (!wanted && map.hasLayer(group)) map.removeLayer(group);
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
      if (state.shown.boundaries && !map.hasLayer(layers.boundaries)) map.addLayer(layers.boundaries);
      if (!state.shown.boundaries && map.hasLayer(layers.boundaries)) map.removeLayer(layers.boundaries);
      finished();
    }

    var markerTimer = null;
    function markersSoon() {
      clearTimeout(markerTimer);
      markerTimer = setTimeout(function () { syncMarkers(); }, 250);
    }

    // -- the URL
    function hash() {
      var c = map.getCenter();
      var parts = ["z=" + map.getZoom(), "c=" + c.lat.toFixed(5) + "," + c.lng.toFixed(5)];
      var shown = Object.keys(state.shown).filter(function (k) { return state.shown[k]; });
      if (shown.length < 4) parts.push("l=" + shown.join(","));
      if (state.q) parts.push("q=" + encodeURIComponent(state.q));
      if (state.district) parts.push("d=" + state.district);
      if (state.facility) parts.push("f=" + encodeURIComponent(state.facility));
      if (state.status) parts.push("s=" + state.status);
      if (state.year !== null) parts.push("y=" + state.year);
      if (state.all) parts.push("a=1");
      if (state.place) parts.push("p=" + encodeURIComponent(state.place));
      return "#" + parts.join("&");
    }

    var started = false;
    function saveHash() {
      if (!started) return;
      var h = hash();
      if (window.location.hash !== h && window.history.replaceState) window.history.replaceState(null, "", h);
      if (parentWindow && parentWindow.location.hash !== h) {
        try {
          parentWindow.history.replaceState(parentWindow.history.state, "", h);
        } catch (e) {
          parentWindow = null;
        }
      }
      share.href = window.location.pathname + h;
    }

    // -- choosing a place
    function choose(id) {
      var marker = markerOf[id];
      if (!marker) return;
      if (root.getAttribute("data-mode") === "list") setMode("map");
      state.place = id;
      highlight(id, false);
      var group = layers[marker.atlasPlace.kind];
      var open = function () { marker.openPopup(); };
      if (!marker.atlasIn || !map.hasLayer(group)) {
        // A place hidden by a filter is still shown when chosen from a shared link.
        map.setView(marker.getLatLng(), Math.max(map.getZoom(), 15));
        L.popup(popupOptions).setLatLng(marker.getLatLng()).setContent(popup(data, marker.atlasPlace)).openOn(map);
        return;
      }
      // Close enough to see the street, then out of any cluster bubble.
      if (map.getZoom() < 14) map.setView(marker.getLatLng(), 14, { animate: false });
      group.zoomToShowLayer(marker, open);
    }

    list.addEventListener("click", function (e) {
      var button = e.target.closest && e.target.closest("button.atlas-item__main");
      if (!button) return;
      choose(button.parentNode.getAttribute("data-id"));
    });

    map.on("popupopen", function (e) {
      var p = opening;
      opening = null;
      openPopup = e.popup;
      if (!p) return;
      state.place = p.id;
      highlight(p.id, true);
      saveHash();
    });
    map.on("popupclose", function (e) {
      if (e.popup !== openPopup) return;
      openPopup = null;
      state.place = null;
      highlight(null);
      saveHash();
    });

    // -- inputs
    function onSearch() {
      if (state.q === input.value) return;
      state.q = input.value;
      renderList();
      markersSoon();
      saveHash();
    }
    // With a Korean IME the value changes on `input` while a syllable is composed, and settles on
    // `compositionend` (some browsers send no `input` after it).
    input.addEventListener("input", onSearch);
    input.addEventListener("compositionend", onSearch);

    function changed() {
      renderList();
      syncMarkers();
      saveHash();
      moreSummary.textContent = "종류·필터·범례" + (activeFilters() ? " (필터 " + activeFilters() + "개)" : "");
    }
    function activeFilters() {
      return [state.district, state.facility, state.status, state.year !== null ? "y" : ""].filter(Boolean).length;
    }
    more.addEventListener("change", function (e) {
      var v = e.target.value;
      if (e.target.type === "checkbox") state.shown[v] = e.target.checked;
      if (e.target.name === "d") state.district = v;
      if (e.target.name === "f") state.facility = v;
      if (e.target.name === "s") state.status = v;
      if (e.target.name === "y") state.year = v ? parseInt(v, 10) : null;
      changed();
    });
    clear.addEventListener("click", function () {
      state.district = state.facility = state.status = "";
      state.year = null;
      [districtSelect, facilitySelect, statusSelect, yearSelect].forEach(function (s) { if (s) s.value = ""; });
      changed();
    });
    allBox.addEventListener("change", function () {
      state.all = !allBox.checked;
      renderList();
      saveHash();
    });
    map.on("moveend", function () {
      if (!state.all && !state.near) {
        renderList();
        if (state.place) highlight(state.place, true);
      }
      saveHash();
    });

    // -- near me
    var area = L.latLngBounds(config.bounds).pad(0);
    area = L.latLngBounds(
      [area.getSouth() - MARGIN_DEG, area.getWest() - MARGIN_DEG],
      [area.getNorth() + MARGIN_DEG, area.getEast() + MARGIN_DEG]
    );
    function say(text) {
      status.textContent = text;
      status.hidden = !text;
    }
    say("");
    function endNearMode() {
      state.near = null;
      if (hereMarker) map.removeLayer(hereMarker);
      hereMarker = null;
      say("");
      renderList();
      syncMarkers();
    }
    endNear.addEventListener("click", endNearMode);
    nearButton.addEventListener("click", function () {
      if (!navigator.geolocation) {
        say("이 브라우저에서는 현재 위치를 쓸 수 없습니다.");
        return;
      }
      say("현재 위치를 찾는 중입니다…");
      navigator.geolocation.getCurrentPosition(function (pos) {
        var here = { lat: pos.coords.latitude, lon: pos.coords.longitude };
        if (!area.contains([here.lat, here.lon])) {
          say("지금 계신 곳은 이 지도가 다루는 지역 밖이라 가까운 곳을 찾을 수 없습니다.");
          return;
        }
        state.near = here;
        say("지금 계신 곳에서 가까운 지원센터와 클러스터입니다 (직선거리).");
        if (hereMarker) map.removeLayer(hereMarker);
        hereMarker = L.circleMarker([here.lat, here.lon], { radius: 8, color: "#1565c0", fillColor: "#42a5f5", fillOpacity: 0.9 })
          .bindTooltip("내 위치").addTo(map);
        renderList();
        syncMarkers();
        var nearest = rows.slice(0, 3).map(function (p) { return [p.lat, p.lon]; });
        map.fitBounds(L.latLngBounds(nearest.concat([[here.lat, here.lon]])).pad(0.2), { maxZoom: 16 });
        if (root.getAttribute("data-mode") === "map") setMode("list");
      }, function (err) {
        say(err.code === 1
          ? "위치 권한이 거부되어 가까운 곳을 찾을 수 없습니다. 브라우저 설정에서 이 사이트의 위치 권한을 허용해 주세요."
          : "현재 위치를 알 수 없습니다. 잠시 뒤에 다시 시도해 주세요.");
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
    });

    // -- CSV of what the list shows
    function cell(value) {
      var text = value === null || value === undefined ? "" : String(value);
      // A cell starting with = + - @ would run as a formula in a spreadsheet.
      if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
      return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }
    csv.addEventListener("click", function () {
      var head = ["이름", "종류", "자치구", "주소", "전화", "위치", "위도", "경도"];
      if (state.near) head.push("직선거리(m)");
      var lines = [head.map(cell).join(",")];
      rows.forEach(function (p) {
        var d = districts[p.district];
        var where = !p.placed ? LABELS.noPlace : p.approx ? LABELS.approximate : LABELS.exact;
        var line = [p.name, p.label, d ? d[0] : "", p.address + (p.detail ? " " + p.detail : ""), p.phone, where,
          p.placed ? p.lat : "", p.placed ? p.lon : ""];
        if (state.near) line.push(Math.round(p.distance));
        lines.push(line.map(cell).join(","));
      });
      // The byte order mark tells spreadsheet programs the file is UTF-8 (Hangul would break without it).
      var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
      var a = makeLink("", URL.createObjectURL(blob), false);
      a.download = (config.title || "사회적경제 지도") + " 목록.csv";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () {
        URL.revokeObjectURL(a.href);
        a.remove();
      }, 1000);
    });

    // -- phones: the list or the map, one at a time
    var narrow = window.matchMedia("(max-width: 639px)");
    function setMode(mode) {
      root.setAttribute("data-mode", mode);
      viewButton.textContent = mode === "list" ? "지도" : "목록";
      viewButton.setAttribute("aria-label", mode === "list" ? "지도 보기" : "목록 보기");
      if (mode !== "list") {
        map.invalidateSize({ animate: false });
        fitPopups();
      }
    }
    viewButton.addEventListener("click", function () {
      setMode(root.getAttribute("data-mode") === "list" ? "map" : "list");
    });

    // Popups open clear of the controls in the map's corners.
    function fitPopups() {
      var box = map.getContainer().getBoundingClientRect();
      function extent(selector, side) {
        var most = 0;
        map.getContainer().querySelectorAll(selector + " .leaflet-control").forEach(function (c) {
          var r = c.getBoundingClientRect();
          if (!r.width) return;
          most = Math.max(most, side === "left" ? r.right - box.left : side === "bottom" ? box.bottom - r.top : 0);
        });
        return most;
      }
      popupOptions.autoPanPaddingTopLeft[0] = extent(".leaflet-top.leaflet-left", "left") + 8;
      popupOptions.autoPanPaddingBottomRight[1] = Math.max(
        extent(".leaflet-bottom.leaflet-left", "bottom"), extent(".leaflet-bottom.leaflet-right", "bottom")) + 8;
    }
    map.on("resize", fitPopups);

    // -- the first view (after the layout, which may resize the map)
    setMode(narrow.matches ? "map" : "wide");
    // Open only where there is room for the list below it too.
    more.open = !narrow.matches && window.innerHeight >= 640;
    if (initial.c && initial.z) {
      var ll = initial.c.split(",").map(Number);
      var z = parseInt(initial.z, 10);
      if (ll.length === 2 && isFinite(ll[0]) && isFinite(ll[1]) && isFinite(z)) map.setView(ll, z, { animate: false });
    }
    if (narrow.addEventListener) {
      narrow.addEventListener("change", function () { setMode(narrow.matches ? "map" : "wide"); });
    }
    renderList();
    // Published once every marker is in its layer, so what reads it sees the whole map.
    syncMarkers(function () {
      started = true;
      if (state.place) choose(state.place);
      saveHash();
      window.atlasMapState = {
        map: map, layers: layers, markers: markers, places: places, state: state,
        rows: function () { return rows; },
        setYear: function (y) {
          state.year = y;
          yearSelect.value = y === null ? "" : String(y);
          changed();
        }
      };
    });
  }

  window.atlasMap = { start: start };
})();
