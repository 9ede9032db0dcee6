/* Place markers for GeoMap (see geomap.js): circles, clusters, the selection. */
(function () {
  "use strict";
  var GeoMap = window.GeoMap;
  var getJSON = GeoMap._util.getJSON;
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
