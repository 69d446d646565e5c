#!/usr/bin/env bash
# `make bench`: the benchmarks on a dedicated PostgreSQL database (tracker_bench by
# default), recreated each run so figures come from the same data; BENCH_KEEP_DB=1
# reuses the generated stories. BENCH_SIZE=full|small|tiny (default full).
set -euo pipefail
# live_fanout holds 10,000 SSE connections: the clients' sockets here, and Pushpin's
# (it inherits this limit) on the other side. Raise the soft limit as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
    echo "warning: only $(ulimit -n) file descriptors: live_fanout's 10,000 clients will not all connect" >&2
fi
db=${BENCH_DATABASE:-tracker_bench}
pg="postgres://postgres@127.0.0.1:5432"
export DATABASE_URL="$pg/$db"
export DEBUG=0 SECURE_SSL_REDIRECT=0 CONN_MAX_AGE=600
export SECRET_KEY=${SECRET_KEY:-bench-only-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}
# The public log signs checkpoints: a throwaway key unless one is given.
# With BENCH_KEEP_DB=1 the kept log was signed by the last run's key, so that key is kept too.
mkdir -p var/bench
key_file="var/bench/$db.signing-key"
if [ -z "${LOG_SIGNING_KEY:-}" ]; then
    if [ "${BENCH_KEEP_DB:-0}" = "1" ] && [ -s "$key_file" ]; then
        LOG_SIGNING_KEY=$(cat "$key_file")
    else
        LOG_SIGNING_KEY=$(.venv/bin/python manage.py log_keygen bench.local/tracker 2>/dev/null)
    fi
fi
(umask 077 && printf '%s\n' "$LOG_SIGNING_KEY" > "$key_file")
export LOG_SIGNING_KEY
unset REDIS_URL  # tasks run eagerly; the measures time the request path, not a broker
# The cache is on Redis as in production: every process shares the latest revision
# (edge/latest.py) and the page cache, so a 304 or a cached page runs no SQL.
export CACHE_URL=${BENCH_CACHE_URL:-redis://127.0.0.1:6379/3}
# The anonymous API rate limit guards production; the load measures serve one client.
export API_ANON_RATE=${API_ANON_RATE:-100000000/minute}
if [ "${BENCH_KEEP_DB:-0}" != "1" ]; then
    psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $db" >/dev/null
fi
if ! psql -qtA "$pg/postgres" -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    psql -q "$pg/postgres" -c "CREATE DATABASE $db" >/dev/null
fi
.venv/bin/python manage.py migrate --no-input -v0
mkdir -p var/bench
.venv/bin/python -m bench --size "${BENCH_SIZE:-full}" "$@"
