-- SPEC section 7: a settle may keep part of a reservation (settled_amount) and refund the rest in
-- the same transaction, so a reservation may now have a settle and a refund entry, each once.
alter table credit_reservations add column settled_amount bigint check (settled_amount >= 0 and settled_amount <= amount);
drop index credit_ledger_reservation_outcome;
create unique index credit_ledger_reservation_outcome on credit_ledger (reservation_id, kind)
    where kind in ('settle', 'refund');
