-- API keys of key-service (schema key_service). Only an HMAC of each key is stored.
create table organisations (
    org_id     text        primary key,
    created_at timestamptz not null default now()
);

create table api_keys (
    id           text        primary key,
    org_id       text        not null references organisations (org_id),
    name         text        not null,
    key_hash     text        not null unique,          -- hex HMAC-SHA256(pepper, key)
    start        text        not null,                 -- first 14 characters, for display
    last4        text        not null,
    scopes       text        not null,                 -- canonical scopes, sorted, space-separated
    workspace_ids text,                                -- space-separated; null = every workspace
    mode         text        not null check (mode in ('live', 'test')),
    status       text        not null check (status in ('active', 'revoked', 'expired')),
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    rolled_to    text,                                 -- the key that replaced this one
    seq          bigint      not null,
    created_by   text        not null
);
create index api_keys_org_id on api_keys (org_id, id desc);
create index api_keys_expiring on api_keys (expires_at) where status = 'active' and expires_at is not null;

create table key_audit (
    id          text        primary key,
    key_id      text        not null references api_keys (id),
    org_id      text        not null,
    action      text        not null check (action in ('create', 'rename', 'roll', 'revoke', 'expire')),
    actor       text        not null,
    request_id  text,
    occurred_at timestamptz not null,
    details     text        not null
);
create index key_audit_key_id on key_audit (key_id, id desc);
