-- Workspaces, connected social accounts, calendar entries and credits (schema workspace_service).
-- Every row carries org_id, so that every query can be confined to the caller's organisation.

create table workspaces (
    id         text        primary key,
    org_id     text        not null,
    name       text        not null,
    -- The balance is changed only under a row lock (SELECT ... FOR UPDATE) together with a
    -- ledger entry; the check is the last line of defence against a double spend.
    balance    bigint      not null default 0 check (balance >= 0),
    created_at timestamptz not null,
    updated_at timestamptz not null,
    deleted_at timestamptz
);
create index workspaces_org_id on workspaces (org_id, id desc);

create table social_accounts (
    id              text        primary key,
    workspace_id    text        not null references workspaces (id),
    org_id          text        not null,
    platform        text        not null check (platform in ('instagram', 'facebook', 'x', 'linkedin', 'tiktok', 'youtube', 'threads')),
    name            text        not null,
    health          text        not null check (health in ('healthy', 'needs_reauth', 'disconnected')),
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    disconnected_at timestamptz
);
create index social_accounts_org_id on social_accounts (org_id, id desc) where disconnected_at is null;
create index social_accounts_workspace_id on social_accounts (workspace_id, id desc) where disconnected_at is null;

create table calendar_entries (
    id           text        primary key,
    workspace_id text        not null references workspaces (id),
    org_id       text        not null,
    title        text        not null,
    notes        text,
    starts_at    timestamptz not null,
    ends_at      timestamptz,
    post_id      text,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    check (ends_at is null or ends_at >= starts_at)
);
create index calendar_entries_workspace_id on calendar_entries (workspace_id, id desc);

-- Credit reservations of service callers (publish-service): reserved, then settled or refunded
-- exactly once. The idempotency key makes a retried reserve return the same reservation.
create table credit_reservations (
    id              text        primary key,
    workspace_id    text        not null references workspaces (id),
    org_id          text        not null,
    amount          bigint      not null check (amount > 0),
    status          text        not null check (status in ('reserved', 'settled', 'refunded')),
    idempotency_key text        not null unique,
    reference       text,
    balance_after   bigint      not null,
    actor           text        not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    updated_at      timestamptz not null
);
create index credit_reservations_due on credit_reservations (expires_at) where status = 'reserved';

-- Append-only: every change of a balance is one entry, so the amounts of a workspace sum to its
-- balance (grant +n, reserve -n, settle 0, refund +n).
create table credit_ledger (
    id              text        primary key,
    workspace_id    text        not null references workspaces (id),
    org_id          text        not null,
    kind            text        not null check (kind in ('grant', 'reserve', 'settle', 'refund')),
    amount          bigint      not null,
    balance_after   bigint      not null check (balance_after >= 0),
    reason          text,
    reference       text,
    actor           text        not null,
    idempotency_key text,
    reservation_id  text        references credit_reservations (id),
    created_at      timestamptz not null,
    check ((kind = 'grant' and amount > 0) or (kind = 'reserve' and amount < 0)
           or (kind = 'settle' and amount = 0) or (kind = 'refund' and amount > 0))
);
create index credit_ledger_workspace_id on credit_ledger (workspace_id, id desc);
-- A grant sent with an Idempotency-Key is applied once per workspace.
create unique index credit_ledger_grant_key on credit_ledger (workspace_id, idempotency_key)
    where kind = 'grant' and idempotency_key is not null;
-- A reservation is settled or refunded at most once.
create unique index credit_ledger_reservation_outcome on credit_ledger (reservation_id)
    where kind in ('settle', 'refund');
