#!/usr/bin/env bash
# Docker Swarm test bed for rsc (Redis Swarm Console) on a single machine.
#
# Idempotent; safe to run many times. One line of output per step.
#
#   bash scripts/swarm-testbed.sh            # set up (install, dockerd, swarm, image, self-test)
#   bash scripts/swarm-testbed.sh --rebuild  # same, but rebuild the Redis image
#   bash scripts/swarm-testbed.sh --down     # remove services/networks/containers labelled rsc.managed=true
#   bash scripts/swarm-testbed.sh --down --leave   # ... and leave the swarm
#   bash scripts/swarm-testbed.sh --nodes 3  # a 3-node swarm: this manager plus 2 workers, each an extra Docker
#                                            # Engine in a network namespace (nK, 10.77.K.2)
#   bash scripts/swarm-testbed.sh --check-image    # build the image as a fresh machine would, check it, remove it
#   bash scripts/swarm-testbed.sh --engine K       # start worker K's engine again (after a fault test stopped it)
#
# --down also removes the workers (engines, namespaces, links) and leaves a working single-node swarm.
#
# Environment:
#   RSC_IMAGE            image name (default rsc-redis:local)
#   RSC_DOCKERD_LOG      dockerd log (default /var/log/rsc-dockerd.log)
#   RSC_SKIP_SELFTEST=1  skip the overlay DNS self-test (saves ~10 s)
#   RSC_DRILL_IMAGE      the image with a docker CLI that drills run on other nodes (default rsc-docker-cli:local)
#
# The image is built from the host's own Redis binaries (Debian's redis-server package), because
# this machine cannot pull from Docker Hub. See docs/swarm-testbed-findings.md.
set -euo pipefail

IMAGE="${RSC_IMAGE:-rsc-redis:local}"
DOCKERD_LOG="${RSC_DOCKERD_LOG:-/var/log/rsc-dockerd.log}"
LABEL="rsc.managed=true"
SELFTEST_NET="rsc-selftest"
SELFTEST_SRV="rsc-selftest-server"

DRILL_IMAGE="${RSC_DRILL_IMAGE:-rsc-docker-cli:local}"
NET_PREFIX=10.77

REBUILD=0
DOWN=0
LEAVE=0
CHECK_IMAGE=0
ENGINE=""
NODES=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) REBUILD=1 ;;
    --down) DOWN=1 ;;
    --leave) LEAVE=1 ;;
    --check-image) CHECK_IMAGE=1 ;;
    --engine) shift; ENGINE="${1:-}" ;;
    --nodes) shift; NODES="${1:-}" ;;
    --nodes=*) NODES="${1#--nodes=}" ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "swarm-testbed: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
case "$NODES" in [1-9]) ;; *) echo "swarm-testbed: --nodes takes 1 to 9" >&2; exit 2 ;; esac

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

offline_images() {   # offline_images PID: whether that dockerd runs with DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1
  tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | grep -qx 'DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1'
}

ensure_dockerd() {
  if timeout 10 docker info >/dev/null 2>&1; then
    step "dockerd answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    local pid
    pid="$(cat /var/run/docker.pid 2>/dev/null || true)"
    if [ -n "$pid" ] && ! offline_images "$pid"; then
      step "note: dockerd runs without DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: each task here asks the registry first"
    fi
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
    # DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: a Swarm task otherwise asks the registry for its image before it starts,
    # though the image is here; with no registry reachable that is a DNS lookup, which times out (10 s and more) while
    # a fault test has cut the links: a task Swarm reschedules then stayed 'Preparing' (CI, make test-managers)
    setsid nohup env DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 dockerd --storage-driver=vfs >>"$DOCKERD_LOG" 2>&1 </dev/null &
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
  local state advertise=127.0.0.1
  [ "$NODES" -gt 1 ] && advertise="$MANAGER_ADDR"
  state="$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || true)"
  local i
  if [ "$state" = active ] && [ "$(docker info --format '{{.Swarm.NodeAddr}}')" != "$advertise" ]; then
    # A manager advertising 127.0.0.1 cannot be joined by workers (and the reverse is a multi-node bed asked to
    # be single again): leave and init anew, which removes every service.
    step "the manager advertises $(docker info --format '{{.Swarm.NodeAddr}}'), not $advertise: leaving the swarm to init it anew"
    docker swarm leave --force >/dev/null
    state=inactive
  fi
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
  step "docker swarm init --advertise-addr $advertise (state was '$state')"
  docker swarm init --advertise-addr "$advertise" >/dev/null || die "docker swarm init failed"
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
  build_image_into "$IMAGE"
}

