#!/usr/bin/env bash
# Installs Axon's systemd units and prepares the system for them: the `axon` system user, /etc/axon (with
# conf.d/ and workers/) and /var/lib/axon. `make install` runs it after installing the executables.
# DESTDIR stages everything under another root (packaging, tests) and skips creating the user.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${DESTDIR:-}
units=$dest/etc/systemd/system

install -d "$units" "$units/axon.service.d" "$units/axon-.service.d"
install -m 644 "$root"/systemd/axon.target "$root"/systemd/axon.service "$root"/systemd/axon-*@.service "$units/"
# One source for the shared settings: the main unit's drop-in, and the prefix drop-in every axon-*.service reads.
install -m 644 "$root/systemd/hardening.conf" "$units/axon.service.d/hardening.conf"
install -m 644 "$root/systemd/hardening.conf" "$units/axon-.service.d/hardening.conf"
install -d -m 750 "$dest/etc/axon" "$dest/etc/axon/conf.d" "$dest/etc/axon/workers"
install -d -m 750 "$dest/var/lib/axon"

if [ -z "$dest" ]; then
    if ! getent passwd axon >/dev/null; then
        useradd --system --home-dir /var/lib/axon --no-create-home --shell /usr/sbin/nologin axon
    fi
    chown -R axon:axon /etc/axon /var/lib/axon
    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
    echo "Installed. Put homeserver.yaml in /etc/axon (worker files in /etc/axon/workers), then:"
    echo "  systemctl enable --now axon.target axon.service"
    echo "  systemctl enable --now axon-client-reader@client-reader1   # one per worker file"
fi
