-- Transactional outbox: an event row commits with the change it describes, and the relay
-- (api-common OutboxRelay) publishes it to Kafka afterwards. Rows stay a while after
-- publication for inspection, then are deleted.
create table outbox (
    id           bigserial   primary key,
    topic        text        not null,
    record_key   text        not null,
    payload      text        not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_pending on outbox (id) where published_at is null;
create index outbox_published_at on outbox (published_at) where published_at is not null;
