package rsc.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rsc.error.RscException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reads a one-shot makes go over plain Engine API GETs ({@link PlainEngine}), against a stub of the Engine API:
 * without docker-java, with docker-java's filters, the engine's versions from {@code /_ping}, its errors in one line
 * (no leader as {@link SwarmControlLost}), and the same records docker-java's beans gave ({@link EngineJson}; the
 * fixtures' expected values are what {@code EngineModels} made of the same JSON before the reads moved).
 */
class PlainEngineUnitTests {

    private StubEngine server;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    private static String fixture(String name) throws IOException {
        try (InputStream in = PlainEngineUnitTests.class.getResourceAsStream("engine-" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A manager answering the listings with the fixtures, {@code /_ping} with headers when {@code ping}. */
    private SwarmGateway gateway(boolean ping, StubEngine.Reply services) throws IOException {
        String tasks = fixture("tasks");
        server = StubEngine.manager(asked, ping, services, q -> new StubEngine.Reply(200, tasks), fixture("nodes"));
        return SwarmGateway.open(Optional.of(server.host()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void listingsGoWithoutDockerJavaAndWithItsFilters() throws IOException {
        try (SwarmGateway g = gateway(true, new StubEngine.Reply(200, fixture("services")))) {
            assertEquals(4, g.services(new java.util.LinkedHashMap<>(Map.of(SwarmBackend.MANAGED, "true"))).size());
            assertEquals(4, g.tasks(List.of("x-redis-1", "y"), Map.of()).size());
            assertEquals(4, g.swarmNodes().size());
            assertFalse(g.dockerJavaBuilt(), "a read builds no docker-java client");
            assertEquals(List.of("/_ping", "/info", "/v1.41/services?filters={\"label\":[\"rsc.managed=true\"]}",
                    "/v1.41/tasks?filters={\"service\":[\"x-redis-1\",\"y\"]}", "/v1.41/nodes"), asked);
            assertEquals("20.10.24+dfsg1", g.engine().version());
            assertEquals("1.41", g.engine().api());
        }
    }

    @Test
    void anEngineWithoutPingHeadersIsAskedForItsVersion() throws IOException {
        try (SwarmGateway g = gateway(false, new StubEngine.Reply(200, "[]"))) {
            assertEquals(List.of("/_ping", "/version", "/info"), asked);
            assertEquals("24.0.0", g.engine().version());
            assertEquals("1.43", g.engine().api());
        }
    }

    @Test
    void noLeaderIsSwarmControlLostInOneLine() throws IOException {
        String engine = "rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few "
                + "managers are online. Make sure more than half of the managers are online.";
        try (SwarmGateway g = gateway(true, new StubEngine.Reply(503, "{\"message\":\"" + engine + "\"}\n"))) {
            SwarmControlLost e = assertThrows(SwarmControlLost.class, () -> g.services(Map.of()));
            assertEquals(SwarmControlLost.fromEngine("list services", engine, null).getMessage(), e.getMessage());
        }
    }

    @Test
    void anotherEngineErrorIsItsMessageInOneLine() throws IOException {
        try (SwarmGateway g = gateway(true, new StubEngine.Reply(500, "{\"message\":\"boom\\nand more\"}"))) {
            RscException e = assertThrows(RscException.class, () -> g.services(Map.of()));
            assertFalse(e instanceof SwarmControlLost);
            assertEquals("docker: cannot list services: boom and more", e.getMessage());
        }
    }

    @Test
    void anEngineThatDoesNotAnswerIsOneLine() {
        RscException e = assertThrows(RscException.class, () -> SwarmGateway.open(Optional.of("tcp://127.0.0.1:1")));
        assertTrue(e.getMessage().startsWith("cannot reach the Docker Engine at tcp://127.0.0.1:1: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void theTreeIsTheOneObjectMapperReads() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        for (String json : List.of(fixture("services"), fixture("tasks"), fixture("nodes"),
                "{\"a\":1,\"a\":2,\"b\":[1.5,12345678901,123456789012345678901234,true,false,null,\"x\\u00e9\"],\"c\":{}}")) {
            try (var p = new com.fasterxml.jackson.core.JsonFactory().createParser(json)) {
                assertEquals(mapper.readTree(json), EngineTrees.tree(p, p.nextToken()));
            }
        }
    }

    @Test
    void recordsAreTheOnesDockerJavasBeansGave() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode services = mapper.readTree(fixture("services"));
        assertEquals(new SwarmService("s1", "x-redis-1", Map.of("rsc.group", "x"), "redis:7", "global", -1, "vip",
                List.of("5353:53/udp (ingress)", "6379/tcp (ingress)"), List.of("n1")), EngineJson.toService(services.get(0)));
        assertEquals(new SwarmService("s2", "y", Map.of(), "", "replicated", 3, "dnsrr",
                List.of("30001:6379/tcp (host)"), List.of("old")), EngineJson.toService(services.get(1)));
        assertEquals(new SwarmService("s3", "z", Map.of(), "", "replicated", 0, "vip", List.of(), List.of()),
                EngineJson.toService(services.get(2)));
        assertEquals(new ServiceShape("s1", "x-redis-1", Map.of("rsc.group", "x"), "redis:7", "vip",
                Map.of("5353:53/udp", "ingress", "6379/tcp", "ingress"), "on-failure",
                List.of("rsc-entry", "redis-server", "--port", "6379")), EngineJson.shapes(services).get(0));
        assertEquals("none", EngineJson.shapes(services).get(1).restartCondition());
        assertEquals("any", EngineJson.shapes(services).get(2).restartCondition());

        JsonNode tasks = mapper.readTree(fixture("tasks"));
        assertEquals(new SwarmTask("t1", "s1", "x-redis-1", 2, "w1", "failed", "shutdown", "started",
                "task: non-zero exit (1)", "abcdef0123456789", List.of("10.0.1.7", "10.0.1.8"),
                List.of(new SwarmTask.PublishedPort(6379, 30000, "tcp"), new SwarmTask.PublishedPort(26379, 30009, "tcp")),
                "2026-11-30T19:00:00.123456789Z"), EngineJson.toTask(tasks.get(0), Map.of("s1", "x-redis-1")));
        assertEquals(new SwarmTask("t2", "gone", "", 0, "", "pending", "running", "", "", "", List.of(), List.of(), ""),
                EngineJson.toTask(tasks.get(1), Map.of("s1", "x-redis-1")));
        assertEquals(List.of(new SwarmTask.PublishedPort(6379, 30001, "tcp")),
                EngineJson.toTask(tasks.get(2), Map.of()).ports(), "de-duplicated");

        JsonNode nodes = mapper.readTree(fixture("nodes"));
        assertEquals(new SwarmNodeInfo("w1", "n2", "worker", "drain", "down", "10.77.2.2", false, "",
                Map.of("rsc.docker-socket", "/run/d.sock")), EngineJson.toNodeInfo(nodes.get(0)));
        assertEquals(new SwarmNodeInfo("stub", "", "manager", "active", "ready", "0.0.0.0", true, "10.77.2.1:2377",
                Map.of()), EngineJson.toNodeInfo(nodes.get(1)));
        assertEquals(new SwarmNodeInfo("m2", "", "manager", "pause", "disconnected", "", false, "10.77.2.3:2377",
                Map.of()), EngineJson.toNodeInfo(nodes.get(2)));
        assertEquals(new SwarmNodeInfo("bare", "", "?", "?", "?", "", false, "", Map.of()), EngineJson.toNodeInfo(nodes.get(3)));
    }
}
