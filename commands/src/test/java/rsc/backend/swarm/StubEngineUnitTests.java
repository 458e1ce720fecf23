package rsc.backend.swarm;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rsc.backend.Backends;
import rsc.command.RscException;
import rsc.commands.Catalog;
import rsc.session.Engine;
import rsc.session.Outcome;
import rsc.session.Settings;
import rsc.testing.RecordingInteraction;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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

    private HttpServer server;

    private String engine(String localNodeState, boolean controlAvailable) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String body;
            if (path.endsWith("/version")) {
                body = "{\"Version\":\"24.0.0\",\"ApiVersion\":\"1.43\"}";
            } else if (path.endsWith("/info")) {
                body = "{\"Swarm\":{\"LocalNodeState\":\"" + localNodeState + "\",\"ControlAvailable\":" + controlAvailable
                        + ",\"NodeID\":\"stub\",\"NodeAddr\":\"127.0.0.1\"}}";
            } else {
                body = "{\"message\":\"not in this stub\"}";
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(path.endsWith("/version") || path.endsWith("/info") ? 200 : 404, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        server.start();
        return "tcp://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
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
        try (Engine engine = new Engine(s, new RecordingInteraction(), Catalog.table(), Backends.factory())) {
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
}
