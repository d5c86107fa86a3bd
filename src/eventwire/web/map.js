// The dashboard's map: Leaflet (vendored) over the offline Natural Earth land
// outline, one circle per place. No tile server is needed; with `?tiles=URL`
// in the page address (a {z}/{x}/{y} template on this server's origin, which
// the page's content policy allows) the map shows those tiles instead.
"use strict";

(function () {
  let map = null;
  let layer = null;

  function create(el) {
    const tiles = new URLSearchParams(window.location.search).get("tiles");
    if (tiles) {
      map = L.map(el, { worldCopyJump: true }).setView([20, 10], 2);
      L.tileLayer(tiles, { maxZoom: 18 }).addTo(map);
    } else {
      // the outline is drawn in plate carrée (x = lon, y = -lat), as is this CRS
      map = L.map(el, { crs: L.CRS.EPSG4326, minZoom: 0, maxZoom: 8, zoomSnap: 0.25,
                        maxBounds: [[-90, -200], [90, 200]] });
      L.imageOverlay("/static/vendor/world-land.svg", [[-90, -180], [90, 180]],
                     { className: "land" }).addTo(map);
      map.fitBounds([[-58, -170], [78, 180]]);
    }
    layer = L.layerGroup().addTo(map);
  }

  function label(p) {
    const loc = p.loc;
    const where = [loc.name, loc.admin1 && loc.admin1 !== loc.name ? loc.admin1 : null, loc.country]
      .filter(Boolean).join(", ");
    const how = loc.precision ? ` (${loc.precision}${loc.basis && loc.basis !== "sentence" ? ", implied by " + loc.basis : ""})` : "";
    return `${where}${how}: ${p.n} event${p.n === 1 ? "" : "s"}`;
  }

  // events -> one circle per place, red where most are conflict (quad class 3-4)
  function draw(events) {
    const places = new Map();
    for (const e of events) {
      const loc = e.location;
      if (!loc || loc.lat == null || loc.lon == null) continue;
      const key = `${loc.name}|${loc.lat}|${loc.lon}`;
      const p = places.get(key) || { loc, n: 0, conflict: 0 };
      p.n += 1;
      if (e.quad_class >= 3) p.conflict += 1;
      places.set(key, p);
    }
    layer.clearLayers();
    for (const p of [...places.values()].sort((x, y) => y.n - x.n)) {
      const kind = p.conflict * 2 >= p.n ? "conflict" : "coop";
      L.circleMarker([p.loc.lat, p.loc.lon], {
        radius: Math.min(14, 3 + Math.sqrt(p.n) * 2), className: `pt ${kind}`, weight: 1,
      }).bindTooltip(label(p)).addTo(layer);
    }
    return places.size;
  }

  window.EventwireMap = { create, draw };
})();
