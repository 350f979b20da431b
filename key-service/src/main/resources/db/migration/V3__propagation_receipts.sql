-- Revocation receipts (SPEC section 6): for a key change that must reach every instance (revoke,
-- roll with expire_old_in_seconds 0, leaked), which consuming instances were live when it committed
-- and which of them have applied it. Every key-service replica adds acknowledgements as it reads
-- them from postgate.instances.v1, so any replica answers GET /api/v1/keys/{id}/propagation.
create table propagation_receipts (
    key_id       text        not null,
    seq          bigint      not null,                  -- the key's seq after the change
    committed_at timestamptz not null,
    expected     jsonb       not null,                  -- [{"instance", "service", "last_seen_at"}], full instance ids
    applied      jsonb       not null default '{}',     -- {"<instance id>": {"applied_at", "lag_ms"}}
    complete     boolean     not null,                  -- the replica that made it had read the instances' topic past the commit
    confirmed_at timestamptz,                           -- when the last expected instance applied it (complete receipts only)
    waited_ms    bigint      not null,                  -- how long the change's answer waited
    primary key (key_id, seq)
);
