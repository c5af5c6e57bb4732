// Junction reference console: plain ES modules on the API of ui-contract/openapi.yaml.
import { ApiError, get, liveEvents, post, query, session } from "./api.js";
import { badge, h, table, when } from "./dom.js";
import { healthOf, healthSection } from "./health.js";
import { isSecret, readConfig, schemaFields, showErrors } from "./schema-form.js";

const main = document.getElementById("main");
const statusLine = document.getElementById("status");
let stopStream = null; // the live event stream of the events view, when open

function say(text, error = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle("error", error);
}

function problemText(e) {
  if (!(e instanceof ApiError)) return String(e?.message ?? e);
  const p = e.problem;
  const fields = (p.errors ?? []).map((x) => `${x.pointer ?? x.parameter}: ${x.message}`).join("; ");
  return `${e.status} ${p.title ?? ""}${p.detail ? ` - ${p.detail}` : ""}${fields ? ` (${fields})` : ""}`;
}

function show(title, ...content) {
  main.replaceChildren(h("h2", { id: "view-title" }, title), ...content);
  document.title = `${title} - Junction console`;
}

// ------------------------------------------------------------------ token

const tokenForm = document.getElementById("token-form");
tokenForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  session.save(tokenForm.token.value, tokenForm.tenant.value);
  tokenForm.token.value = "";
  await checkToken();
  route();
});
document.getElementById("forget").addEventListener("click", () => {
  session.forget();
  tokenForm.tenant.value = "";
  say("Token forgotten.");
  route();
});

async function checkToken() {
  if (!session.token) return false;
  try {
    await get("/v1/admin/integration-catalog");
    say(`Signed in${session.tenant ? ` (tenant ${session.tenant})` : ""}.`);
    return true;
  } catch (e) {
    say(`The token was not accepted: ${problemText(e)}`, true);
    return false;
  }
}

// ------------------------------------------------------------------ routing (the hash never holds a secret)

const views = {
  catalog: catalogView,
  install: installView,
  installations: installationsView,
  installation: installationView,
  events: eventsView,
  syncs: syncsView,
  deliveries: deliveriesView,
};

