// The timeline: events per period stacked by quad class, with a brush to pick a period.
import { select } from "d3-selection";
import { scaleLinear, scaleUtc } from "d3-scale";
import { axisBottom, axisLeft } from "d3-axis";
import { brushX } from "d3-brush";
import { utcParse, utcFormat } from "d3-time-format";
import { utcDay, utcMonth, utcYear } from "d3-time";
import { quadColor } from "./quads.js";

const fmt = utcFormat("%Y-%m-%d");
const parseDay = utcParse("%Y-%m-%d");
const parseMonth = utcParse("%Y-%m");
const parseYear = utcParse("%Y");

export function intervalFor(first, last) {
  if (!first || !last) return "month";
  const days = (parseDay(last) - parseDay(first)) / 864e5;
  if (days <= 120) return "day";
  if (days <= 3 * 365) return "week";
  if (days <= 40 * 365) return "month";
  return "year";
}

/** Return the start of the period after ``t``. */
function nextPeriod(t, interval) {
  if (interval === "day") return utcDay.offset(t, 1);
  if (interval === "week") return utcDay.offset(t, 7);
  if (interval === "year") return utcYear.offset(t, 1);
  return utcMonth.offset(t, 1);
}

export function createTimeline(el, { onPeriod }) {
  const width = el.clientWidth || 1000;
  const height = el.clientHeight || 140;
  const m = { top: 6, right: 10, bottom: 20, left: 36 };
  const svg = select(el).append("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("height", height);
  const gBars = svg.append("g");
  const gx = svg.append("g").attr("class", "axis").attr("transform", `translate(0,${height - m.bottom})`);
  const gy = svg.append("g").attr("class", "axis").attr("transform", `translate(${m.left},0)`);
  const gBrush = svg.append("g").attr("class", "brush");
  let x = scaleUtc().range([m.left, width - m.right]);
  let programmatic = false;

  const brush = brushX().extent([[m.left, m.top], [width - m.right, height - m.bottom]])
    .on("end", (ev) => {
      if (programmatic || !ev.sourceEvent) return;
      if (!ev.selection) { onPeriod(null, null); return; }
      const [a, b] = ev.selection.map((v) => x.invert(v));
      onPeriod(fmt(a), fmt(utcDay.offset(b, -1) < a ? a : utcDay.offset(b, -1)));
    });
  gBrush.call(brush);

  return {
    update(stats, since, until) {
      const parse = stats.interval === "month" ? parseMonth : stats.interval === "year" ? parseYear : parseDay;
      const byPeriod = new Map();
      for (const b of stats.buckets) {
        const t = parse(b.period);
        if (!t) continue;
        const row = byPeriod.get(+t) || { t, q: [0, 0, 0, 0] };
        row.q[(b.key || 4) - 1] += b.count;
        byPeriod.set(+t, row);
      }
      const rows = [...byPeriod.values()].sort((a, b) => a.t - b.t);
      if (!rows.length) {
        gBars.selectAll("*").remove(); gx.selectAll("*").remove(); gy.selectAll("*").remove();
        return;
      }
      const end = nextPeriod(rows[rows.length - 1].t, stats.interval);
      x = scaleUtc().domain([rows[0].t, end]).range([m.left, width - m.right]);
      const y = scaleLinear().domain([0, Math.max(1, ...rows.map((r) => r.q.reduce((s, v) => s + v, 0)))]).nice()
        .range([height - m.bottom, m.top]);
      const segs = [];
      for (const r of rows) {
        const next = nextPeriod(r.t, stats.interval);
        const x0 = x(r.t);
        const w = Math.max(1, x(next) - x0 - 1);
        let acc = 0;
        r.q.forEach((v, i) => {
          if (!v) return;
          segs.push({ x: x0, w, y0: acc, y1: acc + v, q: i + 1, t: r.t, v });
          acc += v;
        });
      }
      gBars.selectAll("rect").data(segs).join("rect").attr("class", "bar")
        .attr("x", (d) => d.x).attr("width", (d) => d.w)
        .attr("y", (d) => y(d.y1)).attr("height", (d) => Math.max(0, y(d.y0) - y(d.y1)))
        .style("fill", (d) => quadColor(d.q))
        .selectAll("title").data((d) => [d]).join("title").text((d) => `${fmt(d.t)}: ${d.v}`);
      gx.call(axisBottom(x).ticks(Math.max(2, Math.floor(width / 90))));
      gy.call(axisLeft(y).ticks(4));
      programmatic = true;
      if (since || until) {
        const a = since ? parseDay(since) : rows[0].t;
        const b = until ? utcDay.offset(parseDay(until), 1) : end;
        gBrush.call(brush.move, [Math.max(m.left, x(a)), Math.min(width - m.right, x(b))]);
      } else {
        gBrush.call(brush.move, null);
      }
      programmatic = false;
    },
  };
}
