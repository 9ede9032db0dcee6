/* Offline basemap, decluttered place-name labels and place markers for the dashboard map.
 *
 * Loaded from /app/static like Leaflet (no CDN), before labels.js and markers.js, which
 * add GeoMap.labels and GeoMap.markers. dashboard/maps.py emits short calls:
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

  GeoMap._util = {getJSON: getJSON, decode: decode, intersects: intersects};
})();
