#!/usr/bin/env bash
# make bench: the same axon-bench workload against a real Synapse and an Axon monolith (both on SQLite, rate limits
# lifted, same machine, same run), three runs each; medians and Axon/Synapse ratios go to bench/results/<date>.json.
#
# Environment: SYNAPSE_PYTHON (default .venv/bin/python), BENCH_RUNS (3), BENCH_USERS (20), BENCH_SENDERS (10),
# BENCH_DURATION (30 s), BENCH_RATE (unset: as fast as possible), BENCH_SKIP_BUILD=1 with BENCH_BIN_DIR to reuse
# binaries (AXON_BIN overrides the server binary alone), SYNAPSE_PORT (18451), AXON_PORT (18452), BENCH_KEEP_WORKDIR=1 to keep logs and configs.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
python=${SYNAPSE_PYTHON:-$root/.venv/bin/python}
runs=${BENCH_RUNS:-3}
users=${BENCH_USERS:-20}
senders=${BENCH_SENDERS:-10}
duration=${BENCH_DURATION:-30}
synapse_port=${SYNAPSE_PORT:-18451}
axon_port=${AXON_PORT:-18452}
bin=$(realpath -m "${BENCH_BIN_DIR:-$root/.build/release}")
axon_bin=$(realpath -m "${AXON_BIN:-$bin/axon}")
rate_args=()
if [[ -n "${BENCH_RATE:-}" ]]; then rate_args=(--rate "$BENCH_RATE"); fi

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    swift build -c release --product axon-bench
    swift build -c release --product axon
fi
[[ -x "$python" ]] || { echo "bench: no Python with Synapse at $python (set SYNAPSE_PYTHON)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/axon-bench.XXXXXX")
synapse_pid=""
axon_pid=""
stop() {
    for pid in $synapse_pid $axon_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ "${BENCH_KEEP_WORKDIR:-0}" == 1 ]]; then echo "bench: logs and configs kept in $work"; else rm -rf "$work"; fi
}
trap stop EXIT

# Rate limits lifted as for an interop peer; both servers read the same keys.
limits='rc_message: {per_second: 100000, burst_count: 100000}
rc_registration: {per_second: 100000, burst_count: 100000}
rc_login: {address: {per_second: 100000, burst_count: 100000}, account: {per_second: 100000, burst_count: 100000}, failed_attempts: {per_second: 100000, burst_count: 100000}}
rc_joins: {local: {per_second: 100000, burst_count: 100000}, remote: {per_second: 100000, burst_count: 100000}}
rc_joins_per_room: {per_second: 100000, burst_count: 100000}
rc_invites: {per_room: {per_second: 100000, burst_count: 100000}, per_user: {per_second: 100000, burst_count: 100000}, per_issuer: {per_second: 100000, burst_count: 100000}}
rc_room_creation: {per_second: 100000, burst_count: 100000}
rc_presence: {per_user: {per_second: 100000, burst_count: 100000}}
enable_registration: true
enable_registration_without_verification: true
bcrypt_rounds: 4'

wait_for() { # url pid name
    for _ in $(seq 1 240); do
        if curl -fs -o /dev/null "$1/_matrix/client/versions"; then return 0; fi
        kill -0 "$2" 2>/dev/null || { echo "bench: $3 exited during startup" >&2; return 1; }
        sleep 0.5
    done
    echo "bench: $3 did not answer within 120 s" >&2
    return 1
}

# Synapse: generated config plus an override file, SQLite (its default), client listener on loopback only.
mkdir -p "$work/synapse"
(cd "$work/synapse" && "$python" -m synapse.app.homeserver --server-name bench.synapse \
    --config-path homeserver.yaml --generate-config --report-stats=no \
    --config-directory . --data-directory . >/dev/null)
cat >"$work/synapse/bench.yaml" <<YAML
public_baseurl: http://127.0.0.1:$synapse_port/
listeners:
  - {port: $synapse_port, bind_addresses: ['127.0.0.1'], type: http, tls: false, x_forwarded: false, resources: [{names: [client]}]}
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
presence: {enabled: false}
$limits
YAML
(cd "$work/synapse" && exec "$python" -m synapse.app.homeserver -c homeserver.yaml -c bench.yaml >synapse.out 2>&1) &
synapse_pid=$!

# Axon: generated config plus the same overrides.
"$axon_bin" generate-config --server-name bench.test --data-dir "$work/axon" --port "$axon_port" >/dev/null
printf '%s\n' "$limits" >"$work/axon/bench.yaml"
(cd "$work/axon" && exec "$axon_bin" -c "$work/axon/homeserver.yaml" -c "$work/axon/bench.yaml" >axon.out 2>&1) &
axon_pid=$!

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
wait_for "http://127.0.0.1:$synapse_port" "$synapse_pid" Synapse
axon_up=1
wait_for "http://127.0.0.1:$axon_port" "$axon_pid" Axon || axon_up=0

# Interleaved runs, so both servers see the same machine load over the session.
for run in $(seq 1 "$runs"); do
    for server in synapse axon; do
        if [[ $server == synapse ]]; then port=$synapse_port pid=$synapse_pid; else port=$axon_port pid=$axon_pid; fi
        echo "== $server, run $run of $runs"
        if [[ $server == axon && $axon_up == 0 ]]; then
            echo '{"error": "Axon did not start (see axon.out in the work directory)", "phase": "startup"}' >"$work/axon-$run.json"
            continue
        fi
        "$bin/axon-bench" "http://127.0.0.1:$port" --users "$users" --senders "$senders" --duration "$duration" \
            "${rate_args[@]}" --pid "$pid" --json "$work/$server-$run.json" || echo "bench: $server run $run failed"
        [[ -s "$work/$server-$run.json" ]] || echo "{\"error\": \"axon-bench wrote no result\"}" >"$work/$server-$run.json"
    done
done

mkdir -p bench/results
out="bench/results/$(date -u +%F).json"
"$python" "$root/Tests/tools/bench_summary.py" "$work" "$runs" "$(git rev-parse --short HEAD)" \
    "$("$python" -c 'import importlib.metadata as m; print(m.version("matrix-synapse"))')" "$bin/axon-bench" "$axon_bin" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" >"$out"
echo "bench: wrote $out"
cat "$out"
