#!/usr/bin/env python3
"""Turns scripts/bench.sh's raw samples into the table (stdout) and the JSON file (bench-results/).

usage: bench_report.py SAMPLES OUT.json GROUPS
SAMPLES: one line per figure, NAME<TAB>JSON (a list of ms, or an object of such lists).
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time

samples_file, out_file, groups = sys.argv[1], sys.argv[2], int(sys.argv[3])
raw = {}
with open(samples_file) as f:
    for line in f:
        name, value = line.rstrip("\n").split("\t", 1)
        raw[name] = json.loads(value)


def get(name, key=None):
    v = raw.get(name)
    if v is not None and key is not None:
        v = v.get(key)
    return v


def median(xs):
    return statistics.median(xs) if xs else None


def p99(xs):
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(0.99 * (len(s) - 1))))]


rows = []


def row(figure, rsc, base, target, met, unit="ms", stat="median", baseline_is="", note=""):
    rsc_v = None if rsc is None else (median(rsc) if stat == "median" else p99(rsc))
    base_v = None if base is None else (median(base) if stat == "median" else p99(base))
    ratio = (rsc_v / base_v) if rsc_v is not None and base_v else None
    ok = None if rsc_v is None or met is None else bool(met(rsc_v, base_v, ratio))
    rows.append({"figure": figure, "stat": stat, "unit": unit, "rsc": rsc_v, "baseline": base_v, "ratio": ratio,
                 "baseline_is": baseline_is, "target": target, "met": ok, "note": note,
                 "samples": {"rsc": rsc, "baseline": base}})


facts1 = get("oneshot_base")
row("start-up: ./rsc -c help (own JVM)", get("startup_rsc"), get("startup_base"), "<= 6x java -version",
    lambda r, b, x: x <= 6, baseline_is="java -version")
row("one-shot: ./rsc -c 'sentinel status' (1+2+3)", get("oneshot_rsc"), facts1, "<= 1x redis-cli script",
    lambda r, b, x: x <= 1, baseline_is="15 redis-cli calls (sh)",
    note="answered by the resident console (up after the first one-shot; stops after 10 min unused)")
row("one-shot: ./rsc -c 'doctor'", get("oneshot_doctor"), facts1, "(informative)", None,
    baseline_is="15 redis-cli calls (sh)", note="answered by the resident console; plain-socket reads, as status")
row("one-shot: ./rsc -c 'sentinel ckquorum'", get("oneshot_ckquorum"), facts1, "(informative)", None,
    baseline_is="15 redis-cli calls (sh)", note="answered by the resident console")
row("one-shot: ./rsc -c 'use; expect quorum ok; expect replicas 2'", get("oneshot_expect"), facts1, "(informative)",
    None, baseline_is="15 redis-cli calls (sh)", note="answered by the resident console")
row("one-shot, own JVM (first in 10 min, RSC_RESIDENT=0)", get("oneshot_cold"), facts1, "(informative)", None,
    baseline_is="15 redis-cli calls (sh)", note="what the first one-shot costs, and every one with RSC_RESIDENT=0")
row("in-session: sentinel status (1 group)", get("session1", "sentinel_status"), facts1, "<= 15 ms",
    lambda r, b, x: r <= 15, baseline_is="15 redis-cli calls (sh)")
row("in-session: status (1 group)", get("session1", "status"), facts1, "<= 15 ms",
    lambda r, b, x: r <= 15, baseline_is="15 redis-cli calls (sh)")
row(f"in-session: sentinel status ({groups} groups)", get("session20", "sentinel_status"), get("facts20_base"),
    "<= 60 ms", lambda r, b, x: r <= 60, baseline_is=f"redis-cli calls for {groups} groups (sh)")
row(f"in-session: status ({groups} groups present)", get("session20", "status"), facts1, "<= 60 ms",
    lambda r, b, x: r <= 60, baseline_is="15 redis-cli calls (sh)")
row("TAB with live values (JLine Completer)", get("complete", "live"), get("complete", "names"), "p99 <= 5 ms",
    lambda r, b, x: r <= 5, stat="p99", baseline_is="TAB on command names (no values)")
row("failover: +switch-master -> return", get("failover", "switch_to_return"), get("failover", "sentinel_switch"),
    "<= 300 ms", lambda r, b, x: r <= 300, baseline_is="Sentinel: FAILOVER -> +switch-master",
    note="returns once the old master is converted; the agreement (next row) follows")
row("failover: +switch-master -> sentinels agree", get("failover", "switch_to_agreement"),
    get("failover", "sentinel_switch"), "(after the return)", None, baseline_is="Sentinel: FAILOVER -> +switch-master",
    note="Sentinel's time: the leader ends its failover once it has reconfigured every replica ('wait agreement')")
row("scale slaves 3 from 0 (one-shot, until linked)", get("scale_rsc"), get("scale_base"), "reported beside baseline",
    None, baseline_is="3 redis-server by hand + INFO every 100 ms")
row("idle console RSS after status", get("memory_rsc"), get("memory_base"), "<= 120 MB",
    lambda r, b, x: r <= 120, unit="MB", baseline_is="idle JVM, same flags")
row("resident console RSS after the one-shots", get("resident_rss"), get("memory_base"), "<= 120 MB",
    lambda r, b, x: r <= 120, unit="MB", baseline_is="idle JVM, same flags")
if get("swarm_oneshot_rsc") is not None:
    row("swarm one-shot: ./rsc -c 'sentinel status'", get("swarm_oneshot_rsc"), get("swarm_oneshot_base"),
        "<= 1x docker service ls", lambda r, b, x: r <= b, baseline_is="docker service ls --filter",
        note="answered by the resident console")
if get("swarm_oneshot_cold") is not None:
    row("swarm one-shot, own JVM (RSC_RESIDENT=0)", get("swarm_oneshot_cold"), get("swarm_oneshot_base"),
        "<= 10x docker service ls", lambda r, b, x: r <= 10 * b, baseline_is="docker service ls --filter")
if get("swarm_session") is not None:
    row("swarm in-session: sentinel status", get("swarm_session", "sentinel_status"), get("swarm_oneshot_base"),
        "(none)", None, baseline_is="docker service ls --filter")
    row("swarm in-session: status", get("swarm_session", "status"), get("swarm_oneshot_base"), "(none)", None,
        baseline_is="docker service ls --filter")


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v / 1000:.2f} s" if v >= 1000 else (f"{v:.1f} ms" if v >= 10 else f"{v:.2f} ms")


headers = ["figure", "rsc", "baseline", "ratio", "target", "met", "baseline is"]
table = []
for r in rows:
    stat = "" if r["stat"] == "median" else f" ({r['stat']})"
    table.append([r["figure"] + stat, fmt(r["rsc"], r["unit"]), fmt(r["baseline"], r["unit"]),
                  "-" if r["ratio"] is None else f"{r['ratio']:.2f}", r["target"],
                  {True: "yes", False: "MISSED", None: "-"}[r["met"]], r["baseline_is"]])
widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(headers)]
print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
print("| " + " | ".join("-" * w for w in widths) + " |")
for t in table:
    print("| " + " | ".join(c.ljust(w) for c, w in zip(t, widths)) + " |")
print()
print(f"medians (p99 where marked) of repeated runs; baseline measured in the same run; "
      f"{groups} groups; {os.cpu_count()} cores")


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=10).stdout.strip() \
            or subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=10).stderr.strip()
    except Exception:  # noqa: BLE001 - environment facts are best effort
        return ""


doc = {
    "taken_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "machine": {"cores": os.cpu_count(), "platform": platform.platform(),
                "java": sh("java -version 2>&1 | head -n 1"), "redis": sh("redis-server --version")},
    "commit": sh("git rev-parse --short HEAD 2>/dev/null"),
    "groups": groups,
    "figures": rows,
    "groups_answering": raw.get("groups_answering"),
}
with open(out_file, "w") as f:
    json.dump(doc, f, indent=2)
