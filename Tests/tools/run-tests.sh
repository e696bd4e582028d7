#!/usr/bin/env bash
# Runs the whole test suite: debug build, private PostgreSQL and Redis, every test, then stops what it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
services=$(mktemp -d /tmp/axon-test-services.XXXXXX)
timings=()

phase() {
    local name=$1; shift
    local start=$SECONDS
    "$@"
    timings+=("$(printf '%-22s %4ds' "$name" $((SECONDS - start)))")
}
# On failure CI shows only the tail of the output: repeat there what failed and why, with each crash's report.
failure_digest() {
    local log=${AXON_TEST_LOG_DIR:-$services/logs}/swift-test.log
    [[ -f $log ]] || return 0
    echo "--- failures"
    grep -a -E '✘|Fatal error|Precondition failed|Assertion failed|error: ' "$log" | head -40 || true
    grep -a -n -E '💣|Program crashed' "$log" | head -3 | while IFS=: read -r line _; do
        sed -n "$(( line > 5 ? line - 5 : 1 )),$((line + 40))p" "$log"
    done
}
cleanup() {
    local status=$?
    local kept
    if (( status != 0 )); then
        failure_digest
        # The servers' logs outlive a failed run, for whoever looks into it.
        kept=$(mktemp -d /tmp/axon-test-logs.XXXXXX)
        cp -r "${AXON_TEST_LOG_DIR:-$services/logs}/." "$kept/" 2>/dev/null || true
        echo "--- logs of the failed run kept in $kept"
    fi
    bash Tests/tools/test-services.sh stop "$services" >/dev/null 2>&1 || true
    rm -rf "$services"
    echo "--- phase timings"
    printf '%s\n' "${timings[@]}"
}
trap cleanup EXIT

phase "build (debug)" swift build --build-tests
phase "start services" bash Tests/tools/test-services.sh start "$services"
source "$services/env"
export AXON_TEST_SYNAPSE_PYTHON="$root/.venv/bin/python"
export AXON_BIN_DIR="$root/.build/debug"
export AXON_TEST_LOG_DIR="$services/logs"
mkdir -p "$AXON_TEST_LOG_DIR"
# The runner's own output holds the logs of the in-process suites, so it joins the secrecy check.
run_tests() { swift test --skip-build 2>&1 | tee "$AXON_TEST_LOG_DIR/swift-test.log"; }
phase "tests" run_tests
phase "log secrecy check" bash Tests/tools/check-logs.sh "$AXON_TEST_LOG_DIR"
