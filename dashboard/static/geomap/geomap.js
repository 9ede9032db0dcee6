/* Offline basemap, decluttered place-name labels and place markers for the dashboard map.
 *
 * Loaded from /app/static like Leaflet (no CDN). dashboard/maps.py emits short calls:
 *   GeoMap.basemap(map, {root, tiles})   Natural Earth by zoom (+ the user's own tiles)
 *   GeoMap.labels(map, {root})           gazetteer labels: countries ... villages
 *   GeoMap.markers(map, group, data)     one circle per place, halo on the selection
 * Every name is put into the page with textContent, never as HTML.
 */
(function () {
  "use strict";
  var GeoMap = {};
  window.GeoMap = GeoMap;

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  // [x0, y0, dx1, dy1, ...] in 1/unit degrees -> [[lat, lon], ...]
  function decode(flat, unit) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i]; y += flat[i + 1];
      out.push([y / unit, x / unit]);
    }
    return out;
  }

  function intersects(b, bounds) {
    return !(b[2] < bounds.getWest() || b[0] > bounds.getEast() ||
             b[3] < bounds.getSouth() || b[1] > bounds.getNorth());
  }

  /* ---------------------------------------------------------------- basemap */
  GeoMap.STYLE = {
    sea: "#dfe9f2", land: "#f5f4ef", coast: "#8fa6bd", border: "#a393b0"
  };

  GeoMap.basemap = function (map, opts) {
    var root = opts.root;
    var style = GeoMap.STYLE;
    map.getContainer().style.background = style.sea;
    map.createPane("geo-base").style.zIndex = 200;
    var renderer = L.canvas({pane: "geo-base", padding: 0.3});
    var state = {index: null, level: null, cells: {}, drawn: {}};
    GeoMap._base = state;
    if (opts.tiles) {
      // The user's own offline tiles replace the drawn basemap entirely.
      L.tileLayer(opts.tiles.url, {
        minZoom: opts.tiles.minZoom, maxNativeZoom: opts.tiles.maxZoom, maxZoom: 18,
        attribution: opts.tiles.attribution || ""
      }).addTo(map);
      return state;
    }

    function cellLayer(data, unit) {
      var fills = data.fill.map(function (r) { return decode(r, unit); });
      var group = L.layerGroup();
      if (fills.length) {
        L.polygon(fills, {
          renderer: renderer, pane: "geo-base", interactive: false, stroke: false,
          fillColor: style.land, fillOpacity: 1, smoothFactor: 1
        }).addTo(group);
      }
      var coast = data.coast.map(function (l) { return decode(l, unit); });
      if (coast.length) {
        L.polyline(coast, {
          renderer: renderer, pane: "geo-base", interactive: false,
          color: style.coast, weight: 0.8, opacity: 1
        }).addTo(group);
      }
      var border = data.border.map(function (l) { return decode(l, unit); });
      if (border.length) {
        L.polyline(border, {
          renderer: renderer, pane: "geo-base", interactive: false,
          color: style.border, weight: 1, opacity: 1, dashArray: "4 3"
        }).addTo(group);
      }
      return group;
    }

    function update() {
      var index = state.index;
      if (!index) return;
      var zoom = map.getZoom();
      var level = index.levels.filter(function (l) {
        return zoom >= l.minZoom && zoom <= l.maxZoom;
      })[0] || index.levels[index.levels.length - 1];
      var bounds = map.getBounds().pad(0.3);
      var wanted = {};
      level.cells.forEach(function (cell) {
        if (intersects(cell.bbox, bounds)) wanted[cell.key] = true;
      });
      state.level = level.name;
      // Keep the previous level's cells until the new ones arrive: no blank flash.
      var pending = [];
      Object.keys(wanted).forEach(function (key) {
        if (state.drawn[key]) return;
        var cached = state.cells[key];
        var load = cached ? Promise.resolve(cached) : getJSON(root + "/basemap/" + key)
          .then(function (data) { state.cells[key] = cellLayer(data, index.unit); return state.cells[key]; });
        pending.push(load.then(function (layer) {
          if (state.level === level.name && !state.drawn[key]) {
            layer.addTo(map); state.drawn[key] = layer;
          }
        }));
      });
      Promise.all(pending).then(function () {
        if (state.level !== level.name) return;
        Object.keys(state.drawn).forEach(function (key) {
          if (key.indexOf(level.name) !== 0 || !wanted[key]) {
            map.removeLayer(state.drawn[key]); delete state.drawn[key];
          }
        });
        state.ready = true;
        map.fire("geo:basemap");
      });
    }

    getJSON(root + "/basemap/index.json").then(function (index) {
      state.index = index; update();
    });
    map.on("moveend zoomend", update);
    return state;
  };

  /* ---------------------------------------------------------------- labels */
  var KIND_MAX_ZOOM = {country: 7, region: 10};
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

  /* ---------------------------------------------------------------- markers */
  // Two rings (dark inside white) round the selected place; never clickable.
  function halo(map, group, s) {
    if (GeoMap._halo) GeoMap._halo.forEach(function (l) { l.remove(); });
    var ll = L.latLng(s[0], s[1]);
    GeoMap._halo = [
      L.circleMarker(ll, {
        radius: s[2] + 5, color: "#111", weight: 3, fill: false, interactive: false,
        className: "geo-selected"
      }),
      L.circleMarker(ll, {radius: s[2] + 9, color: "#fff", weight: 2, fill: false, interactive: false})
    ];
    GeoMap._halo.forEach(function (l) { l.addTo(group); });
    GeoMap.selected = {lat: s[0], lon: s[1], name: s[3]};
  }

  // data: {colors, rows: [[lat, lon, radius, color, hollow, tooltipHtml, name, count]],
  //        selected: [lat, lon, radius, name] or null, selectedZoom, cluster, nameZoom}
  // Rows come in drawing order (Python sorts them): the last drawn is on top and wins clicks.
  GeoMap.markers = function (map, group, data) {
    var rows = data.rows, colors = data.colors, layers = [];
    var target = group;
    if (data.cluster && L.markerClusterGroup) {
      target = L.markerClusterGroup({
        maxClusterRadius: 24, disableClusteringAtZoom: data.clusterOffZoom,
        showCoverageOnHover: false, spiderfyOnMaxZoom: false, chunkedLoading: true,
        iconCreateFunction: function (cluster) {
          var n = cluster.getChildCount();
          var size = n < 10 ? 26 : n < 100 ? 32 : 40;
          var el = document.createElement("div");
          el.textContent = String(n);
          return L.divIcon({
            html: el, className: "geo-cluster", iconSize: L.point(size, size)
          });
        }
      });
      target.addTo(group);
    }
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], color = colors[r[3]], hollow = r[4] === 1;
      var layer = L.circleMarker([r[0], r[1]], {
        radius: r[2], color: color, fillColor: color, weight: hollow ? 2.5 : 1,
        opacity: 0.95, fillOpacity: hollow ? 0 : 0.6, dashArray: hollow ? "3 2" : null
      }).bindTooltip(r[5], {sticky: true});
      layer.geoOrder = i;
      layers.push(layer);
    }
    if (target === group) layers.forEach(function (l) { l.addTo(group); });
    else target.addLayers(layers);
    GeoMap._markers = {layers: layers, group: target};

    // Markercluster adds markers back in its own order: restore ours so that the smallest
    // (or newest) stays on top after every zoom.
    if (target !== group) {
      var restack = function () {
        layers.forEach(function (l) { if (l._map) l.bringToFront(); });
      };
      target.on("animationend", restack);
      map.on("zoomend", function () { setTimeout(restack, 0); });
      setTimeout(restack, 0);
    }

    var labels = GeoMap._labels;
    if (labels) {
      labels.markerLabels = rows
        .map(function (r, i) {
          return {name: r[6], lat: r[0], lon: r[1], kind: "marker", rank: r[7],
                  dx: r[2] + 3, minZoom: data.nameZoom, index: i};
        })
        .sort(function (a, b) { return b.rank - a.rank; });
      labels.redraw();
    }

    // The first view fits the markers shown (not the hidden countries); later reruns keep
    // whatever view the user chose.
    if (data.fit && !window.__geoFitted && rows.length && !data.selected) {
      window.__geoFitted = true;
      var lats = rows.map(function (r) { return r[0]; }).sort(function (a, b) { return a - b; });
      var lons = rows.map(function (r) { return r[1]; }).sort(function (a, b) { return a - b; });
      // Trim the outer 1% on each side when there are many places: one stray point on
      // another continent should not zoom the whole map out.
      var cut = rows.length >= 200 ? Math.floor(rows.length * 0.01) : 0;
      var south = lats[cut], north = lats[lats.length - 1 - cut];
      var west = lons[cut], east = lons[lons.length - 1 - cut];
      map.fitBounds([[south, west], [north, east]], {padding: [20, 20], maxZoom: 9, animate: false});
    }
    // A click selects on the server only after this run's map was built: ring the clicked
    // circle at once, so the selection shows without waiting for the next run.
    layers.forEach(function (l, i) {
      l.on("click", function () {
        var r = rows[i];
        window.__geoFollowed = r[0] + "," + r[1];
        halo(map, group, [r[0], r[1], r[2], r[6]]);
      });
    });
    if (data.selected) {
      window.__geoFitted = true;
      var s = data.selected;
      var ll = L.latLng(s[0], s[1]);
      halo(map, group, s);
      // Follow a new selection only once, so the user can pan away from it afterwards.
      var key = s[0] + "," + s[1];
      if (window.__geoFollowed !== key) {
        window.__geoFollowed = key;
        var zoom = Math.max(map.getZoom(), data.selectedZoom);
        if (zoom !== map.getZoom() || !map.getBounds().pad(-0.1).contains(ll)) {
          map.setView(ll, zoom, {animate: false});
        }
      }
    } else {
      GeoMap.selected = null;
    }
  };
})();
