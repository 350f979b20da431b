-- A receipt is stored as its change's wait starts (SPEC section 6: the key's page, a repeated revoke
-- and a leaked key's page read it meanwhile) and completed when the wait ends; until then it has
-- no waited_ms.
alter table propagation_receipts alter column waited_ms drop not null;
comment on column propagation_receipts.waited_ms is 'how long the change''s answer waited; null while it still waits';
