# rsc: entrypoint of a Redis data node on Swarm (POSIX sh; needs only redis-server and redis-cli).
# Runs after node-common.sh (log, die, validation, the password, CR, cli, sentinel_addrs).
# Run as: sh -c "$SCRIPT" rsc-node [--name value ...]   (extra redis-server arguments)
# Environment (set by rsc):
#   RSC_GROUP            the group (Sentinel master name)
#   RSC_NODE             this node's service name, e.g. orders-redis-2 (its DNS name and announced host)
#   RSC_ROLE             master | replica: how to start when no sentinel knows the group
#   RSC_MASTER           HOST:PORT to follow as a replica when no sentinel knows the group
#   RSC_SENTINEL_ALIAS   the network alias shared by the group's sentinels
#   RSC_PERSISTENCE      none | aof | rdb: what the node writes to disk (aof and rdb: in /data, the node's volume)
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

case "$ROLE" in master|replica) ;; *) die "RSC_ROLE must be master or replica, not '$ROLE'" ;; esac
PERSISTENCE="${RSC_PERSISTENCE:-none}"
case "$PERSISTENCE" in none|aof|rdb) ;; *) die "RSC_PERSISTENCE must be none, aof or rdb, not '$PERSISTENCE'" ;; esac
for a in "$@"; do
  case "$a" in *'
'*) die "a redis-server argument contains a line break" ;; esac
done

# Settings that must not appear on the command line go into a file only root can read.
NODECONF=/tmp/rsc-node.conf
( umask 077
  { echo "# written by rsc"
    if [ -n "$PW" ]; then echo "requirepass \"$PW\""; echo "masterauth \"$PW\""; fi
    # persistence: every setting spelled out; files load at start whatever the role (restart safety decides below
    # whom the node follows, never its files)
    echo 'save ""'
    case "$PERSISTENCE" in
      none) echo "appendonly no" ;;
      aof) echo "dir /data"; echo "appendonly yes"; echo "appendfsync everysec" ;;
      rdb) echo "dir /data"; echo "save 3600 1"; echo "save 300 100"; echo "save 60 10000"; echo "appendonly no" ;;
    esac
  } >"$NODECONF" ) || die "cannot write $NODECONF"


# What this node brings back from a restart, for the log; a replica's files never outrank what its master has.
if [ "$PERSISTENCE" = none ]; then WHAT="empty: no persistence"; else WHAT="with what its $PERSISTENCE files in /data hold"; fi

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

# Parameters set on the whole group at run time ('config set') are not in the service spec: a task Swarm restarts
# copies from the master it follows every parameter whose value differs from its own, except those each node owns
# (OWN_PARAMS and OWN_PREFIXES: the list rsc refuses in 'config set'; a unit test keeps them equal to rsc.ops.LiveConfig).
OWN_PARAMS="requirepass masterauth masteruser aclfile replicaof slaveof port bind bind-source-addr unixsocket \
unixsocketperm replica-announce-ip replica-announce-port slave-announce-ip slave-announce-port \
replica-announced protected-mode dir dbfilename logfile pidfile daemonize supervised appenddirname \
appendfilename syslog-ident min-replicas-to-write min-replicas-max-lag min-slaves-to-write \
min-slaves-max-lag replica-priority slave-priority replica-read-only slave-read-only save appendonly"
OWN_PREFIXES="cluster- tls-"
own_param() {
  case " $OWN_PARAMS " in *" $1 "*) return 0 ;; esac
  for pre in $OWN_PREFIXES; do case "$1" in "$pre"*) return 0 ;; esac; done
  return 1
}
NL='
'
copy_settings() {
  # only sh and redis-cli: the image need not have grep or a writable file for this
  mine=$(cli 127.0.0.1 "$PORT" CONFIG GET '*' | while IFS= read -r k && IFS= read -r v; do printf '%s=%s\n' "$k" "$v"; done)
  [ -n "$mine" ] || return 0
  copied=""
  cli "$1" "$2" CONFIG GET '*' | { while IFS= read -r k && IFS= read -r v; do
      case "$k" in ''|*[!a-z0-9_-]*) continue ;; esac
      own_param "$k" && continue
      case "$NL$mine$NL" in *"$NL$k=$v$NL"*) continue ;; *"$NL$k="*) ;; *) continue ;; esac   # same, or unknown here
      [ "$(cli 127.0.0.1 "$PORT" CONFIG SET "$k" "$v")" = OK ] && copied="$copied $k"   # else immutable here
    done
    [ -n "$copied" ] && log "copied from the master $1:$2:$copied"; }
  return 0
}

