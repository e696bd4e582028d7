"""Medians of the axon-bench runs per server and the Axon/Synapse ratios, as JSON on stdout.

Usage: bench_summary.py WORKDIR RUNS COMMIT SYNAPSE_VERSION BENCH_BIN AXON_BIN LOAD_BEFORE LOAD_AFTER
(WORKDIR holds synapse-N.json and axon-N.json; the load averages show how busy the shared machine was).
A server whose runs failed gets its errors and no numbers; ratios then are null.
"""
import json
import os
import statistics
import sys
from datetime import datetime, timezone

work, runs, commit, synapse_version, bench_bin, axon_bin, load_before, load_after = sys.argv[1:9]
runs = int(runs)

METRICS = {
    "sends_per_second": lambda r: r["sends_per_second"],
    "send_p50_ms": lambda r: r["send_latency_ms"]["p50"],
    "send_p99_ms": lambda r: r["send_latency_ms"]["p99"],
    "delivery_p50_ms": lambda r: r["delivery_latency_ms"]["p50"],
    "delivery_p99_ms": lambda r: r["delivery_latency_ms"]["p99"],
    "delivered_fraction": lambda r: r["delivered"] / r["sent"] if r["sent"] else 0,
    "peak_rss_kib": lambda r: r.get("server_peak_rss_kib"),
}


def summarize(server):
    results = [json.load(open(f"{work}/{server}-{n}.json")) for n in range(1, runs + 1)]
    ok = [r for r in results if "error" not in r and r.get("sent", 0) > 0]
    summary = {"runs": results, "successful_runs": len(ok)}
    errors = sorted({r.get("error") or r.get("first_send_error") or "no message sent" for r in results if r not in ok})
    if errors:
        summary["errors"] = errors
    if ok:
        summary["median"] = {
            name: statistics.median(values)
            for name, get in METRICS.items()
            if (values := [v for v in map(get, ok) if v is not None])
        }
    return summary


def ratio(axon, synapse, name):
    a, s = axon.get("median", {}).get(name), synapse.get("median", {}).get(name)
    return a / s if a is not None and s else None


def repo_relative(path):
    """Binaries inside the repository are named relative to it, so results do not carry this machine's paths."""
    root = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
    real = os.path.realpath(path)
    return os.path.relpath(real, root) if real.startswith(root + os.sep) else os.path.basename(real)


synapse, axon = summarize("synapse"), summarize("axon")
workload = next((r for r in synapse["runs"] + axon["runs"] if "users" in r), {})
print(json.dumps({
    "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    "commit": commit,
    "synapse_version": synapse_version,
    "binaries": {"axon-bench": repo_relative(bench_bin), "axon": repo_relative(axon_bin)},
    "load_average": {"before": load_before, "after": load_after},
    "workload": {k: workload.get(k) for k in ("users", "senders", "rooms", "duration_s", "rate")},
    "synapse": synapse,
    "axon": axon,
    "ratios_axon_over_synapse": {
        "sends_per_second": ratio(axon, synapse, "sends_per_second"),
        "delivery_p99_ms": ratio(axon, synapse, "delivery_p99_ms"),
        "peak_rss_kib": ratio(axon, synapse, "peak_rss_kib"),
    },
}, indent=2))
