#!/usr/bin/env bash
# make bench: the same axon-bench workloads against a real Synapse and an Axon monolith, on SQLite and on
# PostgreSQL (a private cluster with PostgreSQL's durable defaults, autovacuum every second), same machine, same run:
#   closed   closed-loop message load (BENCH_RUNS runs, interleaved): throughput;
#   open     open-loop message load at each rate of BENCH_RATES: send and delivery latency at a fixed offered rate;
#   workers  (with PostgreSQL) the closed-loop load through nginx against Axon in worker mode (two client readers and
#            two event persisters, and with one of each fewer) and Synapse in worker mode (two generic workers, one
#            event persister), with the idle memory of every process (Tests/tools/bench-workers.sh);
#   sync     one account in BENCH_SYNC_ROOMS rooms (name, topic, five messages each): initial /sync cold (server
#            restarted before each of BENCH_COLD_RUNS runs) and warm, then incremental /sync after one message in
#            each of BENCH_CHANGED_ROOMS rooms;
# plus each server's idle memory before and after, and its peak under each workload; and for Axon, read from its
# metrics, the database statements and round trips per persisted event and per sync response.
# Every run writes its own file, bench/results/<UTC time>-<commit>.json, and prints a summary.
#
# Environment: SYNAPSE_PYTHON (.venv/bin/python), BENCH_ENGINES ("sqlite postgres"), BENCH_PARTS ("closed open sync workers"),
# BENCH_RUNS (3), BENCH_USERS (20), BENCH_SENDERS (10), BENCH_DURATION (30 s), BENCH_RATES ("20 50 100 200 400"),
# BENCH_RATE_DURATION (15 s), BENCH_SYNC_ROOMS (500), BENCH_COLD_RUNS (3), BENCH_WARM_RUNS (3),
# BENCH_INCREMENTAL_RUNS (3), BENCH_CHANGED_ROOMS (100), BENCH_SKIP_BUILD=1 with BENCH_BIN_DIR (axon) and
# BENCH_TOOL_DIR (axon-bench, built by the package under Benchmarks/) to reuse binaries,
# SYNAPSE_PORT (18451), AXON_PORT (18452), BENCH_KEEP_WORKDIR=1 to keep logs and configs.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
python=${SYNAPSE_PYTHON:-$root/.venv/bin/python}
engines=${BENCH_ENGINES:-sqlite postgres}
parts=${BENCH_PARTS:-closed open sync workers}
runs=${BENCH_RUNS:-3}
users=${BENCH_USERS:-20}
senders=${BENCH_SENDERS:-10}
duration=${BENCH_DURATION:-30}
rates=${BENCH_RATES:-20 50 100 200 400}
rate_duration=${BENCH_RATE_DURATION:-15}
sync_rooms=${BENCH_SYNC_ROOMS:-500}
cold_runs=${BENCH_COLD_RUNS:-3}
warm_runs=${BENCH_WARM_RUNS:-3}
incremental_runs=${BENCH_INCREMENTAL_RUNS:-3}
changed_rooms=${BENCH_CHANGED_ROOMS:-100}
declare -A port=([synapse]=${SYNAPSE_PORT:-18451} [axon]=${AXON_PORT:-18452})
# Both expose metrics (same cost for each); axon-bench reads Axon's database counters there.
declare -A metrics_port=([synapse]=${SYNAPSE_METRICS_PORT:-18453} [axon]=${AXON_METRICS_PORT:-18454})
declare -A pid=([synapse]="" [axon]="")
bin=$(realpath -m "${BENCH_BIN_DIR:-$root/.build/release}")
tool=$(realpath -m "${BENCH_TOOL_DIR:-$root/Benchmarks/.build/release}")

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    swift build -c release --package-path Benchmarks --product axon-bench
    swift build -c release
fi
[[ -x "$python" ]] || { echo "bench: no Python with Synapse at $python (set SYNAPSE_PYTHON)" >&2; exit 1; }
wants() { [[ " $parts " == *" $1 "* ]]; }