async function route() {
  if (stopStream) { stopStream(); stopStream = null; }
  const [name, ...args] = (location.hash.slice(1) || "catalog").split("/").map(decodeURIComponent);
  document.querySelectorAll("nav a").forEach((a) => {
    if (a.dataset.nav === name || (name === "installation" && a.dataset.nav === "installations")
        || (name === "install" && a.dataset.nav === "catalog")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  if (!session.token) {
    show("Sign in", h("p", {}, "Paste a bearer token above to use the console. Tenant admins can install and change; viewers can look."));
    document.getElementById("token").focus();
    return;
  }
  const view = views[name] ?? catalogView;
  try {
    await view(...args);
  } catch (e) {
    say(problemText(e), true);
  }
}

window.addEventListener("hashchange", route);

// ------------------------------------------------------------------ catalog and install

async function catalogView() {
  const { items } = await get("/v1/admin/integration-catalog");
  show("Catalog", h("ul", { class: "cards" }, items.map((e) => h("li", { class: "card", "data-slug": e.slug },
    h("h3", {}, e.name, " ", badge(e.status)),
    h("p", {}, e.description),
    h("p", { class: "hint" }, `${e.category} - ${e.capabilities.join(", ") || "no capabilities"}`),
    e.disabled_reason ? h("p", { class: "hint" }, `Disabled: ${e.disabled_reason}`) : null,
    e.status === "disabled" ? null
      : h("a", { href: `#install/${encodeURIComponent(e.slug)}`, class: "install-link" }, `Install ${e.name}`)))));
}

async function installView(slug) {
  const entry = await get(`/v1/admin/integration-catalog/${encodeURIComponent(slug)}`);
  const schema = entry.config_schema ?? {};
  const form = h("form", { class: "schema", id: "install-form", novalidate: true },
    h("fieldset", {},
      h("legend", {}, "Installation"),
      h("div", { class: "field" }, h("label", { for: "install-name" }, "Name"),
        h("input", { id: "install-name", name: "name", "data-field": "name", value: entry.name, "aria-describedby": "install-name-error" }),
        h("p", { id: "install-name-error", class: "error" })),
      entry.variants.length > 1 ? h("div", { class: "field" }, h("label", { for: "install-variant" }, "Variant"),
        h("select", { id: "install-variant", name: "variant", "data-field": "variant" },
          entry.variants.map((v) => h("option", { value: v.key }, v.name))),
        h("p", { id: "install-variant-error", class: "error" })) : null,
      entry.delivery_modes.length > 1 ? h("div", { class: "field" }, h("label", { for: "install-mode" }, "Delivery mode"),
        h("select", { id: "install-mode", name: "delivery_mode", "data-field": "delivery_mode" },
          entry.delivery_modes.map((m) => h("option", { value: m }, m))),
        h("p", { id: "install-mode-error", class: "error" })) : null),
    h("fieldset", {}, h("legend", {}, `${entry.name} settings`), schemaFields(schema)),
    h("div", { class: "field" }, h("label", { class: "row" },
      h("input", { type: "checkbox", id: "install-check", checked: true }), "Check the connection before saving")),
    h("div", { class: "row" }, h("button", { type: "submit", id: "install-submit" }, `Install ${entry.name}`),
      h("a", { href: "#catalog" }, "Cancel")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("#install-submit");
    button.disabled = true;
    say(`Installing ${entry.name}...`);
    const body = { name: form.name.value.trim() || entry.name, config: readConfig(form, schema) };
    if (form.variant) body.variant = form.variant.value;
    if (form.delivery_mode) body.delivery_mode = form.delivery_mode.value;
    try {
      const check = form.querySelector("#install-check").checked;
      const installed = await post(`/v1/admin/integration-catalog/${encodeURIComponent(slug)}/install${check ? "" : "?check=false"}`, body);
      form.reset(); // the secret leaves the page
      say(`Installed ${installed.name}.`);
      location.hash = `#installation/${installed.id}`;
    } catch (e) {
      const rest = e instanceof ApiError ? showErrors(form, e.problem.errors) : [];
      say(e instanceof ApiError && e.problem.errors?.length && rest.length === 0
        ? `${e.status} ${e.problem.title}: see the fields marked below.` : problemText(e), true);
    } finally {
      button.disabled = false;
    }
  });
  show(`Install ${entry.name}`, h("p", {}, entry.description), form);
}

// ------------------------------------------------------------------ installations

async function installationsView() {
  const { items } = await get("/v1/admin/installations?limit=200");
  show("Installations", items.length === 0 ? h("p", { class: "empty" }, "No installations yet: install one from the catalog.")
    : table(["Name", "Integration", "Status", "Health", "Last check", "Created"], items.map((i) => h("tr", {},
      h("td", {}, h("a", { href: `#installation/${i.id}` }, i.name)), h("td", {}, i.integration), h("td", {}, badge(i.status)),
      h("td", { id: `health-${i.id}`, class: "health" }, "…"),
      h("td", {}, i.last_check ? `${i.last_check.succeeded ? "ok" : "failed"} ${i.last_check.code ?? ""}` : "not checked"),
      h("td", {}, when(i.created_at))))));
  // each row's health badge arrives on its own, so a slow one does not hold the list back
  for (const i of items) {
    healthOf(i.id).then((hh) => document.getElementById(`health-${i.id}`)?.replaceChildren(badge(hh.status)),
      () => document.getElementById(`health-${i.id}`)?.replaceChildren("?"));
  }
}

function configValue(value, prop) {
  if (value && typeof value === "object" && value.secret === "set") return h("span", { class: "secret" }, "•••••• (set, write-only)");
  if (isSecret(prop)) return h("span", { class: "secret" }, "(not set)");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

async function installationView(id) {
  const i = await get(`/v1/admin/installations/${encodeURIComponent(id)}`);
  const health = await healthSection(i.id).catch(() => null);
  const entry = await get(`/v1/admin/integration-catalog/${encodeURIComponent(i.integration)}`).catch(() => null);
  const props = entry?.config_schema?.properties ?? {};
  const copyStatus = h("span", { class: "hint", role: "status", "aria-live": "polite", id: "copy-status" });
  const webhook = i.webhook_url ? h("section", { class: "copy", "aria-labelledby": "webhook-title" },
    h("h3", { id: "webhook-title" }, "Webhook URL"),
    h("p", { class: "hint" }, "Give this URL to the vendor (SendGrid: Settings, Mail Settings, Event Webhook)."),
    h("div", { class: "row" },
      h("label", { for: "webhook-url", class: "hint" }, "URL"),
      h("input", { id: "webhook-url", readonly: true, value: i.webhook_url, onfocus: (ev) => ev.target.select() }),
      h("button", { type: "button", id: "copy-webhook", onclick: () => copy(i.webhook_url, copyStatus) }, "Copy"), copyStatus)) : null;
  const actions = h("div", { class: "row" },
    h("button", { type: "button", id: "run-check", onclick: () => act(`/v1/admin/installations/${i.id}/check`, "Connection check ran.") }, "Check connection"),
    h("button", { type: "button", class: "secondary", onclick: () => act(`/v1/admin/installations/${i.id}/${i.status === "enabled" ? "disable" : "enable"}`,
      i.status === "enabled" ? "Disabled." : "Enabled.") }, i.status === "enabled" ? "Disable" : "Enable"),
    h("a", { href: `#events/${i.id}`, id: "watch-events" }, "Watch its live events"),
    entry?.capabilities?.includes("cohort_sync") ? h("a", { href: `#syncs/${i.id}` }, "Cohort syncs") : null);
  show(i.name,
    h("dl", { class: "props" },
      h("dt", {}, "Integration"), h("dd", {}, i.integration),
      h("dt", {}, "Status"), h("dd", { id: "installation-status" }, badge(i.status)),
      h("dt", {}, "Variant"), h("dd", {}, i.variant),
      h("dt", {}, "Delivery mode"), h("dd", {}, i.delivery_mode),
      h("dt", {}, "Last check"), h("dd", { id: "last-check" }, i.last_check
        ? `${i.last_check.succeeded ? "succeeded" : "failed"} (${i.last_check.code ?? ""}) ${i.last_check.message ?? ""} ${when(i.last_check.checked_at)}`
        : "not checked"),
      h("dt", {}, "Id"), h("dd", {}, h("code", {}, i.id))),
    health,
    webhook,
    h("h3", {}, "Configuration"),
    h("dl", { class: "props", id: "config" }, Object.entries(i.config).map(([k, v]) => [
      h("dt", {}, props[k]?.title ?? k), h("dd", { "data-config": k }, configValue(v, props[k]))])),
    actions);

  async function act(path, done) {
    try {
      await post(path);
      say(done);
      await installationView(id);
    } catch (e) {
      say(problemText(e), true);
    }
  }
}

async function copy(text, statusEl) {
  try {
    await navigator.clipboard.writeText(text);
    statusEl.textContent = "Copied.";
  } catch {
    const input = document.getElementById("webhook-url");
    input.focus();
    input.select();
    statusEl.textContent = "Selected: press Ctrl+C (or Cmd+C) to copy.";
  }
}

// ------------------------------------------------------------------ live events

async function eventsView(installationId = "") {
  const { items: installations } = await get("/v1/admin/installations?limit=200");
  const filters = h("form", { class: "filters", id: "event-filters" },
    h("div", { class: "field" }, h("label", { for: "f-installation" }, "Installation"),
      h("select", { id: "f-installation", name: "installation_id" }, h("option", { value: "" }, "(all)"),
        installations.map((i) => h("option", { value: i.id, selected: i.id === installationId }, i.name)))),
    h("div", { class: "field" }, h("label", { for: "f-direction" }, "Direction"),
      h("select", { id: "f-direction", name: "direction" }, ["", "inbound", "outbound", "internal"].map((d) => h("option", { value: d }, d || "(all)")))),
    h("div", { class: "field" }, h("label", { for: "f-status" }, "Status"),
      h("input", { id: "f-status", name: "status", size: 10, placeholder: "accepted" })),
    h("div", { class: "field" }, h("label", { for: "f-name" }, "Name"),
      h("input", { id: "f-name", name: "name", size: 22, placeholder: "[Sendgrid] open" })),
    h("button", { type: "submit", id: "apply-filters" }, "Apply"));
  const live = h("p", { class: "live off", id: "live-state", role: "status", "aria-live": "polite" }, "Not connected");
  const tbody = h("tbody", { id: "event-rows" });
  const events = h("table", { id: "events" },
    h("caption", { class: "hint" }, "Newest first. Entries arrive as they are committed."),
    h("thead", {}, h("tr", {}, ["Recorded", "Direction", "Name", "Status", "HTTP", "User", ""].map((x) => h("th", { scope: "col" }, x)))),
    tbody);
  show("Live events", filters, live, events);

  const seen = new Set();
  const add = (e, top) => {
    if (seen.has(e.id)) return;
    seen.add(e.id);
    const row = h("tr", { "data-event-id": e.id, "data-name": e.name, "data-status": e.status },
      h("td", {}, when(e.recorded_at)), h("td", {}, e.direction), h("td", {}, e.name), h("td", {}, badge(e.status)),
      h("td", { class: "num" }, e.http_status ?? ""), h("td", {}, e.user_id ?? ""),
      h("td", {}, h("button", { type: "button", class: "secondary", "aria-label": `Details of ${e.name}`, onclick: () => detail(e.id) }, "Details")));
    if (top) tbody.prepend(row); else tbody.append(row);
    while (tbody.rows.length > 500) tbody.deleteRow(-1);
  };

  async function start() {
    if (stopStream) { stopStream(); stopStream = null; }
    tbody.replaceChildren();
    seen.clear();
    const f = Object.fromEntries(new FormData(filters).entries());
    try {
      const page = await get(`/v1/admin/events${query({ ...f, limit: 50 })}`);
      page.items.forEach((e) => add(e, false));
    } catch (e) {
      say(problemText(e), true);
      return;
    }
    stopStream = liveEvents(f, {
      onEvent: (e) => add(e, true),
      onState: (state, err) => {
        live.textContent = state === "live" ? "Live: new entries appear at the top"
          : state === "error" ? `Stream refused: ${problemText(err)}` : state === "stopped" ? "Not connected" : `Stream ${state}...`;
        live.classList.toggle("on", state === "live");
        live.classList.toggle("off", state !== "live");
      },
    });
  }
  filters.addEventListener("submit", (ev) => { ev.preventDefault(); start(); });
  await start();
}

async function detail(id) {
  const dialog = document.getElementById("detail");
  const body = document.getElementById("detail-body");
  try {
    const e = await get(`/v1/admin/events/${encodeURIComponent(id)}`);
    document.getElementById("detail-title").textContent = `${e.name} (${e.status})`;
    body.textContent = JSON.stringify(e, null, 2);
    dialog.showModal();
    document.getElementById("detail-close").focus();
  } catch (err) {
    say(problemText(err), true);
  }
}

// ------------------------------------------------------------------ cohort syncs

async function syncsView(installationId = "") {
  const [{ items: installations }, { items: catalog }] = await Promise.all([
    get("/v1/admin/installations?limit=200"), get("/v1/admin/integration-catalog")]);
  const syncing = new Set(catalog.filter((c) => c.capabilities.includes("cohort_sync")).map((c) => c.slug));
  const candidates = installations.filter((i) => syncing.has(i.integration));
  const picker = h("form", { class: "filters", id: "sync-picker" },
    h("div", { class: "field" }, h("label", { for: "sync-installation" }, "Installation"),
      h("select", { id: "sync-installation", name: "installation" }, h("option", { value: "" }, "(choose)"),
        candidates.map((i) => h("option", { value: i.id, selected: i.id === installationId }, `${i.name} (${i.integration})`)))),
    h("button", { type: "submit" }, "Show"));
  picker.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = `#syncs/${picker.installation.value}`;
  });
  const content = [picker];
  if (installationId) {
    const base = `/v1/admin/installations/${encodeURIComponent(installationId)}/cohort-syncs`;
    const { items: syncs } = await get(base);
    if (syncs.length === 0) content.push(h("p", { class: "empty" }, "This installation has no cohort syncs."));
    for (const s of syncs) {
      const { items: runs } = await get(`${base}/${s.id}/runs?limit=20`);
      content.push(h("section", { "aria-label": `Sync of ${s.cohort_key}`, "data-sync-id": s.id },
        h("h3", {}, `${s.cohort_key} → ${s.list_name}`),
        h("p", { class: "hint" }, `cadence ${s.cadence}${s.next_run_at ? `, next run ${when(s.next_run_at)}` : ""}`),
        h("button", { type: "button", onclick: async () => {
          try { await post(`${base}/${s.id}/run`); say("Run queued."); await syncsView(installationId); } catch (e) { say(problemText(e), true); }
        } }, "Run now"),
        runs.length === 0 ? h("p", { class: "empty" }, "No runs yet.")
          : table(["Created", "Status", "Trigger", "Members", "To add", "Added", "Updated", "Removed", "Rejected", "Unchanged", "No e-mail", "Error"],
            runs.map((r) => h("tr", { "data-run-id": r.id },
              h("td", {}, when(r.created_at)), h("td", {}, badge(r.status)), h("td", {}, r.trigger),
              ["members", "to_add", "added", "updated", "removed", "rejected", "unchanged", "skipped_no_email"]
                .map((k) => h("td", { class: "num", "data-count": k }, r.counts?.[k] ?? "")),
              h("td", {}, r.error ?? ""))), "Runs, newest first")));
    }
  }
  show("Cohort syncs", ...content);
}

// ------------------------------------------------------------------ deliveries

async function deliveriesView(status = "") {
  const page = await get(`/v1/admin/deliveries${query({ status, limit: 100 })}`);
  const picker = h("form", { class: "filters" },
    h("div", { class: "field" }, h("label", { for: "d-status" }, "Status"),
      h("select", { id: "d-status", name: "status" }, ["", "pending", "delivered", "filtered", "skipped", "dead"]
        .map((s) => h("option", { value: s, selected: s === status }, s || "(all)")))),
    h("button", { type: "submit" }, "Show"));
  picker.addEventListener("submit", (ev) => { ev.preventDefault(); location.hash = `#deliveries/${picker.status.value}`; });
  const replayable = new Set(["dead", "skipped", "filtered"]);
  const form = h("form", {},
    page.items.length === 0 ? h("p", { class: "empty" }, "No deliveries.") : table(
      ["", "Created", "Event", "User", "Status", "Attempts", "HTTP", "Reason"],
      page.items.map((d) => h("tr", {},
        h("td", {}, replayable.has(d.status)
          ? h("input", { type: "checkbox", name: "id", value: String(d.id), "aria-label": `Replay delivery ${d.id}` }) : ""),
        h("td", {}, when(d.created_at)), h("td", {}, d.event ?? d.type), h("td", {}, d.user_id ?? d.anonymous_id ?? ""),
        h("td", {}, badge(d.status)), h("td", { class: "num" }, d.attempts), h("td", { class: "num" }, d.http_status ?? ""),
        h("td", {}, d.reason ?? "")))),
    h("button", { type: "submit" }, "Replay selected"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const ids = [...form.querySelectorAll("input[name=id]:checked")].map((c) => Number(c.value));
    if (ids.length === 0) { say("Select dead, skipped or filtered deliveries to replay.", true); return; }
    try {
      const r = await post("/v1/admin/deliveries/replay", { ids });
      say(`Replayed ${r.replayed}.`);
      await deliveriesView(status);
    } catch (e) {
      say(problemText(e), true);
    }
  });
  show("Deliveries", picker, form);
}

// ------------------------------------------------------------------ start

tokenForm.tenant.value = session.tenant;
checkToken().finally(route);
