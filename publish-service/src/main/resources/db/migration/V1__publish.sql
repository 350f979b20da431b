-- publish-service (schema publish_service): posts and their per-account targets, media,
-- generations, and the sandbox connector's record of what it would have sent.

create table posts (
    id               text        primary key,
    org_id           text        not null,
    workspace_id     text        not null,
    content          text        not null,
    account_ids      text        not null,              -- space-separated, in the order given
    media_ids        text        not null default '',   -- space-separated
    status           text        not null check (status in ('draft', 'scheduled', 'publishing', 'published',
                                                            'partially_failed', 'failed', 'canceled')),
    failure_reason   text,
    scheduled_at     timestamptz,
    published_at     timestamptz,
    test_mode        boolean     not null,
    publish_attempts integer     not null default 0,    -- part of every credit idempotency key
    lease_until      timestamptz,                       -- set while credits are being reserved
    lease_token      text,
    created_by       text        not null,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    deleted_at       timestamptz
);
create index posts_workspace on posts (workspace_id, id desc) where deleted_at is null;
create index posts_due on posts (scheduled_at) where status = 'scheduled' and deleted_at is null;
create index posts_reserving on posts (lease_until) where status = 'publishing' and lease_until is not null;

create table post_targets (
    id             text        primary key,
    post_id        text        not null references posts (id),
    account_id     text        not null,
    position       integer     not null,
    platform       text,
    account_name   text,
    state          text        not null check (state in ('reserving', 'pending', 'sending', 'settling', 'refunding',
                                                         'published', 'failed')),
    attempt        integer     not null,
    reservation_id text,
    connector      text,
    external_id    text,
    error          text,
    attempted_at   timestamptz,
    lease_until    timestamptz,
    lease_token    text,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    unique (post_id, account_id)
);
create index post_targets_work on post_targets (state, lease_until)
    where state in ('pending', 'sending', 'settling', 'refunding');

create table media (
    id           text        primary key,
    org_id       text        not null,
    workspace_id text        not null,
    name         text        not null,
    content_type text        not null,
    size         bigint      not null,
    sha256       text        not null,
    origin       text        not null check (origin in ('upload', 'generated')),
    storage      text        not null,
    created_by   text        not null,
    created_at   timestamptz not null
);
create index media_workspace on media (workspace_id, id desc);

-- Bytes of media kept by the database storage (the default MediaStorage).
create table media_blobs (
    media_id text  primary key,
    bytes    bytea not null
);

create table generations (
    id             text        primary key,
    org_id         text        not null,
    workspace_id   text        not null,
    kind           text        not null check (kind in ('caption', 'image', 'video')),
    prompt         text        not null,
    style          text,
    width          integer,
    height         integer,
    state          text        not null check (state in ('reserving', 'generating', 'settling', 'refunding',
                                                         'succeeded', 'failed')),
    text           text,
    media_id       text,
    credits        bigint      not null,
    test_mode      boolean     not null,
    reservation_id text,
    error          text,
    lease_until    timestamptz,
    lease_token    text,
    created_by     text        not null,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);
create index generations_workspace on generations (workspace_id, kind, id desc);
create index generations_unfinished on generations (lease_until)
    where state in ('reserving', 'generating', 'settling', 'refunding');

create table sandbox_deliveries (
    idempotency_key text        primary key,
    post_id         text        not null,
    workspace_id    text        not null,
    account_id      text        not null,
    platform        text,
    account_name    text,
    content         text        not null,
    media_ids       text        not null,
    published       boolean     not null,
    external_id     text,
    error           text,
    created_at      timestamptz not null
);
