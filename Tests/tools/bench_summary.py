"""Collects one `make bench` session into its result file and prints the summary.

Usage: bench_summary.py WORKDIR OUT --commit C --synapse-version V --load-before L --load-after L --engines "E..."
       --rates "R..." --overrides FILE --closed-runs N --cold-runs N

WORKDIR/<engine>/<server>/ holds what bench.sh left there: closed-N.json, open-RATE.json, sync-*.json,
idle-start.json, idle-end.json; WORKDIR/workers/<topology>/ what bench-workers.sh left: closed-N.json, idle.json. OUT is created, never overwritten. Medians are over the successful runs; a
server whose runs failed keeps its errors and gets no figure, and ratios involving it are null.
"""
import argparse
import json
import os
import statistics
import sys
from datetime import datetime, timezone

import yaml

# Delivery p99 under this counts as holding an offered rate (with every message sent, none failed or skipped).
HELD_P99_MS = 100

parser = argparse.ArgumentParser()
parser.add_argument("work")
parser.add_argument("out")
for flag in ("commit", "synapse-version", "load-before", "load-after", "engines", "rates", "overrides"):
    parser.add_argument(f"--{flag}", required=True)
parser.add_argument("--closed-runs", type=int, required=True)
parser.add_argument("--cold-runs", type=int, required=True)
args = parser.parse_args()


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as error:
        return {"error": f"no result: {error.__class__.__name__}"}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def load_summary(result):
    """The figures of one `axon-bench load` result, or its error."""
    if "error" in result or not result.get("sent"):
        return {"error": result.get("error") or result.get("first_send_error") or "no message sent"}
    return {
        "sends_per_second": result["sends_per_second"],
        "send_p50_ms": result["send_latency_ms"]["p50"],
        "send_p99_ms": result["send_latency_ms"]["p99"],
        "delivery_p50_ms": result["delivery_latency_ms"]["p50"],
        "delivery_p99_ms": result["delivery_latency_ms"]["p99"],
        "delivered_fraction": result["delivered"] / result["sent"],
        "failed": result.get("send_failures", 0),
        "skipped": result.get("skipped", 0),
        "peak_rss_kib": result.get("server_peak_rss_kib"),
    }


def sustained(summary):
    """Every message offered was sent, answered and delivered: the server kept up with the rate."""
    return "error" not in summary and summary["failed"] == 0 and summary["skipped"] == 0 and summary["delivered_fraction"] == 1


def held(summary):
    return sustained(summary) and summary["delivery_p99_ms"] < HELD_P99_MS


def sync_times(results):
    ok = [r for r in results if "error" not in r]
    samples = [s for r in ok for s in r.get("samples", [])]
    summary = {
        "median_ms": median(s["ms"] for s in samples),
        "bytes": median(s["bytes"] for s in samples),
        "samples_ms": [s["ms"] for s in samples],
        "peak_rss_kib": median(r.get("server_peak_rss_kib") for r in ok),
    }
    errors = sorted({r["error"] for r in results if "error" in r})
    if errors:
        summary["errors"] = errors
    return summary


def database_work(results, key):
    """Medians of one `database` figure (Axon's counters, read by axon-bench) over the results that carry it."""
    figures = [dig(r, "database", key) for r in results]
    figures = [f for f in figures if f]
    return {name: median(f[name] for f in figures) for name in figures[0]} if figures else None


