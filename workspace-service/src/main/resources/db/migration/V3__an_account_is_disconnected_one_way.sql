-- An account is disconnected when it has disconnected_at (what the queries and partial indexes
-- test), and its health, which the API shows, says so too: the database keeps the two in step.
alter table social_accounts add constraint social_accounts_disconnected_one_way
    check ((health = 'disconnected') = (disconnected_at is not null));
