# Sourced by bench.sh (part "workers", PostgreSQL only): the closed-loop message load through nginx against Axon in
# worker mode and against Synapse in worker mode, on the same PostgreSQL cluster and a private Redis, same machine,
# same run as the monoliths, with BENCH_WORKER_ROOMS rooms (4; user i in room i % rooms) so several persisters
# have work. Topologies:
#   axon-mono     Axon's monolith on the same PostgreSQL, behind the same nginx (its generated monolith site)
#   axon-2r2p     main, two client readers, two event persisters
#   axon-2r1p     main, two client readers, one event persister   (what the second persister adds)
#   axon-1r1p     main, one client reader, one event persister    (what the second reader adds)
#   synapse-2w1p  main, two generic workers (the client-reader routes), one event persister
# Each sits behind nginx with the site `axon routes --nginx` generates for its processes (Synapse's generic workers
# take the client readers' places: /sync pinned per user, other reads balanced, writes to main). Written to
# $work/workers/<topology>/: closed-N.json per run and idle.json, the resident memory of each process when idle.
# Uses bench.sh's variables and functions (work, bin, tool, python, pg_port, runs, users, senders, duration,
# overrides, bench, run_step).

redis_port=${AXON_TEST_REDIS#*:}
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
next_port=18500
cluster_pids=()
declare -A cluster_names=()

take_port() { # variable: sets it to the next unused port of the run (not in a subshell, which would not count it)
    next_port=$((next_port + 1))
    printf -v "$1" '%d' "$next_port"
}

# Starts one process of a cluster in the background, its output in DIR/NAME.out.
cluster_start() { # dir name command...
    local dir=$1 name=$2
    shift 2
    (cd "$dir" && exec "$@" >>"$name.out" 2>&1) &
    cluster_pids+=($!)
    cluster_names[$!]=$name
}

cluster_stop() {
    local p
    for p in "${cluster_pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${cluster_pids[@]}"; do wait "$p" 2>/dev/null || true; done
    cluster_pids=()
    cluster_names=()
}

# Waits until URL answers 200 (up to two minutes), failing early if a process of the cluster exited.
cluster_wait() { # url
    local p
    for _ in $(seq 1 240); do
        curl -fs -o /dev/null "$1" && return 0
        for p in "${cluster_pids[@]}"; do
            kill -0 "$p" 2>/dev/null || { echo "bench: ${cluster_names[$p]} exited during startup" >&2; return 1; }
        done
        sleep 0.5
    done
    echo "bench: $1 did not answer within 120 s" >&2
    return 1
}

fresh_database() { # name
    psql "$AXON_TEST_POSTGRES" -q -c "DROP DATABASE IF EXISTS $1" \
        -c "CREATE DATABASE $1 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
}

# The nginx site for the topology's routing config and client-serving workers, and nginx itself in front.
start_nginx() { # dir nginx-port routing-config-args...
    local dir=$1 nginx_port=$2
    shift 2
    "$bin/axon" routes --nginx "$@" --loopback-port "$nginx_port" >"$dir/site.conf"
    mkdir -p "$dir/nginx-temp" && chmod 777 "$dir/nginx-temp"
    cat >"$dir/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/nginx-temp/body;
    proxy_temp_path $dir/nginx-temp/proxy;
    fastcgi_temp_path $dir/nginx-temp/fastcgi;
    uwsgi_temp_path $dir/nginx-temp/uwsgi;
    scgi_temp_path $dir/nginx-temp/scgi;
    include $dir/site.conf;
}
NGINX
    cluster_start "$dir" nginx "$nginx_bin" -c "$dir/nginx.conf"
}

worker_yaml() { # file name port resources
    cat >"$1" <<YAML
worker_app: synapse.app.generic_worker
worker_name: $2
worker_listeners:
  - {port: $3, bind_addresses: ['127.0.0.1'], type: http, x_forwarded: true, resources: [{names: [$4]}]}
YAML
}