build_image_into() {
  local target="$1" work root f
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
    [ "$f" = redis-sentinel ] && [ "${RSC_IMAGE_WITHOUT_SENTINEL:-0}" = 1 ] && continue
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
  # Debian ships /usr/bin/redis-sentinel only in the redis-sentinel package; redis picks its mode from argv[0],
  # so a symlink named redis-sentinel does the same. Make it before checking (a fresh machine has no such package).
  [ -e "$root/usr/bin/redis-sentinel" ] || [ ! -e "$root/usr/bin/redis-server" ] \
    || ln -s redis-server "$root/usr/bin/redis-sentinel"
  for f in redis-server redis-cli redis-sentinel; do
    [ -e "$root/usr/bin/$f" ] || die "image rootfs lacks /usr/bin/$f"
  done
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
    "$work/rootfs.tar" "$target" >/dev/null || die "docker import failed"
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
  check_image "$IMAGE"
}

# The image runs redis-server, and redis-sentinel (a symlink where the host has no redis-sentinel package) starts
# Sentinel mode: a sentinel answers SENTINEL MASTERS and says redis_mode:sentinel.
check_image() {
  local img="$1" v
  v="$(docker run --rm --network none "$img" redis-server --version 2>&1)" \
    || die "image $img does not run redis-server: $v"
  v="$(docker run --rm --network none "$img" sh -c '
    printf "port 26379\nsentinel monitor m 127.0.0.1 6379 1\n" >/tmp/s.conf
    redis-sentinel /tmp/s.conf >/tmp/s.log 2>&1 &
    i=0
    while [ $i -lt 100 ]; do
      if redis-cli -p 26379 INFO server 2>/dev/null | grep -q "redis_mode:sentinel"; then echo sentinel-ok; exit 0; fi
      sleep 0.1; i=$((i+1))
    done
    cat /tmp/s.log; exit 1' 2>&1)" || die "image $img does not start Sentinel with redis-sentinel: $v"
  step "image $img runs: $(docker run --rm --network none "$img" redis-server --version | sed 's/ sha=.*//'), redis-sentinel starts Sentinel mode"
}

# --check-image: build the image as a fresh machine would (no redis-sentinel binary on the host: Debian's
# redis-sentinel package not installed), check it, remove it. CI runs this; it leaves nothing behind.
check_image_build() {
  local img="rsc-redis:check-$$"
  step "building $img as without the redis-sentinel package"
  IMAGE="$img" RSC_IMAGE_WITHOUT_SENTINEL=1 build_image_into "$img"
  check_image "$img"
  docker rmi "$img" >/dev/null 2>&1 || true
  step "check-image: ok (image built and Sentinel started without a redis-sentinel binary on the host)"
}

