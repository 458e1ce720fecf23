package rsc.backend.swarm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.testing.DockerCli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a resident console keeps warm ({@link EngineWatch}) against the real engine: a service created, updated and
 * removed behind its back, and a swarm node's label changed, with the docker CLI, each come as an event on the
 * manager's stream, and the next read after it sees the change; tasks are never kept.
 */
@Tag("swarm")
class WarmEngineIntegrationTests {

    private final Optional<String> dockerHost = Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(s -> !s.isBlank());
    private final String host = dockerHost.orElse(SwarmGateway.DEFAULT_HOST);
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String service = "rsc-warm-" + id;

    /** The docker CLI (fails the test unless it exits 0): its output. */
    private static String docker(String... args) {
        return String.join("\n", DockerCli.run(args));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not within 15 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private List<SwarmService> services(EngineWatch watch) {
        try (SwarmGateway g = SwarmGateway.open(dockerHost, Optional.of(watch))) {
            return g.services(Map.of("rsc.warm-test", id));
        }
    }

    private Map<String, String> selfLabels(EngineWatch watch, String self) {
        try (SwarmGateway g = SwarmGateway.open(dockerHost, Optional.of(watch))) {
            return g.swarmNodes().stream().filter(n -> n.id().equals(self)).findFirst().orElseThrow().labels();
        }
    }

    /** Runs a change with the docker CLI and waits for its event to reach the watch. */
    private static void changed(WarmEngine w, String... args) throws InterruptedException {
        long before = w.generation();
        docker(args);
        long returned = System.nanoTime();
        await("the engine's event for: docker " + String.join(" ", args), () -> w.generation() > before);
        System.out.printf("event seen %.1f ms after docker %s returned%n", (System.nanoTime() - returned) / 1e6,
                String.join(" ", List.of(args).subList(0, 2)));
    }

    @Test
    void changesMadeBehindItsBackAreReadAfterTheirEvent() throws Exception {
        SwarmBed.requireSwarm();
        String self;
        try (SwarmGateway g = SwarmGateway.open(dockerHost)) {
            self = g.engine().nodeId();
        }
        try (EngineWatch watch = new EngineWatch()) {
            WarmEngine w = watch.engine(host).orElseThrow();
            await("the event stream is open", w::live);
            assertEquals(List.of(), services(watch));
            assertTrue(w.keptPaths().stream().anyMatch(p -> p.contains("/services")), "the listing is kept: " + w.keptPaths());

            changed(w, "service", "create", "--detach", "--quiet", "--replicas", "0", "--name", service, "--label",
                    "rsc.warm-test=" + id, "rsc-redis:local");
            assertEquals(List.of(service), services(watch).stream().map(SwarmService::name).toList());

            changed(w, "service", "update", "--detach", "--quiet", "--label-add", "rsc.warm-note=updated", service);
            assertEquals("updated", services(watch).get(0).label("rsc.warm-note"));

            assertFalse(selfLabels(watch, self).containsKey("rsc.warm-test"));
            changed(w, "node", "update", "--label-add", "rsc.warm-test=" + id, self);
            assertEquals(id, selfLabels(watch, self).get("rsc.warm-test"));
            changed(w, "node", "update", "--label-rm", "rsc.warm-test", self);
            assertFalse(selfLabels(watch, self).containsKey("rsc.warm-test"));

            try (SwarmGateway g = SwarmGateway.open(dockerHost, Optional.of(watch))) {
                g.tasks(List.of(service), Map.of());
            }
            assertTrue(w.keptPaths().stream().noneMatch(p -> p.contains("/tasks")), "tasks are never kept: " + w.keptPaths());

            changed(w, "service", "rm", service);
            assertEquals(List.of(), services(watch));
        } finally {
            DockerCli.quietly("service", "rm", service);                          // removed by the test, normally
            DockerCli.quietly("node", "update", "--label-rm", "rsc.warm-test", self);   // likewise
        }
    }
}
