// The event table and the article reader. Article text and evidence are always set as text
// (textContent / text nodes), never parsed as HTML.
import { typeColor, QUAD_OF } from "./quads.js";

/** Create an element with a class and text content. */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

const names = (actors) => (actors || []).map((a) => a.name || a.text).join(", ");

function typeChip(type, mode) {
  const s = el("span", `type q${QUAD_OF[type] || 4}`, mode ? `${type} · ${mode}` : type);
  s.style.setProperty("--c", typeColor(type));
  return s;
}

export function createTable(tbody, { onSelect }) {
  let selected = null;
  return {
    render(items, append, selectedId) {
      if (!append) tbody.replaceChildren();
      selected = selectedId || null;
      for (const ev of items) {
        const tr = document.createElement("tr");
        tr.dataset.id = ev.id;
        if (ev.id === selected) tr.classList.add("selected");
        const date = ev.date_start === ev.date_end ? ev.date_start : `${ev.date_start} – ${ev.date_end}`;
        const td = (child, cls) => { const c = el("td", cls); if (child instanceof Node) c.append(child); else c.textContent = child ?? ""; tr.append(c); };
        td(date + (ev.date_basis === "published" ? " *" : ""));
        td(typeChip(ev.type, ev.mode));
        td(`${names(ev.source) || "?"} → ${names(ev.target) || "?"}`);
        td(ev.place ? (ev.place.name || ev.place.country || "") : "");
        const text = ev.evidence || "";
        td(text.length > 220 ? text.slice(0, 220) + "…" : text, "evidence");
        td(ev.language || "", "lang");
        td(ev.confidence != null ? ev.confidence.toFixed(2) : "");
        tr.addEventListener("click", () => onSelect(ev.id));
        tbody.append(tr);
      }
      if (!append && !items.length) {
        const tr = document.createElement("tr");
        const td = el("td", "empty", "No events match these filters.");
        td.colSpan = 6;
        tr.append(td);
        tbody.append(tr);
      }
    },
    mark(id) {
      for (const tr of tbody.querySelectorAll("tr")) tr.classList.toggle("selected", tr.dataset.id === id);
    },
  };
}

/** Render one event's article with its evidence sentence (and trigger) highlighted. */
export function renderArticle(panel, detail, doc, { onMention }) {
  const meta = panel.querySelector("#article-meta");
  const mentions = panel.querySelector("#article-mentions");
  const body = panel.querySelector("#article-text");
  meta.replaceChildren();
  mentions.replaceChildren();
  body.replaceChildren();
  meta.append(el("h3", null, doc.title || "(untitled article)"));
  const dl = el("dl");
  const row = (k, v) => { if (v === undefined || v === null || v === "") return; dl.append(el("dt", null, k)); const dd = el("dd"); if (v instanceof Node) dd.append(v); else dd.textContent = v; dl.append(dd); };
  row("Event", typeChip(detail.type, detail.mode));
  row("Who", names(detail.source) || "?");
  row("Whom", names(detail.target) || "?");
  row("When", `${detail.date_start}${detail.date_end !== detail.date_start ? " – " + detail.date_end : ""} (${detail.date_granularity}, dated by ${detail.date_basis === "text" ? "the text" : "publication"})`);
  row("Where", detail.place ? [detail.place.name, detail.place.country].filter(Boolean).join(", ") : "");
  row("Modality", detail.modality);
  row("Confidence", detail.confidence != null ? detail.confidence.toFixed(2) : "");
  row("Published", [doc.published, doc.source].filter(Boolean).join(" · "));
  if (doc.language) row("Language", doc.language);
  if (doc.url) row("URL", doc.url);
  meta.append(dl);

  const ms = detail.mentions || [];
  if (ms.length > 1 || detail.story) {
    mentions.append(el("strong", null, `Reported ${ms.length} time${ms.length === 1 ? "" : "s"}`
      + (detail.story ? ` by ${detail.story.source_count} source${detail.story.source_count === 1 ? "" : "s"}` : "")));
    const ul = el("ul");
    for (const m of ms) {
      const li = el("li", null, `${m.published || ""} ${m.source || ""}: ${m.evidence || ""}`);
      if (m.event_id === detail.id) li.style.fontWeight = "bold";
      li.addEventListener("click", () => onMention(m.event_id));
      ul.append(li);
    }
    mentions.append(ul);
  }

  const text = doc.text || "";
  const s = detail.sentence || {};
  const t = detail.trigger || {};
  if (Number.isInteger(s.start) && Number.isInteger(s.end) && s.start < s.end && s.end <= text.length) {
    body.append(document.createTextNode(text.slice(0, s.start)));
    const mark = el("mark", "evidence");
    if (Number.isInteger(t.start) && t.start >= s.start && t.end <= s.end && t.start < t.end) {
      mark.append(document.createTextNode(text.slice(s.start, t.start)));
      mark.append(el("b", "trigger", text.slice(t.start, t.end)));
      mark.append(document.createTextNode(text.slice(t.end, s.end)));
    } else {
      mark.textContent = text.slice(s.start, s.end);
    }
    body.append(mark);
    body.append(document.createTextNode(text.slice(s.end)));
    requestAnimationFrame(() => mark.scrollIntoView({ block: "center", behavior: "auto" }));
  } else {
    body.textContent = text;
  }
}
