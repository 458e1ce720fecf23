package rsc.backend.swarm;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rsc.backend.Progress;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.model.NodeState;
import rsc.model.Secret;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password rotation's Engine API calls, against a stub of the Engine API (the real swarm runs them in
 * SwarmPasswordRotationIntegrationTests): which secrets are the group's (the name filter matches prefixes), a
 * second stage makes no second secret, and swapping a service's secret sends its spec back with the new one mounted
 * where the old one was, at the version read.
 */
class SecretSwapUnitTests {

    private static final String SECRETS = "[{\"ID\":\"s1\",\"Spec\":{\"Name\":\"rsc-g-password\"}},"
            + "{\"ID\":\"s2\",\"Spec\":{\"Name\":\"rsc-g-password-2\"}},{\"ID\":\"s9\",\"Spec\":{\"Name\":\"rsc-g-2-password\"}}]";
    private static final String SERVICE = "{\"ID\":\"svc1\",\"Version\":{\"Index\":7},\"Spec\":{\"Name\":\"g-redis-2\","
            + "\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"redis:7\",\"Secrets\":[{\"SecretID\":\"s1\",\"SecretName\":"
            + "\"rsc-g-password\",\"File\":{\"Name\":\"rsc-password\",\"UID\":\"0\",\"GID\":\"0\",\"Mode\":256}}]}}}}";

    private HttpServer server;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private SwarmGateway engine() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(ex.getRequestMethod() + " " + path + (ex.getRequestURI().getQuery() == null ? "" : "?"
                    + ex.getRequestURI().getQuery()) + (body.isEmpty() ? "" : " " + body));
            String reply;
            if (path.endsWith("/version")) {
                reply = "{\"Version\":\"24.0.0\",\"ApiVersion\":\"1.43\"}";
            } else if (path.endsWith("/info")) {
                reply = "{\"Swarm\":{\"LocalNodeState\":\"active\",\"ControlAvailable\":true,\"NodeID\":\"n\",\"NodeAddr\":\"127.0.0.1\"}}";
            } else if (path.endsWith("/secrets")) {
                reply = SECRETS;
            } else if (path.endsWith("/services/g-redis-2")) {
                reply = SERVICE;
            } else if (path.endsWith("/services/svc1/update")) {
                reply = "{}";
            } else {
                reply = "{\"message\":\"not in this stub\"}";
            }
            byte[] b = reply.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(reply.contains("not in this stub") ? 404 : 200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        server.start();
        return SwarmGateway.open(Optional.of("tcp://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static Node replica() {
        Endpoint e = new Endpoint("g-redis-2", 6379);
        return new Node("g-redis-2", "g", NodeKind.REDIS, 2, e, e, NodeState.RUNNING, "");
    }

    @Test
    void theGroupsSecretsAreItsGenerationsOnly() throws IOException {
        try (SwarmGateway gateway = engine()) {
            assertEquals(List.of("rsc-g-password", "rsc-g-password-2"), GroupSecrets.all(gateway, "g").stream()
                    .map(GroupSecrets.Generation::name).toList());
            SecretSwap swap = new SecretSwap(gateway, null);
            swap.stage("g", new Secret("whatever"), Progress.NONE);
            assertFalse(calls.stream().anyMatch(c -> c.startsWith("POST") && c.contains("/secrets/create")),
                    "two secrets: the newest was staged by an earlier run: " + calls);
            assertEquals(List.of("DELETE /secrets/s1   # rsc-g-password, the old password"), swap.planRetire("g"));
            assertFalse(swap.runsStaged(replica()), "it mounts rsc-g-password, not the staged rsc-g-password-2");
        }
    }

    @Test
    void aSwapSendsTheSpecBackWithTheNewSecretMountedAtTheVersionRead() throws IOException {
        try (SwarmGateway gateway = engine()) {
            gateway.swapSecret("g-redis-2", new SwarmGateway.SecretRef("s2", "rsc-g-password-2", "rsc-password"), java.util.List.of());
            String update = calls.stream().filter(c -> c.startsWith("POST") && c.contains("/services/svc1/update"))
                    .findFirst().orElseThrow(() -> new AssertionError("no update: " + calls));
            assertTrue(update.contains("version=7"), update);
            assertTrue(update.contains("\"SecretID\":\"s2\"") && update.contains("\"SecretName\":\"rsc-g-password-2\"")
                    && update.contains("\"Name\":\"rsc-password\"") && !update.contains("\"s1\""), update);
            assertTrue(update.contains("\"Image\":\"redis:7\""), "the rest of the spec is kept: " + update);
        }
    }
}
