-- The live event log: every inbound webhook event, outbound connector call, delivery attempt
-- and sync step, per tenant. No foreign key to tenant (it would cost a lookup per inserted
-- row): TenantService deletes a tenant's events explicitly. Partitioned by day on recorded_at so retention drops whole
-- partitions; EventLogMaintenance creates partitions ahead of time. The default partition only
-- catches rows outside every daily partition (it should stay empty).
CREATE SEQUENCE event_log_id_seq AS bigint;

CREATE TABLE event_log (
    tenant_id       uuid        NOT NULL,
    id              bigint      NOT NULL DEFAULT nextval('event_log_id_seq'),
    recorded_at     timestamptz NOT NULL,
    installation_id uuid,
    direction       text        NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
    kind            text        NOT NULL,
    name            text        NOT NULL,
    status          text        NOT NULL,
    http_status     integer,
    occurred_at     timestamptz,
    user_id         text,
    dedupe_key      text,
    batch_id        uuid        NOT NULL,
    payload         jsonb       NOT NULL,
    PRIMARY KEY (tenant_id, recorded_at, id)
) PARTITION BY RANGE (recorded_at);

CREATE TABLE event_log_default PARTITION OF event_log DEFAULT;

-- Newest-first keyset pages, optionally by installation; live tail fetches a committed batch.
CREATE INDEX event_log_tenant_time_idx ON event_log (tenant_id, recorded_at DESC, id DESC);
CREATE INDEX event_log_installation_time_idx ON event_log (tenant_id, installation_id, recorded_at DESC, id DESC);
CREATE INDEX event_log_batch_idx ON event_log (tenant_id, batch_id);

-- Webhook deduplication: one row per (installation, vendor event id), kept at least as long as
-- vendors retry (SendGrid: up to 72 h), pruned by the maintenance job.
CREATE TABLE webhook_dedupe (
    tenant_id       uuid        NOT NULL,
    installation_id uuid        NOT NULL,
    dedupe_key      text        NOT NULL,
    received_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, installation_id, dedupe_key)
);
CREATE INDEX webhook_dedupe_received_idx ON webhook_dedupe (received_at);

-- Per-installation webhook endpoints. The id in the URL is random (192 bits) and looked up by
-- its SHA-256, so lookups do not leak the id through timing. A rotated endpoint keeps working
-- until expires_at (the grace period chosen when rotating).
CREATE TABLE webhook_endpoint (
    id_hash         bytea       PRIMARY KEY,
    webhook_id      text        NOT NULL,
    tenant_id       uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    installation_id uuid        NOT NULL REFERENCES installation (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz
);
CREATE INDEX webhook_endpoint_installation_idx ON webhook_endpoint (tenant_id, installation_id, created_at DESC);

-- Optional HTTP Basic credentials a webhook sender must present (the password as PBKDF2).
CREATE TABLE webhook_basic_auth (
    tenant_id       uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    installation_id uuid        NOT NULL REFERENCES installation (id) ON DELETE CASCADE,
    username        text        NOT NULL,
    password_hash   bytea       NOT NULL,
    salt            bytea       NOT NULL,
    iterations      integer     NOT NULL,
    PRIMARY KEY (tenant_id, installation_id)
);

-- Per-tenant event log retention.
ALTER TABLE tenant ADD COLUMN event_retention_days integer NOT NULL DEFAULT 7
    CHECK (event_retention_days BETWEEN 1 AND 365);
