#!/usr/bin/env bash
# Docker Swarm test bed for rsc (Redis Swarm Console) on a single machine.
#
# Idempotent; safe to run many times. One line of output per step.
#
#   bash scripts/swarm-testbed.sh            # set up (install, dockerd, swarm, image, self-test)
#   bash scripts/swarm-testbed.sh --rebuild  # same, but rebuild the Redis image
#   bash scripts/swarm-testbed.sh --down     # remove services/networks/containers labelled rsc.managed=true
#   bash scripts/swarm-testbed.sh --down --leave   # ... and leave the swarm
#
# Environment:
#   RSC_IMAGE            image name (default rsc-redis:local)
#   RSC_DOCKERD_LOG      dockerd log (default /var/log/rsc-dockerd.log)
#   RSC_SKIP_SELFTEST=1  skip the overlay DNS self-test (saves ~10 s)
#
# The image is built from the host's own Redis binaries (Debian's redis-server package), because
# this machine cannot pull from Docker Hub. See docs/swarm-testbed-findings.md.
set -euo pipefail

IMAGE="${RSC_IMAGE:-rsc-redis:local}"
DOCKERD_LOG="${RSC_DOCKERD_LOG:-/var/log/rsc-dockerd.log}"
LABEL="rsc.managed=true"
SELFTEST_NET="rsc-selftest"
SELFTEST_SRV="rsc-selftest-server"

REBUILD=0
DOWN=0
LEAVE=0
for arg in "$@"; do
  case "$arg" in
    --rebuild) REBUILD=1 ;;
    --down) DOWN=1 ;;
    --leave) LEAVE=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "swarm-testbed: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

step() { echo "swarm-testbed: $*"; }
die() { echo "swarm-testbed: ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (installs packages, starts dockerd)"

export DEBIAN_FRONTEND=noninteractive

# ---------------------------------------------------------------------------------------------
# apt helpers: wait for a concurrently running apt/dpkg instead of failing on its lock.
apt_wait() {
  local i
  for i in $(seq 1 600); do
    if ! fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock >/dev/null 2>&1; then
      return 0
    fi
    [ "$i" = 1 ] && step "waiting for another apt/dpkg process to finish"
    sleep 1
  done
  die "apt/dpkg lock still held after 600 s"
}
APT_UPDATED=0
apt_install() {
  # apt_install pkg...  (runs apt-get update once first if the lists are empty or install fails)
  apt_wait
  if [ "$APT_UPDATED" = 0 ] && [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' || true)" ]; then
    step "apt-get update"
    apt-get update -qq >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  step "apt-get install $*"
  if ! apt-get install -y -qq "$@" >/tmp/rsc-apt.log 2>&1; then
    if [ "$APT_UPDATED" = 0 ]; then
      step "apt-get update (install failed, retrying after update)"
      apt_wait
      apt-get update -qq >/dev/null || die "apt-get update failed"
      APT_UPDATED=1
      apt-get install -y -qq "$@" >/tmp/rsc-apt.log 2>&1 || die "apt-get install $* failed, see /tmp/rsc-apt.log"
    else
      die "apt-get install $* failed, see /tmp/rsc-apt.log"
    fi
  fi
}
command -v fuser >/dev/null 2>&1 || fuser() { return 1; }  # psmisc missing: no lock waiting

# ---------------------------------------------------------------------------------------------
ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
  else
    step "packages present (dockerd, redis-server, redis-cli)"
  fi
  command -v docker >/dev/null 2>&1 || die "docker CLI missing after installing docker.io"
}

ensure_dockerd() {
  if timeout 10 docker info >/dev/null 2>&1; then
    step "dockerd answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    return 0
  fi
  # (a dockerd that is not a zombie: a killed one may linger as <defunct> where PID 1 does not reap)
  if ps -C dockerd -o stat= 2>/dev/null | grep -qv '^Z'; then
    step "dockerd process exists but does not answer yet; waiting"
  else
    step "starting dockerd --storage-driver=vfs (log: $DOCKERD_LOG)"
    # A stale pid file of a dead dockerd would make it refuse to start.
    if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid 2>/dev/null)" 2>/dev/null; then
      rm -f /var/run/docker.pid
    fi
    setsid nohup dockerd --storage-driver=vfs >>"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  local i
  for i in $(seq 1 60); do
    if timeout 5 docker info >/dev/null 2>&1; then
      step "dockerd ready after ${i}s"
      return 0
    fi
    sleep 1
  done
  tail -n 20 "$DOCKERD_LOG" >&2 || true
  die "dockerd did not answer within 60 s (see $DOCKERD_LOG)"
}

