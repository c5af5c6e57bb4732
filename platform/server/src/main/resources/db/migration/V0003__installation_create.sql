-- Installations of connectors by tenants. Secret config fields are not here: they live in the
-- secret store under installation.<id>.<field>; secret_fields lists which fields those are.
CREATE TABLE installation (
    id            uuid        PRIMARY KEY,
    tenant_id     uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    connector     text        NOT NULL,
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    variant       text        NOT NULL,
    delivery_mode text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('enabled', 'disabled')),
    config        jsonb       NOT NULL,
    secret_fields text[]      NOT NULL DEFAULT '{}',
    last_check    jsonb,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX installation_tenant_created_idx ON installation (tenant_id, created_at, id);

-- Connector key-value state per installation (StateStore in the SPI).
CREATE TABLE installation_state (
    tenant_id       uuid        NOT NULL,
    installation_id uuid        NOT NULL REFERENCES installation (id) ON DELETE CASCADE,
    key             text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    value           text        NOT NULL CHECK (length(value) <= 65536),
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, installation_id, key)
);