work=$(mktemp -d "${TMPDIR:-/tmp}/axon-bench.XXXXXX")
stop_server() {
    local p=${pid[$1]}
    [[ -n $p ]] || return 0
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
    pid[$1]=""
}
cleanup() {
    stop_server synapse
    stop_server axon
    declare -F cluster_stop >/dev/null && cluster_stop
    [[ -d $work/services ]] && bash "$root/Tests/tools/test-services.sh" stop "$work/services"
    if [[ "${BENCH_KEEP_WORKDIR:-0}" == 1 ]]; then echo "bench: logs and configs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Rate limits lifted as for an interop peer, presence off (Synapse's default is on; Axon's presence is cheap, but
# the workload times messages); both servers read the same keys. Recorded in the results as the non-default keys.
overrides='rc_message: {per_second: 100000, burst_count: 100000}
rc_registration: {per_second: 100000, burst_count: 100000}
rc_login: {address: {per_second: 100000, burst_count: 100000}, account: {per_second: 100000, burst_count: 100000}, failed_attempts: {per_second: 100000, burst_count: 100000}}
rc_joins: {local: {per_second: 100000, burst_count: 100000}, remote: {per_second: 100000, burst_count: 100000}}
rc_joins_per_room: {per_second: 100000, burst_count: 100000}
rc_invites: {per_room: {per_second: 100000, burst_count: 100000}, per_user: {per_second: 100000, burst_count: 100000}, per_issuer: {per_second: 100000, burst_count: 100000}}
rc_room_creation: {per_second: 100000, burst_count: 100000}
rc_presence: {per_user: {per_second: 100000, burst_count: 100000}}
presence: {enabled: false}
enable_metrics: true
enable_registration: true
enable_registration_without_verification: true
bcrypt_rounds: 4'
printf '%s\n' "$overrides" >"$work/overrides.yaml"

wait_for() { # server
    for _ in $(seq 1 240); do
        if curl -fs -o /dev/null "http://127.0.0.1:${port[$1]}/_matrix/client/versions"; then return 0; fi
        kill -0 "${pid[$1]}" 2>/dev/null || { echo "bench: $1 exited during startup" >&2; return 1; }
        sleep 0.5
    done
    echo "bench: $1 did not answer within 120 s" >&2
    return 1
}

# The `database:` section for `engine`, each server with its own database.
database_yaml() { # server engine dir
    if [[ $2 == sqlite ]]; then
        echo "database: {name: sqlite3, args: {database: $3/homeserver.db}}"
    else
        echo "database: {name: psycopg2, args: {host: 127.0.0.1, port: $pg_port, user: postgres, database: bench_$1, cp_min: 5, cp_max: 10}}"
    fi
}

configure() { # server engine
    local dir=$work/$2/$1
    mkdir -p "$dir"
    if [[ $2 == postgres ]]; then
        psql "$AXON_TEST_POSTGRES" -q -c "DROP DATABASE IF EXISTS bench_$1" \
            -c "CREATE DATABASE bench_$1 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
    fi
    if [[ $1 == synapse ]]; then
        (cd "$dir" && "$python" -m synapse.app.homeserver --server-name bench.synapse --config-path homeserver.yaml \
            --generate-config --report-stats=no --config-directory . --data-directory . >/dev/null)
        cat >"$dir/bench.yaml" <<YAML
public_baseurl: http://127.0.0.1:${port[synapse]}/
listeners:
  - {port: ${port[synapse]}, bind_addresses: ['127.0.0.1'], type: http, tls: false, x_forwarded: false, resources: [{names: [client]}]}
  - {port: ${metrics_port[synapse]}, bind_addresses: ['127.0.0.1'], type: metrics}
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
YAML
    else
        "$bin/axon" generate-config --server-name bench.test --data-dir "$dir" --port "${port[axon]}" >/dev/null
        cat >"$dir/bench.yaml" <<YAML
listeners:
  - {port: ${port[axon]}, bind_addresses: ['127.0.0.1'], type: http, tls: false, x_forwarded: false, resources: [{names: [client]}]}
  - {port: ${metrics_port[axon]}, bind_addresses: ['127.0.0.1'], type: metrics}
YAML
    fi
    { cat "$work/overrides.yaml"; database_yaml "$1" "$2" "$dir"; } >>"$dir/bench.yaml"
}

start_server() { # server engine
    local dir=$work/$2/$1
    if [[ $1 == synapse ]]; then
        (cd "$dir" && exec "$python" -m synapse.app.homeserver -c homeserver.yaml -c bench.yaml >>synapse.out 2>&1) &
    else
        (cd "$dir" && exec "$bin/axon" -c homeserver.yaml -c bench.yaml >>axon.out 2>&1) &
    fi
    pid[$1]=$!
    wait_for "$1"
}

# Resident memory now, as a JSON object (after letting the server settle).
memory_json() { # server
    awk '/^VmRSS:/ {rss=$2} END {printf "{\"rss_kib\": %d}\n", rss}' "/proc/${pid[$1]}/status"
}

# CPU ticks used so far by both servers and the PostgreSQL cluster.
server_ticks() {
    local total=0 p
    for p in ${pid[synapse]} ${pid[axon]} ${cluster_pids[@]+"${cluster_pids[@]}"} $(pgrep -u postgres postgres 2>/dev/null); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
# Waits (up to two minutes) until the servers and the database have been nearly idle for a second: a server still
# working off the backlog of its own run (Synapse answers requests for seconds after an overloaded run ends) must
# not load the machine during the other's.
settle() {
    local before after
    for _ in $(seq 1 120); do
        before=$(server_ticks)
        sleep 1
        after=$(server_ticks)
        (( after - before < 5 )) && return 0
    done
    echo "bench: the servers did not go idle within two minutes"
}

bench() {
    settle
    "$tool/axon-bench" "$@"
}
# Axon's database counters, for the statements and round trips per persisted event and per sync response.
counting() { # server
    [[ $1 == axon ]] && echo "--metrics=http://127.0.0.1:${metrics_port[axon]}/_synapse/metrics"
    return 0
}
# A failed step leaves an error result rather than ending the session: the other server's figures still count.
run_step() { # result-file command...
    local out=$1
    shift
    "$@" --json "$out" || echo "bench: $(basename "$out") failed"
    [[ -s $out ]] || echo '{"error": "axon-bench wrote no result"}' >"$out"
}

# The commit the binaries are built from (with BENCH_SKIP_BUILD, the caller vouches for that), read before the
# run so later edits to the tree do not relabel it.
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- Sources Package.swift Benchmarks || commit="$commit-modified"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [[ " $engines " == *" postgres "* ]]; then
    chmod o+x "$work" # the cluster runs as the postgres user when we are root
    AXON_SERVICES_DURABLE=1 bash "$root/Tests/tools/test-services.sh" start "$work/services" >/dev/null
    source "$work/services/env"
    pg_port=$(cat "$work/services/postgres/port")
    # A run packs into seconds the growth a server sees over days, from empty tables. Autovacuum looking every
    # second instead of every minute keeps the planner statistics (and so both servers' query plans) as current
    # relative to the data as on a server in service.
    psql "$AXON_TEST_POSTGRES" -q -c "ALTER SYSTEM SET autovacuum_naptime = '1s'" -c "SELECT pg_reload_conf()" >/dev/null
fi

for engine in $engines; do
    for server in synapse axon; do
        configure "$server" "$engine"
        start_server "$server" "$engine"
    done
    sleep 5
    for server in synapse axon; do memory_json "$server" >"$work/$engine/$server/idle-start.json"; done

    # Runs alternate between the servers, so both see the same machine load over the session.
    if wants closed; then
        for run in $(seq 1 "$runs"); do
            for server in synapse axon; do
                echo "== $engine: closed loop, $server, run $run of $runs"
                run_step "$work/$engine/$server/closed-$run.json" bench load "http://127.0.0.1:${port[$server]}" \
                    --users "$users" --senders "$senders" --duration "$duration" --pid "${pid[$server]}" $(counting "$server")
            done
        done
    fi
    if wants open; then
        for rate in $rates; do
            for server in synapse axon; do
                echo "== $engine: open loop at $rate messages/s, $server"
                run_step "$work/$engine/$server/open-$rate.json" bench load "http://127.0.0.1:${port[$server]}" \
                    --users "$users" --senders "$senders" --duration "$rate_duration" --rate "$rate" --pid "${pid[$server]}"
            done
        done
    fi
    if wants sync; then
        for server in synapse axon; do
            dir=$work/$engine/$server
            url="http://127.0.0.1:${port[$server]}"
            echo "== $engine: sync, $server: $sync_rooms rooms"
            run_step "$dir/sync-setup.json" bench sync setup "$url" --account "$dir/account.json" --rooms "$sync_rooms"
            [[ -s $dir/account.json ]] || continue
            for run in $(seq 1 "$cold_runs"); do
                stop_server "$server"
                start_server "$server" "$engine"
                run_step "$dir/sync-cold-$run.json" bench sync initial "$url" --account "$dir/account.json" --pid "${pid[$server]}" \
                    $(counting "$server")
            done
            run_step "$dir/sync-warm.json" bench sync initial "$url" --account "$dir/account.json" --runs "$warm_runs" --pid "${pid[$server]}" \
                $(counting "$server")
            run_step "$dir/sync-incremental.json" bench sync incremental "$url" --account "$dir/account.json" \
                --runs "$incremental_runs" --changed-rooms "$changed_rooms" --pid "${pid[$server]}" $(counting "$server")
        done
    fi
    sleep 10
    for server in synapse axon; do
        memory_json "$server" >"$work/$engine/$server/idle-end.json"
        stop_server "$server"
    done
done

if wants workers && [[ " $engines " == *" postgres "* ]]; then
    # shellcheck source=Tests/tools/bench-workers.sh
    source "$root/Tests/tools/bench-workers.sh"
fi

mkdir -p bench/results
out="bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-$commit.json"
"$python" "$root/Tests/tools/bench_summary.py" "$work" "$out" \
    --commit "$commit" --synapse-version "$("$python" -c 'import importlib.metadata as m; print(m.version("matrix-synapse"))')" \
    --load-before "$load_before" --load-after "$(cut -d' ' -f1-3 /proc/loadavg)" --engines "$engines" --rates "$rates" \
    --overrides "$work/overrides.yaml" --closed-runs "$runs" --cold-runs "$cold_runs"
echo "bench: wrote $out"
