/* Place markers for GeoMap (see geomap.js): circles, clusters, the selection.
 *
 * st_folium re-evaluates the map's feature group on every rerun that changes it and drops
 * the previous group. The markers therefore live in one layer of their own (GeoMap._mk),
 * added to the map once and kept across reruns: a rerun that sends the same marker file
 * URL (a click, a search, a jump) only moves the halo; a new URL (a filter change) fetches
 * that file once and rebuilds the circles.
 */
(function () {
  "use strict";
  var GeoMap = window.GeoMap;
  var getJSON = GeoMap._util.getJSON;
  var KEEP_PAYLOADS = 4;  // parsed marker files kept for going back to a recent selection

  // The persistent layer, created on the first call and added to the map synchronously:
  // st_folium hooks its click reporting onto the map's layers right after the evaluation,
  // and clicks on the circles inside reach it by event propagation.
  function store(map) {
    if (GeoMap._mk && GeoMap._mk.map === map) return GeoMap._mk;
    var mk = {map: map, root: L.featureGroup().addTo(map), url: null, want: null,
              target: null, layers: [], rows: [], payloads: {}, order: [], builds: 0};
    // Markercluster adds markers back in its own order: restore ours so that the smallest
    // (or newest) stays on top after every zoom.
    mk.restack = function () {
      if (!mk.clustered) return;
      mk.layers.forEach(function (l) { if (l._map) l.bringToFront(); });
    };
    map.on("zoomend", function () { setTimeout(mk.restack, 0); });
    GeoMap._mk = mk;
    return mk;
  }

  // Two rings (dark inside white) round the selected place; never clickable.
  function halo(mk, s) {
    if (GeoMap._halo) GeoMap._halo.forEach(function (l) { l.remove(); });
    var ll = L.latLng(s[0], s[1]);
    GeoMap._halo = [
      L.circleMarker(ll, {
        radius: s[2] + 5, color: "#111", weight: 3, fill: false, interactive: false,
        className: "geo-selected"
      }),
      L.circleMarker(ll, {radius: s[2] + 9, color: "#fff", weight: 2, fill: false, interactive: false})
    ];
    GeoMap._halo.forEach(function (l) { l.addTo(mk.root); });
    GeoMap.selected = {lat: s[0], lon: s[1], name: s[3]};
  }

  function clusterGroup(data) {
    return L.markerClusterGroup({
      maxClusterRadius: 24, disableClusteringAtZoom: data.clusterOffZoom,
      showCoverageOnHover: false, spiderfyOnMaxZoom: false, chunkedLoading: true,
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        var size = n < 10 ? 26 : n < 100 ? 32 : 40;
        var el = document.createElement("div");
        el.textContent = String(n);
        return L.divIcon({html: el, className: "geo-cluster", iconSize: L.point(size, size)});
      }
    });
  }

  // data: {colors, rows: [[lat, lon, radius, color, hollow, tooltipHtml, name, count]],
  //        cluster, clusterOffZoom, nameZoom}
  // Rows come in drawing order (Python sorts them): the last drawn is on top and wins clicks.
  function build(mk, data) {
    var map = mk.map, rows = data.rows, colors = data.colors, layers = [];
    if (mk.target) mk.root.removeLayer(mk.target);
    var clustered = !!(data.cluster && L.markerClusterGroup);
    // On the map before its markers arrive: markercluster's addLayers is linear then (added
    // off the map, each marker was looked up in a growing array: 0.2 s for 20,000).
    var target = (clustered ? clusterGroup(data) : L.featureGroup()).addTo(mk.root);
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], color = colors[r[3]], hollow = r[4] === 1;
      var layer = L.circleMarker([r[0], r[1]], {
        radius: r[2], color: color, fillColor: color, weight: hollow ? 2.5 : 1,
        opacity: 0.95, fillOpacity: hollow ? 0 : 0.6, dashArray: hollow ? "3 2" : null
      }).bindTooltip(r[5], {sticky: true});
      layer.geoOrder = i;
      layer.geoRow = r;
      layers.push(layer);
    }
    if (clustered) {
      target.addLayers(layers);
      target.on("animationend", mk.restack);
    } else {
      layers.forEach(function (l) { l.addTo(target); });
    }
    // A click selects on the server only after the rerun: ring the clicked circle at once.
    target.on("click", function (e) {
      var hit = e.sourceTarget || e.layer, r = hit && hit.geoRow;
      if (!r) return;
      window.__geoFollowed = r[0] + "," + r[1];
      halo(mk, [r[0], r[1], r[2], r[6]]);
    });
    mk.target = target; mk.layers = layers; mk.rows = rows; mk.clustered = clustered;
    mk.builds += 1;
    setTimeout(mk.restack, 0);

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
  }

  // The first view fits the markers shown (not the hidden countries); later reruns keep
  // whatever view the user chose. A new selection is followed once.
  function select(mk, data) {
    var map = mk.map, rows = mk.rows;
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
    if (data.selected) {
      window.__geoFitted = true;
      var s = data.selected;
      var ll = L.latLng(s[0], s[1]);
      halo(mk, s);
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
      if (GeoMap._halo) GeoMap._halo.forEach(function (l) { l.remove(); });
      GeoMap._halo = null;
      GeoMap.selected = null;
    }
    // A new object on every call: "the markers of this run are drawn" (tests, the bench).
    GeoMap._markers = {layers: mk.layers, group: mk.target, url: mk.url, builds: mk.builds};
  }

  function load(mk, url) {
    if (mk.payloads[url]) return Promise.resolve(mk.payloads[url]);
    return getJSON(url).then(function (payload) {
      mk.payloads[url] = payload;
      mk.order.push(url);
      while (mk.order.length > KEEP_PAYLOADS) delete mk.payloads[mk.order.shift()];
      return payload;
    });
  }

  // data: either {url, selected, selectedZoom, fit} (the dashboard: the rows in a file)
  // or the rows inline with the selection (a standalone map from maps.build_map).
  GeoMap.markers = function (map, group, data) {
    var mk = store(map);
    if (!data.url) {
      mk.url = null; mk.want = null;
      build(mk, data);
      select(mk, data);
      return;
    }
    mk.want = data.url;
    if (mk.url === data.url) { select(mk, data); return; }
    load(mk, data.url).then(function (payload) {
      if (mk.want !== data.url) return;  // a newer run asked for another file meanwhile
      mk.url = data.url;
      build(mk, payload);
      select(mk, data);
    }).catch(function (err) {
      // A pruned file: the next rerun writes it again. Say so where a developer looks.
      console.error("GeoMap markers:", err);
    });
  };
})();
