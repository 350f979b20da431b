-- Leaked keys (SPEC section 10): who reported a revoked key as leaked and where it was found, and
-- the queue of public reports, revoked in the background. Only HMACs of reported keys are stored.
alter table api_keys add column leak_reported_by text;  -- github-secret-scanning | public-report; null = not reported
alter table api_keys add column leak_found_at    text;  -- where it was found (a URL), when the report says

create table leak_reports (
    id          text        primary key,
    key_hash    text        not null,                    -- hex HMAC-SHA256(pepper, reported key)
    received_at timestamptz not null
);
create index leak_reports_received on leak_reports (received_at, id);
