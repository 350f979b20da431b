-- Media bytes in bounded chunks, written as an upload streams (the default MediaStorage), instead
-- of one bytea per file; and one row per workspace that uploads lock while they check the
-- workspace's storage quota.

create table media_chunks (
    media_id   text        not null,
    seq        integer     not null,
    bytes      bytea       not null,
    created_at timestamptz not null default now(),
    primary key (media_id, seq)
);
-- For the sweep of chunks no media row claims (an upload cut off by a crash).
create index media_chunks_created_at on media_chunks (created_at);

insert into media_chunks (media_id, seq, bytes)
select media_id, 0, bytes from media_blobs;

drop table media_blobs;

create table workspace_storage (
    workspace_id text primary key
);