# The drill image: a docker CLI (the host's) and nothing else. rsc runs it as a one-off task pinned to another swarm
# node, with that node's /var/run/docker.sock mounted, to kill, pause or resume a task's container there (a manager's
# engine cannot reach containers on other nodes). A real swarm uses docker:cli, the default of RSC_DRILL_IMAGE.
ensure_drill_image() {
  if [ "$REBUILD" = 0 ] && docker image inspect "$DRILL_IMAGE" >/dev/null 2>&1; then
    step "drill image $DRILL_IMAGE present"
    return 0
  fi
  local work root cli
  cli="$(command -v docker)"
  step "building drill image $DRILL_IMAGE from $cli"
  work="$(mktemp -d /tmp/rsc-drill-image.XXXXXX)"
  root="$work/rootfs"
  mkdir -p "$root/usr/bin" "$root/usr/lib" "$root/usr/lib64" "$root/tmp" "$root/etc" "$root/root"
  ln -s usr/bin "$root/bin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
  chmod 1777 "$root/tmp"
  copy_with_libs "$root" "$(readlink -f "$cli")"
  [ -e "$root/usr/bin/docker" ] || ln -s "$(readlink -f "$cli")" "$root/usr/bin/docker"
  echo 'root:x:0:0:root:/root:/bin/false' >"$root/etc/passwd"
  tar -C "$root" --numeric-owner -cf "$work/rootfs.tar" . || die "tar of the drill rootfs failed"
  docker import --change 'ENTRYPOINT ["/usr/bin/docker"]' --change 'ENV HOME=/root' \
    --message "rsc: docker CLI for drills" "$work/rootfs.tar" "$DRILL_IMAGE" >/dev/null || die "docker import failed"
  rm -rf "$work"
  docker run --rm --network none "$DRILL_IMAGE" --version >/dev/null || die "the drill image does not run docker"
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
# Workers: extra Docker Engines in network namespaces (../shared/SWARM-MULTINODE.md). Worker K (2..9) lives in
# namespace nK behind the veth pair vhK (host side, 10.77.K.1) / vnK (10.77.K.2); its engine listens on
# unix:///var/run/rsc-dockerK.sock. The manager advertises 10.77.2.1, an address every worker reaches.
MANAGER_ADDR="$NET_PREFIX.2.1"
worker_host() { echo "unix:///var/run/rsc-docker$1.sock"; }
wdocker() { local k="$1"; shift; docker -H "$(worker_host "$k")" "$@"; }
existing_workers() {   # the K of every worker namespace or engine left on this machine
  { ip netns list 2>/dev/null | awk '{print $1}' | sed -n 's/^n\([2-9]\)$/\1/p'
    ls /var/run/rsc-docker[2-9].pid 2>/dev/null | sed -n 's/.*rsc-docker\([2-9]\)\.pid$/\1/p'
    ip -o link show 2>/dev/null | sed -n 's/^[0-9]*: vh\([2-9]\)[@:].*/\1/p'; } | sort -u
}

ensure_link() {
  local k="$1"
  [ -e "/var/run/netns/n$k" ] || ip netns add "n$k"
  if ! ip link show "vh$k" >/dev/null 2>&1; then
    ip link add "vh$k" type veth peer name "vn$k"
    ip link set "vn$k" netns "n$k"
  fi
  # (no 'ip … | grep -q' under pipefail: grep stops reading early, ip dies of SIGPIPE, and the test reads false)
  case "$(ip -o addr show dev "vh$k")" in *" $NET_PREFIX.$k.1/24"*) ;; *) ip addr add "$NET_PREFIX.$k.1/24" dev "vh$k" ;; esac
  ip link set "vh$k" up
  ip netns exec "n$k" sh -c "ip -o addr show dev vn$k | grep ' $NET_PREFIX.$k.2/24' >/dev/null || ip addr add $NET_PREFIX.$k.2/24 dev vn$k
    ip link set vn$k up; ip link set lo up; ip route replace default via $NET_PREFIX.$k.1" \
    || die "cannot configure namespace n$k"
}