def server_summary(directory, rates):
    closed_results = [load(f"{directory}/closed-{n}.json") for n in range(1, args.closed_runs + 1)]
    closed = [load_summary(r) for r in closed_results]
    closed_ok = [c for c in closed if "error" not in c]
    summary = {
        "memory": {
            "idle_start_rss_kib": load(f"{directory}/idle-start.json").get("rss_kib"),
            "idle_end_rss_kib": load(f"{directory}/idle-end.json").get("rss_kib"),
        },
    }
    if os.path.exists(f"{directory}/closed-1.json"):
        summary["closed_loop"] = {
            "runs": closed,
            "median": {key: median(c[key] for c in closed_ok) for key in closed_ok[0]} if closed_ok else None,
        }
    open_loop = {rate: load_summary(load(f"{directory}/open-{rate}.json")) for rate in rates if os.path.exists(f"{directory}/open-{rate}.json")}
    if open_loop:
        held_rates = [float(rate) for rate, s in open_loop.items() if held(s)]
        summary["open_loop"] = {"by_rate": open_loop, "highest_rate_held": max(held_rates) if held_rates else None}
    if os.path.exists(f"{directory}/sync-setup.json"):
        summary["sync"] = {
            "setup": load(f"{directory}/sync-setup.json"),
            "initial_cold": sync_times([load(f"{directory}/sync-cold-{n}.json") for n in range(1, args.cold_runs + 1)]),
            "initial_warm": sync_times([load(f"{directory}/sync-warm.json")]),
            "incremental": sync_times([load(f"{directory}/sync-incremental.json")]),
        }
    initial = [load(f"{directory}/sync-cold-{n}.json") for n in range(1, args.cold_runs + 1)] + [load(f"{directory}/sync-warm.json")]
    database = {
        "per_event_written_closed_loop": database_work(closed_results, "per_event_written"),
        "per_initial_sync_response": database_work(initial, "per_sync_response"),
        # Its reads include those of the sends that give each incremental sync its news.
        "per_incremental_sync_response": database_work([load(f"{directory}/sync-incremental.json")], "per_sync_response"),
    }
    if any(database.values()):
        summary["database"] = database
    return summary


def ratio(numerator, denominator):
    return numerator / denominator if numerator is not None and denominator else None


def dig(tree, *keys):
    for key in keys:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


def engine_summary(engine, rates):
    synapse = server_summary(f"{args.work}/{engine}/synapse", rates)
    axon = server_summary(f"{args.work}/{engine}/axon", rates)
    # The headline latency is at the highest rate both servers sustain, whatever their latency there.
    both_sustained = [
        rate for rate in rates
        if sustained(dig(synapse, "open_loop", "by_rate", rate) or {"error": ""})
        and sustained(dig(axon, "open_loop", "by_rate", rate) or {"error": ""})
    ]
    headline = max(both_sustained, key=float) if both_sustained else None
    times = lambda part: ratio(dig(synapse, "sync", part, "median_ms"), dig(axon, "sync", part, "median_ms"))
    comparison = {
        "closed_loop_sends_per_second_axon_over_synapse": ratio(
            dig(axon, "closed_loop", "median", "sends_per_second"), dig(synapse, "closed_loop", "median", "sends_per_second")),
        "headline_rate": float(headline) if headline else None,
        "delivery_p99_ms_at_headline_rate": {
            "synapse": dig(synapse, "open_loop", "by_rate", headline, "delivery_p99_ms"),
            "axon": dig(axon, "open_loop", "by_rate", headline, "delivery_p99_ms"),
        } if headline else None,
        "initial_sync_cold_speedup": times("initial_cold"),
        "initial_sync_warm_speedup": times("initial_warm"),
        "incremental_sync_speedup": times("incremental"),
        "idle_rss_synapse_over_axon": ratio(dig(synapse, "memory", "idle_end_rss_kib"), dig(axon, "memory", "idle_end_rss_kib")),
    }
    return {"synapse": synapse, "axon": axon, "comparison": comparison}


def workers_summary():
    """The worker topologies: closed-loop medians, each process's idle memory, and the ratios that compare them."""
    root = f"{args.work}/workers"
    if not os.path.isdir(root):
        return None
    topologies = {}
    for topology in sorted(os.listdir(root)):
        closed = [load_summary(load(f"{root}/{topology}/closed-{n}.json")) for n in range(1, args.closed_runs + 1)]
        ok = [c for c in closed if "error" not in c]
        idle = load(f"{root}/{topology}/idle.json")
        processes = {name: kib for name, kib in idle.items() if name != "nginx"} if "error" not in idle else {}
        topologies[topology] = {
            "closed_loop": {"runs": closed, "median": {key: median(c[key] for c in ok) for key in ok[0]} if ok else None},
            "idle_rss_kib": idle,
            "idle_rss_kib_total_without_nginx": sum(processes.values()) if processes else None,
        }
    sends = lambda name: dig(topologies, name, "closed_loop", "median", "sends_per_second")
    comparison = {
        "sends_per_second_axon_2r2p_over_synapse_2w1p": ratio(sends("axon-2r2p"), sends("synapse-2w1p")),
        "sends_per_second_axon_2r2p_over_axon_monolith": ratio(sends("axon-2r2p"), sends("axon-mono")),
        "second_client_reader_2r1p_over_1r1p": ratio(sends("axon-2r1p"), sends("axon-1r1p")),
        "second_event_persister_2r2p_over_2r1p": ratio(sends("axon-2r2p"), sends("axon-2r1p")),
        "idle_rss_total_synapse_2w1p_over_axon_2r2p": ratio(
            dig(topologies, "synapse-2w1p", "idle_rss_kib_total_without_nginx"), dig(topologies, "axon-2r2p", "idle_rss_kib_total_without_nginx")),
    }
    return {"topologies": topologies, "comparison": comparison}


