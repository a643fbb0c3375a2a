// The map: country shapes from world-atlas (no tiles), clustered event points coloured by
// PLOVER quad class. Click a country to filter by it; click a cluster to filter its area.
import { geoNaturalEarth1, geoPath } from "d3-geo";
import { select } from "d3-selection";
import { zoom, zoomIdentity } from "d3-zoom";
import { scaleSqrt } from "d3-scale";
import { feature } from "topojson-client";
import { quadColor } from "./quads.js";
import ISO_NUMERIC from "./iso_numeric.json";

const CLUSTER_PX = 34;

export function createMap(el, { onCountry, onArea }) {
  const width = el.clientWidth || 800;
  const height = el.clientHeight || 380;
  const svg = select(el).append("svg").attr("viewBox", `0 0 ${width} ${height}`)
    .attr("height", height).attr("role", "img").attr("aria-label", "map of events");
  const root = svg.append("g");
  const projection = geoNaturalEarth1();
  const path = geoPath(projection);
  const gCountries = root.append("g").attr("class", "countries");
  const gPoints = root.append("g").attr("class", "points");
  let k = 1;
  let cells = [];
  let counts = {};
  let selected = null;
  let ready = null;

  const zoomer = zoom().scaleExtent([1, 40]).translateExtent([[0, 0], [width, height]])
    .on("zoom", (ev) => { root.attr("transform", ev.transform); })
    .on("end", (ev) => { if (ev.transform.k !== k) { k = ev.transform.k; drawPoints(); } });
  svg.call(zoomer);

  async function loadShapes() {
    const topo = await (await fetch("/assets/countries-110m.json")).json();
    const fc = feature(topo, topo.objects.countries);
    projection.fitExtent([[4, 4], [width - 4, height - 4]], { type: "Sphere" });
    root.insert("path", ":first-child").attr("class", "sphere").attr("d", path({ type: "Sphere" }));
    gCountries.selectAll("path").data(fc.features).join("path")
      .attr("class", "country")
      .attr("d", path)
      .attr("data-iso3", (d) => ISO_NUMERIC[d.id] || "")
      .on("click", (ev, d) => {
        const iso = ISO_NUMERIC[d.id];
        if (iso) onCountry(iso === selected ? null : iso);
      })
      .append("title").text((d) => d.properties.name);
  }
  ready = loadShapes();

  function shade() {
    const max = Math.max(1, ...Object.values(counts));
    const s = scaleSqrt().domain([0, max]).range(["#e8e8e4", "#a9b7c6"]);
    gCountries.selectAll("path.country")
      .style("fill", function () {
        const iso = this.getAttribute("data-iso3");
        return counts[iso] ? s(counts[iso]) : null;
      })
      .classed("selected", function () { return selected && this.getAttribute("data-iso3") === selected; });
  }

  function cluster() {
    const size = CLUSTER_PX / k;
    const buckets = new Map();
    for (const [lat, lon, n, quads] of cells) {
      const p = projection([lon, lat]);
      if (!p) continue;
      const key = `${Math.floor(p[0] / size)}:${Math.floor(p[1] / size)}`;
      let b = buckets.get(key);
      if (!b) { b = { x: 0, y: 0, n: 0, quads: [0, 0, 0, 0], lat: [90, -90], lon: [180, -180] }; buckets.set(key, b); }
      b.x += p[0] * n; b.y += p[1] * n; b.n += n;
      quads.forEach((c, i) => { b.quads[i] += c; });
      b.lat = [Math.min(b.lat[0], lat), Math.max(b.lat[1], lat)];
      b.lon = [Math.min(b.lon[0], lon), Math.max(b.lon[1], lon)];
    }
    return [...buckets.values()].map((b) => ({ ...b, x: b.x / b.n, y: b.y / b.n,
      quad: 1 + b.quads.indexOf(Math.max(...b.quads)) }));
  }

  function drawPoints() {
    const clusters = cluster();
    const max = Math.max(1, ...clusters.map((c) => c.n));
    const r = scaleSqrt().domain([1, max]).range([3, 18]);
    const g = gPoints.selectAll("g.cl").data(clusters).join((enter) => {
      const e = enter.append("g").attr("class", "cl");
      e.append("circle").attr("class", "cluster");
      e.append("text").attr("class", "cluster-label");
      e.append("title");
      return e;
    });
    g.attr("transform", (d) => `translate(${d.x},${d.y}) scale(${1 / k})`)
      .on("click", (ev, d) => {
        const pad = 0.3;
        onArea([d.lon[0] - pad, d.lat[0] - pad, d.lon[1] + pad, d.lat[1] + pad]
          .map((v, i) => Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, v)).toFixed(2)).join(","));
      });
    g.select("circle").attr("r", (d) => r(d.n)).style("fill", (d) => quadColor(d.quad));
    g.select("text").text((d) => (r(d.n) >= 9 ? d.n : ""));
    g.select("title").text((d) => `${d.n} events — verbal coop. ${d.quads[0]}, material coop. ${d.quads[1]},`
      + ` verbal conflict ${d.quads[2]}, material conflict ${d.quads[3]}`);
  }

  return {
    async update(data, country) {
      await ready;
      cells = data.cells;
      counts = data.countries || {};
      selected = country || null;
      shade();
      drawPoints();
    },
    reset() { svg.call(zoomer.transform, zoomIdentity); },
  };
}
