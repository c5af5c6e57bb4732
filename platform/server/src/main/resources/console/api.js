// The console's API client: the bearer token lives in sessionStorage only (this tab, gone when
// it closes) and travels in the Authorization header, never in a URL. Errors are the API's
// application/problem+json documents (ui-contract/openapi.yaml).
const TOKEN = "junction.token";
const TENANT = "junction.tenant";

export const session = {
  get token() { return sessionStorage.getItem(TOKEN) ?? ""; },
  get tenant() { return sessionStorage.getItem(TENANT) ?? ""; },
  save(token, tenant) {
    sessionStorage.setItem(TOKEN, token.trim());
    if (tenant && tenant.trim()) sessionStorage.setItem(TENANT, tenant.trim());
    else sessionStorage.removeItem(TENANT);
  },
  forget() { sessionStorage.removeItem(TOKEN); sessionStorage.removeItem(TENANT); },
};

/** A failed call: the problem document, with the HTTP status. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

function headers(extra = {}) {
  const h = { Accept: "application/json", ...extra };
  if (session.token) h.Authorization = `Bearer ${session.token}`;
  if (session.tenant) h["X-Junction-Tenant"] = session.tenant;
  return h;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

export async function call(method, path, body) {
  const init = { method, headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }), cache: "no-store" };
  if (body !== undefined) init.body = JSON.stringify(body);
  const r = await fetch(path, init);
  const text = await r.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = { title: text.slice(0, 200) }; }
  }
  if (!r.ok) throw new ApiError(r.status, json);
  return json;
}

export const get = (path) => call("GET", path);
export const post = (path, body) => call("POST", path, body ?? {});
export const patch = (path, body) => call("PATCH", path, body);

/**
 * Reads GET /v1/admin/events/stream with fetch (EventSource cannot send the bearer header) and
 * calls onEvent with each message's entry (schemas/live-event.json). Reconnects with
 * Last-Event-ID after a dropped connection. Returns a function that stops it.
 */
export function liveEvents(filters, { onEvent, onState }) {
  const controller = new AbortController();
  let lastId = null;
  let stopped = false;

  async function connect() {
    const h = headers({ Accept: "text/event-stream" });
    if (lastId) h["Last-Event-ID"] = lastId;
    onState("connecting");
    let r;
    try {
      r = await fetch(`/v1/admin/events/stream${query(filters)}`, { headers: h, signal: controller.signal, cache: "no-store" });
    } catch (e) {
      return retry(e);
    }
    if (!r.ok) {
      let problem = null;
      try { problem = await r.json(); } catch { /* not JSON */ }
      onState("error", new ApiError(r.status, problem));
      return; // 4xx: a retry would not help (bad token, bad filter)
    }
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
          dispatch(block);
        }
      }
    } catch (e) {
      return retry(e);
    }
    retry(new Error("stream ended"));
  }

  function dispatch(block) {
    let id = null;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(":")) { if (line.includes("connected")) onState("live"); continue; }
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "data") data.push(value);
    }
    if (data.length === 0) return;
    if (id) lastId = id;
    try { onEvent(JSON.parse(data.join("\n"))); } catch { /* not an entry */ }
  }

  function retry(e) {
    if (stopped || controller.signal.aborted) return;
    onState("reconnecting", e);
    setTimeout(() => { if (!stopped) connect(); }, 2000);
  }

  connect();
  return () => { stopped = true; controller.abort(); onState("stopped"); };
}
