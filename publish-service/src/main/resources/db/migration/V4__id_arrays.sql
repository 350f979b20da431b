-- A post's accounts and media, and a sandbox delivery's media: varchar arrays (what Hibernate maps String[] to) instead of space-separated text
-- (searched with @> instead of LIKE '% id %').
alter table posts
    alter column account_ids type varchar[] using string_to_array(account_ids, ' '),
    alter column media_ids drop default,
    alter column media_ids type varchar[] using string_to_array(media_ids, ' '),
    alter column media_ids set default '{}';
alter table sandbox_deliveries
    alter column media_ids type varchar[] using string_to_array(media_ids, ' ');
