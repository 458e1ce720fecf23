# rsc: entrypoint of a Redis data node on Swarm (POSIX sh; needs only redis-server and redis-cli).
# Runs after node-common.sh (log, die, validation, the password, cli, sentinel_addrs).
# Run as: sh -c "$SCRIPT" rsc-node [--name value ...]   (extra redis-server arguments)
# Environment (set by rsc):
#   RSC_GROUP            the group (Sentinel master name)
#   RSC_NODE             this node's service name, e.g. orders-redis-2 (its DNS name and announced host)
#   RSC_ROLE             master | replica: how to start when no sentinel knows the group
#   RSC_MASTER           HOST:PORT to follow as a replica when no sentinel knows the group
#   RSC_SENTINEL_ALIAS   the network alias shared by the group's sentinels
#
# Restart safety: the node first asks the group's sentinels who the master is.
#   - a sentinel names another node  -> start as its replica (the address Sentinel names, not a DNS guess)
#   - the sentinels name this node    -> it restarted and is empty: start as a replica of a placeholder that
#     cannot feed anyone (a replica with no master link answers a replica's sync with NOMASTERLINK), and
#     poll the sentinels until they have promoted another node, then follow it
#   - no sentinel knows the group     -> first start: master, or replica of RSC_MASTER
PORT=6379
SPORT=26379
ROLE="${RSC_ROLE:-master}"
HOLD_HOST=127.0.0.1
HOLD_PORT=1
CR=$(printf '\r')

case "$ROLE" in master|replica) ;; *) die "RSC_ROLE must be master or replica, not '$ROLE'" ;; esac
for a in "$@"; do
  case "$a" in *'
'*) die "a redis-server argument contains a line break" ;; esac
done

# Settings that must not appear on the command line go into a file only root can read.
NODECONF=/tmp/rsc-node.conf
( umask 077
  { echo "# written by rsc"
    if [ -n "$PW" ]; then echo "requirepass \"$PW\""; echo "masterauth \"$PW\""; fi
  } >"$NODECONF" ) || die "cannot write $NODECONF"


# My own addresses, to recognise myself when a sentinel names me by IP.
my_addrs() {
  if command -v getent >/dev/null 2>&1; then
    { getent ahostsv4 "$ME" 2>/dev/null || getent hosts "$ME" 2>/dev/null; } | while read -r ip _rest; do echo "$ip"; done
  fi
  hostname -i 2>/dev/null || true
}

is_me() {
  [ "$1" = "$ME" ] && return 0
  for a in $(my_addrs); do [ "$1" = "$a" ] && return 0; done
  return 1
}

# Asks every reachable sentinel; sets ANSWERED (sentinels that replied), NAMED_ME, OTHER_HOST/OTHER_PORT
# (a master other than me, preferring one that answers ROLE as master), KNOWN_REPLICAS.
ask_sentinels() {
  ANSWERED=0; NAMED_ME=0; OTHER_HOST=""; OTHER_PORT=""; OTHER_OK=0; KNOWN_REPLICAS=""
  for s in $(sentinel_addrs); do
    reply=$(cli "$s" "$SPORT" SENTINEL get-master-addr-by-name "$G") || continue
    ANSWERED=$((ANSWERED + 1))
    set -- $reply
    [ $# -eq 2 ] && valid_port "$2" || continue
    if is_me "$1"; then
      NAMED_ME=1
      if [ -z "$KNOWN_REPLICAS" ]; then
        KNOWN_REPLICAS=$(cli "$s" "$SPORT" SENTINEL master "$G" | { n=""; while read -r k; do
          [ "$n" = 1 ] && { echo "$k"; break; }; [ "$k" = num-slaves ] && n=1; done; })
      fi
    elif [ "$OTHER_OK" = 0 ]; then
      set -- "$1" "$2" $(cli "$1" "$2" ROLE)
      OTHER_HOST="$1"; OTHER_PORT="$2"
      [ "${3:-}" = master ] && OTHER_OK=1
    fi
  done
}

# The replication link of this node as INFO reports it.
my_master_host() {
  cli 127.0.0.1 "$PORT" INFO replication | while IFS=: read -r k v; do
    [ "$k" = master_host ] && { echo "${v%"$CR"}"; break; }
  done
}

# The group's write fence (min-replicas-to-write, min-replicas-max-lag) is set at run time, as the group grows and
# shrinks; a task Swarm restarts starts from its service spec without it. Take it from the master this node
# follows, so that a restarted node promoted later still stops taking writes once cut off from its replicas.
inherited_fence() {
  for k in min-replicas-to-write min-replicas-max-lag; do
    v=$(cli "$1" "$2" CONFIG GET "$k" | { read -r _; read -r x; echo "${x%"$CR"}"; })
    case "$v" in ''|*[!0-9]*) ;; *) printf ' --%s %s' "$k" "$v" ;; esac
  done
}

