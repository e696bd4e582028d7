#!/usr/bin/env bash
# Writes the shipped nginx sites from Axon's route table and the sample configs in deploy/:
#   axon-monolith.conf  one process (deploy/homeserver.yaml alone)
#   axon-workers.conf   main, two client readers, the federation receiver and the media worker
# Usage: nginx/generate.sh AXON_BINARY OUTPUT_DIRECTORY   (make nginx-sites runs it into nginx/)
set -euo pipefail
axon=$1
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$root/deploy/homeserver.yaml
workers=$root/deploy/workers
"$axon" routes --nginx -c "$shared" > "$out/axon-monolith.conf"
"$axon" routes --nginx -c "$shared" \
    --worker "axon-client-reader=$workers/client-reader1.yaml" \
    --worker "axon-client-reader=$workers/client-reader2.yaml" \
    --worker "axon-federation-receiver=$workers/federation-receiver.yaml" \
    --worker "axon-media=$workers/media.yaml" > "$out/axon-workers.conf"
