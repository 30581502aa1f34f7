// The PostgreSQL registry's schema, one migration per entry, recorded in
// infra_schema. Append only. Times are ISO text, as in SQLite, so both
// implementations sort and compare them the same way.
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE environments (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    description      TEXT NOT NULL DEFAULT '',
    template_id      TEXT NOT NULL,
    template_version TEXT NOT NULL,
    template_source  TEXT NOT NULL,
    location         TEXT NOT NULL,
    status           TEXT NOT NULL,
    params           TEXT NOT NULL DEFAULT '{}',
    outputs          TEXT NOT NULL DEFAULT '{}',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    destroyed_at     TEXT,
    expires_at       TEXT,
    -- Words of the name, description and tags (see searchWords): what full-text search matches.
    search_words     TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX environments_created ON environments (created_at);
  CREATE INDEX environments_status ON environments (status);
  CREATE INDEX environments_search ON environments USING GIN (to_tsvector('simple', search_words));

  CREATE TABLE tags (
    env_id TEXT NOT NULL REFERENCES environments (id),
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (env_id, key)
  );
  CREATE INDEX tags_key_value ON tags (key, value);

  CREATE TABLE transitions (
    seq          BIGSERIAL PRIMARY KEY,
    env_id       TEXT NOT NULL REFERENCES environments (id),
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    at           TEXT NOT NULL,
    operation_id TEXT,
    reason       TEXT
  );
  CREATE INDEX transitions_env ON transitions (env_id, seq);

  CREATE TABLE operations (
    seq         BIGSERIAL,
    id          TEXT PRIMARY KEY,
    env_id      TEXT NOT NULL REFERENCES environments (id),
    kind        TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    result      TEXT NOT NULL,
    summary     TEXT,
    message     TEXT,
    who         TEXT NOT NULL,
    events_file TEXT,
    params      TEXT
  );
  CREATE INDEX operations_env ON operations (env_id, started_at);

  CREATE TABLE resources (
    seq         BIGSERIAL,
    env_id      TEXT NOT NULL REFERENCES environments (id),
    urn         TEXT NOT NULL,
    type        TEXT NOT NULL,
    name        TEXT NOT NULL,
    provider_id TEXT,
    parent      TEXT,
    component   TEXT,
    status      TEXT NOT NULL,
    PRIMARY KEY (env_id, urn)
  );

  CREATE TABLE resource_deps (
    env_id     TEXT NOT NULL REFERENCES environments (id),
    urn        TEXT NOT NULL,
    depends_on TEXT NOT NULL,
    PRIMARY KEY (env_id, urn, depends_on)
  );

  CREATE TABLE env_deps (
    env_id     TEXT NOT NULL REFERENCES environments (id),
    depends_on TEXT NOT NULL REFERENCES environments (id),
    reason     TEXT NOT NULL,
    PRIMARY KEY (env_id, depends_on)
  );
  CREATE INDEX env_deps_target ON env_deps (depends_on);

  CREATE TABLE locks (
    env_name     TEXT PRIMARY KEY,
    operation_id TEXT NOT NULL,
    owner        TEXT NOT NULL,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    started      TEXT NOT NULL DEFAULT '',
    node         TEXT NOT NULL DEFAULT '',
    acquired_at  TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
  );

  CREATE TABLE audit (
    seq    BIGSERIAL PRIMARY KEY,
    at     TEXT NOT NULL,
    who    TEXT NOT NULL,
    action TEXT NOT NULL,
    env_id TEXT,
    detail TEXT NOT NULL
  );
  `,
  // 3: the server's bearer tokens (only a hash is kept) and the operations an
  // Idempotency-Key started, so a repeated POST returns the same operation.
  `
  CREATE TABLE tokens (
    name       TEXT PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE TABLE idempotency (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    operation_id TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (scope, key)
  );
  `,
  // 5: the idempotency key's request hash and the notifications outbox (see the SQLite migration 5).
  `
  ALTER TABLE idempotency ADD COLUMN fingerprint TEXT;
  CREATE TABLE outbox (
    seq         BIGSERIAL PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    routing_key TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT
  );
  CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
  `,
  // 6: the headers a notification is published with (W3C trace context: the
  // trace of the request or message whose operation it announces).
  `
  ALTER TABLE outbox ADD COLUMN headers TEXT;
  `,
  // 7: what a set's last run applied (see the SQLite migration 7).
  `
  ALTER TABLE environments ADD COLUMN applied_inputs TEXT;
  `,
];
