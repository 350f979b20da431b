#!/usr/bin/env bash
# The local PostgreSQL: start the installed cluster when it is down and create Postgate's
# role and databases. Usage: deploy/local/postgres.sh ensure [DATABASE...]|status|restart
# Services create and migrate their own schemas (Flyway) at start-up; this only provides
# the role and the empty databases. Defaults: role postgate/postgate, databases postgate
# (the stack), postgate_test (the module tests) and postgate_it (integration tests), or the
# names in POSTGATE_DB_NAME, POSTGATE_TEST_DB_NAME and POSTGATE_IT_DB_NAME.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB_USER="${POSTGATE_DB_USER:-postgate}"
DB_PASSWORD="${POSTGATE_DB_PASSWORD:-postgate}"

ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

start_cluster() {
  ready && return 0
  [ "$PG_HOST" = "127.0.0.1" ] || [ "$PG_HOST" = "localhost" ] \
    || die "PostgreSQL at $PG_HOST:$PG_PORT does not answer (remote host: not started from here)"
  command -v pg_ctlcluster >/dev/null 2>&1 && [ -n "$(ls /etc/postgresql 2>/dev/null)" ] \
    || die "PostgreSQL is not installed here (Debian: apt-get install postgresql), or point POSTGATE_DB_HOST at one"
  local version
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  info "starting the local PostgreSQL $version cluster"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
    || pg_ctlcluster "$version" main start \
    || die "could not start PostgreSQL $version (see /var/log/postgresql/)"
  wait_for 30 "PostgreSQL" ready || die "PostgreSQL did not become ready on $PG_HOST:$PG_PORT"
}

# Run SQL as the superuser: over TCP when trust or a password allows it, else via the
# postgres system account's socket (peer auth).
as_superuser() {
  if psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -w -tAc 'select 1' >/dev/null 2>&1; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -w -v ON_ERROR_STOP=1 -qtA "$@"
  elif [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    su postgres -c "psql -p $PG_PORT -d postgres -v ON_ERROR_STOP=1 -qtA $(printf '%q ' "$@")"
  else
    die "cannot connect to PostgreSQL as superuser to create the '$DB_USER' role; create it yourself (see README)"
  fi
}

ensure() {
  start_cluster
  local dbs=("$@")
  [ ${#dbs[@]} -gt 0 ] || dbs=("${POSTGATE_DB_NAME:-postgate}" "${POSTGATE_TEST_DB_NAME:-postgate_test}" "${POSTGATE_IT_DB_NAME:-postgate_it}")
  if [ "$(as_superuser -c "select 1 from pg_roles where rolname = '$DB_USER'")" != "1" ]; then
    as_superuser -c "create role \"$DB_USER\" login password '$DB_PASSWORD'"
    info "created role $DB_USER"
  fi
  for db in "${dbs[@]}"; do
    if [ "$(as_superuser -c "select 1 from pg_database where datname = '$db'")" != "1" ]; then
      as_superuser -c "create database \"$db\" owner \"$DB_USER\""
      info "created database $db"
    fi
  done
}

# restart: for the fault tests (a database restart under load).
restart() {
  local version
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main restart 2>/dev/null || pg_ctlcluster "$version" main restart
  wait_for 60 "PostgreSQL" ready || die "PostgreSQL did not come back"
}

case "${1:-}" in
  ensure) shift; ensure "$@" ;;
  restart) restart ;;
  status) if ready; then say "postgresql: ready on $PG_HOST:$PG_PORT"; else say "postgresql: not answering on $PG_HOST:$PG_PORT"; fi ;;
  *) say "usage: $0 ensure [DATABASE...]|status"; exit 2 ;;
esac
