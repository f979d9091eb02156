#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers and that the named databases exist.
#   scripts/ensure-db.sh [database ...]      (default: $DB_NAME, or "downline")
# 1. a server answering at DB_HOST:DB_PORT is used as it is;
# 2. otherwise an installed but stopped local cluster is started;
# 3. otherwise Debian's postgresql package is installed and a trust-auth cluster created.
# Databases this script creates carry a marker comment. It never drops or alters a database, and it
# refuses one of the requested names that exists without the marker: that database is someone else's.
# Safe to run any number of times.
set -euo pipefail

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-5432}
DB_USER=${DB_USER:-postgres}
export PGPASSWORD=${DB_PASSWORD:-}
MARKER='created by downline scripts/ensure-db.sh'
databases=("$@")
[ ${#databases[@]} -gt 0 ] || databases=("${DB_NAME:-downline}")

log() { echo "ensure-db: $*" >&2; }
die() { log "$*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root (or sudo) to run: $*"; fi
}

port_open() { (exec 3<>"/dev/tcp/$DB_HOST/$DB_PORT") 2>/dev/null; }

answers() {
  port_open || return 1
  command -v psql >/dev/null 2>&1 || return 0
  psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atqc 'select 1' >/dev/null 2>&1
}

wait_for_server() {
  for _ in $(seq 1 60); do answers && return 0; sleep 1; done
  return 1
}

install_client() {
  command -v psql >/dev/null 2>&1 && return 0
  log "installing postgresql-client"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null
}

# Starts the stopped cluster that listens on DB_PORT, if there is one; creates one when none exists at all.
start_local_cluster() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 1
  local started=1 ver name
  while read -r ver name _; do
    [ -n "$ver" ] || continue
    log "starting local cluster $ver/$name"
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start 2>/dev/null || true
    started=0
  done < <(pg_lsclusters --no-header 2>/dev/null | awk -v port="$DB_PORT" '$3 == port && $4 != "online"')
  if [ -z "$(pg_lsclusters --no-header 2>/dev/null)" ]; then
    ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
    [ -n "$ver" ] || return 1
    log "creating local cluster $ver/main (trust auth on loopback, port $DB_PORT)"
    as_root pg_createcluster "$ver" main --port "$DB_PORT" --start -- --auth-local=peer --auth-host=trust >/dev/null
    started=0
  fi
  return $started
}

install_server() {
  command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL answers at $DB_HOST:$DB_PORT and apt-get is not available to install one"
  log "installing Debian's postgresql package"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-common >/dev/null
  # A drop-in (not an edit of the packaged file) lets the server install without its default cluster:
  # start_local_cluster then creates one with trust auth on loopback, as this script documents.
  as_root mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' | as_root tee /etc/postgresql-common/createcluster.d/downline.conf >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

if ! answers; then
  case "$DB_HOST" in
    127.0.0.1|localhost|::1) ;;
    *) die "no PostgreSQL answers at $DB_HOST:$DB_PORT (a remote host: nothing to start here)" ;;
  esac
  start_local_cluster || { install_server; start_local_cluster; } || die "could not start a local PostgreSQL cluster"
  wait_for_server || die "PostgreSQL at $DB_HOST:$DB_PORT did not answer after starting"
fi
install_client

psql_admin() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }

for db in "${databases[@]}"; do
  [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || die "refusing database name '$db' (lower-case letters, digits and _ only)"
  exists=$(psql_admin -c "select 1 from pg_database where datname = '$db'")
  if [ -z "$exists" ]; then
    # Two runs at once may race to create it; the loser sees "already exists" and checks the marker.
    psql_admin -c "create database \"$db\"" 2>/dev/null && psql_admin -c "comment on database \"$db\" is '$MARKER'" \
      && log "created database $db"
  fi
  comment=$(psql_admin -c "select shobj_description(oid, 'pg_database') from pg_database where datname = '$db'")
  [ "$comment" = "$MARKER" ] || die "database '$db' exists but was not created by this script; set DB_NAME (or TEST_DB_NAME) to another name"
done
log "PostgreSQL at $DB_HOST:$DB_PORT ready with: ${databases[*]}"
