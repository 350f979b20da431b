-- The ledger is listed in the order its entries changed the balance. An entry's id is made before
-- its change waits for the workspace's row lock, so ids can commit out of order; seq is taken when
-- the entry is inserted, under that lock, from a sequence without a per-session cache (identity
-- columns cache 1 value), so a workspace's entries get increasing seq in the order they were written.
-- Entries written before this migration keep the order they were listed in (by id).
alter table credit_ledger add column seq bigint;
update credit_ledger c set seq = o.n
    from (select id, row_number() over (order by id) as n from credit_ledger) o
    where o.id = c.id;
alter table credit_ledger alter column seq set not null;
alter table credit_ledger alter column seq add generated always as identity;
select setval(pg_get_serial_sequence('credit_ledger', 'seq'), coalesce(max(seq), 0) + 1, false) from credit_ledger;
create index credit_ledger_workspace_seq on credit_ledger (workspace_id, seq desc);
drop index credit_ledger_workspace_id;