# Background: once this node answers, copy the group's settings from the master it follows.
settings_when_up() {
  i=0
  while [ "$i" -lt 60 ]; do
    [ "$(cli 127.0.0.1 "$PORT" PING)" = PONG ] && { copy_settings "$1" "$2"; return; }
    i=$((i + 1)); sleep 1
  done
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
      copy_settings "$mh" "$PORT"
      log "following $mh (set by Sentinel)"; return
    fi
    ask_sentinels
    if [ -n "$OTHER_HOST" ]; then
      if cli 127.0.0.1 "$PORT" REPLICAOF "$OTHER_HOST" "$OTHER_PORT" >/dev/null; then
        apply_fence "$OTHER_HOST" "$OTHER_PORT"
        copy_settings "$OTHER_HOST" "$OTHER_PORT"
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

# a rotation in progress: the old password works here too from the start, as on every other node
WINDOW=$(window_passwords_line)
[ -z "$WINDOW" ] || echo "$WINDOW" >>"$NODECONF" || die "cannot write $NODECONF"

if [ -n "$OTHER_HOST" ]; then
  FENCE=$(inherited_fence "$OTHER_HOST" "$OTHER_PORT")
  log "the sentinels name $OTHER_HOST:$OTHER_PORT as master: starting as its replica${FENCE:+ (its write fence:$FENCE)}"
  settings_when_up "$OTHER_HOST" "$OTHER_PORT" &
  # shellcheck disable=SC2086
  exec redis-server "$NODECONF" --port "$PORT" --protected-mode no \
    --replica-announce-ip "$ME" --replica-announce-port "$PORT" "$@" $FENCE --replicaof "$OTHER_HOST" "$OTHER_PORT"
fi
if [ "$NAMED_ME" = 1 ]; then
  if [ "$KNOWN_REPLICAS" = 0 ]; then
    log "the sentinels still name me as master and know no replica: starting as master ($WHAT)"
    exec redis-server "$NODECONF" --port "$PORT" --protected-mode no \
      --replica-announce-ip "$ME" --replica-announce-port "$PORT" "$@"
  fi
  log "the sentinels still name me as master, but I restarted ($WHAT): holding as a replica that feeds no one until they promote another node"
  hold_and_follow &
  exec redis-server "$NODECONF" --port "$PORT" --protected-mode no \
    --replica-announce-ip "$ME" --replica-announce-port "$PORT" "$@" --replicaof "$HOLD_HOST" "$HOLD_PORT"
fi
if [ "$ROLE" = replica ]; then
  mhost="${RSC_MASTER%:*}"; mport="${RSC_MASTER##*:}"
  valid_name "$mhost" && valid_port "$mport" || die "RSC_MASTER '${RSC_MASTER:-}' is not HOST:PORT"
  FENCE=$(inherited_fence "$mhost" "$mport")
  log "no sentinel knows $G: starting as a replica of $mhost:$mport${FENCE:+ (its write fence:$FENCE)}"
  settings_when_up "$mhost" "$mport" &
  # shellcheck disable=SC2086
  exec redis-server "$NODECONF" --port "$PORT" --protected-mode no \
    --replica-announce-ip "$ME" --replica-announce-port "$PORT" "$@" $FENCE --replicaof "$mhost" "$mport"
fi
log "no sentinel knows $G: starting as master"
exec redis-server "$NODECONF" --port "$PORT" --protected-mode no \
  --replica-announce-ip "$ME" --replica-announce-port "$PORT" "$@"
