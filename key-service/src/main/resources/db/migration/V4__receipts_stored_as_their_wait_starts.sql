-- A receipt is stored as its change's wait starts (SPEC section 6: the key's page, a repeated revoke
-- and a leaked key's page read it meanwhile), marked waiting, and completed when the wait ends.
-- waited_ms stays not null (0 while waiting), so that a replica of the previous release, still
-- running during a rolling update, reads a waiting receipt as a partial one.
alter table propagation_receipts add column waiting boolean not null default false;
