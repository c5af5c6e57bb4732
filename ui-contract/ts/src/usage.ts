// Compiled (never run) by the build: if the contract changes in a way that breaks these typed calls,
// `tsc --noEmit` fails. It also shows a UI developer how to use the generated types.
import createClient from "openapi-fetch";
import type { components, paths } from "../generated/api";

type Schemas = components["schemas"];
export type Installation = Schemas["Installation"];
export type CatalogEntry = Schemas["CatalogEntry"];
export type LiveEvent = Schemas["EventWithPayload"];
export type Problem = Schemas["Problem"];

/** A typed client: paths, parameters, bodies and answers all come from openapi.yaml. */
export function junction(baseUrl: string, token: string, tenant?: string) {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (tenant) headers["X-Junction-Tenant"] = tenant;
  return createClient<paths>({ baseUrl, headers });
}

/** Installs SendGrid and returns the webhook URL to configure in SendGrid. */
export async function installSendGrid(api: ReturnType<typeof junction>, apiKey: string): Promise<string> {
  const { data, error, response } = await api.POST("/v1/admin/integration-catalog/{slug}/install", {
    params: { path: { slug: "sendgrid" }, query: { check: true } },
    body: { name: "SendGrid", variant: "default", config: { api_key: apiKey }, delivery_mode: "server_side" },
  });
  if (error) {
    const problem: Problem = error;
    throw new Error(`${response.status} ${problem.title}: ${problem.detail ?? ""} ${(problem.errors ?? []).map((e) => e.pointer ?? e.parameter).join(", ")}`);
  }
  const installation: Installation = data;
  if (installation.webhook_url === undefined) throw new Error("not an event source");
  return installation.webhook_url;
}

/** Secret fields of an integration's config schema: render them as password inputs. */
export function secretFields(entry: CatalogEntry): string[] {
  const schema = entry.config_schema as { properties?: Record<string, { "x-secret"?: boolean }> };
  return Object.entries(schema.properties ?? {}).filter(([, p]) => p["x-secret"] === true).map(([name]) => name);
}

/** Recent inbound events of an installation, one page. */
export async function recentInbound(api: ReturnType<typeof junction>, installationId: string) {
  const { data } = await api.GET("/v1/admin/events", {
    params: { query: { installation_id: installationId, direction: "inbound", limit: 20 } },
  });
  return (data?.items ?? []).map((e) => `${e.recorded_at} ${e.name} ${e.status}`);
}

/** Cohort sync runs with their counts. */
export async function runCounts(api: ReturnType<typeof junction>, installationId: string, syncId: string) {
  const { data } = await api.GET("/v1/admin/installations/{installationId}/cohort-syncs/{syncId}/runs", {
    params: { path: { installationId, syncId } },
  });
  return (data?.items ?? []).map((r) => ({ status: r.status, added: r.counts.added ?? 0, rejected: r.counts.rejected ?? 0 }));
}

/** Parses one SSE data line of GET /v1/admin/events/stream. */
export function parseLiveEvent(data: string): LiveEvent {
  return JSON.parse(data) as LiveEvent;
}
