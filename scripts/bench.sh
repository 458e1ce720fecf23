#!/usr/bin/env bash
# make bench: how immediate rsc feels, each figure beside a baseline measured in the same run (a benchmark, not a test).
#
# Builds what it needs, starts its own groups (local backend, free ports, a private state dir), measures, prints one
# table (figure, rsc median, baseline median, ratio, target, met) and writes bench-results/bench-<timestamp>.json.
# Everything it starts is stopped on exit, also on failure or Ctrl-C. The Swarm rows run when this machine is an
# active swarm manager with the rsc-redis:local image (scripts/swarm-testbed.sh); RSC_BENCH_SWARM=0 skips them.
#
# Knobs: RSC_BENCH_RUNS (repetitions of the quick figures, default 20), RSC_BENCH_GROUPS (default 20),
#        RSC_BENCH_SLOW_RUNS (failover and scale repetitions, default 3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${RSC_BENCH_RUNS:-20}"
GROUPS_N="${RSC_BENCH_GROUPS:-20}"
SLOW="${RSC_BENCH_SLOW_RUNS:-3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/rsc-bench.XXXXXX")"
export RSC_STATE_DIR="$WORK/state" RSC_HISTORY="$WORK/history" RSC_BACKEND=local RSC_RESIDENT_DIR="$WORK/resident"
unset RSC_JAVA_OPTS RSC_RESIDENT
SAMPLES="$WORK/samples"   # one line per figure: name<TAB>kind<TAB>json samples (ms)
: >"$SAMPLES"
SWARM_GROUP=""
BG_PIDS=()

log() { printf 'bench: %s\n' "$*" >&2; }

cleanup() {
  local rc=$?
  set +e
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  # the resident consoles the one-shots started ("unix TOKEN PID" in each endpoint file)
  for f in "$WORK"/resident/*/endpoint; do
    [ -f "$f" ] && read -r _ _ pid <"$f" && [ -n "$pid" ] && kill "$pid" 2>/dev/null
  done
  # every redis-server / sentinel the bench or rsc started writes a pid file under $WORK
  find "$WORK" -name '*.pid' 2>/dev/null | while read -r f; do
    pid="$(cat "$f" 2>/dev/null)"; [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  done
  if [ -n "$SWARM_GROUP" ]; then
    ids="$(docker service ls -q --filter "label=rsc.group=$SWARM_GROUP" 2>/dev/null)"
    [ -n "$ids" ] && docker service rm $ids >/dev/null 2>&1
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ns() { date +%s%N; }

# free_base N: a port P such that P..P+N-1 are all free on 127.0.0.1 (never 6379/26379), below Linux's ephemeral
# range (32768+), where the many client connections of a run would take ports from under a later --port
free_base() {
  local n=$1 base p ok
  for _ in $(seq 1 50); do
    base=$((20000 + (RANDOM % 90) * 100)); ok=1
    for ((p = base; p < base + n; p++)); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then ok=0; break; fi
    done
    [ $ok = 1 ] && { echo "$base"; return; }
  done
  echo "bench: no free port range" >&2; return 1
}

# wall RUNS CMD...: wall-clock milliseconds of each run, as a JSON list (2 warm-up runs first)
wall() {
  local runs=$1; shift
  local out="" t0 t1 i
  for i in 1 2; do "$@" >/dev/null 2>&1 || true; done
  for ((i = 0; i < runs; i++)); do
    t0=$(now_ns); "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; return 1; }; t1=$(now_ns)
    out="$out${out:+, }$(( (t1 - t0) / 1000 ))e-3"
  done
  echo "[$out]"
}

# record NAME SAMPLES_JSON
record() { printf '%s\t%s\n' "$1" "$2" >>"$SAMPLES"; }

# wall_alternating RUNS NAME... -- CMD... [-- CMD...]: as wall, for each command, the commands taking turns run by run,
# so that a load that comes and goes on a 2-core machine weighs on each alike; records each command's samples under
# its name
wall_alternating() {
  local runs=$1; shift
  local names=() cmds=() out=() n k i t0 t1 c
  while [ "$1" != -- ]; do names+=("$1"); shift; done
  shift
  c=""
  for a in "$@" --; do   # commands as strings of %q-quoted words, split at --
    if [ "$a" = -- ]; then cmds+=("$c"); c=""; else c="$c $(printf '%q' "$a")"; fi
  done
  n=${#names[@]}
  for ((i = 0; i < 2; i++)); do for ((k = 0; k < n; k++)); do eval "${cmds[k]}" >/dev/null 2>&1 || true; done; done
  for ((i = 0; i < runs; i++)); do
    for ((k = 0; k < n; k++)); do
      t0=$(now_ns); eval "${cmds[k]}" >/dev/null 2>&1 || { echo "bench: failed:${cmds[k]}" >&2; return 1; }; t1=$(now_ns)
      out[k]="${out[k]:-}${out[k]:+, }$(( (t1 - t0) / 1000 ))e-3"
    done
  done
  for ((k = 0; k < n; k++)); do record "${names[k]}" "[${out[k]}]"; done
}

rsc() { ./rsc "$@"; }

# resident_up CMD...: runs one one-shot through CMD (the launcher, with its environment), which starts a resident
# console for that environment, and waits until it answers (the warm one-shot figures are measured against it)
resident_up() {
  "$@" -c help >/dev/null 2>&1 || true
  for _ in $(seq 1 150); do
    "$@" --resident status 2>/dev/null | grep -q '^resident console' && return 0
    sleep 0.1
  done
  log "no resident console came up for: $*"; return 1
}

# resident_rss CMD...: VmRSS (MB) of the resident console CMD reaches
resident_rss() {
  local pid
  pid="$("$@" --resident status 2>/dev/null | sed -n 's/^resident console: pid \([0-9]*\),.*/\1/p')"
  [ -n "$pid" ] && awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"
}

