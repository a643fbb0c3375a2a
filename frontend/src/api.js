// Small fetch helpers: JSON from the same origin only, one in-flight request per view.

let pending = 0;
const controllers = new Map();

function busy(delta) {
  pending += delta;
  document.body.dataset.busy = pending > 0 ? "1" : "0";
}

/** Show an error line (text only). */
export function showError(message) {
  const el = document.getElementById("error");
  if (!message) { el.hidden = true; return; }
  el.textContent = message;
  el.hidden = false;
}

/** GET a same-origin JSON path; a newer request under the same ``key`` aborts this one. */
export async function getJSON(path, key = path) {
  if (!path.startsWith("/")) throw new Error("same-origin paths only");
  if (controllers.has(key)) controllers.get(key).abort();
  const ctl = new AbortController();
  controllers.set(key, ctl);
  busy(+1);
  try {
    const r = await fetch(path, { signal: ctl.signal, credentials: "same-origin" });
    const body = await r.json();
    if (!r.ok) {
      const msg = (body && body.error && body.error.message) || `HTTP ${r.status}`;
      throw Object.assign(new Error(msg), { status: r.status });
    }
    return body;
  } catch (e) {
    if (e.name === "AbortError") return null;
    showError(e.message);
    throw e;
  } finally {
    if (controllers.get(key) === ctl) controllers.delete(key);
    busy(-1);
  }
}