ensure_forwarding() {
  sysctl -qw net.ipv4.ip_forward=1
  # Docker sets FORWARD to DROP; workers must reach each other (overlay VXLAN, gossip) through this host.
  iptables -C FORWARD -i 'vh+' -o 'vh+' -j ACCEPT 2>/dev/null || iptables -I FORWARD -i 'vh+' -o 'vh+' -j ACCEPT
  # Anything else a worker sends out is refused at once: its engine tries to pull every tagged image before using
  # the local copy, and a DNS query dropped silently costs each task start about 35 s; refused, it costs nothing.
  # (It also keeps the test bed's traffic on this machine.)
  iptables -C FORWARD -i 'vh+' ! -o 'vh+' -j REJECT 2>/dev/null || iptables -A FORWARD -i 'vh+' ! -o 'vh+' -j REJECT
  # The manager's VXLAN packets to worker K must come from the address it advertises (10.77.2.1), not from
  # 10.77.K.1 (the source Linux picks for vhK), or worker K drops them: overlay traffic between the manager and every
  # worker but the first hung. A rule, not a route's source address: a test that takes a link down and up again
  # would lose the route's setting.
  iptables -t nat -C POSTROUTING -o 'vh+' -p udp --dport 4789 ! -s "$MANAGER_ADDR" -m addrtype --src-type LOCAL -j SNAT --to-source "$MANAGER_ADDR" 2>/dev/null \
    || iptables -t nat -I POSTROUTING -o 'vh+' -p udp --dport 4789 ! -s "$MANAGER_ADDR" -m addrtype --src-type LOCAL -j SNAT --to-source "$MANAGER_ADDR"
}

ensure_worker_engine() {
  local k="$1" i pid
  if timeout 5 docker -H "$(worker_host "$k")" info >/dev/null 2>&1; then
    pid="$(cat "/var/run/rsc-docker$k.pid" 2>/dev/null || true)"
    if [ -z "$pid" ] || offline_images "$pid"; then
      return 0
    fi
    # an engine an earlier version of this script started: it would ask the registry before every task
    step "restarting the engine of worker $k (started without DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1)"
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  if [ -f "/var/run/rsc-docker$k.pid" ] && ! kill -0 "$(cat "/var/run/rsc-docker$k.pid" 2>/dev/null)" 2>/dev/null; then
    rm -f "/var/run/rsc-docker$k.pid"
  fi
  step "starting the engine of worker $k in namespace n$k ($NET_PREFIX.$k.2; log /var/log/rsc-dockerd$k.log)"
  # (DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: see ensure_dockerd)
  # nsenter, not 'ip netns exec' (which remounts /sys: dockerd then fails with "Devices cgroup isn't mounted")
  setsid nohup nsenter --net="/var/run/netns/n$k" env DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 dockerd --data-root "/var/lib/rsc-docker$k" --dns "$NET_PREFIX.$k.1" \
    --exec-root "/var/run/rsc-docker$k" -p "/var/run/rsc-docker$k.pid" -H "$(worker_host "$k")" \
    --storage-driver=vfs >>"/var/log/rsc-dockerd$k.log" 2>&1 </dev/null &
  for i in $(seq 1 60); do
    timeout 5 docker -H "$(worker_host "$k")" info >/dev/null 2>&1 && return 0
    sleep 1
  done
  tail -n 20 "/var/log/rsc-dockerd$k.log" >&2 || true
  die "the engine of worker $k did not answer within 60 s"
}

ensure_worker_joined() {
  local k="$1" state token
  state="$(wdocker "$k" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || true)"
  if [ "$state" = active ] && [ "$(wdocker "$k" info --format '{{.Swarm.RemoteManagers}}' 2>/dev/null)" != "[]" ] \
     && docker node inspect "$(wdocker "$k" info --format '{{.Swarm.NodeID}}')" >/dev/null 2>&1; then
    return 0
  fi
  [ "$state" = inactive ] || wdocker "$k" swarm leave --force >/dev/null 2>&1 || true
  token="$(docker swarm join-token -q worker)"
  step "worker $k joins the swarm at $MANAGER_ADDR:2377"
  wdocker "$k" swarm join --token "$token" --advertise-addr "$NET_PREFIX.$k.2" "$MANAGER_ADDR:2377" >/dev/null \
    || die "worker $k could not join the swarm"
}

