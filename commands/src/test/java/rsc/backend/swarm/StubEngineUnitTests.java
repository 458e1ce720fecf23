package rsc.backend.swarm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rsc.backend.Backends;
import rsc.ops.GroupHealth;
import rsc.error.RscException;
import rsc.catalog.Catalog;
import rsc.session.Engine;
import rsc.session.Outcome;
import rsc.backend.Settings;
import rsc.testing.RecordingInteraction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engines that are not swarm managers, which a single-node test bed cannot be: a stub of the Engine API answering
 * {@code /version} and {@code /info} as a swarm worker, or as an engine outside any swarm, does. The swarm backend
 * must refuse each with its one-line error, and {@code status} must say it in one line.
 */
class StubEngineUnitTests {

    private StubEngine server;

    private String engine(String localNodeState, boolean controlAvailable) throws IOException {
        server = new StubEngine(ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.endsWith("/nodes")) {
                // this manager says 0.0.0.0 as its own address, as managers do; its ManagerStatus.Addr is the real one
                return new StubEngine.Reply(200, "[{\"ID\":\"w1\",\"Spec\":{\"Role\":\"worker\",\"Availability\":\"active\"},"
                        + "\"Status\":{\"State\":\"ready\",\"Addr\":\"10.77.2.2\"}},"
                        + "{\"ID\":\"stub\",\"Spec\":{\"Role\":\"manager\",\"Availability\":\"active\"},"
                        + "\"Status\":{\"State\":\"ready\",\"Addr\":\"0.0.0.0\"},"
                        + "\"ManagerStatus\":{\"Leader\":true,\"Reachability\":\"reachable\",\"Addr\":\"10.77.2.1:2377\"}}]");
            }
            return StubEngine.engineInfo(path, localNodeState, controlAvailable)
                    .orElse(new StubEngine.Reply(404, "{\"message\":\"not in this stub\"}"));
        });
        return server.host();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Settings settings(String host) throws IOException {
        Path state = Files.createTempDirectory("rsc-stub-engine-");
        state.toFile().deleteOnExit();
        return new Settings("swarm", state, "mymaster", "redis:7-alpine", "rsc-net", Optional.of(host));
    }

    @Test
    void aSwarmWorkerIsRefusedWithOneLine() throws IOException {
        String host = engine("active", false);
        Settings s = settings(host);
        assertFalse(SwarmBackend.probe(s), "a worker is not a manager");
        RscException e = assertThrows(RscException.class, () -> new SwarmBackend(s).close());
        assertEquals("the Docker Engine at " + host + " is a swarm worker, not a manager: point DOCKER_HOST at a manager",
                e.getMessage());
        try (Engine engine = new Engine(s, new RecordingInteraction(), Catalog.table(), Backends.factory(), GroupHealth::probe)) {
            Outcome o = engine.execute("status");
            assertNotNull(o.error());
            assertTrue(o.error().getMessage().contains("is a swarm worker, not a manager"), o.error().getMessage());
            assertFalse(o.error().getMessage().contains("\n"));
        }
    }

    @Test
    void anEngineOutsideASwarmIsRefusedWithOneLine() throws IOException {
        String host = engine("inactive", false);
        Settings s = settings(host);
        assertFalse(SwarmBackend.probe(s));
        RscException e = assertThrows(RscException.class, () -> new SwarmBackend(s).close());
        assertEquals("the Docker Engine at " + host + " is not part of a swarm (state inactive): run 'docker swarm init', "
                + "or start rsc with --backend local", e.getMessage());
    }

    @Test
    void aManagerIsAccepted() throws IOException {
        String host = engine("active", true);
        Settings s = settings(host);
        assertTrue(SwarmBackend.probe(s), "an active manager");
        try (SwarmBackend b = new SwarmBackend(s)) {
            assertEquals("stub", b.engine().nodeId());
            assertEquals("1.43", b.engine().api());
        }
    }

    /** restore's one-shot master is reached by a new node at this manager's address as the swarm knows it. */
    @Test
    void nodesReachTheConsoleAtTheManagersSwarmAddress() throws IOException {
        try (SwarmBackend b = new SwarmBackend(settings(engine("active", true)))) {
            assertEquals("10.77.2.1", b.consoleAddress());
        }
    }
}
