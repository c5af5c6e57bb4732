-- Tenants: the companies using Junction. Every tenant-owned table references tenant(id)
-- ON DELETE CASCADE, so deleting a tenant deletes its data.
CREATE TABLE tenant (
    id         uuid        PRIMARY KEY,
    slug       text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);
