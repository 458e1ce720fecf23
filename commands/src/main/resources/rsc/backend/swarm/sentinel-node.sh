# rsc: entrypoint of a Sentinel on Swarm (POSIX sh; needs only redis-server and redis-cli).
# Run as: sh -c "$SCRIPT" rsc-node
# Environment (set by rsc):
#   RSC_GROUP             the group (Sentinel master name)
#   RSC_NODE              this sentinel's service name (its DNS name and announced host)
#   RSC_MASTER            HOST:PORT of the master when no peer sentinel knows the group
#   RSC_QUORUM, RSC_DOWN_AFTER (ms), RSC_FAILOVER_TIMEOUT (ms)
#   RSC_SENTINEL_ALIAS    the network alias shared by the group's sentinels
#   RSC_SENTINEL_ID       40 hex digits: this sentinel's stable run id, so peers recognise it after a restart
#
# A restarted sentinel learns the current master from its peers, not from its first configuration.
# The config is written to /tmp (Sentinel must be able to rewrite it).
set -u
PORT=26379
G="${RSC_GROUP:-}"
ME="${RSC_NODE:-}"
SALIAS="${RSC_SENTINEL_ALIAS:-$G-sentinels}"
CONF=/tmp/sentinel.conf

log() { echo "rsc-node $ME: $*"; }
die() { echo "rsc-node $ME: error: $*" >&2; exit 1; }
valid_name() { case "$1" in ''|-*|.*|*[!A-Za-z0-9._-]*) return 1 ;; esac; return 0; }
valid_port() { case "$1" in ''|*[!0-9]*) return 1 ;; esac; [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
valid_number() { case "$1" in ''|*[!0-9]*) return 1 ;; esac; return 0; }

valid_name "$G" || die "RSC_GROUP '$G' is not a valid name"
valid_name "$ME" || die "RSC_NODE '$ME' is not a valid name"
valid_name "$SALIAS" || die "RSC_SENTINEL_ALIAS '$SALIAS' is not a valid name"
Q="${RSC_QUORUM:-2}"; DA="${RSC_DOWN_AFTER:-5000}"; FT="${RSC_FAILOVER_TIMEOUT:-60000}"
valid_number "$Q" && [ "$Q" -ge 1 ] || die "RSC_QUORUM '$Q' is not a positive number"
valid_number "$DA" || die "RSC_DOWN_AFTER '$DA' is not a number of milliseconds"
valid_number "$FT" || die "RSC_FAILOVER_TIMEOUT '$FT' is not a number of milliseconds"
ID="${RSC_SENTINEL_ID:-}"
case "$ID" in '') ;; *[!0-9a-f]*) die "RSC_SENTINEL_ID must be 40 hex digits" ;; *) [ ${#ID} -eq 40 ] || die "RSC_SENTINEL_ID must be 40 hex digits" ;; esac

# The group's password comes from the Docker secret rsc mounts (never an environment variable or an argument of
# the service); redis-cli finds it in REDISCLI_AUTH, set only inside this process.
PW=""
if [ -r /run/secrets/rsc-password ]; then
  IFS= read -r PW < /run/secrets/rsc-password || [ -n "$PW" ] || die "the password secret is empty"
  case "$PW" in *'"'*|*'\'*|*' '*) die "the group password holds a quote, a backslash or a blank" ;; esac
  export REDISCLI_AUTH="$PW"
fi

cli() {
  h="$1"; p="$2"; shift 2
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 redis-cli --raw -h "$h" -p "$p" "$@" 2>/dev/null
  else
    redis-cli --raw -h "$h" -p "$p" "$@" 2>/dev/null
  fi
}

sentinel_addrs() {
  out=""
  if command -v getent >/dev/null 2>&1; then
    # glibc knows ahostsv4 (every address); musl's getent (redis:7-alpine) may only know hosts
    for a in $({ getent ahostsv4 "$SALIAS" 2>/dev/null || getent hosts "$SALIAS" 2>/dev/null; } \
               | while read -r ip _rest; do echo "$ip"; done); do
      case " $out " in *" $a "*) ;; *) out="$out $a" ;; esac
    done
  fi
  [ -n "$out" ] || out="$SALIAS"
  echo $out
}

MH="${RSC_MASTER%:*}"; MP="${RSC_MASTER##*:}"
SOURCE="its first configuration"
for s in $(sentinel_addrs); do
  set -- $(cli "$s" "$PORT" SENTINEL get-master-addr-by-name "$G")
  if [ $# -eq 2 ] && valid_name "$1" && valid_port "$2"; then
    MH="$1"; MP="$2"; SOURCE="a peer sentinel ($s)"
    break
  fi
done
valid_name "$MH" && valid_port "$MP" || die "RSC_MASTER '${RSC_MASTER:-}' is not HOST:PORT"
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
  echo "sentinel parallel-syncs $G 1"
  if [ -n "$PW" ]; then
    echo "requirepass \"$PW\""
    echo "sentinel auth-pass $G \"$PW\""
    echo "sentinel sentinel-pass \"$PW\""
  fi
} >"$CONF" || die "cannot write $CONF"
exec redis-server "$CONF" --sentinel
