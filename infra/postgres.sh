#!/usr/bin/env bash
# Ensure a local PostgreSQL answers and that the database in DATABASE_URL exists.
#
# Usage: infra/postgres.sh
#
#   1. pg_isready against the URL's host:port (default 127.0.0.1:5432).
#   2. If it does not answer and the host is local, start the Debian cluster on that
#      port with `pg_ctlcluster --skip-systemctl-redirect <version> <cluster> start`
#      and wait (bounded) until it is ready. A postmaster.pid left by kill -9 or a reboot
#      is handled (PostgreSQL ignores a dead pid; a reused live pid is cleared here).
#   3. Create the URL's database if missing (psql as the URL's user against `postgres`).
#   4. Print the URL it ensured.
#
# Environment:
#   DATABASE_URL        default postgres://postgres@127.0.0.1:5432/gridcase
#   PG_WAIT_TIMEOUT     seconds to wait for the server after starting it (default 30)
set -euo pipefail

readonly DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/gridcase}"
readonly WAIT_TIMEOUT="${PG_WAIT_TIMEOUT:-30}"

say() { printf 'postgres: %s\n' "$*"; }
die() { printf 'postgres: ERROR: %s\n' "$*" >&2; exit 1; }

for tool in pg_isready psql; do
  command -v "$tool" >/dev/null || die "$tool not found on PATH (install the postgresql-client package)"
done

# postgres[ql]://[user[:password]@]host[:port]/dbname[?params]
url_re='^(postgres|postgresql)://(([^:@/]*)(:[^@/]*)?@)?(\[[^]]+\]|[^:/?]*)(:([0-9]+))?/([^?]+)(\?.*)?$'
[[ "$DATABASE_URL" =~ $url_re ]] \
  || die "cannot parse DATABASE_URL='$DATABASE_URL' (expected postgres://user@host:port/dbname)"
scheme="${BASH_REMATCH[1]}"
userinfo="${BASH_REMATCH[2]}"
db_user="${BASH_REMATCH[3]:-postgres}"
password_part="${BASH_REMATCH[4]}" # ":secret" or empty
host="${BASH_REMATCH[5]:-127.0.0.1}"
port="${BASH_REMATCH[7]:-5432}"
db_name="${BASH_REMATCH[8]}"
query="${BASH_REMATCH[9]}"
[[ "$db_name" != *%* ]] || die "percent-encoded database names are not supported: '$db_name'"
host_port="${host#[}"; host_port="${host_port%]}"
# Same server and credentials, maintenance database `postgres`.
admin_url="$scheme://$userinfo$host:$port/postgres$query"

ready() { pg_isready -q -h "$host_port" -p "$port" -t 2 >/dev/null 2>&1; }

is_local() {
  case "$host_port" in 127.0.0.1 | localhost | ::1) return 0 ;; *) return 1 ;; esac
}

# After kill -9 or a reboot, postmaster.pid stays behind. PostgreSQL ignores it when its pid is
# dead, but not when that pid now belongs to another live process (pids are reused after a
# reboot): then pg_ctlcluster reports "already running" and nothing starts. The postmaster runs in
# its data dir, so a live pid whose cwd is elsewhere is not ours.
clear_stale_pid_file() {
  local datadir="$1" pidfile="$1/postmaster.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(head -n 1 "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if [[ -d "/proc/$pid" && "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$(realpath "$datadir")" ]]; then
    return 0 # really running (starting up or shutting down): leave it alone
  fi
  if [[ -d "/proc/$pid" ]]; then
    say "stale $pidfile: pid $pid is another process now; removing the file"
    rm -f "$pidfile" || die "cannot remove stale $pidfile (run as its owner or root)"
  fi
}

start_cluster() {
  command -v pg_ctlcluster >/dev/null \
    || die "PostgreSQL is not answering on $host:$port and pg_ctlcluster is missing (install postgresql-common, or start PostgreSQL yourself)"
  local ver="" name="" datadir=""
  if command -v pg_lsclusters >/dev/null; then
    # Columns: version cluster port status owner datadir logfile
    read -r ver name datadir < <(pg_lsclusters -h | awk -v p="$port" '$3 == p { print $1, $2, $6; exit }') || true
    [[ -n "$ver" ]] || die "nothing answers on $host:$port and no PostgreSQL cluster is configured for port $port (pg_lsclusters: $(pg_lsclusters -h | awk '{printf "%s/%s:%s %s; ", $1, $2, $3, $4}'))"
  else
    # No pg_lsclusters: the single installed version's `main` cluster.
    local versions=()
    [[ -d /etc/postgresql ]] && mapfile -t versions < <(ls /etc/postgresql)
    ((${#versions[@]} == 1)) \
      || die "pg_lsclusters is missing and /etc/postgresql has ${#versions[@]} versions (need exactly one): ${versions[*]:-none}"
    ver="${versions[0]}"; name=main
  fi
  [[ -n "$datadir" ]] && clear_stale_pid_file "$datadir"
  say "start: pg_ctlcluster $ver $name (port $port)"
  local out
  if ! out="$(pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start 2>&1)"; then
    # Already running (e.g. on another address) is not an error for pg_ctlcluster's callers here.
    if [[ "$out" != *"already running"* ]]; then
      printf '%s\n' "$out" >&2
      die "pg_ctlcluster --skip-systemctl-redirect $ver $name start failed"
    fi
  fi
  local deadline=$(( $(date +%s) + WAIT_TIMEOUT ))
  until ready; do
    if (( $(date +%s) >= deadline )); then
      tail -n 20 "/var/log/postgresql/postgresql-$ver-$name.log" >&2 2>/dev/null || true
      die "cluster $ver/$name started but $host:$port did not become ready within ${WAIT_TIMEOUT}s"
    fi
    sleep 0.5
  done
}

if ready; then
  say "server: ready on $host:$port"
else
  is_local || die "PostgreSQL at $host:$port is not answering (not a local host, so not starting it)"
  start_cluster
  say "server: ready on $host:$port"
fi

psql_admin() { psql "$admin_url" -X -q -v ON_ERROR_STOP=1 -v db="$db_name" "$@"; }

exists="$(psql_admin -tA <<<"SELECT 1 FROM pg_database WHERE datname = :'db';" 2>&1)" \
  || die "cannot query pg_database as '$db_user' at $host:$port: $exists"
if [[ "$exists" == 1 ]]; then
  say "database: $db_name exists"
else
  out="$(psql_admin <<<'CREATE DATABASE :"db";' 2>&1)" || {
    # Lost a race with a concurrent run? Then it exists now, which is fine.
    again="$(psql_admin -tA <<<"SELECT 1 FROM pg_database WHERE datname = :'db';" 2>/dev/null || true)"
    [[ "$again" == 1 ]] || die "CREATE DATABASE $db_name as '$db_user' failed: $out"
  }
  say "database: created $db_name"
fi

shown_url="$DATABASE_URL"
if [[ -n "$password_part" ]]; then shown_url="${DATABASE_URL/"$password_part@"/:***@}"; fi
say "ensured $shown_url"
