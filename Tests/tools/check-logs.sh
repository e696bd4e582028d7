#!/usr/bin/env bash
# Fails when any secret the tests used (listed one per line in secrets.txt) appears in a server log.
set -euo pipefail
dir=$1
secrets="$dir/secrets.txt"
[ -s "$secrets" ] || { echo "no secrets were recorded; nothing to check"; exit 0; }
leaks=0
while IFS= read -r secret; do
    [ -n "$secret" ] || continue
    if grep -rlF --exclude=secrets.txt -- "$secret" "$dir" >/dev/null; then
        echo "secret leaked into: $(grep -rlF --exclude=secrets.txt -- "$secret" "$dir" | tr '\n' ' ')"
        leaks=$((leaks + 1))
    fi
done < "$secrets"
count=$(grep -c . "$secrets")
logs=$(find "$dir" -name '*.log' | wc -l)
echo "checked $count secrets against $logs logs: $leaks leaked"
[ "$leaks" -eq 0 ]
