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

/** POST JSON to a same-origin path with ``Authorization: Bearer <token>`` (a header, never a
 * cookie: a page elsewhere cannot make the browser send it). Resolves to {status, body}. */
export async function postJSON(path, payload, token) {
  if (!path.startsWith("/")) throw new Error("same-origin paths only");
  busy(+1);
  try {
    const r = await fetch(path, {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(payload),
    });
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    return { status: r.status, body };
  } finally {
    busy(-1);
  }
}
