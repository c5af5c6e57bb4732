-- Object sync: an installation's vendor objects pulled into tables of a PostgreSQL schema of its
-- own. The schemas and their tables are created by the platform at run time (dev.junction.platform
-- .objects.CollectionTables), not here: their names and columns come from the installation and
-- the connector. These tables hold the settings, what was created, and the runs.

-- One row per installation whose connector has the object_sync capability. schema_name is unique in
-- the database: no two installations ever share a schema. interval_seconds NULL means no schedule.
CREATE TABLE object_sync (
    tenant_id        uuid        NOT NULL,
    installation_id  uuid        NOT NULL REFERENCES installation (id) ON DELETE CASCADE,
    schema_name      text        NOT NULL CHECK (schema_name ~ '^[a-z][a-z0-9_]{0,62}$'),
    interval_seconds integer     CHECK (interval_seconds IS NULL OR interval_seconds >= 900),
    events_table     boolean     NOT NULL DEFAULT false,
    next_run_at      timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, installation_id),
    UNIQUE (installation_id),
    UNIQUE (schema_name)
);
CREATE INDEX object_sync_due_idx ON object_sync (next_run_at) WHERE next_run_at IS NOT NULL;

-- The collections (tables) created in an installation's schema, with the columns as last applied
-- and the row counts of the end of the latest pass (only syncs change these tables).
CREATE TABLE object_sync_collection (
    tenant_id        uuid        NOT NULL,
    installation_id  uuid        NOT NULL,
    name             text        NOT NULL,
    key_column       text        NOT NULL,
    columns          jsonb       NOT NULL,
    row_count        bigint      NOT NULL DEFAULT 0,
    deleted_count    bigint      NOT NULL DEFAULT 0,
    counted_at       timestamptz,
    last_synced_at   timestamptz,
    last_complete_at timestamptz,
    PRIMARY KEY (tenant_id, installation_id, name),
    FOREIGN KEY (tenant_id, installation_id) REFERENCES object_sync (tenant_id, installation_id) ON DELETE CASCADE
);

-- Runs. At most one run of an installation is queued or running at any time, across replicas
-- (unique index): a scheduled run finds the slot taken and is skipped, a manual one joins the
-- queued run or is refused while one runs.
CREATE TABLE object_sync_run (
    tenant_id       uuid        NOT NULL,
    id              uuid        NOT NULL,
    installation_id uuid        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    trigger         text        NOT NULL CHECK (trigger IN ('manual', 'scheduled')),
    attempt         integer     NOT NULL DEFAULT 0,
    not_before      timestamptz NOT NULL,
    collections     jsonb       NOT NULL DEFAULT '{}',
    error           text,
    claimed_by      text,
    heartbeat_at    timestamptz,
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, installation_id) REFERENCES object_sync (tenant_id, installation_id) ON DELETE CASCADE
);
CREATE INDEX object_sync_run_installation_idx ON object_sync_run (tenant_id, installation_id, created_at DESC, id DESC);
CREATE INDEX object_sync_run_queued_idx ON object_sync_run (not_before) WHERE status = 'queued';
CREATE UNIQUE INDEX object_sync_run_one_active ON object_sync_run (installation_id) WHERE status IN ('queued', 'running');
