-- The ingest gateway's durable inbox (issue 15). A webhook or tracking request is committed here,
-- raw, in one short transaction before it is acknowledged; processors on every replica claim rows
-- (FOR UPDATE SKIP LOCKED), split and store them, and delete the row in that same transaction.
--
-- stream_id is what order is kept by: the installation of a webhook, the source of tracked
-- messages. No foreign keys: every acknowledged request would take a key-share lock on the same
-- installation row (a multixact hot spot under concurrent senders); processors drop the rows of
-- installations or sources that no longer exist, and a deleted tenant's rows go with the tenant.
CREATE TABLE ingest_inbox (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   uuid        NOT NULL,
    stream_id   uuid        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('webhook', 'tracking')),
    received_at timestamptz NOT NULL,
    events      integer     NOT NULL CHECK (events >= 0),
    headers     jsonb       NOT NULL,
    body        bytea       NOT NULL,
    attempts    integer     NOT NULL DEFAULT 0,
    not_before  timestamptz
);
-- The head of each stream (its oldest row) is what a processor may take.
CREATE INDEX ingest_inbox_stream_idx ON ingest_inbox (stream_id, id);
CREATE INDEX ingest_inbox_tenant_idx ON ingest_inbox (tenant_id, id);
-- Bodies are JSON of up to a few MB: stored out of line without compression, which costs the
-- acknowledging transaction CPU on a loaded machine and saves little for a row deleted seconds later.
ALTER TABLE ingest_inbox ALTER COLUMN body SET STORAGE EXTERNAL;
