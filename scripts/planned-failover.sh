#!/usr/bin/env bash
# make planned-failover: what a planned `failover` costs an application, measured (issue 14; a measurement, not a test).
#
# For each down-after (5000, Sentinel's default here, and 2000, what the tests use) it starts its own local group
# (1 master, 2 replicas, 3 sentinels, free ports, a private state dir) and runs
#   drill failover --planned --count N --writes W
# which writes W SET/s without WAIT from a client that asks Sentinel for the master only when a write fails (as Lettuce
# and Jedis do), runs N paused failovers and then N --no-pause failovers, and counts acknowledged-then-lost writes and
# the longest pause. Prints the drill's tables and keeps them in bench-results/planned-failover-<timestamp>.txt.
# Everything it starts is stopped on exit, also on failure or Ctrl-C.
#
# Knobs: RSC_DRILL_COUNT (failovers each way, default 20), RSC_DRILL_WRITES (writes/s, default 150),
#        RSC_DRILL_DOWN_AFTER (space-separated, default "5000 2000").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
COUNT="${RSC_DRILL_COUNT:-20}"
WRITES="${RSC_DRILL_WRITES:-150}"
DOWN_AFTERS="${RSC_DRILL_DOWN_AFTER:-5000 2000}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/rsc-drill.XXXXXX")"
export RSC_STATE_DIR="$WORK/state" RSC_HISTORY="$WORK/history" RSC_BACKEND=local RSC_RESIDENT=0
unset RSC_JAVA_OPTS

cleanup() {
  local rc=$?
  set +e
  ./rsc -c "destroy pf --yes" >/dev/null 2>&1
  # every redis-server / sentinel rsc started here writes a pid file under $WORK
  find "$WORK" -name '*.pid' 2>/dev/null | while read -r f; do
    pid="$(cat "$f" 2>/dev/null)"; [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_base() {   # a port P with P..P+29 free on 127.0.0.1, below the ephemeral range
  local base p ok
  for _ in $(seq 1 50); do
    base=$((20000 + (RANDOM % 90) * 100)); ok=1
    for ((p = base; p < base + 30; p++)); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then ok=0; break; fi
    done
    [ $ok = 1 ] && { echo "$base"; return; }
  done
  echo "planned-failover: no free port range" >&2; return 1
}

RSC_BUILD_ONLY=1 ./rsc >/dev/null
mkdir -p "$ROOT/bench-results"
OUT="$ROOT/bench-results/planned-failover-$(date -u +%Y%m%dT%H%M%SZ).txt"
for da in $DOWN_AFTERS; do
  base="$(free_base)"
  echo "planned-failover: group pf, down-after $da ms, $COUNT failovers each way at $WRITES writes/s" >&2
  ./rsc -c "create-master pf --port $base; scale slaves 2 --group pf --port $((base + 1)); scale sentinels 3 --group pf --port $((base + 20)) --down-after $da --failover-timeout 10000" >/dev/null
  ./rsc -c "drill failover --planned --group pf --count $COUNT --writes $WRITES --timeout 60s" | tee -a "$OUT"
  ./rsc -c "destroy pf --yes" >/dev/null
done
echo "planned-failover: results in $OUT" >&2
