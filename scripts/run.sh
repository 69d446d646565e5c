#!/usr/bin/env bash
# `make run`: migrate, load the demo, serve. A Celery worker and beat run beside
# the web server (on Redis with REDIS_URL, else on files under var/) and Ctrl-C
# stops all three.
set -euo pipefail
port=${1:-${PORT:-8000}}
export PORT=$port  # the site's own address follows it unless SITE_URL is set (tracker/site.py)
var=${VAR_DIR:-var}  # the settings read VAR_DIR too: one place for local state
mkdir -p "$var"
bash scripts/local-env.sh  # DEBUG=1 and a SECRET_KEY for this and every later manage.py command
# The public log's checkpoints are signed: a local key, made once, unless one is given.
if [ -z "${LOG_SIGNING_KEY:-}" ] && [ -z "${LOG_SIGNING_KEY_FILE:-}" ]; then
    export LOG_SIGNING_KEY_FILE=$var/log-signing.key
    if [ ! -s "$LOG_SIGNING_KEY_FILE" ]; then
        (umask 077 && .venv/bin/python manage.py log_keygen "${LOG_ORIGIN:-localhost/tracker}" > "$LOG_SIGNING_KEY_FILE")
    fi
fi
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py load_demo
.venv/bin/python manage.py demo_editor
.venv/bin/python manage.py publish_checkpoint
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
# Every scheduled job (checkpoints, scheduled drafts, source checks, digests) needs
# a worker and a beat. With REDIS_URL they use Redis; without it, a broker that
# needs no server: kombu's filesystem transport in var/celery-broker/ (settings).
worker_flags=()
if [ -z "${REDIS_URL:-}" ]; then
    export CELERY_LOCAL_BROKER_DIR=${CELERY_LOCAL_BROKER_DIR:-$var/celery-broker}
    # No fan-out chatter between workers through the files: there is only one.
    worker_flags=(--without-gossip --without-mingle --without-heartbeat)
    echo "REDIS_URL is not set: the Celery worker and beat pass messages through $CELERY_LOCAL_BROKER_DIR/."
fi
.venv/bin/celery -A tracker worker --loglevel=INFO --concurrency=2 "${worker_flags[@]}" & pids+=($!)
.venv/bin/celery -A tracker beat --loglevel=INFO --schedule="$var/celerybeat-schedule" & pids+=($!)
echo "Serving on http://127.0.0.1:$port/"
.venv/bin/python manage.py runserver "127.0.0.1:$port" & pids+=($!)
wait -n