ensure_swarm() {
  local state
  state="$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || true)"
  local i
  if [ "$state" = active ]; then
    # Right after a dockerd restart the manager may need a moment before it accepts services.
    for i in $(seq 1 30); do
      [ "$(docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ] && break
      [ "$i" = 30 ] && die "swarm is active but this node's manager is not available after 30 s"
      sleep 1
    done
    step "swarm already active (node $(docker info --format '{{.Swarm.NodeID}}'))"
    return 0
  fi
  if [ "$state" = pending ] || [ "$state" = error ] || [ "$state" = locked ]; then
    die "swarm state is '$state'; fix by hand (docker swarm leave --force) and rerun"
  fi
  step "docker swarm init --advertise-addr 127.0.0.1 (state was '$state')"
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null || die "docker swarm init failed"
  # The manager needs a moment before it accepts services.
  for i in $(seq 1 30); do
    [ "$(docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ] && return 0
    sleep 1
  done
  die "swarm manager not available after init"
}

# ---------------------------------------------------------------------------------------------
# Image: a rootfs made of the host's binaries and every library ldd lists for them.
copy_with_libs() {
  # copy_with_libs ROOT FILE... : copy files (keeping symlinks named as they are) + their libs
  local root="$1"; shift
  local f real lib
  for f in "$@"; do
    mkdir -p "$root$(dirname "$f")"
    if [ -L "$f" ]; then
      # keep the symlink (redis-server -> redis-check-rdb: argv[0] selects the mode) and its target
      cp -a "$f" "$root$f"
      real="$(readlink -f "$f")"
      mkdir -p "$root$(dirname "$real")"
      cp -L "$real" "$root$real"
    else
      cp -L "$f" "$root$f"
    fi
    # ldd prints "name => /path (addr)" and "/lib64/ld-linux... (addr)"
    for lib in $(ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\//{print $1}'); do
      if [ ! -e "$root$lib" ]; then
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
      fi
    done
  done
}

build_image() {
  local work root f
  work="$(mktemp -d /tmp/rsc-image.XXXXXX)"
  root="$work/rootfs"
  mkdir -p "$root"
  # Debian 12 uses merged /usr; mirror it so /bin/sh, /lib64/ld-linux... all work.
  mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/usr/lib" "$root/usr/lib64"
  ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"
  ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
  mkdir -p "$root/etc" "$root/data" "$root/tmp" "$root/proc" "$root/sys" "$root/dev" "$root/root" \
           "$root/var/run" "$root/var/lib/redis" "$root/run"
  chmod 1777 "$root/tmp"
  chmod 0777 "$root/data"

  local bins=()
  for f in redis-server redis-cli redis-sentinel redis-check-rdb redis-check-aof; do
    command -v "$f" >/dev/null 2>&1 && bins+=("$(command -v "$f")")
  done
  [ -x /usr/bin/dash ] && bins+=(/usr/bin/dash)
  # A handful of POSIX tools, only those present on the host (node scripts should not need them).
  for f in cat sleep ls mkdir rm cp mv env timeout date head tail tr sed grep id getent hostname kill; do
    local p
    p="$(command -v "$f" 2>/dev/null || true)"
    case "$p" in /*) bins+=("$(readlink -f "$p")") ;; esac
  done
  copy_with_libs "$root" "${bins[@]}"
  # /usr/bin/redis-server etc. must exist under their own names (redis picks its mode from argv[0])
  for f in redis-server redis-cli redis-sentinel; do
    [ -e "$root/usr/bin/$f" ] || die "image rootfs lacks /usr/bin/$f"
  done
  [ -e "$root/usr/bin/redis-sentinel" ] || ln -s redis-server "$root/usr/bin/redis-sentinel"
  ln -sf dash "$root/usr/bin/sh"

  cat >"$root/etc/nsswitch.conf" <<'EOF'
passwd:   files
group:    files
shadow:   files
hosts:    files dns
networks: files
protocols: files
services: files
EOF
  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
redis:x:999:999:redis:/data:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
redis:x:999:
nogroup:x:65534:
EOF
  : >"$root/etc/hosts"; : >"$root/etc/resolv.conf"; echo rsc-redis >"$root/etc/hostname"
  [ -f /etc/services ] && cp /etc/services "$root/etc/services"
  [ -f /etc/protocols ] && cp /etc/protocols "$root/etc/protocols"

  tar -C "$root" --numeric-owner -cf "$work/rootfs.tar" . || die "tar of rootfs failed"
  docker import \
    --change 'CMD ["redis-server"]' \
    --change 'WORKDIR /data' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'EXPOSE 6379' \
    --message "rsc: host redis $(redis-server --version | awk '{print $3}')" \
    "$work/rootfs.tar" "$IMAGE" >/dev/null || die "docker import failed"
  rm -rf "$work"
}

ensure_image() {
  if [ "$REBUILD" = 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
    step "image $IMAGE present"
  else
    step "building image $IMAGE from host binaries ($(redis-server --version | awk '{print $3}'))"
    local old_id
    old_id="$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
    build_image
    if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect --format '{{.Id}}' "$IMAGE")" ]; then
      docker rmi "$old_id" >/dev/null 2>&1 || true   # still used by a container: keep it
    fi
  fi
  local v
  v="$(docker run --rm --network none "$IMAGE" redis-server --version 2>&1)" \
    || die "image $IMAGE does not run redis-server: $v"
  step "image runs: ${v%% sha=*}"
}

# Self-test: redis-cli in one container reaches a service task by DNS name on an attachable
# overlay network (dnsrr endpoint mode; VIP mode needs IPVS, which this kernel lacks).
selftest_overlay() {
  if [ "${RSC_SKIP_SELFTEST:-0}" = 1 ]; then
    step "overlay self-test skipped (RSC_SKIP_SELFTEST=1)"
    return 0
  fi
  docker service rm "$SELFTEST_SRV" >/dev/null 2>&1 || true
  docker rm -f "$SELFTEST_SRV-client" >/dev/null 2>&1 || true
  if ! docker network inspect "$SELFTEST_NET" >/dev/null 2>&1; then
    docker network create -d overlay --attachable --label "$LABEL" "$SELFTEST_NET" >/dev/null \
      || die "cannot create overlay network $SELFTEST_NET"
  fi
  docker service create -d --no-resolve-image --name "$SELFTEST_SRV" --label "$LABEL" \
    --network "$SELFTEST_NET" --endpoint-mode dnsrr --restart-condition none \
    "$IMAGE" redis-server --port 6379 --protected-mode no --save '' >/dev/null \
    || die "cannot create self-test service"
  local i out=""
  for i in $(seq 1 60); do
    out="$(docker run --rm --name "$SELFTEST_SRV-client" --label "$LABEL" --network "$SELFTEST_NET" \
           "$IMAGE" redis-cli -h "$SELFTEST_SRV" ping 2>&1 || true)"
    [ "$out" = PONG ] && break
    sleep 1
  done
  local tries="$i"
  docker service rm "$SELFTEST_SRV" >/dev/null 2>&1 || true
  if [ "$out" != PONG ]; then
    die "redis-cli in $IMAGE could not reach $SELFTEST_SRV over overlay $SELFTEST_NET: $out"
  fi
  # Service removal is asynchronous; let the task container go before the network.
  for i in $(seq 1 60); do
    [ -z "$(docker ps -aq --filter "label=com.docker.swarm.service.name=$SELFTEST_SRV")" ] && break
    sleep 1
  done
  for i in $(seq 1 30); do
    docker network rm "$SELFTEST_NET" >/dev/null 2>&1 && break
    sleep 1
  done
  step "overlay self-test ok (redis-cli -h $SELFTEST_SRV ping -> PONG, try ${tries})"
}

# ---------------------------------------------------------------------------------------------
down() {
  if ! timeout 10 docker info >/dev/null 2>&1; then
    step "dockerd not answering; nothing to take down"
    return 0
  fi
  local ids
  if [ "$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" = active ]; then
    ids="$(docker service ls -q --filter "label=$LABEL")"
    if [ -n "$ids" ]; then
      step "removing services: $(docker service ls --filter "label=$LABEL" --format '{{.Name}}' | tr '\n' ' ')"
      local names
      names="$(docker service ls --filter "label=$LABEL" --format '{{.Name}}')"
      # shellcheck disable=SC2086
      docker service rm $ids >/dev/null
      # Service removal is asynchronous: wait until the task containers are gone, so the caller
      # (and the network removal below) sees a clean state.
      local i n left
      for i in $(seq 1 60); do
        left=0
        for n in $names; do
          [ -n "$(docker ps -aq --filter "label=com.docker.swarm.service.name=$n")" ] && left=1
        done
        [ "$left" = 0 ] && break
        [ "$i" = 60 ] && die "task containers of removed services still present after 60 s"
        sleep 1
      done
      step "services removed, task containers gone after ${i}s"
    else
      step "no services labelled $LABEL"
    fi
  fi
  ids="$(docker ps -aq --filter "label=$LABEL")"
  if [ -n "$ids" ]; then
    step "removing containers labelled $LABEL"
    # shellcheck disable=SC2086
    docker rm -f $ids >/dev/null
  fi
  ids="$(docker network ls -q --filter "label=$LABEL")"
  if [ -n "$ids" ]; then
    step "removing networks: $(docker network ls --filter "label=$LABEL" --format '{{.Name}}' | tr '\n' ' ')"
    local i net
    for net in $ids; do
      # Task containers of removed services take a few seconds to go away.
      for i in $(seq 1 30); do
        docker network rm "$net" >/dev/null 2>&1 && break
        [ "$i" = 30 ] && die "could not remove network $net (still in use?)"
        sleep 1
      done
    done
  else
    step "no networks labelled $LABEL"
  fi
  if [ "$LEAVE" = 1 ] && [ "$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" != inactive ]; then
    step "leaving the swarm"
    docker swarm leave --force >/dev/null
  fi
}

if [ "$DOWN" = 1 ]; then
  down
  step "down: done"
  exit 0
fi

ensure_packages
ensure_dockerd
ensure_swarm
ensure_image
selftest_overlay
step "ready: image $IMAGE, swarm node $(docker info --format '{{.Swarm.NodeID}}')"
