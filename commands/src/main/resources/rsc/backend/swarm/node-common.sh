# rsc: shared start of every node script on Swarm (POSIX sh; needs only redis-server and redis-cli).
# rsc runs it as: sh -c "<this><the node's own script>" rsc-node [args...]
# Environment (set by rsc): RSC_GROUP (the group), RSC_NODE (this service's name: its DNS name and announced
# host), RSC_SENTINEL_ALIAS (the network alias shared by the group's sentinels).
set -u
G="${RSC_GROUP:-}"
ME="${RSC_NODE:-}"
SALIAS="${RSC_SENTINEL_ALIAS:-$G-sentinels}"

log() { echo "rsc-node $ME: $*"; }
die() { echo "rsc-node $ME: error: $*" >&2; exit 1; }
valid_name() { case "$1" in ''|-*|.*|*[!A-Za-z0-9._-]*) return 1 ;; esac; return 0; }
valid_port() { case "$1" in ''|*[!0-9]*) return 1 ;; esac; [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
valid_number() { case "$1" in ''|*[!0-9]*) return 1 ;; esac; return 0; }

valid_name "$G" || die "RSC_GROUP '$G' is not a valid name"
valid_name "$ME" || die "RSC_NODE '$ME' is not a valid name"
valid_name "$SALIAS" || die "RSC_SENTINEL_ALIAS '$SALIAS' is not a valid name"

# The group's password comes from the Docker secret rsc mounts (never an environment variable or an argument of
# the service); redis-cli finds it in REDISCLI_AUTH, set only inside this process.
PW=""
if [ -r /run/secrets/rsc-password ]; then
  IFS= read -r PW < /run/secrets/rsc-password || [ -n "$PW" ] || die "the password secret is empty"
  case "$PW" in *'"'*|*'\'*|*' '*) die "the group password holds a quote, a backslash or a blank" ;; esac
  export REDISCLI_AUTH="$PW"
fi

# redis-cli with a time limit (a dead overlay address must not hang the start)
cli() {
  h="$1"; p="$2"; shift 2
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 redis-cli --raw -h "$h" -p "$p" "$@" 2>/dev/null
  else
    redis-cli --raw -h "$h" -p "$p" "$@" 2>/dev/null
  fi
}

# The sentinels' addresses: every task behind the shared alias (dnsrr), else the alias itself.
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
