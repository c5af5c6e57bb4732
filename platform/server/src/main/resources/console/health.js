// An installation's health (GET /v1/admin/installations/{id}/health): a status badge, hourly charts
// of the last 24 hours drawn as inline SVG (no chart service, nothing loaded from elsewhere), the
// last hour and day by outcome, the backlog, and the last errors.
import { get } from "./api.js";
import { badge, h, when } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}

export const healthOf = (id) => get(`/v1/admin/installations/${encodeURIComponent(id)}/health`);

/** One bar per hour, scaled to the busiest hour; each bar's tooltip says the hour and the figure. */
export function hourlyChart(id, hours, key, label) {
  const width = 288, height = 56, step = width / hours.length;
  const max = Math.max(1, ...hours.map((x) => x[key]));
  const total = hours.reduce((sum, x) => sum + x[key], 0);
  const title = `${label}: ${total} in the last 24 hours (at most ${max} in an hour)`;
  return h("figure", { class: "chart" },
    svg("svg", { id, class: `bars ${key}`, viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": title },
      svg("title", {}, title),
      svg("line", { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: "axis" }),
      hours.map((x, i) => {
        const barHeight = x[key] === 0 ? 0 : Math.max(1, (x[key] / max) * (height - 4));
        return svg("rect", { x: (i * step + 1).toFixed(1), y: (height - 1 - barHeight).toFixed(1), width: (step - 2).toFixed(1),
          height: barHeight.toFixed(1), "data-value": x[key] }, svg("title", {}, `${when(x.start)}: ${x[key]}`));
      })),
    h("figcaption", { class: "hint" }, `${label}: ${total} in 24 h`));
}

function counts(byStatus) {
  const entries = Object.entries(byStatus);
  return entries.length === 0 ? "none" : entries.map(([status, n]) => `${n} ${status}`).join(", ");
}

/** The health section of an installation's page. */
export async function healthSection(id) {
  const hh = await healthOf(id);
  const rate = (w) => `${(w.error_rate * 100).toFixed(1)}% (${w.errors})`;
  return h("section", { id: "health", "aria-labelledby": "health-title" },
    h("h3", { id: "health-title" }, "Health ", h("span", { id: "health-status" }, badge(hh.status))),
    h("p", { class: "hint", id: "health-reason" }, hh.status_reason),
    h("div", { class: "row charts" },
      hourlyChart("chart-inbound", hh.hours, "inbound", "Received"),
      hourlyChart("chart-outbound", hh.hours, "outbound", "Sent"),
      hourlyChart("chart-errors", hh.hours, "errors", "Failures")),
    h("dl", { class: "props" },
      h("dt", {}, "Last hour in"), h("dd", { id: "health-hour-in" }, counts(hh.last_hour.inbound)),
      h("dt", {}, "Last hour out"), h("dd", { id: "health-hour-out" }, counts(hh.last_hour.outbound)),
      h("dt", {}, "Error rate (hour / day)"), h("dd", { id: "health-error-rate" }, `${rate(hh.last_hour)} / ${rate(hh.last_day)}`),
      h("dt", {}, "Last day in / out"), h("dd", {}, `${counts(hh.last_day.inbound)} / ${counts(hh.last_day.outbound)}`),
      h("dt", {}, "Backlog"), h("dd", { id: "health-backlog" }, hh.backlog.pending === 0 ? "empty"
        : `${hh.backlog.pending} waiting, oldest ${hh.backlog.oldest_pending_age_seconds} s`),
      h("dt", {}, "Last delivery"), h("dd", {}, hh.last_delivered_at ? when(hh.last_delivered_at) : "never"),
      h("dt", {}, "Last successful sync"), h("dd", {}, hh.last_sync_succeeded_at ? when(hh.last_sync_succeeded_at) : "never")),
    hh.last_errors.length === 0 ? null : h("div", {},
      h("h4", {}, "Last errors"),
      h("ul", { id: "health-errors" }, hh.last_errors.map((e) => h("li", { "data-event-id": e.event_id },
        badge(e.status), ` ${e.name} ${e.http_status ?? ""} ${when(e.recorded_at)} `,
        h("a", { href: `#events/${id}`, title: `event-log entry ${e.event_id}` }, "in the event log"))))));
}
