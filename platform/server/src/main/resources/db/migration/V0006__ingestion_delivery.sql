-- A tenant's HTTP sources: Segment-compatible write keys. Keys are random (192 bits) and stored
-- only as SHA-256; a rotated key keeps working until previous_expires_at.
CREATE TABLE http_source (
    id                  uuid        PRIMARY KEY,
    tenant_id           uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    name                text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    key_hash            bytea       NOT NULL UNIQUE,
    key_hint            text        NOT NULL,
    previous_key_hash   bytea       UNIQUE,
    previous_expires_at timestamptz,
    created_at          timestamptz NOT NULL,
    rotated_at          timestamptz
);
CREATE INDEX http_source_tenant_idx ON http_source (tenant_id, created_at, id);

-- Every accepted message, once per (tenant, messageId). Deliveries read the message from here.
CREATE TABLE tracked_event (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    message_id   text        NOT NULL,
    source_id    uuid,
    type         text        NOT NULL CHECK (type IN ('identify', 'track', 'page')),
    event        text,
    user_id      text,
    anonymous_id text,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    message      jsonb       NOT NULL,
    UNIQUE (tenant_id, message_id)
);
CREATE INDEX tracked_event_received_idx ON tracked_event (received_at);

-- The profile store: per user, identify traits merged (latest value per trait) and totals kept
-- from Order Completed events. Users are keyed by userId, or 'anonymous:' + anonymousId.
CREATE TABLE profile (
    tenant_id      uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    user_key       text        NOT NULL,
    traits         jsonb       NOT NULL DEFAULT '{}',
    lifetime_value numeric     NOT NULL DEFAULT 0,
    order_count    bigint      NOT NULL DEFAULT 0,
    last_order_at  timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_key)
);

-- anonymousId -> userId, learnt from messages that carry both, so an anonymous event finds the
-- profile of the user it turned out to be.
CREATE TABLE profile_alias (
    tenant_id    uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    anonymous_id text        NOT NULL,
    user_id      text        NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, anonymous_id)
);

-- The delivery outbox: one row per (event, destination installation). Rows of an installation
-- are split into lanes by a hash of the user; a lane is delivered by one worker at a time, in
-- seq order, which keeps each user's events in order while lanes run in parallel.
CREATE SEQUENCE delivery_seq AS bigint;

CREATE TABLE delivery (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq             bigint      NOT NULL DEFAULT nextval('delivery_seq'),
    tenant_id       uuid        NOT NULL,
    installation_id uuid        NOT NULL REFERENCES installation (id) ON DELETE CASCADE,
    lane            smallint    NOT NULL,
    event_id        bigint      NOT NULL REFERENCES tracked_event (id) ON DELETE CASCADE,
    user_key        text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'delivered', 'filtered', 'skipped', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    queued_at       timestamptz NOT NULL,  -- created_at, or the last replay: the age limit counts from here
    last_attempt_at timestamptz,
    finished_at     timestamptz,
    http_status     integer,
    reason          text,
    replays         integer     NOT NULL DEFAULT 0
);
-- the next events of a lane
CREATE INDEX delivery_lane_pending_idx ON delivery (installation_id, lane, seq) WHERE status = 'pending';
-- the admin list, newest first, by status or installation
CREATE INDEX delivery_tenant_status_idx ON delivery (tenant_id, status, id DESC);
CREATE INDEX delivery_tenant_installation_idx ON delivery (tenant_id, installation_id, id DESC);
CREATE INDEX delivery_event_idx ON delivery (event_id);

-- Lane claims. A worker leases a lane (committed at once, so a crashed worker's lease simply
-- runs out), delivers its oldest pending rows, then releases it. ready_at holds the lane back
-- after a failure (backoff, or the vendor's rate-limit reset).
CREATE TABLE delivery_lane (
    installation_id uuid        NOT NULL REFERENCES installation (id) ON DELETE CASCADE,
    lane            smallint    NOT NULL,
    tenant_id       uuid        NOT NULL,
    ready_at        timestamptz NOT NULL DEFAULT '-infinity',
    leased_by       text,
    lease_until     timestamptz,
    last_claimed_at timestamptz NOT NULL DEFAULT '-infinity',
    failures        integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (installation_id, lane)
);