# The same, applied at run time to this node (a held node that starts following the promoted master).
apply_fence() {
  set -- $(inherited_fence "$1" "$2")
  while [ $# -ge 2 ]; do cli 127.0.0.1 "$PORT" CONFIG SET "${1#--}" "$2" >/dev/null; shift 2; done
}

# Background: while held on the placeholder, follow the master the sentinels promote.
hold_and_follow() {
  while :; do
    sleep 1
    mh=$(my_master_host)
    if [ -z "$mh" ]; then
      set -- $(cli 127.0.0.1 "$PORT" ROLE)
      [ "${1:-}" = master ] && { log "made master by Sentinel or an operator"; return; }
      continue   # not up yet
    fi
    if [ "$mh" != "$HOLD_HOST" ]; then
      apply_fence "$mh" "$PORT"
      log "following $mh (set by Sentinel)"; return
    fi
    ask_sentinels
    if [ -n "$OTHER_HOST" ]; then
      if cli 127.0.0.1 "$PORT" REPLICAOF "$OTHER_HOST" "$OTHER_PORT" >/dev/null; then
        apply_fence "$OTHER_HOST" "$OTHER_PORT"
        log "the sentinels name $OTHER_HOST:$OTHER_PORT as master: following it"; return
      fi
    fi
  done
}

# Sentinels may still be starting: when their alias resolves but none answers, ask again for a while.
tries=0
while :; do
  ask_sentinels
  [ "$ANSWERED" -gt 0 ] && break
  [ "$(sentinel_addrs)" = "$SALIAS" ] && break   # no sentinel task exists: the group's first start
  tries=$((tries + 1)); [ "$tries" -ge 10 ] && break
  sleep 1
done

if [ -n "$OTHER_HOST" ]; then
  FENCE=$(inherited_fence "$OTHER_HOST" "$OTHER_PORT")
  log "the sentinels name $OTHER_HOST:$OTHER_PORT as master: starting as its replica${FENCE:+ (its write fence:$FENCE)}"
  # shellcheck disable=SC2086
  exec redis-server "$NODECONF" --port "$PORT" --protected-mode no --save '' --appendonly no \
    --replica-announce-ip "$ME" --replica-announce-port "$PORT" "$@" $FENCE --replicaof "$OTHER_HOST" "$OTHER_PORT"
fi
if [ "$NAMED_ME" = 1 ]; then
  if [ "$KNOWN_REPLICAS" = 0 ]; then
    log "the sentinels still name me as master and know no replica: starting as an empty master"
    exec redis-server "$NODECONF" --port "$PORT" --protected-mode no --save '' --appendonly no \
      --replica-announce-ip "$ME" --replica-announce-port "$PORT" "$@"
  fi
  log "the sentinels still name me as master, but I restarted empty: holding as a replica that feeds no one until they promote another node"
  hold_and_follow &
  exec redis-server "$NODECONF" --port "$PORT" --protected-mode no --save '' --appendonly no \
    --replica-announce-ip "$ME" --replica-announce-port "$PORT" "$@" --replicaof "$HOLD_HOST" "$HOLD_PORT"
fi
if [ "$ROLE" = replica ]; then
  mhost="${RSC_MASTER%:*}"; mport="${RSC_MASTER##*:}"
  valid_name "$mhost" && valid_port "$mport" || die "RSC_MASTER '${RSC_MASTER:-}' is not HOST:PORT"
  FENCE=$(inherited_fence "$mhost" "$mport")
  log "no sentinel knows $G: starting as a replica of $mhost:$mport${FENCE:+ (its write fence:$FENCE)}"
  # shellcheck disable=SC2086
  exec redis-server "$NODECONF" --port "$PORT" --protected-mode no --save '' --appendonly no \
    --replica-announce-ip "$ME" --replica-announce-port "$PORT" "$@" $FENCE --replicaof "$mhost" "$mport"
fi
log "no sentinel knows $G: starting as master"
exec redis-server "$NODECONF" --port "$PORT" --protected-mode no --save '' --appendonly no \
  --replica-announce-ip "$ME" --replica-announce-port "$PORT" "$@"