def fmt(value, digits=1):
    return "—" if value is None else f"{value:.{digits}f}"


rates = args.rates.split()
engines = {engine: engine_summary(engine, rates) for engine in args.engines.split()}
with open(args.overrides) as f:
    overrides = yaml.safe_load(f)
document = {
    "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    "commit": args.commit,
    "synapse_version": args.synapse_version,
    "load_average": {"before": args.load_before, "after": args.load_after},
    "config_keys_not_default": overrides,
    "engines": engines,
}
workers = workers_summary()
if workers:
    document["workers"] = workers
with open(args.out, "x") as f:
    json.dump(document, f, indent=2)
    f.write("\n")

for engine, summary in engines.items():
    c = summary["comparison"]
    print(f"\n## {engine}")
    print(f"closed loop sends/s, Axon/Synapse: {fmt(c['closed_loop_sends_per_second_axon_over_synapse'])}×")
    if c["headline_rate"]:
        p99 = c["delivery_p99_ms_at_headline_rate"]
        print(f"at {fmt(c['headline_rate'], 0)} messages/s (the highest rate both sustain): delivery p99 Synapse "
              f"{fmt(p99['synapse'])} ms, Axon {fmt(p99['axon'])} ms")
    for server in ("synapse", "axon"):
        s = summary[server]
        rows = dig(s, "open_loop", "by_rate") or {}
        line = "  ".join(f"{rate}/s: p99 {fmt(r.get('delivery_p99_ms'))} ms" for rate, r in rows.items())
        print(f"{server:8} open loop delivery: {line}  (held up to {fmt(dig(s, 'open_loop', 'highest_rate_held'), 0)}/s)")
        print(f"{server:8} initial sync cold {fmt(dig(s, 'sync', 'initial_cold', 'median_ms'))} ms, warm "
              f"{fmt(dig(s, 'sync', 'initial_warm', 'median_ms'))} ms, incremental {fmt(dig(s, 'sync', 'incremental', 'median_ms'))} ms; "
              f"idle RSS {dig(s, 'memory', 'idle_start_rss_kib')} → {dig(s, 'memory', 'idle_end_rss_kib')} KiB")
        if "database" in s:
            d = s["database"]
            print(f"{server:8} database per persisted event (closed loop): "
                  f"{fmt(dig(d, 'per_event_written_closed_loop', 'write_statements'))} statements, "
                  f"{fmt(dig(d, 'per_event_written_closed_loop', 'write_round_trips'))} round trips in write transactions; "
                  f"per initial sync: {fmt(dig(d, 'per_initial_sync_response', 'read_statements'), 0)} statements, "
                  f"{fmt(dig(d, 'per_initial_sync_response', 'read_round_trips'), 0)} round trips")
    print(f"initial sync speed-up (Synapse time / Axon time): cold {fmt(c['initial_sync_cold_speedup'])}×, "
          f"warm {fmt(c['initial_sync_warm_speedup'])}×; incremental {fmt(c['incremental_sync_speedup'])}×")

if workers:
    print("\n## workers (PostgreSQL, Redis, nginx)")
    for topology, t in workers["topologies"].items():
        m = t["closed_loop"]["median"] or {}
        print(f"{topology:13} closed loop {fmt(m.get('sends_per_second'))} sends/s, delivery p99 {fmt(m.get('delivery_p99_ms'))} ms; "
              f"idle RSS {t['idle_rss_kib']} KiB")
    for key, value in workers["comparison"].items():
        print(f"{key}: {fmt(value, 2)}")
