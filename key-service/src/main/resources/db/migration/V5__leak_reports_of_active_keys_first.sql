-- Public reports of keys that were active when reported are worked first (SPEC section 10): anyone can make strings
-- whose checksum holds, and a backlog of those, however long, must not hold a real report back. Adding a column with
-- a constant default changes no row. leak_reports_received stays for instances of the previous release, which take
-- the oldest reports first, while a rolling deploy runs both.
alter table leak_reports add column of_active_key boolean not null default false;
create index leak_reports_queue on leak_reports (of_active_key desc, received_at, id);
