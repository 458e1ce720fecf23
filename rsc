#!/bin/bash
# rsc, the Redis Swarm Console: builds the console when it is missing or older than its sources, then runs it.
# Works from any directory; stdin, arguments and the exit status pass straight through.
# RSC_BUILD_ONLY=1 builds (always runs Maven), refreshes the class-data archive and exits (what `make build` runs).
# RSC_CLASSPATH runs rsc from a class path built elsewhere (the tests do): no build, no class-data archive.
# Read-only one-shots (-c) are answered by a resident console when one is up (see resident_* below and README,
# "One-shots and the resident console"); RSC_RESIDENT=0 turns that off. './rsc --resident status|stop' manages it.
set -euo pipefail

case "${BASH_SOURCE[0]}" in */*) ROOT="${BASH_SOURCE[0]%/*}" ;; *) ROOT=. ;; esac   # dirname, without its fork
# A one-shot's quick way: perl (scripts/resident-client.pl --launch) works out the resident console's directory as
# resident_key below does, checks that no source is newer than the build, and asks it, sparing this script's forks
# (find, cksum, subshells: about 10 ms of a 30 ms one-shot). When the resident console cannot answer, or anything is
# out of the ordinary, it runs this script again with RSC_RESIDENT_ASKED set (none, declined), which goes on below.
# Whether a one-shot may be answered by a resident console (see resident_* below): -c, and nothing that changes the JVM.
resident_wanted() {
  [ "${RSC_RESIDENT:-1}" != 0 ] && [ -z "${RSC_MAIN:-}${RSC_JAVA_OPTS:-}${RSC_CLASSPATH_APPEND:-}" ] || return 1
  local a
  for a in "$@"; do case "$a" in -c|--command|--command=*) return 0 ;; esac; done
  return 1
}

if [ -z "${RSC_RESIDENT_ASKED:-}${RSC_BUILD_ONLY:-}" ] && resident_wanted "$@" && command -v perl >/dev/null 2>&1; then
  quick=1
  for a in "$@"; do [ "$a" != --resident ] || quick=""; done   # --resident VERB is the launcher's own (below)
  # PERL_SKIP_LOCALE_INIT: perl would read a dozen locale files first; the client prints bytes, not text
  [ -z "$quick" ] || PERL_SKIP_LOCALE_INIT=1 exec perl "${ROOT:-/}/scripts/resident-client.pl" --launch "$PWD" "${BASH_SOURCE[0]}" "$@"
fi
RESIDENT_ASKED="${RSC_RESIDENT_ASKED:-}"
unset RSC_RESIDENT_ASKED

# absolute, without a subshell's fork (about 5 ms here): the build and the class-data archive name files under it
case "${ROOT:-/}" in
  /*) ROOT="${ROOT:-/}" ;;
  .) ROOT="$PWD" ;;
  *) ROOT="$PWD/$ROOT" ;;
esac
TARGET="$ROOT/console/target"
# The JVM flags, in one place: a small, fast-starting JVM (a console, not a server). SerialGC and a small heap keep
# the resident set low; C1 only (TieredStopAtLevel=1) because a console never runs long enough to pay for C2;
# -UsePerfData skips the hsperfdata file.
JAVA_FLAGS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:-UsePerfData -Xss512k -Xms16m -Xmx256m
            -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=64m -Dio.netty.allocator.numDirectArenas=1
            -Dio.netty.allocator.numHeapArenas=1)
# AppCDS: the classes a run loads, pre-parsed and verified, mapped from one file (made after each build; see archive()).
ARCHIVE="$TARGET/rsc.jsa"
# A stamp written when a build succeeds (Maven keeps an up-to-date jar's old time, so the jar cannot serve).
STAMP="$TARGET/.rsc-built"

needs_build() {
  [ -n "${RSC_CLASSPATH:-}" ] && return 1
  [ -n "${RSC_BUILD_ONLY:-}" ] && return 0
  [ -f "$STAMP" ] && [ -d "$TARGET/lib" ] || return 0
  compgen -G "$TARGET/rsc-console-*.jar" >/dev/null || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/commands/pom.xml" "$ROOT/console/pom.xml" \
             "$ROOT/commands/src/main" "$ROOT/console/src/main" -newer "$STAMP" -print -quit 2>/dev/null)" ]
}

# The class path, in a fixed order (the archive is only valid for the class path it was made with). rsc's own jars come
# first: a class the archive lacks is searched for jar by jar, and opening the thirty library jars before rsc-commands
# (signed Bouncy Castle ones among them) cost a one-shot about 50 ms.
classpath() {
  local cp jar
  if [ -n "${RSC_CLASSPATH:-}" ]; then printf '%s' "$RSC_CLASSPATH"; return; fi
  cp="$(ls "$TARGET"/rsc-console-*.jar | head -n 1)"
  for jar in "$TARGET"/lib/rsc-*.jar; do cp="$cp:$jar"; done
  for jar in "$TARGET"/lib/*.jar; do case "${jar##*/}" in rsc-*) ;; *) cp="$cp:$jar" ;; esac; done
  printf '%s' "$cp"
}