start_axon_cluster() { # topology readers persisters nginx-port
    local topology=$1 readers=$2 persisters=$3 nginx_port=$4 dir=$work/workers/$1 main_port replication_port
    local persister_map="" writers="" routed=() index port database=bench_${1//-/_}
    mkdir -p "$dir"
    fresh_database "$database"
    take_port main_port
    take_port replication_port
    "$bin/axon" generate-config --server-name "$topology.bench" --data-dir "$dir" --port "$main_port" >/dev/null
    for index in $(seq 1 "$persisters"); do
        take_port port
        worker_yaml "$dir/persister$index.yaml" "persister$index" "$port" replication
        persister_map+="  persister$index: {host: 127.0.0.1, port: $port}"$'\n'
        writers+="${writers:+, }persister$index"
    done
    {
        cat "$work/overrides.yaml"
        cat <<YAML
listeners:
  - {port: $main_port, bind_addresses: ['127.0.0.1'], type: http, x_forwarded: true, resources: [{names: [client]}]}
  - {port: $replication_port, bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [replication]}]}
database: {name: psycopg2, args: {host: 127.0.0.1, port: $pg_port, user: postgres, database: $database, cp_min: 5, cp_max: 10}}
public_baseurl: http://127.0.0.1:$nginx_port/
YAML
        (( readers + persisters == 0 )) || cat <<YAML
redis: {enabled: true, host: 127.0.0.1, port: $redis_port}
worker_replication_secret: bench-replication-secret
instance_map:
  main: {host: 127.0.0.1, port: $replication_port}
$persister_map
stream_writers: {events: [${writers:-main}]}
YAML
    } >"$dir/bench.yaml"
    cluster_start "$dir" main "$bin/axon" -c homeserver.yaml -c bench.yaml
    cluster_wait "http://127.0.0.1:$main_port/health" || return 1
    for index in $(seq 1 "$persisters"); do
        cluster_start "$dir" "persister$index" "$bin/axon-event-persister" -c homeserver.yaml -c bench.yaml -c "persister$index.yaml"
    done
    for index in $(seq 1 "$readers"); do
        take_port port
        worker_yaml "$dir/reader$index.yaml" "reader$index" "$port" client
        cluster_start "$dir" "reader$index" "$bin/axon-client-reader" -c homeserver.yaml -c bench.yaml -c "reader$index.yaml"
        routed+=(--worker "axon-client-reader=$dir/reader$index.yaml")
    done
    start_nginx "$dir" "$nginx_port" -c "$dir/homeserver.yaml" -c "$dir/bench.yaml" "${routed[@]}"
    cluster_wait "http://127.0.0.1:$main_port/health/ready" || return 1
    cluster_wait "http://127.0.0.1:$nginx_port/_matrix/client/versions"
}
worker_rooms=${BENCH_WORKER_ROOMS:-4}

