#!/usr/bin/env bash
# `make run`: migrate, load the demo, serve. With REDIS_URL set, a Celery worker
# and beat run beside the web server and Ctrl-C stops all three.
set -euo pipefail
port=${1:-8000}
mkdir -p var
bash scripts/local-env.sh  # DEBUG=1 and a SECRET_KEY for this and every later manage.py command
# The public log's checkpoints are signed: a local key, made once, unless one is given.
if [ -z "${LOG_SIGNING_KEY:-}" ] && [ -z "${LOG_SIGNING_KEY_FILE:-}" ]; then
    export LOG_SIGNING_KEY_FILE=var/log-signing.key
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
if [ -n "${REDIS_URL:-}" ]; then
    .venv/bin/celery -A tracker worker --loglevel=INFO --concurrency=2 & pids+=($!)
    .venv/bin/celery -A tracker beat --loglevel=INFO --schedule=var/celerybeat-schedule & pids+=($!)
else
    echo "REDIS_URL is not set: Celery tasks run eagerly; 'manage.py send_digests' sends scheduled digests by hand."
fi
echo "Serving on http://127.0.0.1:$port/"
.venv/bin/python manage.py runserver "127.0.0.1:$port" & pids+=($!)
wait -n