# The class path into CP, as the build wrote it down ($CLASSPATH_FILE, newer than the stamp) without a fork: working it
# out (ls, subshells) cost each start about 10 ms. An older build without the file, or RSC_CLASSPATH: as classpath().
CLASSPATH_FILE="$TARGET/rsc.classpath"
load_classpath() {
  CP=""
  if [ -z "${RSC_CLASSPATH:-}" ] && [ "$CLASSPATH_FILE" -nt "$STAMP" ] && { read -r CP <"$CLASSPATH_FILE"; } 2>/dev/null \
     && [ -n "$CP" ]; then
    return
  fi
  CP="$(classpath)"
}

# Makes the AppCDS archive by running what operators run most against a throwaway group (a master, a replica and a
# sentinel on free ports in a temporary state dir, destroyed at the end): help, status, sentinel status, JSON output. A first run
# (not archived) starts the group, so that the archived run reads it the way a one-shot does, over plain sockets,
# before anything brings Lettuce up; its later commands load the Lettuce/Netty classes too. The same JVM then runs
# Swarm's read-only one-shots (status, sentinel status, nodes, services, ps; rsc.console.ArchiveTraining) against the
# engine DOCKER_HOST names, so that the swarm package's classes are archived too; where no swarm manager answers they
# fail at once. Best effort: without an archive rsc runs as before, only slower to start.
archive() {
  local tmp cp state port
  cp="$(classpath)"
  tmp="$ARCHIVE.tmp.$$"
  state="$(mktemp -d "${TMPDIR:-/tmp}/rsc-cds.XXXXXX")"
  port=$((20000 + RANDOM % 9000))   # below the ephemeral range and Swarm's host ports (30000+)
  rm -f "$tmp"
  # stdin is not a terminal, so these are script runs; --keep-going runs every line whatever fails.
  RSC_STATE_DIR="$state" RSC_HISTORY="$state/history" RSC_BACKEND=local \
    timeout 60 java "${JAVA_FLAGS[@]}" -Xshare:off -cp "$cp" rsc.console.Main --keep-going \
    -c "create-master cds --port $port; scale slaves 1 --port $((port + 2)); scale sentinels 1 --port $((port + 1)) --force" </dev/null >/dev/null 2>&1 || true
  RSC_STATE_DIR="$state" RSC_HISTORY="$state/history" RSC_BACKEND=local \
    timeout 60 java "${JAVA_FLAGS[@]}" -XX:ArchiveClassesAtExit="$tmp" -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$cp" \
    rsc.console.ArchiveTraining cds "help; help status; status; sentinel status; sentinel status --json; redis PING; scale slaves 2 --port $((port + 3)); create-master cds2 --port $((port + 4)); destroy cds2 --yes; failover --timeout 1s; destroy cds --yes" \
    </dev/null >/dev/null 2>&1 || true
  # whatever the run left behind (it was killed, a destroy failed): stop it by the pid files it wrote
  find "$state" -name '*.pid' -exec cat {} + 2>/dev/null | while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$state"
  if [ -s "$tmp" ]; then mv -f "$tmp" "$ARCHIVE"; else rm -f "$tmp"; fi
  # This JDK maps archives at a random address and relocates every pointer in them (ArchiveRelocationMode=1, about
  # 25 ms of each start); mode 0 maps at the archive's own address when it is free. Asked here, once: a JDK without
  # the (diagnostic) option would refuse to start with it.
  if java -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -version >/dev/null 2>&1; then
    echo "-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0" >"$ARCHIVE.flags"
  else
    : >"$ARCHIVE.flags"
  fi
}

