// The review view: the queue of events the model is least sure of, one event at a time with
// its evidence highlighted, and accept / reject / edit (type, mode, modality, source, target,
// place from the gazetteer, dates). Writes carry the bearer token from sessionStorage in a
// header; without one the view is read-only. Every value is set as text, never as HTML.
import { getJSON, postJSON } from "./api.js";

const TOKEN_KEY = "tidings.token";
const REVIEWER_KEY = "tidings.reviewer";
const PAGE = 50;
const PREFETCH_WHEN = 10; // fetch the next page when this few events are left

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

const actorText = (actors) => (actors || []).map((a) => [a.name || a.text, a.country, a.sector].filter(Boolean).join(" · ")).join("; ");
const isTyping = (t) => Boolean(t) && (t.isContentEditable
  || ["SELECT", "TEXTAREA"].includes(t.tagName)
  || (t.tagName === "INPUT" && !["checkbox", "radio", "button", "submit"].includes(t.type)));

export function createReview(root, { meta, onEvent }) {
  const $ = (sel) => root.querySelector(sel);
  const status = $("#review-status");
  const form = $("#review-edit");
  let items = [];
  let idx = -1;
  let filters = {};
  let more = null; // the next page, in flight
  let done = false;
  let busy = false;
  let active = false;
  let gen = 0; // a newer load makes older answers stale

  // ---- token and reviewer
  const tokenInput = $("#review-token");
  const nameInput = $("#review-name");
  tokenInput.value = sessionStorage.getItem(TOKEN_KEY) || "";
  nameInput.value = localStorage.getItem(REVIEWER_KEY) || "";
  tokenInput.addEventListener("input", () => { sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim()); syncButtons(); });
  nameInput.addEventListener("input", () => { localStorage.setItem(REVIEWER_KEY, nameInput.value.trim()); syncButtons(); });
  const token = () => tokenInput.value.trim();
  const reviewer = () => nameInput.value.trim();

  function canWrite() {
    return meta.ingest && token() !== "" && reviewer() !== "" && current() && !busy;
  }

  function syncButtons() {
    const hint = $("#review-hint");
    if (!meta.ingest) hint.textContent = "Read-only: this server was started without a token (tidings serve --token).";
    else if (!token()) hint.textContent = "Read-only: enter the server's token to review.";
    else if (!reviewer()) hint.textContent = "Enter your name as reviewer to review.";
    else hint.textContent = "Keys: a accept · r reject · n/j next · k previous";
    const on = canWrite();
    for (const b of root.querySelectorAll("button.write")) b.disabled = !on;
    for (const e of form.elements) if (e.name) e.disabled = !on;
  }

  function say(message, kind = "info", action = null) {
    status.replaceChildren();
    status.dataset.kind = kind;
    if (!message) { status.hidden = true; return; }
    status.append(el("span", null, message));
    if (action) {
      const b = el("button", "link", action.label);
      b.type = "button";
      b.addEventListener("click", action.run);
      status.append(" ", b);
    }
    status.hidden = false;
  }

  const current = () => (idx >= 0 && idx < items.length ? items[idx] : null);

  // ---- the queue
  function queueQuery(after) {
    const p = new URLSearchParams({ limit: String(PAGE), unreviewed: filters.unreviewed === false ? "false" : "true" });
    if (filters.type) p.set("type", filters.type);
    if (filters.country) p.set("country", filters.country);
    if (after) p.set("after", after);
    return p.toString();
  }

  async function load(f, wantId) {
    filters = f;
    const my = ++gen;
    items = [];
    idx = -1;
    done = false;
    more = null;
    const page = await getJSON(`/api/review/queue?${queueQuery()}`, "review-queue");
    if (!page || my !== gen) return;
    items = page.items;
    done = page.items.length < PAGE;
    let at = 0;
    if (wantId) {
      at = items.findIndex((e) => e.id === wantId);
      if (at < 0) {
        const one = await getJSON(`/api/review/events/${encodeURIComponent(wantId)}`, "review-item").catch(() => null);
        if (my !== gen) return;
        if (one) { items.unshift(one); at = 0; } else at = 0;
      }
    }
    renderQueue();
    show(items.length ? at : -1);
  }

  function prefetch() {
    if (done || more || !items.length) return;
    const my = gen;
    const last = items[items.length - 1].id;
    more = getJSON(`/api/review/queue?${queueQuery(last)}`, "review-more").then((page) => {
      if (!page || my !== gen) return;
      const seen = new Set(items.map((e) => e.id));
      const fresh = page.items.filter((e) => !seen.has(e.id));
      items.push(...fresh);
      done = page.items.length < PAGE;
      renderQueue();
    }).catch(() => {}).finally(() => { if (my === gen) more = null; });
  }

  function renderQueue() {
    const ol = $("#review-queue");
    ol.replaceChildren();
    items.forEach((e, i) => {
      const li = el("li", e.review_status ? `done ${e.review_status}` : null);
      li.dataset.id = e.id;
      li.append(el("span", "conf", e.confidence != null ? e.confidence.toFixed(2) : ""), " ",
        el("b", null, e.type), " ", el("span", "snip", (e.evidence || "").slice(0, 80)));
      li.addEventListener("click", () => show(i));
      if (i === idx) li.classList.add("current");
      ol.append(li);
    });
    $("#review-count").textContent = items.length ? `${items.length}${done ? "" : "+"} in queue` : "";
  }

  // ---- one event
  function show(i) {
    idx = i;
    const e = current();
    const box = $("#review-event");
    box.dataset.id = e ? e.id : "";
    for (const li of $("#review-queue").children) li.classList.toggle("current", li.dataset.id === (e && e.id));
    if (!e) {
      box.hidden = true;
      $("#review-empty").hidden = false;
      syncButtons();
      return;
    }
    box.hidden = false;
    $("#review-empty").hidden = true;
    $("#review-title").textContent = e.article_title || "(untitled article)";
    $("#review-meta").textContent = [e.article_published, e.article_source, `event ${e.id}`].filter(Boolean).join(" · ");
    // the evidence sentence with the trigger marked (text nodes only)
    const ev = $("#review-evidence");
    ev.replaceChildren();
    const text = e.evidence || "";
    const s = (e.trigger_start ?? 0) - (e.sentence_start ?? 0);
    const t = (e.trigger_end ?? 0) - (e.sentence_start ?? 0);
    const mark = el("mark", "evidence");
    if (0 <= s && s < t && t <= text.length) {
      mark.append(document.createTextNode(text.slice(0, s)), el("b", "trigger", text.slice(s, t)), document.createTextNode(text.slice(t)));
    } else mark.textContent = text;
    ev.append(mark);
    const evj = e.event || {};
    const dl = $("#review-fields");
    dl.replaceChildren();
    const row = (k, v, key) => { const dt = el("dt", null, k); const dd = el("dd", null, v || "—"); dd.dataset.field = key; dl.append(dt, dd); };
    row("Type", e.mode ? `${e.type} · ${e.mode}` : e.type, "type");
    row("Modality", e.modality, "modality");
    row("Source", actorText(evj.source), "source");
    row("Target", actorText(evj.target), "target");
    row("Place", [e.place_name, e.place_admin1_name, e.place_country].filter(Boolean).join(", "), "place");
    row("Date", e.date_start === e.date_end ? e.date_start : `${e.date_start} – ${e.date_end}`, "date");
    row("Confidence", e.confidence != null ? e.confidence.toFixed(2) : "", "confidence");
    row("Review", e.review_status ? `${e.review_status} (version ${e.review_version})` : "not reviewed", "review");
    // the edit form shows the current values
    form.elements.edit_type.value = e.type;
    form.elements.edit_mode.value = e.mode || "";
    form.elements.edit_modality.value = e.modality;
    const src = (evj.source || [])[0] || {};
    const tgt = (evj.target || [])[0] || {};
    form.elements.source_name.value = src.name || "";
    form.elements.source_country.value = src.country || "";
    form.elements.source_sector.value = src.sector || "";
    form.elements.target_name.value = tgt.name || "";
    form.elements.target_country.value = tgt.country || "";
    form.elements.target_sector.value = tgt.sector || "";
    form.elements.place_q.value = "";
    form.elements.place_country.value = e.place_country || "";
    $("#review-places").replaceChildren();
    form.elements.date_start.value = e.date_start || "";
    form.elements.date_end.value = e.date_end || "";
    syncButtons();
    if (onEvent) onEvent(e.id);
    if (items.length - idx <= PREFETCH_WHEN) prefetch();
  }

  async function move(step) {
    const to = idx + step;
    if (to < 0) return;
    if (to >= items.length && more) await more;
    if (to < items.length) { say(null); show(to); return; }
    say(done ? "The queue is done: no more events match." : "Loading…");
    if (!done) prefetch();
  }

  async function refetch(id) {
    const one = await getJSON(`/api/review/events/${encodeURIComponent(id)}`, "review-item");
    if (!one) return;
    const i = items.findIndex((e) => e.id === id);
    if (i >= 0) items[i] = one;
    if (current() && current().id === id) show(idx);
  }

  // ---- writes
  async function send(statusValue, field, value) {
    const e = current();
    if (!e || !canWrite()) return false;
    busy = true;
    syncButtons();
    try {
      const body = { status: statusValue, reviewer: reviewer(), expected_version: e.review_version || 0 };
      if (field) { body.field = field; body.value = value; }
      const r = await postJSON(`/api/events/${encodeURIComponent(e.id)}/review`, body, token());
      if (r.status === 200) {
        e.review_version = r.body.version;
        e.review_status = statusValue;
        const li = $(`#review-queue li[data-id="${CSS.escape(e.id)}"]`);
        if (li) li.className = `done ${statusValue} current`;
        say(null);
        return true;
      }
      const msg = (r.body && r.body.error && r.body.error.message) || `HTTP ${r.status}`;
      if (r.status === 409) {
        say("This event was changed meanwhile by someone else — reload it to see their review, then review again.",
          "conflict", { label: "Reload", run: () => { say(null); refetch(e.id); } });
      } else if (r.status === 401) {
        say("The token was refused: check it (it is kept for this tab only).", "error");
      } else if (r.status === 403) {
        say("This server is read-only (started without --token).", "error");
      } else {
        say(msg, "error");
      }
      return false;
    } catch (err) {
      say(`The review was not sent: ${err.message}`, "error");
      return false;
    } finally {
      busy = false;
      syncButtons();
    }
  }

  async function decide(statusValue) {
    if (await send(statusValue)) move(+1);
  }

  async function edit(field, value) {
    const e = current();
    if (e && await send("edited", field, value)) {
      await refetch(e.id);
      say(`Saved ${field}.`, "ok");
    }
  }

  $("#review-accept").addEventListener("click", () => decide("accepted"));
  $("#review-reject").addEventListener("click", () => decide("rejected"));
  $("#review-next").addEventListener("click", () => move(+1));
  $("#review-prev").addEventListener("click", () => move(-1));

  for (const o of meta.types) form.elements.edit_type.append(new Option(o, o));
  for (const o of meta.modalities) form.elements.edit_modality.append(new Option(o, o));
  for (const name of ["source_sector", "target_sector"]) {
    form.elements[name].append(new Option("—", ""));
    for (const o of meta.sectors) form.elements[name].append(new Option(o, o));
  }
  form.addEventListener("submit", (ev) => ev.preventDefault());
  form.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-save]");
    if (!b) return;
    const f = form.elements;
    const what = b.dataset.save;
    if (what === "type" || what === "mode" || what === "modality") edit(what, f[`edit_${what}`].value.trim());
    else if (what === "source" || what === "target") {
      edit(what, { name: f[`${what}_name`].value.trim(), country: f[`${what}_country`].value.trim() || null, sector: f[`${what}_sector`].value || null });
    } else if (what === "date") {
      const e = current();
      (async () => {
        if (f.date_start.value && f.date_start.value !== e.date_start) await edit("date_start", f.date_start.value);
        if (f.date_end.value && f.date_end.value !== (current() || {}).date_end) await edit("date_end", f.date_end.value);
      })();
    }
  });

  // the place: search the gazetteer, click a result to set it
  let placeTimer = null;
  const searchPlaces = async () => {
    const q = form.elements.place_q.value.trim();
    const ul = $("#review-places");
    if (!q) { ul.replaceChildren(); return; }
    const p = new URLSearchParams({ q, limit: "8" });
    const c = form.elements.place_country.value.trim();
    if (/^[A-Za-z]{3}$/.test(c)) p.set("country", c.toUpperCase());
    const res = await getJSON(`/api/gazetteer?${p}`, "gazetteer").catch(() => null);
    if (!res) return;
    ul.replaceChildren();
    if (!res.items.length) ul.append(el("li", "empty", "No place of that name in the gazetteer."));
    for (const g of res.items) {
      const li = el("li", "place");
      const b = el("button", "write", `${g.name}${g.admin1_name ? ", " + g.admin1_name : ""}${g.country ? ", " + g.country : ""}`);
      b.type = "button";
      b.append(el("small", null, ` ${g.kind}${g.population ? " · pop. " + g.population.toLocaleString("en") : ""}`));
      b.disabled = !canWrite();
      b.addEventListener("click", () => {
        const value = { name: g.name, country: g.country, lat: g.lat, lon: g.lon, admin1: g.admin1, admin1_name: g.admin1_name, admin2: g.admin2, geonameid: g.geonameid, kind: g.kind };
        for (const k of Object.keys(value)) if (value[k] === null || value[k] === undefined) delete value[k];
        edit("place", value);
      });
      li.append(b);
      ul.append(li);
    }
  };
  form.elements.place_q.addEventListener("input", () => { clearTimeout(placeTimer); placeTimer = setTimeout(searchPlaces, 200); });
  form.elements.place_q.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); clearTimeout(placeTimer); searchPlaces(); } });

  // ---- keys: a accept, r reject, n/j next, k previous (never while typing in a field)
  document.addEventListener("keydown", (ev) => {
    if (!active || ev.ctrlKey || ev.metaKey || ev.altKey || isTyping(ev.target)) return;
    const k = ev.key.toLowerCase();
    if (k === "a") { ev.preventDefault(); if (canWrite()) decide("accepted"); }
    else if (k === "r") { ev.preventDefault(); if (canWrite()) decide("rejected"); }
    else if (k === "n" || k === "j") { ev.preventDefault(); move(+1); }
    else if (k === "k") { ev.preventDefault(); move(-1); }
  });

  // the filters
  const fType = $("#review-type");
  for (const o of meta.types) fType.append(new Option(o, o));

  return {
    /** Show the view and (re)load the queue for ``f`` ({type, country, unreviewed}). */
    open(f, wantId) {
      active = true;
      fType.value = f.type || "";
      $("#review-country").value = f.country || "";
      $("#review-unreviewed").checked = f.unreviewed !== false;
      const same = JSON.stringify(f) === JSON.stringify(filters) && items.length;
      if (same && wantId && current() && current().id === wantId) return Promise.resolve();
      if (same && wantId) {
        const i = items.findIndex((e) => e.id === wantId);
        if (i >= 0) { show(i); return Promise.resolve(); }
      }
      // warm the gazetteer (loaded on first use by the server) while the reviewer reads
      if (meta.ingest) getJSON("/api/gazetteer?q=a&limit=1", "gazetteer-warm").catch(() => {});
      return load(f, wantId);
    },
    close() { active = false; },
    filterInputs: { type: fType, country: $("#review-country"), unreviewed: $("#review-unreviewed") },
  };
}
