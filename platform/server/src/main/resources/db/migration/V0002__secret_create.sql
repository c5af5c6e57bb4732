-- Tenant secrets, envelope-encrypted (see SecretCipher): the value under its own data key,
-- the data key wrapped by the master key named by kek_id. Plaintext never reaches the database.
CREATE TABLE secret (
    tenant_id   uuid        NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    version     integer     NOT NULL CHECK (version >= 1),
    ciphertext  bytea       NOT NULL,
    nonce       bytea       NOT NULL,
    wrapped_key bytea       NOT NULL,
    wrap_nonce  bytea       NOT NULL,
    kek_id      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
