// The tidings dashboard: filters in the URL drive a map, a timeline, an actor graph and an
// event table; a row opens its article with the evidence highlighted. Same-origin API only.
import { getJSON, showError } from "./api.js";
import { filterQuery, readState, writeState } from "./state.js";
import { QUADS } from "./quads.js";
import { createMap } from "./map.js";
import { createTimeline, intervalFor } from "./timeline.js";
import { createGraph } from "./graph.js";
import { createTable, renderArticle } from "./table.js";
import { createReview } from "./review.js";
import ISO_NUMERIC from "./iso_numeric.json";

const $ = (sel) => document.querySelector(sel);
let state = readState();
let meta = null;
let nextCursor = null;
let review = null;

function setState(patch, { replace = false, keepEvent = false } = {}) {
  state = { ...state, ...patch };
  for (const k of Object.keys(state)) if (state[k] === null || state[k] === undefined || state[k] === "") delete state[k];
  if (!keepEvent && !("event" in patch)) delete state.event;
  writeState(state, replace);
  refresh();
}

const map = createMap($("#map"), {
  onCountry: (iso) => setState({ country: iso }),
  onArea: (bbox) => setState({ bbox }),
});
const timeline = createTimeline($("#timeline"), {
  onPeriod: (since, until) => setState({ since, until }),
});
const graph = createGraph($("#graph"), { onActor: (actor) => setState({ actor }) });
const table = createTable($("#events tbody"), {
  onSelect: (id) => setState({ event: id }, { keepEvent: true }),
});

function buildForm() {
  const form = $("#filters");
  const type = form.elements.type;
  for (const [q, { name, types }] of Object.entries(QUADS)) {
    const og = document.createElement("optgroup");
    og.label = name;
    const all = document.createElement("option");
    all.value = types.join(",");
    all.textContent = `all ${name}`;
    og.append(all);
    for (const t of types) {
      const o = document.createElement("option");
      o.value = t;
      o.textContent = t;
      og.append(o);
    }
    form.elements.type.append(og);
    const s = document.createElement("span");
    s.textContent = name;
    s.style.setProperty("--c", QUADS[q].color);
    $("#legend").append(s);
  }
  for (const m of meta.modalities) {
    const o = document.createElement("option");
    o.value = m;
    o.textContent = m;
    form.elements.modality.append(o);
  }
  const dl = $("#countries");
  for (const iso of [...new Set(Object.values(ISO_NUMERIC))].sort()) {
    const o = document.createElement("option");
    o.value = iso;
    dl.append(o);
  }
  for (const name of ["q", "country", "actor", "modality", "language", "min_confidence"]) {
    form.elements[name].addEventListener("change", () => {
      const v = form.elements[name].value.trim();
      setState({ [name]: name === "country" ? v.toUpperCase() : v });
    });
  }
  type.addEventListener("change", () => setState({ type: type.value }));
  form.addEventListener("submit", (ev) => ev.preventDefault());
  $("#clear").addEventListener("click", () => { state = {}; map.reset(); setState({}); });
  $("#period").addEventListener("click", () => setState({ since: null, until: null }));
  $("#place").addEventListener("click", () => setState({ bbox: null }));
  $("#close-article").addEventListener("click", () => setState({ event: null }, { keepEvent: true }));
  $("#more").addEventListener("click", () => loadEvents(true));
  $("#tab-review").addEventListener("click", (ev) => { ev.preventDefault(); setState({ view: "review" }); });
  $("#tab-dashboard").addEventListener("click", (ev) => { ev.preventDefault(); setState({ view: null, review: null }); });
}

function syncForm() {
  const form = $("#filters");
  for (const name of ["q", "country", "actor", "modality", "language", "min_confidence", "type"]) {
    const e = form.elements[name];
    const v = state[name] || "";
    if (e.tagName === "SELECT" && v && ![...e.options].some((o) => o.value === v)) {
      const o = document.createElement("option");
      o.value = v;
      o.textContent = v;
      e.append(o);
    }
    e.value = v;
  }
  const period = $("#period");
  period.hidden = !(state.since || state.until);
  period.textContent = `${state.since || "…"} – ${state.until || "…"}`;
  const place = $("#place");
  place.hidden = !state.bbox;
  place.textContent = `area ${state.bbox || ""}`;
  for (const [id, fmt] of [["#export-csv", "csv"], ["#export-geojson", "geojson"]]) {
    $(id).href = `/api/export?${filterQuery(state, [], { format: fmt })}`;
  }
}