ensure_worker_image() {   # ensure_worker_image K IMAGE: the manager's image, copied (no registry here)
  local k="$1" img="$2" want
  want="$(docker image inspect --format '{{.Id}}' "$img")"
  if [ "$(wdocker "$k" image inspect --format '{{.Id}}' "$img" 2>/dev/null || true)" != "$want" ]; then
    step "copying image $img to worker $k"
    docker save "$img" | wdocker "$k" load >/dev/null || die "cannot load $img into worker $k"
  fi
}

# Every worker's node label says where its engine's socket is (rsc's drills mount it; here it is not the default).
ensure_labels() {
  local k id
  for k in $(seq 2 "$NODES"); do
    id="$(wdocker "$k" info --format '{{.Swarm.NodeID}}')"
    if [ "$(docker node inspect --format '{{index .Spec.Labels "rsc.docker-socket"}}' "$id")" != "/var/run/rsc-docker$k.sock" ]; then
      docker node update --label-add "rsc.docker-socket=/var/run/rsc-docker$k.sock" "$id" >/dev/null
    fi
  done
}

# Nodes of earlier test beds that are down for good (same hostname 'vm', other ids) confuse placement: remove them.
prune_down_nodes() {
  local id
  for id in $(docker node ls --format '{{.ID}} {{.Status}}' | awk '$2=="Down"{print $1}'); do
    docker node demote "$id" >/dev/null 2>&1 || true
    docker node rm --force "$id" >/dev/null 2>&1 || true
  done
}

# The workers' DNS (scripts/testbed-dns.py): NXDOMAIN at once for every name, on 10.77.K.1 only.
DNS_PID=/var/run/rsc-testbed-dns.pid
ensure_dns() {
  local addrs=() k
  for k in $(seq 2 "$NODES"); do addrs+=("$NET_PREFIX.$k.1"); done
  if [ -f "$DNS_PID" ] && kill -0 "$(cat "$DNS_PID")" 2>/dev/null \
     && [ "$(tr '\0' ' ' <"/proc/$(cat "$DNS_PID")/cmdline" | awk '{$1=$2=""; print}' | xargs)" = "${addrs[*]}" ]; then
    return 0
  fi
  stop_dns
  command -v python3 >/dev/null 2>&1 || apt_install python3
  setsid nohup python3 "$(cd "$(dirname "$0")" && pwd)/testbed-dns.py" "${addrs[@]}" >/dev/null 2>&1 </dev/null &
  echo $! >"$DNS_PID"
  step "workers' DNS (NXDOMAIN for every name) on ${addrs[*]}"
}
stop_dns() {
  if [ -f "$DNS_PID" ]; then kill "$(cat "$DNS_PID")" 2>/dev/null || true; rm -f "$DNS_PID"; fi
}

ensure_workers() {
  local k
  [ "$NODES" -gt 1 ] || return 0
  ensure_dns
  for k in $(seq 2 "$NODES"); do ensure_worker_engine "$k"; done
  prune_down_nodes
  for k in $(seq 2 "$NODES"); do ensure_worker_joined "$k"; done
  ensure_labels
  for k in $(seq 2 "$NODES"); do
    ensure_worker_image "$k" "$IMAGE"
    ensure_worker_image "$k" "$DRILL_IMAGE"
  done
  local i ready
  for i in $(seq 1 60); do
    ready="$(docker node ls --format '{{.Status}} {{.Availability}}' | grep -c '^Ready Active$' || true)"
    [ "$ready" -ge "$NODES" ] && break
    [ "$i" = 60 ] && die "only $ready of $NODES swarm nodes are ready and active after 60 s"
    sleep 1
  done
  step "$NODES swarm nodes ready (one manager): $(docker node ls --format '{{.ID}}' | while read -r id; do
    docker node inspect --format '{{.Status.Addr}}' "$id"; done | tr '\n' ' ')"
}

