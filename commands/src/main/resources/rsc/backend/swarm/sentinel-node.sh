# rsc: entrypoint of a Sentinel on Swarm (POSIX sh; needs only redis-server and redis-cli).
# Runs after node-common.sh (log, die, validation, the password, cli, sentinel_addrs).
# Run as: sh -c "$SCRIPT" rsc-node
# Environment (set by rsc):
#   RSC_GROUP             the group (Sentinel master name)
#   RSC_NODE              this sentinel's service name (its DNS name and announced host)
#   RSC_MASTER            HOST:PORT of the master when no peer sentinel knows the group
#   RSC_QUORUM, RSC_DOWN_AFTER (ms), RSC_FAILOVER_TIMEOUT (ms)
#   RSC_SENTINEL_ALIAS    the network alias shared by the group's sentinels
#   RSC_SENTINEL_ID       40 hex digits: this sentinel's stable run id, so peers recognise it after a restart
#
# A restarted sentinel learns the current master, the quorum and the timings from its peers, not from its first
# configuration; with no peer answering, from the first master's own replication link.
# The config is written to /tmp (Sentinel must be able to rewrite it).
PORT=26379
CONF=/tmp/sentinel.conf

Q="${RSC_QUORUM:-2}"; DA="${RSC_DOWN_AFTER:-5000}"; FT="${RSC_FAILOVER_TIMEOUT:-60000}"; PS=1
valid_number "$Q" && [ "$Q" -ge 1 ] || die "RSC_QUORUM '$Q' is not a positive number"
valid_number "$DA" || die "RSC_DOWN_AFTER '$DA' is not a number of milliseconds"
valid_number "$FT" || die "RSC_FAILOVER_TIMEOUT '$FT' is not a number of milliseconds"
ID="${RSC_SENTINEL_ID:-}"
case "$ID" in '') ;; *[!0-9a-f]*) die "RSC_SENTINEL_ID must be 40 hex digits" ;; *) [ ${#ID} -eq 40 ] || die "RSC_SENTINEL_ID must be 40 hex digits" ;; esac


MH="${RSC_MASTER%:*}"; MP="${RSC_MASTER##*:}"
SOURCE="its first configuration"
for s in $(sentinel_addrs); do
  set -- $(cli "$s" "$PORT" SENTINEL get-master-addr-by-name "$G")
  if [ $# -eq 2 ] && valid_name "$1" && valid_port "$2"; then
    MH="$1"; MP="$2"; SOURCE="a peer sentinel ($s)"
    # the group's timings and quorum as the peer holds them now ('sentinel set' changes them after the service
    # was created; its environment keeps the first ones)
    set -- $(cli "$s" "$PORT" SENTINEL master "$G" | while IFS= read -r k && IFS= read -r v; do
      case "$k" in quorum|down-after-milliseconds|failover-timeout|parallel-syncs) echo "$k $v" ;; esac; done)
    while [ $# -ge 2 ]; do
      if valid_number "$2" && [ "$2" -ge 1 ]; then
        case "$1" in quorum) Q="$2" ;; down-after-milliseconds) DA="$2" ;; failover-timeout) FT="$2" ;; parallel-syncs) PS="$2" ;; esac
      fi
      shift 2
    done
    SOURCE="$SOURCE, with its quorum $Q, down-after $DA ms, failover-timeout $FT ms, parallel-syncs $PS"
    break
  fi
done
valid_name "$MH" && valid_port "$MP" || die "RSC_MASTER '${RSC_MASTER:-}' is not HOST:PORT"
# No peer answered (every sentinel restarting at once): the first master may be a replica by now. Monitoring it
# would name a replica as master, and the sentinels would fail over away from the real one: follow its link.
if [ "$SOURCE" = "its first configuration" ]; then
  set -- $(cli "$MH" "$MP" ROLE)
  if [ "${1:-}" = slave ] && [ $# -ge 3 ] && valid_name "$2" && valid_port "$3"; then
    set -- "$2" "$3" $(cli "$2" "$3" ROLE)
    if [ "${3:-}" = master ]; then
      SOURCE="the first master $MH:$MP, which replicates from $1:$2 (no peer sentinel answered)"
      MH="$1"; MP="$2"
    fi
  fi
fi
log "monitoring $G at $MH:$MP, learnt from $SOURCE"

umask 077
{
  echo "port $PORT"
  echo "dir /tmp"
  echo "protected-mode no"
  [ -n "$ID" ] && echo "sentinel myid $ID"
  echo "sentinel resolve-hostnames yes"
  echo "sentinel announce-hostnames yes"
  echo "sentinel announce-ip $ME"
  echo "sentinel announce-port $PORT"
  echo "sentinel monitor $G $MH $MP $Q"
  echo "sentinel down-after-milliseconds $G $DA"
  echo "sentinel failover-timeout $G $FT"
  echo "sentinel parallel-syncs $G $PS"
  if [ -n "$PW" ]; then
    echo "requirepass \"$PW\""
    echo "sentinel auth-pass $G \"$PW\""
    echo "sentinel sentinel-pass \"$PW\""
    window_passwords_line
  fi
} >"$CONF" || die "cannot write $CONF"
exec redis-server "$CONF" --sentinel
