#!/usr/bin/env bash
# Starts or stops a private PostgreSQL cluster and Redis server for the test suite.
#
#   test-services.sh start DIR   # data, sockets, logs and pidfiles under DIR; writes DIR/env
#   test-services.sh stop DIR    # stops what `start DIR` started (idempotent)
#   test-services.sh restart-postgres DIR   # restarts that PostgreSQL, keeping its data (fault tests)
#
# DIR/env exports AXON_TEST_POSTGRES (a libpq conninfo) and AXON_TEST_REDIS (host:port).
# Tests trade durability for speed (fsync off); AXON_SERVICES_DURABLE=1 keeps PostgreSQL's durable defaults, for
# benchmarks that must time real commits.
# Both listen on 127.0.0.1 only, on free ports picked here. PostgreSQL refuses to run as root,
# so when run as root the cluster belongs to the `postgres` OS user.
set -euo pipefail

usage() {
    echo "usage: $0 start|stop|restart-postgres DIR" >&2
    exit 2
}

[[ $# -eq 2 ]] || usage
command=$1
dir=$2

pg_bindir() {
    local bindir
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z $bindir ]]; then
        bindir=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")
    fi
    [[ -x $bindir/pg_ctl && -x $bindir/initdb ]] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
    echo "$bindir"
}

# Runs a command as the PostgreSQL owner: `postgres` when we are root, ourselves otherwise.
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# A port nothing listens on right now (the server binding it may still lose a race; start retries).
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "no free port found" >&2
    return 1
}

start_postgres() {
    local bindir pgdir port attempt durability
    bindir=$(pg_bindir)
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if [[ ${AXON_SERVICES_DURABLE:-0} == 1 ]]; then durability=""; fi
    pgdir=$dir/postgres
    rm -rf "$pgdir"
    mkdir -p "$pgdir/data" "$pgdir/run"
    if [[ $(id -u) -eq 0 ]]; then
        chmod o+x "$dir"
        chown -R postgres:postgres "$pgdir"
    fi
    as_pg "$bindir/initdb" -D "$pgdir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >"$pgdir/initdb.log" 2>&1 \
        || { cat "$pgdir/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_pg "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 start -o \
            "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$pgdir/run' \
             $durability -c max_connections=400 -c shared_buffers=64MB" >"$pgdir/pg_ctl.log" 2>&1; then
            echo "$port" >"$pgdir/port"
            return 0
        fi
        echo "PostgreSQL did not start on port $port (attempt $attempt)" >&2
    done
    cat "$pgdir/server.log" >&2 || true
    exit 1
}

start_redis() {
    local redisdir port attempt
    command -v redis-server >/dev/null || { echo "redis-server not found (apt-get install redis-server)" >&2; exit 1; }
    redisdir=$dir/redis
    rm -rf "$redisdir"
    mkdir -p "$redisdir"
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --daemonize yes \
            --dir "$redisdir" --pidfile "$redisdir/redis.pid" --logfile "$redisdir/redis.log"
        for _ in $(seq 1 50); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [[ -s $redisdir/redis.pid ]]; then
                echo "$port" >"$redisdir/port"
                return 0
            fi
            sleep 0.1
        done
        echo "Redis did not start on port $port (attempt $attempt)" >&2
        stop_redis
    done
    cat "$redisdir/redis.log" >&2 || true
    exit 1
}

stop_postgres() {
    local pgdir=$dir/postgres
    [[ -f $pgdir/data/postmaster.pid ]] || return 0
    as_pg "$(pg_bindir)/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
}

stop_redis() {
    local pidfile=$dir/redis/redis.pid pid
    [[ -s $pidfile ]] || return 0
    pid=$(cat "$pidfile")
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -f "$pidfile"
}

case $command in
start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    stop_postgres
    stop_redis
    start_postgres
    start_redis
    cat >"$dir/env" <<ENV
export AXON_TEST_POSTGRES='host=127.0.0.1 port=$(cat "$dir/postgres/port") user=postgres dbname=postgres'
export AXON_TEST_REDIS='127.0.0.1:$(cat "$dir/redis/port")'
ENV
    echo "PostgreSQL on 127.0.0.1:$(cat "$dir/postgres/port"), Redis on 127.0.0.1:$(cat "$dir/redis/port"); source $dir/env"
    ;;
restart-postgres)
    dir=$(cd "$dir" && pwd)
    as_pg "$(pg_bindir)/pg_ctl" -D "$dir/postgres/data" -l "$dir/postgres/server.log" -m fast -w -t 60 restart >"$dir/postgres/pg_ctl.log" 2>&1 \
        || { cat "$dir/postgres/pg_ctl.log" "$dir/postgres/server.log" >&2; exit 1; }
    ;;
stop)
    [[ -d $dir ]] || exit 0
    dir=$(cd "$dir" && pwd)
    stop_postgres
    stop_redis
    rm -f "$dir/env"
    ;;
*)
    usage
    ;;
esac
