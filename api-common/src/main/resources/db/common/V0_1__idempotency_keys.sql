-- Stored first answers to API-key POSTs that sent an Idempotency-Key (SPEC section 4).
-- Shared by every service through api-common; each service keeps its own copy in its schema.
create table idempotency_keys (
    org_id      text        not null,
    idem_key    text        not null,
    fingerprint text        not null,
    state       text        not null check (state in ('running', 'done')),
    status      integer,
    body        text,
    created_at  timestamptz not null default now(),
    primary key (org_id, idem_key)
);
create index idempotency_keys_created_at on idempotency_keys (created_at);
