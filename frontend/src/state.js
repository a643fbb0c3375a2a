// Filters live in the URL query string, so a view can be bookmarked and shared.
// The same keys are the API's filter parameters (see GET /api/events).

export const FILTER_KEYS = ["q", "type", "country", "actor", "modality", "language",
  "min_confidence", "since", "until", "bbox"];
// the open article; the review view, its current event and its queue filters
const UI_KEYS = ["event", "view", "review", "rtype", "rcountry", "rall"];

/** Read the state (filters + selected event) from location.search. */
export function readState() {
  const p = new URLSearchParams(window.location.search);
  const s = {};
  for (const k of [...FILTER_KEYS, ...UI_KEYS]) {
    const v = p.get(k);
    if (v !== null && v !== "") s[k] = v;
  }
  return s;
}

/** Write ``state`` into the URL (a new history entry unless ``replace``). */
export function writeState(state, replace = false) {
  const p = new URLSearchParams();
  for (const k of [...FILTER_KEYS, ...UI_KEYS]) {
    if (state[k] !== undefined && state[k] !== null && state[k] !== "") p.set(k, state[k]);
  }
  const qs = p.toString();
  const url = window.location.pathname + (qs ? "?" + qs : "");
  if (replace) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
}

/** Return the API query string of the filters in ``state`` (minus ``omit`` keys). */
export function filterQuery(state, omit = [], extra = {}) {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    if (!omit.includes(k) && state[k] !== undefined && state[k] !== "") p.set(k, state[k]);
  }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}