# A group's password (rsc gives every group one, kept in STATE_DIR/.secrets/GROUP); redis-cli reads REDISCLI_AUTH.
pw_of() { cat "$RSC_STATE_DIR/.secrets/$1" 2>/dev/null || true; }

# check_facts SCRIPT: the baseline must really fetch the facts (not NOAUTH or connection errors, which exit 0)
check_facts() {
  if "$1" 2>&1 | grep -qE 'NOAUTH|WRONGPASS|^ERR|Could not connect|No such master'; then
    echo "bench: the redis-cli baseline $1 fails:" >&2; "$1" 2>&1 | grep -E 'NOAUTH|WRONGPASS|ERR|Could not|No such' | head -3 >&2
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------------------------
log "building (RSC_BUILD_ONLY=1 ./rsc: mvn package + the class-data archive)"
RSC_BUILD_ONLY=1 ./rsc
(cd "$ROOT" && mvn -q -o -B -DskipTests test-compile -pl console -am >/dev/null 2>&1 || mvn -q -B -DskipTests test-compile -pl console -am >/dev/null)
BENCH_CP="$ROOT/console/target/test-classes"
bench_java() { RSC_MAIN=rsc.console.bench.Bench RSC_CLASSPATH_APPEND="$BENCH_CP" RSC_BENCH_PASSWORD="${PW1:-}" ./rsc "$@"; }

BASE="$(free_base 100)"
M=$BASE; R1=$((BASE + 1)); R2=$((BASE + 2)); S1=$((BASE + 10)); S2=$((BASE + 11)); S3=$((BASE + 12))
log "group g1: 1 master, 2 replicas, 3 sentinels on ports $BASE.. (state in $RSC_STATE_DIR)"
rsc -c "create-master g1 --port $M; scale slaves 2 --group g1 --port $R1; scale sentinels 3 --group g1 --port $S1 --down-after 2000 --failover-timeout 6000" >/dev/null

# 1. start-up --------------------------------------------------------------------------------------------------
log "start-up: ./rsc -c help in its own JVM (RSC_RESIDENT=0) vs java -version ($RUNS runs each)"
record startup_rsc "$(wall "$RUNS" env RSC_RESIDENT=0 ./rsc -c help)"
record startup_base "$(wall "$RUNS" java -version)"

# 2. one-shot sentinel status vs the same facts by redis-cli -----------------------------------------------------
PW1="$(pw_of g1)"
cat >"$WORK/facts.sh" <<EOF
#!/usr/bin/env bash
export REDISCLI_AUTH='$PW1'
for p in $S1 $S2 $S3; do
  redis-cli -p \$p SENTINEL MASTER g1; redis-cli -p \$p SENTINEL REPLICAS g1
  redis-cli -p \$p SENTINEL SENTINELS g1; redis-cli -p \$p SENTINEL CKQUORUM g1
done
for p in $M $R1 $R2; do redis-cli -p \$p INFO replication; done
EOF
chmod +x "$WORK/facts.sh"
check_facts "$WORK/facts.sh"
log "one-shot: ./rsc -c 'sentinel status g1' (resident console up; and in its own JVM) vs redis-cli script ($RUNS runs each)"
resident_up ./rsc
record oneshot_rsc "$(wall "$RUNS" ./rsc -c "sentinel status g1")"
record oneshot_cold "$(wall "$RUNS" env RSC_RESIDENT=0 ./rsc -c "sentinel status g1")"
record oneshot_base "$(wall "$RUNS" "$WORK/facts.sh")"
# the other read-only one-shots an incident or a runbook asks for, also answered by the resident console
record oneshot_doctor "$(wall "$RUNS" ./rsc -c "doctor g1")"
record oneshot_ckquorum "$(wall "$RUNS" ./rsc -c "sentinel ckquorum g1")"
record oneshot_expect "$(wall "$RUNS" ./rsc -c "use g1; expect quorum ok; expect replicas 2")"
record resident_rss "[$(resident_rss ./rsc)]"

# 3. in-session, one group ----------------------------------------------------------------------------------------
log "in-session: sentinel status / status on g1 ($RUNS runs after 5 warm-up)"
bench_java session g1 "$RUNS" >"$WORK/session1.json"
record session1 "$(cat "$WORK/session1.json")"

# 4. completion --------------------------------------------------------------------------------------------------
log "completion through JLine's Completer (2000 TABs)"
bench_java complete 2000 >"$WORK/complete.json"
record complete "$(cat "$WORK/complete.json")"

# 5. idle memory -------------------------------------------------------------------------------------------------
rss_of() {   # rss_of MODE: start the console (or the idle JVM) on a pty, run status, wait, print VmRSS in MB
  python3 - "$1" "$ROOT" "$BENCH_CP" <<'PY'
import os, pty, sys, time, select
mode, root, cp = sys.argv[1], sys.argv[2], sys.argv[3]
env = dict(os.environ)
if mode == "idle":
    env["RSC_MAIN"] = "rsc.console.bench.Bench"; env["RSC_CLASSPATH_APPEND"] = cp
    argv = [root + "/rsc", "idle"]
else:
    argv = [root + "/rsc", "--group", "g1"]
pid, fd = pty.fork()
if pid == 0:
    os.execve(argv[0], argv, env)
def drain(secs):
    end = time.time() + secs; buf = b""
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try: buf += os.read(fd, 65536)
            except OSError: break
    return buf
out = drain(3)
if mode != "idle":
    os.write(fd, b"status\r"); out += drain(3)
    os.write(fd, b"sentinel status\r"); out += drain(5)   # then idle, with the background refresh running
rss = 0
with open(f"/proc/{pid}/status") as f:
    for line in f:
        if line.startswith("VmRSS:"): rss = int(line.split()[1]) / 1024
if mode != "idle" and b"master" not in out:
    sys.stderr.write("bench: the console did not show status:\n" + out.decode(errors="replace")[-2000:] + "\n")
os.kill(pid, 9); os.waitpid(pid, 0)
print(f"{rss:.1f}")
PY
}
log "idle memory: the console after status vs an idle JVM with the same flags"
mem_rsc=(); mem_base=()
for _ in 1 2 3; do mem_rsc+=("$(rss_of console)"); mem_base+=("$(rss_of idle)"); done
record memory_rsc "[$(IFS=,; echo "${mem_rsc[*]}")]"
record memory_base "[$(IFS=,; echo "${mem_base[*]}")]"

# 6. failover gap ------------------------------------------------------------------------------------------------
log "failover: $SLOW by hand (SENTINEL FAILOVER) and $SLOW through rsc, alternating"
bench_java failover g1 "$SLOW" "$S1,$S2,$S3" >"$WORK/failover.json"
record failover "$(cat "$WORK/failover.json")"

# 7. scale slaves 3 from 0 ---------------------------------------------------------------------------------------
G2=$((BASE + 20))
rsc -c "create-master g2 --port $G2" >/dev/null
PW2="$(pw_of g2)"
log "scale slaves 3 from 0: rsc vs three redis-server by hand + INFO every 100 ms ($SLOW runs each)"
scale_by_hand() {
  local d="$WORK/byhand" p up i
  rm -rf "$d"; mkdir -p "$d"
  for i in 1 2 3; do
    p=$((G2 + 10 + i)); mkdir -p "$d/$i"
    redis-server --port "$p" --bind 127.0.0.1 --daemonize yes --dir "$d/$i" --save "" --appendonly no \
      --pidfile "$d/$i/r.pid" --logfile "$d/$i/log" --replicaof 127.0.0.1 "$G2" \
      ${PW2:+--masterauth "$PW2" --requirepass "$PW2"} >/dev/null
  done
  while :; do
    up=0
    for i in 1 2 3; do
      REDISCLI_AUTH="$PW2" redis-cli -p $((G2 + 10 + i)) INFO replication 2>/dev/null | grep -q 'master_link_status:up' && up=$((up + 1))
    done
    [ $up = 3 ] && break
    sleep 0.1
  done
}
unscale_by_hand() {
  local f
  for f in "$WORK"/byhand/*/r.pid; do kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.5
}
s_rsc=""; s_base=""
for ((i = 0; i < SLOW; i++)); do
  t0=$(now_ns); rsc -c "scale slaves 3 --group g2 --port $((G2 + 1))" >/dev/null 2>&1; t1=$(now_ns)
  s_rsc="$s_rsc${s_rsc:+, }$(( (t1 - t0) / 1000 ))e-3"
  rsc -c "scale slaves 0 --group g2" >/dev/null 2>&1
  t0=$(now_ns); scale_by_hand; t1=$(now_ns)
  s_base="$s_base${s_base:+, }$(( (t1 - t0) / 1000 ))e-3"
  unscale_by_hand
done
record scale_rsc "[$s_rsc]"
record scale_base "[$s_base]"

# 8. Swarm (when there is one), before the twenty local groups (120 redis-server processes on 2 cores) start -------
# rsc and the docker CLI take turns run by run, so that a load that comes and goes weighs on both alike
if [ "${RSC_BENCH_SWARM:-1}" != 0 ] && docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null | grep -q '^active true' \
   && docker image inspect rsc-redis:local >/dev/null 2>&1; then
  SWARM_GROUP="bench-$$"
  log "swarm: group $SWARM_GROUP (1 master, 2 replicas, 3 sentinels, image rsc-redis:local)"
  sw() { RSC_BACKEND=swarm RSC_IMAGE=rsc-redis:local ./rsc "$@"; }
  if sw -c "create-master $SWARM_GROUP; scale slaves 2 --group $SWARM_GROUP; scale sentinels 3 --group $SWARM_GROUP" >"$WORK/swarm.log" 2>&1; then
    resident_up env RSC_BACKEND=swarm ./rsc
    wall_alternating "$RUNS" swarm_oneshot_rsc swarm_oneshot_cold swarm_oneshot_base -- \
      env RSC_BACKEND=swarm ./rsc -c "sentinel status $SWARM_GROUP" -- \
      env RSC_BACKEND=swarm RSC_RESIDENT=0 ./rsc -c "sentinel status $SWARM_GROUP" -- \
      docker service ls --filter "label=rsc.group=$SWARM_GROUP"
    RSC_BACKEND=swarm RSC_MAIN=rsc.console.bench.Bench RSC_CLASSPATH_APPEND="$BENCH_CP" ./rsc session "$SWARM_GROUP" "$RUNS" \
      >"$WORK/swarm-session.json" && record swarm_session "$(cat "$WORK/swarm-session.json")"
  else
    log "swarm: could not start the group (see below); no Swarm rows"; tail -5 "$WORK/swarm.log" >&2
  fi
  sw -c "destroy $SWARM_GROUP --yes" >/dev/null 2>&1 || true
fi

# 9. twenty groups -------------------------------------------------------------------------------------------------
log "$GROUPS_N groups: starting $((GROUPS_N - 1)) more (1 master, 2 replicas, 3 sentinels each), 4 at a time"
rsc -c "destroy g2 --yes" >/dev/null
PORTS2="$(free_base $((GROUPS_N * 10)))"
start_group() {
  local g=$1 b=$2
  ./rsc -c "create-master $g --port $b; scale slaves 2 --group $g --port $((b + 1)); scale sentinels 3 --group $g --port $((b + 4))" >"$WORK/$g.log" 2>&1
}
for ((k = 2; k <= GROUPS_N; k++)); do
  start_group "g$k" $((PORTS2 + (k - 2) * 10)) &
  BG_PIDS+=($!)
  if (( (k - 1) % 4 == 0 )); then wait "${BG_PIDS[@]}" || true; BG_PIDS=(); fi
done
wait "${BG_PIDS[@]}" 2>/dev/null || true; BG_PIDS=()
for f in "$WORK"/g*.log; do   # a group that did not come up is reported, and the figure counts the groups that answer
  grep -q '^error' "$f" 2>/dev/null && log "$(basename "$f" .log): $(grep '^error' "$f" | head -n 1)"
done
have="$(./rsc -c "sentinel status" 2>/dev/null | grep -c 'agree: master of' || true)"
log "$have group(s) answer"
cat >"$WORK/facts-all.sh" <<'EOF'
#!/usr/bin/env bash
# every group's facts by redis-cli, groups one after the other (ports and passwords read from the state dir)
for d in "$RSC_STATE_DIR"/*/; do
  g=$(basename "$d"); ls "$d"*/node.properties >/dev/null 2>&1 || continue
  export REDISCLI_AUTH="$(cat "$RSC_STATE_DIR/.secrets/$g" 2>/dev/null)"
  for f in "$RSC_STATE_DIR/$g"/*-sentinel-*/node.properties; do
    p=$(sed -n 's/^port=//p' "$f")
    redis-cli -p "$p" SENTINEL MASTER "$g"; redis-cli -p "$p" SENTINEL REPLICAS "$g"
    redis-cli -p "$p" SENTINEL SENTINELS "$g"; redis-cli -p "$p" SENTINEL CKQUORUM "$g"
  done
  for f in "$RSC_STATE_DIR/$g"/*-redis-*/node.properties; do
    redis-cli -p "$(sed -n 's/^port=//p' "$f")" INFO replication
  done
done
EOF
chmod +x "$WORK/facts-all.sh"
check_facts "$WORK/facts-all.sh"
log "in-session with $GROUPS_N groups (background topology refresh on, as in the REPL)"
bench_java session - "$RUNS" follow >"$WORK/session20.json"
record session20 "$(cat "$WORK/session20.json")"
record facts20_base "$(wall 5 "$WORK/facts-all.sh")"
record groups_answering "[$have]"

# ---------------------------------------------------------------------------------------------------------------
mkdir -p "$ROOT/bench-results"
OUT="$ROOT/bench-results/bench-$(date -u +%Y%m%dT%H%M%SZ).json"
python3 "$ROOT/scripts/bench_report.py" "$SAMPLES" "$OUT" "$GROUPS_N"
log "results: $OUT"
