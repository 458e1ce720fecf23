# rsc, the Redis Swarm Console.
#   make build   compile and package (console/target/lib holds the runtime classpath)
#   make run     build, then start the console
#   make test    every unit and integration test of both modules
#   make bench   the lead's benchmark script, when present
#   make clean   remove build output
MVN ?= mvn -B

.PHONY: build run test bench clean

build:
	$(MVN) -q -DskipTests package

run: build
	./rsc

test:
	$(MVN) test
	@state=$$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null || true); \
	if [ "$$state" != "active true" ]; then \
	  echo ""; \
	  echo "*** The Swarm suites did NOT run: no Docker Engine here is an active swarm manager."; \
	  echo "*** Build the test bed with: sudo bash scripts/swarm-testbed.sh   (then: make test)"; \
	  echo ""; \
	fi

bench: build
	@if [ -x scripts/bench.sh ]; then ./scripts/bench.sh; \
	elif [ -f scripts/bench.sh ]; then bash scripts/bench.sh; \
	else echo "no scripts/bench.sh yet"; fi

clean:
	$(MVN) -q clean