if needs_build && mkdir -p "$TARGET" && exec 9>"$TARGET/.rsc-build.lock" \
   && { flock 9 2>/dev/null || true; } && needs_build; then   # one build at a time; the second waits, then skips
  echo "rsc: building (mvn package)..." >&2
  log="$(mktemp "${TMPDIR:-/tmp}/rsc-build.XXXXXX")"
  started="$(mktemp "${TMPDIR:-/tmp}/rsc-stamp.XXXXXX")"   # sources edited during the build rebuild next time
  echo "build $(date +%s%N) $$" >"$started"   # names this build (a resident console of an older one stops)
  if ! (cd "$ROOT" && { mvn -q -o -B -DskipTests package || mvn -q -B -DskipTests package; }) >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "rsc: build failed (full log: $log)" >&2
    rm -f "$started"
    exit 1
  fi
  mv -f "$started" "$STAMP"
  rm -f "$log"
  # best effort: without it (a full disk), each start works the class path out as before
  { classpath >"$CLASSPATH_FILE.$$" && echo >>"$CLASSPATH_FILE.$$" && mv -f "$CLASSPATH_FILE.$$" "$CLASSPATH_FILE"; } 2>/dev/null \
    || rm -f "$CLASSPATH_FILE.$$"
  archive
fi
exec 9>&-   # release the build lock (no redirection here: it would stay in force for java)
[ -n "${RSC_BUILD_ONLY:-}" ] && exit 0

