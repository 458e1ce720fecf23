# rsc, the Redis Swarm Console.
#   make build   compile and package (console/target/lib holds the runtime classpath), then the class-data archive
#   make run     start the console (the launcher builds first only when a source is newer than the last build)
#   make test    every unit and integration test of both modules
#   make test-managers  the three-manager Swarm suite (promotes the test bed's workers, demotes them after): run after make test
#   make bench   the benchmark: every figure beside a baseline from the same run (scripts/bench.sh; builds first)
#   make planned-failover  planned failovers under writes, paused vs --no-pause: lost writes, longest pause (issue 14)
#   make clean   remove build output
MVN ?= mvn -B

.PHONY: build run test test-managers bench planned-failover clean

build:
	RSC_BUILD_ONLY=1 ./rsc

run:
	./rsc

test:
	$(MVN) test
	@state=$$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null || true); \
	if [ "$$state" != "active true" ]; then \
	  echo ""; \
	  echo "*** The Swarm suites did NOT run: no Docker Engine here is an active swarm manager."; \
	  echo "*** Build the test bed with: sudo bash scripts/swarm-testbed.sh --nodes 3   (then: make test)"; \
	  echo ""; \
	fi

test-managers:
	$(MVN) -pl commands test -Dgroups=managers -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false

bench:
	bash scripts/bench.sh

planned-failover:
	bash scripts/planned-failover.sh

clean:
	$(MVN) -q clean
