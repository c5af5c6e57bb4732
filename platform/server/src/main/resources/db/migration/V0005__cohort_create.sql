-- Cohorts: audiences a tenant keeps in Junction, as a full membership snapshot.
CREATE TABLE cohort (
    tenant_id    uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    id           uuid        NOT NULL,
    key          text        NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    member_count bigint      NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, key)
);

-- Members. member_key is the user id, or 'email:' + the normalised e-mail for members without one.
-- email_norm (trimmed, lower-cased) and email_valid are computed once on write, so a sync of a
-- million members does not evaluate an e-mail expression a million times.
CREATE TABLE cohort_member (
    tenant_id   uuid    NOT NULL,
    cohort_id   uuid    NOT NULL,
    member_key  text    NOT NULL,
    user_id     text,
    email       text,
    email_norm  text,
    email_valid boolean NOT NULL DEFAULT false,
    first_name  text,
    last_name   text,
    traits      jsonb   NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, cohort_id, member_key),
    FOREIGN KEY (tenant_id, cohort_id) REFERENCES cohort (tenant_id, id) ON DELETE CASCADE
);

-- A cohort kept equal to a vendor list by an installation's cohort_sync capability.
CREATE TABLE cohort_sync (
    tenant_id       uuid        NOT NULL,
    id              uuid        NOT NULL,
    installation_id uuid        NOT NULL REFERENCES installation (id) ON DELETE CASCADE,
    cohort_id       uuid        NOT NULL,
    list_name       text        NOT NULL,
    mapping         jsonb       NOT NULL,
    cadence         text        NOT NULL,
    next_run_at     timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, cohort_id) REFERENCES cohort (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX cohort_sync_installation_idx ON cohort_sync (tenant_id, installation_id);
CREATE INDEX cohort_sync_due_idx ON cohort_sync (next_run_at) WHERE next_run_at IS NOT NULL;

-- Runs. At most one run of a sync is running at any time, across replicas (unique index).
CREATE TABLE cohort_sync_run (
    tenant_id    uuid        NOT NULL,
    id           uuid        NOT NULL,
    sync_id      uuid        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'partially_succeeded', 'failed')),
    trigger      text        NOT NULL,
    attempt      integer     NOT NULL DEFAULT 0,
    not_before   timestamptz NOT NULL,
    counts       jsonb       NOT NULL DEFAULT '{}',
    vendor_jobs  jsonb       NOT NULL DEFAULT '{}',
    error        text,
    claimed_by   text,
    heartbeat_at timestamptz,
    created_at   timestamptz NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, sync_id) REFERENCES cohort_sync (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX cohort_sync_run_sync_idx ON cohort_sync_run (tenant_id, sync_id, created_at DESC);
CREATE INDEX cohort_sync_run_queued_idx ON cohort_sync_run (created_at) WHERE status = 'queued';
CREATE UNIQUE INDEX cohort_sync_run_one_running ON cohort_sync_run (sync_id) WHERE status = 'running';

-- What the vendor list holds according to the last runs: one row per e-mail this sync put there
-- (status synced) or tried to and was refused (status rejected, retried next run). Only e-mails
-- listed here are ever removed from the vendor list.
CREATE TABLE cohort_sync_state (
    tenant_id   uuid        NOT NULL,
    sync_id     uuid        NOT NULL,
    email       text        NOT NULL,
    fingerprint text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('synced', 'rejected')),
    reason      text,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, sync_id, email),
    FOREIGN KEY (tenant_id, sync_id) REFERENCES cohort_sync (tenant_id, id) ON DELETE CASCADE
);

-- A run's difference, computed in SQL when it starts and read back in batches.
CREATE TABLE cohort_run_item (
    tenant_id   uuid    NOT NULL,
    run_id      uuid    NOT NULL,
    kind        text    NOT NULL CHECK (kind IN ('add', 'remove')),
    email       text    NOT NULL,
    is_new      boolean NOT NULL,
    user_id     text,
    first_name  text,
    last_name   text,
    fingerprint text,
    PRIMARY KEY (tenant_id, run_id, kind, email)
);

-- Members the vendor refused in a run, with its reason (who is missing and why).
CREATE TABLE cohort_run_rejection (
    tenant_id uuid NOT NULL,
    run_id    uuid NOT NULL,
    email     text NOT NULL,
    reason    text NOT NULL,
    PRIMARY KEY (tenant_id, run_id, email),
    FOREIGN KEY (tenant_id, run_id) REFERENCES cohort_sync_run (tenant_id, id) ON DELETE CASCADE
);
