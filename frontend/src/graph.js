// Who acts on whom: a force-directed graph of source → target relations, edges coloured by
// the share of conflict (red) vs cooperation (blue) and weighted by event count.
import { select } from "d3-selection";
import { forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY } from "d3-force";
import { drag } from "d3-drag";
import { scaleLinear, scaleSqrt } from "d3-scale";

export function createGraph(el, { onActor }) {
  const width = el.clientWidth || 500;
  const height = el.clientHeight || 380;
  const svg = select(el).append("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("height", height);
  const defs = svg.append("defs");
  for (const [id, color] of [["arrow-coop", "#2c7bb6"], ["arrow-conf", "#d7191c"]]) {
    defs.append("marker").attr("id", id).attr("viewBox", "0 -4 8 8").attr("refX", 8).attr("refY", 0)
      .attr("markerUnits", "userSpaceOnUse").attr("markerWidth", 9).attr("markerHeight", 9).attr("orient", "auto")
      .append("path").attr("d", "M0,-4L8,0L0,4").style("fill", color);
  }
  const gLinks = svg.append("g");
  const gNodes = svg.append("g");
  let sim = null;

  return {
    update(data, actor) {
      if (sim) sim.stop();
      const nodes = data.nodes.map((n) => ({ ...n }));
      const links = data.edges.map((e) => ({ ...e }));
      const empty = svg.selectAll("text.empty").data(nodes.length ? [] : [1]);
      empty.join("text").attr("class", "empty").attr("x", width / 2).attr("y", height / 2)
        .attr("text-anchor", "middle").text("no relations for these filters");
      const maxE = Math.max(1, ...links.map((l) => l.count));
      const maxN = Math.max(1, ...nodes.map((n) => n.count));
      const w = scaleSqrt().domain([1, maxE]).range([1, 8]);
      const r = scaleSqrt().domain([1, maxN]).range([4, 16]);
      const color = scaleLinear().domain([0, 0.5, 1]).range(["#2c7bb6", "#999", "#d7191c"]);
      const share = (l) => l.conflict / Math.max(1, l.count);
      const link = gLinks.selectAll("path").data(links).join("path").attr("class", "link")
        .style("stroke", (l) => color(share(l))).style("stroke-width", (l) => w(l.count))
        .attr("marker-end", (l) => `url(#${share(l) > 0.5 ? "arrow-conf" : "arrow-coop"})`);
      link.selectAll("title").data((l) => [l]).join("title")
        .text((l) => `${l.source} → ${l.target}: ${l.count} (conflict ${l.conflict}, cooperation ${l.cooperation})`);
      const node = gNodes.selectAll("g.node").data(nodes, (n) => n.id).join((enter) => {
        const g = enter.append("g").attr("class", "node");
        g.append("circle");
        g.append("text").attr("dx", 8).attr("dy", 3);
        g.append("title");
        return g;
      });
      node.classed("selected", (n) => actor && n.id === actor);
      node.select("circle").attr("r", (n) => r(n.count)).style("fill", "#556");
      node.select("text").text((n) => n.id);
      node.select("title").text((n) => `${n.id}${n.country ? " (" + n.country + ")" : ""}: ${n.count}`);
      node.on("click", (ev, n) => onActor(actor === n.id ? null : n.id));
      sim = forceSimulation(nodes)
        .force("link", forceLink(links).id((n) => n.id).distance(70).strength(0.3))
        .force("charge", forceManyBody().strength(-160))
        .force("center", forceCenter(width / 2, height / 2))
        .force("x", forceX(width / 2).strength(0.05)).force("y", forceY(height / 2).strength(0.08))
        .force("collide", forceCollide((n) => r(n.count) + 4))
        .on("tick", () => {
          for (const n of nodes) {
            n.x = Math.max(10, Math.min(width - 10, n.x));
            n.y = Math.max(10, Math.min(height - 10, n.y));
          }
          link.attr("d", (l) => {
            const dx = l.target.x - l.source.x, dy = l.target.y - l.source.y;
            const d = Math.hypot(dx, dy) || 1;
            const rt = r(l.target.count) + 2;
            return `M${l.source.x},${l.source.y}L${l.target.x - (dx / d) * rt},${l.target.y - (dy / d) * rt}`;
          });
          node.attr("transform", (n) => `translate(${n.x},${n.y})`);
        });
      node.call(drag()
        .on("start", (ev, n) => { if (!ev.active) sim.alphaTarget(0.3).restart(); n.fx = n.x; n.fy = n.y; })
        .on("drag", (ev, n) => { n.fx = ev.x; n.fy = ev.y; })
        .on("end", (ev, n) => { if (!ev.active) sim.alphaTarget(0); n.fx = null; n.fy = null; }));
    },
  };
}
