#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer;
# start them with the machine's own commands when they are down.
set -uo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 -U postgres 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

wait_for() {  # wait_for NAME CHECK: poll with a deadline, never a fixed sleep
    local name=$1 check=$2 deadline=$((SECONDS + 30))
    until $check; do
        if [ $SECONDS -ge $deadline ]; then
            echo "ERROR: $name is not reachable on 127.0.0.1 and could not be started." >&2
            return 1
        fi
        sleep 0.5
    done
}

if ! pg_up; then
    echo "PostgreSQL is down: starting it"
    if command -v pg_ctlcluster >/dev/null; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
    wait_for PostgreSQL pg_up || exit 1
fi
if ! redis_up; then
    echo "Redis is down: starting it"
    if command -v redis-server >/dev/null; then
        mkdir -p /var/lib/redis /var/log/redis
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
            --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    fi
    wait_for Redis redis_up || exit 1
fi
echo "PostgreSQL and Redis are up."