remove_workers() {
  local k pid i
  for k in $(existing_workers); do
    step "removing worker $k (engine, namespace n$k, link vh$k)"
    timeout 10 docker -H "$(worker_host "$k")" swarm leave --force >/dev/null 2>&1 || true
    pid="$(cat "/var/run/rsc-docker$k.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for i in $(seq 1 30); do
        { kill -0 "$pid" 2>/dev/null && ! ps -o stat= -p "$pid" | grep -q Z; } || break
        sleep 1
      done
      kill -9 "$pid" 2>/dev/null || true
    fi
    # the engine's containerd and shims live in the namespace too
    for pid in $(ip netns pids "n$k" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    rm -f "/var/run/rsc-docker$k.pid" "/var/run/rsc-docker$k.sock"
    # A worker that joins the next swarm with the old one's network state loses overlay traffic from the manager
    # (seen here: redis-cli over the overlay hung until the engine's data was removed): each bed starts clean.
    # An engine that was killed leaves its data root (and container mounts under it) mounted: unmount them first,
    # deepest first, or rm fails with "Device or resource busy".
    awk -v a="/var/lib/rsc-docker$k" -v b="/var/run/rsc-docker$k" '$2 == a || index($2, a "/") == 1 || $2 == b || index($2, b "/") == 1 {print $2}' /proc/mounts \
      | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "/var/lib/rsc-docker$k" "/var/run/rsc-docker$k"
    ip netns del "n$k" 2>/dev/null || true
    ip link del "vh$k" 2>/dev/null || true
  done
  iptables -D FORWARD -i 'vh+' -o 'vh+' -j ACCEPT 2>/dev/null || true
  iptables -D FORWARD -i 'vh+' ! -o 'vh+' -j REJECT 2>/dev/null || true
  iptables -t nat -D POSTROUTING -o 'vh+' -p udp --dport 4789 ! -s "$MANAGER_ADDR" -m addrtype --src-type LOCAL -j SNAT --to-source "$MANAGER_ADDR" 2>/dev/null || true
  stop_dns
}
# ---------------------------------------------------------------------------------------------
down() {
  if ! timeout 10 docker info >/dev/null 2>&1; then
    step "dockerd not answering; nothing to take down"
    remove_workers
    return 0
  fi
  if [ -n "$(existing_workers)" ]; then
    # A multi-node bed: the manager leaves first (SWARM-MULTINODE.md; that removes every service and overlay
    # network), then the workers go, then a single-node swarm is made again (unless --leave).
    if [ "$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null)" != inactive ]; then
      step "leaving the multi-node swarm"
      docker swarm leave --force >/dev/null || true
    fi
    remove_workers
    if [ "$LEAVE" = 0 ]; then
      NODES=1
      ensure_swarm
    fi
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

if [ -n "${ENGINE:-}" ]; then
  # a worker's engine stopped by a fault test: start it again as the test bed starts it (it rejoins by itself)
  case "$ENGINE" in [2-9]) ;; *) die "--engine takes a worker number, 2 to 9" ;; esac
  [ -e "/var/run/netns/n$ENGINE" ] || die "no worker $ENGINE on this machine (bash $0 --nodes N makes them)"
  ensure_worker_engine "$ENGINE"
  step "the engine of worker $ENGINE answers"
  exit 0
fi

ensure_packages
ensure_dockerd
if [ "$CHECK_IMAGE" = 1 ]; then
  check_image_build
  exit 0
fi
if [ "$NODES" -gt 1 ]; then
  ensure_link 2   # the manager advertises vh2's address: it must exist before 'swarm init'
  for k in $(seq 3 "$NODES"); do ensure_link "$k"; done
  ensure_forwarding
else
  [ -z "$(existing_workers)" ] || die "a multi-node test bed is up: 'bash $0 --down' removes it first"
fi
ensure_swarm
ensure_image
ensure_drill_image
ensure_workers
selftest_overlay
step "ready: image $IMAGE, drill image $DRILL_IMAGE, $(docker node ls -q | wc -l) swarm node(s), manager $(docker info --format '{{.Swarm.NodeAddr}}')"
