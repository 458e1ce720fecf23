# rsc: shared start of every node script on Swarm (POSIX sh; needs only redis-server and redis-cli).
# rsc runs it as: sh -c "<this><the node's own script>" rsc-node [args...]
# Environment (set by rsc): RSC_GROUP (the group), RSC_NODE (this service's name: its DNS name and announced
# host), RSC_SENTINEL_ALIAS (the network alias shared by the group's sentinels).
set -u
G="${RSC_GROUP:-}"
ME="${RSC_NODE:-}"
SALIAS="${RSC_SENTINEL_ALIAS:-$G-sentinels}"

CR=$(printf '\r')   # redis-cli --raw ends some lines with it

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

# During a password rotation every node and sentinel lets in the old password beside the new one, by ACL, until
# rsc closes the window; a task (re)started meanwhile mounts only the new one. So it takes the passwords the group's
# sentinels let in now, as the SHA-256 hashes ACL GETUSER shows (never the old password itself): a `user` line that
# lets in its own password and theirs. Outside a rotation that is its own password alone, and nothing is printed.
# Prints the config line, or nothing (no password, no sentinel answering, no other password there).
window_passwords_line() {
  [ -n "$PW" ] || return 0
  for s in $(sentinel_addrs); do
    hashes=$(cli "$s" "${SENTINEL_PORT:-26379}" ACL GETUSER default | while IFS= read -r l; do
      l="${l%"$CR"}"
      case "$l" in *[!0-9a-f]*) ;; *) [ ${#l} -eq 64 ] && printf ' #%s' "$l" ;; esac
    done)
    [ -n "$hashes" ] || continue
    set -- $hashes
    [ $# -ge 2 ] || return 0   # the group lets in one password: the one this node has
    log "a password rotation is open: letting in the $# passwords the sentinels let in (learnt from $s)" >&2
    echo "user default on \">$PW\"$hashes ~* &* +@all"
    return 0
  done
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