# A missing or stale archive is ignored by the JVM (-Xshare:auto checks the jars' sizes and times); its warnings are off.
CDS=()
if [ -f "$ARCHIVE" ] && [ -z "${RSC_CLASSPATH:-}" ]; then
  CDS=(-XX:SharedArchiveFile="$ARCHIVE" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
  cds_flags=""; { read -r cds_flags <"$ARCHIVE.flags"; } 2>/dev/null || true
  for f in $cds_flags; do CDS+=("$f"); done
fi

# ---- The resident console: a warm rsc (rsc.console.resident.ResidentServer) that answers read-only one-shots, so
# that './rsc -c "sentinel status"' costs a connection to a Unix socket instead of a JVM start. One per directory,
# build and rsc environment (the key below), in RSC_RESIDENT_DIR (default $HOME/.rsc/resident; none at all when HOME
# is unset: never a shared directory)/<hash of the key>, 0700 and the user's own; it holds the socket and the endpoint
# file (0600, "unix TOKEN PID"). scripts/resident-client.pl (perl-base: bash cannot speak to a Unix socket) checks the
# directories' owners and modes and the socket's peer credentials before it sends a byte; anything amiss and the
# one-shot runs in its own JVM. The first one-shot runs in its own JVM and starts one in the background; it stops
# after RSC_RESIDENT_IDLE seconds unused (default 600) or when rsc is rebuilt.

# RKEY: what a one-shot's answer may depend on besides its arguments; RDIR: the directory named after it, or empty
# (RWHY says why) when there is none to use
resident_key() {
  local n build="" sum base
  if [ -n "${RSC_CLASSPATH:-}" ]; then build="class path $RSC_CLASSPATH"; else { IFS= read -r build <"$STAMP"; } 2>/dev/null || true; fi
  RKEY="rsc-resident-1"$'\n'"cwd=$PWD"$'\n'"build=$build"$'\n'"HOME=${HOME:-}"
  for n in ${!RSC_@} ${!DOCKER_@}; do
    case "$n" in RSC_RESIDENT*|RSC_BUILD_ONLY) ;; *) RKEY+=$'\n'"$n=${!n}" ;; esac
  done
  RDIR="" RWHY=""
  if [ -n "${RSC_RESIDENT_DIR:-}" ]; then base="$RSC_RESIDENT_DIR"
  elif [ -n "${HOME:-}" ]; then base="$HOME/.rsc/resident"
  else RWHY="HOME is not set (and RSC_RESIDENT_DIR is not)"; return 0
  fi
  case "$base" in /*) ;; *) RWHY="RSC_RESIDENT_DIR is not an absolute path"; return 0 ;; esac
  read -r sum _ < <(cksum <<<"$RKEY")
  RDIR="${base%/}/$sum"
  if [ "${#RDIR}" -gt 90 ]; then RWHY="$RDIR is too long a path for a Unix socket"; RDIR=""; fi
}

# resident_ask VERB ARGS...: prints the resident console's answer and exits with its status; returns 1 when there is
# none to ask (none verified, refused, gone before a word) and 2 when it declined (the command changes the topology)
resident_ask() {
  local verdict r=0
  [ -n "$RDIR" ] && command -v perl >/dev/null 2>&1 || return 1
  { verdict="$(RSC_RESIDENT_KEY="$RKEY" exec perl "$ROOT/scripts/resident-client.pl" "$RDIR" "$@" 3>&1 1>&4 4>&-)" || r=$?; } 4>&1
  case "$verdict" in
    answered) exit "$r" ;;
    declined) return 2 ;;
    *) return 1 ;;
  esac
}

# starts a resident console in the background, detached from this terminal (Ctrl-C here does not reach it), when its
# directory and the one above are the user's own and 0700 (made so when missing, and made so when only the user can
# write them, e.g. 0755 made by hand: nothing in them can be another's; one others can write stays unused)
resident_start() {
  [ -n "$RDIR" ] || return 0
  local d m
  [ -d "${RDIR%/*/*}" ] || mkdir -p -m 700 "${RDIR%/*/*}" 2>/dev/null || return 0
  for d in "${RDIR%/*}" "$RDIR"; do
    [ -d "$d" ] || mkdir -m 700 "$d" 2>/dev/null || return 0
    [ -O "$d" ] && [ ! -L "$d" ] || return 0
    m="$(stat -c %a "$d" 2>/dev/null)"
    case "$m" in
      700) ;;
      [0-7][0145][0145]) chmod 700 "$d" 2>/dev/null || return 0 ;;
      *) return 0 ;;
    esac
  done
  load_classpath
  RSC_RESIDENT_KEY="$RKEY" setsid java "${JAVA_FLAGS[@]}" "${CDS[@]}" -cp "$CP" \
    rsc.console.resident.ResidentServer "$RDIR" "$STAMP" </dev/null >/dev/null 2>>"$RDIR/log" &
}

# --resident VERB anywhere: the console's options around it (--backend local ...) are accepted and change nothing, as
# one resident console answers one-shots of every backend; commands or a script beside it are a usage error
resident_verb=""
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = --resident ]; then j=$((i + 1)); resident_verb="${!j:-?}"; fi
done
if [ -n "$resident_verb" ]; then
  for a in "$@"; do
    case "$a" in -c|--command|--command=*|--file|--file=*|--keep-going|-) echo "usage: rsc [OPTIONS] --resident status|stop" >&2; exit 2 ;; esac
  done
  resident_key
  case "$resident_verb" in
    status|stop) [ -n "$RDIR" ] || { echo "rsc: no resident console: $RWHY"; exit 0; }
                 resident_ask "$resident_verb" || true   # it exits when one answers
                 echo "rsc: no resident console for this directory, build and environment ($RDIR)"; exit 0 ;;
    *) echo "usage: rsc [OPTIONS] --resident status|stop" >&2; exit 2 ;;
  esac
fi

if resident_wanted "$@"; then
  resident_key
  if [ "$RESIDENT_ASKED" != declined ]; then   # declined: one is up, and the command is not one for it
    r=0; resident_ask run "$@" || r=$?
    [ "$r" = 1 ] && resident_start
  fi
fi

# RSC_MAIN and RSC_CLASSPATH_APPEND run another main class in the console's very JVM set-up (make bench uses them).
load_classpath
exec java "${JAVA_FLAGS[@]}" "${CDS[@]}" ${RSC_JAVA_OPTS:-} -cp "$CP${RSC_CLASSPATH_APPEND:+:$RSC_CLASSPATH_APPEND}" \
  "${RSC_MAIN:-rsc.console.Main}" "$@"
