-- A target goes out only while its credits are held (issue 13): when its reservation runs out
-- (workspace-service refunds it then; null for a reservation made before this column, or one
-- known to be refunded already), and how many times the worker reserved again for it (part of
-- the renewal's idempotency key).
alter table post_targets add column reservation_expires_at timestamptz;
alter table post_targets add column reservation_renewals integer not null default 0;
