#!/usr/bin/env bash
# rsc, the Redis Swarm Console: builds the console when it is missing or older than its sources, then runs it.
# Works from any directory; stdin, arguments and the exit status pass straight through.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The JVM flags, in one place: a small, fast-starting JVM (a console, not a server).
JAVA_FLAGS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx256m)

# A stamp written when a build succeeds (Maven keeps an up-to-date jar's old time, so the jar cannot serve).
STAMP="$ROOT/console/target/.rsc-built"

needs_build() {
  [ -f "$STAMP" ] && [ -d "$ROOT/console/target/lib" ] && [ -d "$ROOT/console/target/classes" ] || return 0
  ls "$ROOT"/console/target/rsc-console-*.jar >/dev/null 2>&1 || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/commands/pom.xml" "$ROOT/console/pom.xml" \
             "$ROOT/commands/src/main" "$ROOT/console/src/main" -newer "$STAMP" -print -quit 2>/dev/null)" ]
}

if needs_build && mkdir -p "$ROOT/console/target" && exec 9>"$ROOT/console/target/.rsc-build.lock" \
   && { flock 9 2>/dev/null || true; } && needs_build; then   # one build at a time; the second waits, then skips
  echo "rsc: building (mvn package)..." >&2
  log="$(mktemp "${TMPDIR:-/tmp}/rsc-build.XXXXXX")"
  started="$(mktemp "${TMPDIR:-/tmp}/rsc-stamp.XXXXXX")"   # sources edited during the build rebuild next time
  if ! (cd "$ROOT" && { mvn -q -o -B -DskipTests package || mvn -q -B -DskipTests package; }) >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "rsc: build failed (full log: $log)" >&2
    rm -f "$started"
    exit 1
  fi
  mv -f "$started" "$STAMP"
  rm -f "$log"
fi
exec 9>&-   # release the build lock (no redirection here: it would stay in force for java)

exec java "${JAVA_FLAGS[@]}" ${RSC_JAVA_OPTS:-} \
  -cp "$ROOT/console/target/classes:$ROOT/console/target/lib/*" rsc.console.Main "$@"