async function loadEvents(more = false) {
  const qs = filterQuery(state, [], { limit: 50, count: more ? "false" : "true", sort: "-date" })
    + (more && nextCursor ? `&cursor=${encodeURIComponent(nextCursor)}` : "");
  const page = await getJSON(`/api/events?${qs}`, "events");
  if (!page) return;
  nextCursor = page.next_cursor;
  table.render(page.items, more, state.event);
  if (!more) $("#event-count").textContent = `${page.count} matching`;
  $("#more").hidden = !nextCursor;
}

async function loadArticle() {
  const main = document.querySelector("main");
  const panel = $("#article");
  if (!state.event) { panel.hidden = true; main.classList.add("no-article"); table.mark(null); return; }
  try {
    const detail = await getJSON(`/api/events/${encodeURIComponent(state.event)}`, "detail");
    if (!detail) return;
    const articleId = detail.article_id || (detail.mentions && detail.mentions[0] && detail.mentions[0].article_id);
    const doc = await getJSON(`/api/articles/${encodeURIComponent(articleId)}`, "article");
    if (!doc) return;
    renderArticle(panel, detail, doc, { onMention: (id) => setState({ event: id }, { keepEvent: true }) });
    panel.hidden = false;
    main.classList.remove("no-article");
    table.mark(state.event);
  } catch (e) {
    panel.hidden = true;
    main.classList.add("no-article");
  }
}

function showView() {
  const reviewing = state.view === "review";
  document.body.classList.toggle("reviewing", reviewing);
  $("#review").hidden = !reviewing;
  $("main").hidden = reviewing;
  $("#legend").hidden = reviewing;
  $("#filters").hidden = reviewing;
  $("#tab-review").classList.toggle("active", reviewing);
  $("#tab-dashboard").classList.toggle("active", !reviewing);
  return reviewing;
}

function openReview() {
  if (!review) {
    review = createReview($("#review"), {
      meta,
      onEvent: (id) => { if (state.review !== id) { state = { ...state, review: id }; writeState(state, true); } },
    });
    const f = review.filterInputs;
    f.type.addEventListener("change", () => setState({ rtype: f.type.value, review: null }, { keepEvent: true }));
    f.country.addEventListener("change", () => setState({ rcountry: f.country.value.trim().toUpperCase(), review: null }, { keepEvent: true }));
    f.unreviewed.addEventListener("change", () => setState({ rall: f.unreviewed.checked ? null : "1", review: null }, { keepEvent: true }));
    $("#review-bar").addEventListener("submit", (ev) => ev.preventDefault());
  }
  return review.open({ type: state.rtype || "", country: state.rcountry || "", unreviewed: state.rall !== "1" }, state.review);
}

async function refresh() {
  showError(null);
  if (showView()) {
    try { await openReview(); } catch (e) { console.warn(e); }
    return;
  }
  if (review) review.close();
  syncForm();
  const jobs = [];
  jobs.push(getJSON(`/api/map?${filterQuery(state)}`, "map").then((d) => d && map.update(d, state.country)));
  const interval = intervalFor(meta.first_date, meta.last_date);
  jobs.push(getJSON(`/api/stats?${filterQuery(state, ["since", "until"], { interval, by: "quad" })}`, "stats")
    .then((d) => d && timeline.update(d, state.since, state.until)));
  jobs.push(getJSON(`/api/graph?${filterQuery(state, [], { limit: 40 })}`, "graph").then((d) => d && graph.update(d, state.actor)));
  jobs.push(loadEvents(false));
  jobs.push(loadArticle());
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) console.warn(failed.reason);
  $("#map-count").textContent = "";
}

window.addEventListener("popstate", () => { state = readState(); refresh(); });

(async function start() {
  try {
    meta = await getJSON("/api/meta");
    buildForm();
    await refresh();
  } catch (e) {
    showError(`The dashboard could not start: ${e.message}`);
  }
})();
