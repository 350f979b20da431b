create table if not exists things (id text primary key, name text);
