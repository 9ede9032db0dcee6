/* Place-name labels for GeoMap (see geomap.js): placed by rank, none overlapping. */
(function () {
  "use strict";
  var GeoMap = window.GeoMap;
  var getJSON = GeoMap._util.getJSON;
  /* ---------------------------------------------------------------- labels */
  /* A region's name is context up to zoom 8; past that it would be placed first (it ranks
     above every town) and hide the towns round its point, as a basemap would not. */
  var KIND_MAX_ZOOM = {country: 7, region: 8};
  var FONT = {
    country: "600 12px sans-serif", region: "italic 11px sans-serif",
    city: "600 13px sans-serif", town: "12px sans-serif", village: "11px sans-serif",
    marker: "700 12px sans-serif"
  };
  var measureCtx = null;
  function textWidth(text, font) {
    if (!measureCtx) measureCtx = document.createElement("canvas").getContext("2d");
    measureCtx.font = font;
    return measureCtx.measureText(text).width;
  }

  function overlaps(box, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var b = boxes[i];
      if (box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]) return true;
    }
    return false;
  }

  GeoMap.labels = function (map, opts) {
    var root = opts.root;
    var pane = map.createPane("geo-labels");
    pane.style.zIndex = 350;  // above the basemap, below markers (overlayPane is 400)
    pane.style.pointerEvents = "none";
    var markerPane = map.createPane("geo-marker-labels");
    markerPane.style.zIndex = 640;
    markerPane.style.pointerEvents = "none";
    var state = {index: null, world: [], cells: {}, loading: {}, markerLabels: [], placed: []};
    GeoMap._labels = state;

    function cellsInView(bounds) {
      var size = state.index.cell, keys = [];
      for (var x = Math.floor(bounds.getWest() / size); x <= Math.floor(bounds.getEast() / size); x++) {
        for (var y = Math.floor(bounds.getSouth() / size); y <= Math.floor(bounds.getNorth() / size); y++) {
          keys.push(x + "_" + y);
        }
      }
      return keys;
    }

    function place(items, zoom, boxes, container, cls) {
      var size = map.getSize(), placed = [];
      for (var i = 0; i < items.length; i++) {
        var it = items[i];
        var p = map.latLngToContainerPoint([it.lat, it.lon]);
        var font = FONT[it.kind] || FONT.town;
        var text = it.kind === "country" || it.kind === "region" ? it.name.toUpperCase() : it.name;
        var w = textWidth(text, font) + (it.kind === "country" ? text.length * 1.2 : 0);
        var h = 14;
        var x0 = it.dx !== undefined ? p.x + it.dx : p.x - w / 2;
        var y0 = p.y - h / 2;
        var box = [x0 - 3, y0 - 2, x0 + w + 3, y0 + h + 2];
        if (box[2] < 0 || box[0] > size.x || box[3] < 0 || box[1] > size.y) continue;
        if (overlaps(box, boxes)) continue;
        boxes.push(box);
        var el = document.createElement("div");
        el.className = "geo-label geo-label-" + it.kind + (cls ? " " + cls : "");
        el.textContent = text;  // names are data: never HTML
        var lp = map.containerPointToLayerPoint([x0, y0]);
        L.DomUtil.setPosition(el, lp);
        container.appendChild(el);
        placed.push(it.name);
      }
      return placed;
    }

    function candidates(zoom, bounds) {
      var out = [];
      function take(list) {
        for (var i = 0; i < list.length; i++) {
          var l = list[i];
          if (l[4] > zoom || zoom > (KIND_MAX_ZOOM[l[3]] || 99)) continue;
          if (l[1] < bounds.getSouth() || l[1] > bounds.getNorth() ||
              l[2] < bounds.getWest() || l[2] > bounds.getEast()) continue;
          out.push({name: l[0], lat: l[1], lon: l[2], kind: l[3], rank: l[5]});
        }
      }
      take(state.world);
      if (zoom >= state.index.cellMinZoom) {
        cellsInView(bounds).forEach(function (key) { if (state.cells[key]) take(state.cells[key]); });
      }
      out.sort(function (a, b) { return b.rank - a.rank; });
      return out;
    }

    function draw() {
      if (!state.index) return;
      var zoom = map.getZoom(), bounds = map.getBounds();
      if (zoom >= state.index.cellMinZoom) {
        var missing = cellsInView(bounds).filter(function (key) {
          return !state.cells[key] && !state.loading[key] && state.index.cellSet[key];
        });
        missing.forEach(function (key) {
          state.loading[key] = getJSON(root + "/labels/cells/" + key + ".json").then(function (d) {
            state.cells[key] = d; delete state.loading[key]; schedule();
          });
        });
      }
      pane.textContent = ""; markerPane.textContent = "";
      var boxes = [];
      // Marker names first (they matter most), then the basemap's own labels around them.
      var inView = state.markerLabels.filter(function (m) { return bounds.contains([m.lat, m.lon]); });
      var markerLabels = inView.filter(function (m) { return zoom >= m.minZoom; });
      var placedMarkers = place(markerLabels.slice(0, 60), zoom, boxes, markerPane, "geo-label-marker");
      // Keep the basemap's text off the circles, and do not name a marked place twice.
      var named = {};
      if (inView.length < 3000) {
        inView.forEach(function (m) {
          var p = map.latLngToContainerPoint([m.lat, m.lon]), r = m.dx - 3;
          boxes.push([p.x - r, p.y - r, p.x + r, p.y + r]);
          named[m.name] = true;
        });
      }
      var basemapLabels = candidates(zoom, bounds).filter(function (c) { return !named[c.name]; });
      state.placed = placed = place(basemapLabels, zoom, boxes, pane, "");
      state.placedMarkers = placedMarkers;
      state.zoom = zoom;
      map.fire("geo:labels");
    }
    var placed = [];
    var timer = null;
    function schedule() {
      if (timer) return;
      timer = setTimeout(function () { timer = null; draw(); }, 30);
    }
    state.redraw = schedule;

    map.on("zoomstart", function () { pane.style.display = "none"; markerPane.style.display = "none"; });
    map.on("zoomend", function () { pane.style.display = ""; markerPane.style.display = ""; });
    map.on("moveend zoomend viewreset resize", schedule);
    Promise.all([getJSON(root + "/labels/index.json"), getJSON(root + "/labels/world.json")])
      .then(function (res) {
        state.index = res[0];
        state.index.cellSet = {};
        res[0].cells.forEach(function (k) { state.index.cellSet[k] = true; });
        state.world = res[1];
        schedule();
      });
    return state;
  };

})();