start_synapse_cluster() { # topology nginx-port
    local topology=$1 nginx_port=$2 dir=$work/workers/$1 main_port replication_port persister_port index port routed=()
    local database=bench_${1//-/_}
    mkdir -p "$dir/routing"
    fresh_database "$database"
    take_port main_port
    take_port replication_port
    take_port persister_port
    (cd "$dir" && "$python" -m synapse.app.homeserver --server-name "$topology.bench" --config-path homeserver.yaml \
        --generate-config --report-stats=no --config-directory . --data-directory . >/dev/null)
    local topology_yaml="redis: {enabled: true, host: 127.0.0.1, port: $redis_port}
worker_replication_secret: bench-replication-secret
public_baseurl: http://127.0.0.1:$nginx_port/
instance_map:
  main: {host: 127.0.0.1, port: $replication_port}
  persister1: {host: 127.0.0.1, port: $persister_port}
stream_writers: {events: persister1}"
    {
        cat "$work/overrides.yaml"
        cat <<YAML
listeners:
  - {port: $main_port, bind_addresses: ['127.0.0.1'], type: http, tls: false, x_forwarded: true, resources: [{names: [client]}]}
  - {port: $replication_port, bind_addresses: ['127.0.0.1'], type: http, tls: false, resources: [{names: [replication]}]}
database: {name: psycopg2, args: {host: 127.0.0.1, port: $pg_port, user: postgres, database: $database, cp_min: 5, cp_max: 10}}
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
$topology_yaml
YAML
    } >"$dir/bench.yaml"
    worker_yaml "$dir/persister1.yaml" persister1 "$persister_port" replication
    cluster_start "$dir" main "$python" -m synapse.app.homeserver -c homeserver.yaml -c bench.yaml
    cluster_wait "http://127.0.0.1:$main_port/health" || return 1
    cluster_start "$dir" persister1 "$python" -m synapse.app.generic_worker -c homeserver.yaml -c bench.yaml -c persister1.yaml
    for index in 1 2; do
        take_port port
        worker_yaml "$dir/worker$index.yaml" "worker$index" "$port" client
        cluster_start "$dir" "worker$index" "$python" -m synapse.app.generic_worker -c homeserver.yaml -c bench.yaml -c "worker$index.yaml"
        routed+=(--worker "axon-client-reader=$dir/worker$index.yaml")
        cluster_wait "http://127.0.0.1:$port/health" || return 1
    done
    cluster_wait "http://127.0.0.1:$persister_port/health" || return 1
    # The same routing as Axon's cluster: the generic workers stand where the client readers do.
    "$bin/axon" generate-config --server-name "$topology.bench" --data-dir "$dir/routing" --port "$main_port" >/dev/null
    {
        echo "database: {name: psycopg2, args: {host: 127.0.0.1, port: $pg_port, user: postgres, database: $database}}"
        echo "$topology_yaml"
    } >"$dir/routing/topology.yaml"
    start_nginx "$dir" "$nginx_port" -c "$dir/routing/homeserver.yaml" -c "$dir/routing/topology.yaml" "${routed[@]}"
    cluster_wait "http://127.0.0.1:$nginx_port/_matrix/client/versions"
}

# Resident memory of each process of the running cluster, as a JSON object by name.
cluster_memory_json() {
    local p first=1
    printf '{'
    for p in "${cluster_pids[@]}"; do
        (( first )) || printf ', '
        first=0
        printf '"%s": %d' "${cluster_names[$p]}" "$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)"
    done
    printf '}\n'
}

run_cluster_load() { # topology nginx-port main-pid
    local run
    sleep 5
    cluster_memory_json >"$work/workers/$1/idle.json"
    for run in $(seq 1 "$runs"); do
        echo "== workers: closed loop, $1, run $run of $runs"
        run_step "$work/workers/$1/closed-$run.json" bench load "http://127.0.0.1:$2" \
            --users "$users" --senders "$senders" --rooms "$worker_rooms" --duration "$duration" --pid "$3"
    done
}

for topology in synapse-2w1p axon-mono axon-2r2p axon-2r1p axon-1r1p; do
    take_port nginx_port
    case $topology in
        synapse-2w1p) started=start_synapse_cluster; arguments=("$topology" "$nginx_port") ;;
        axon-mono) started=start_axon_cluster; arguments=("$topology" 0 0 "$nginx_port") ;;
        axon-2r2p) started=start_axon_cluster; arguments=("$topology" 2 2 "$nginx_port") ;;
        axon-2r1p) started=start_axon_cluster; arguments=("$topology" 2 1 "$nginx_port") ;;
        axon-1r1p) started=start_axon_cluster; arguments=("$topology" 1 1 "$nginx_port") ;;
    esac
    echo "== workers: starting $topology"
    if "$started" "${arguments[@]}"; then
        run_cluster_load "$topology" "$nginx_port" "${cluster_pids[0]}"
    else
        echo '{"error": "the cluster did not start"}' >"$work/workers/$topology/closed-1.json"
    fi
    cluster_stop
done
