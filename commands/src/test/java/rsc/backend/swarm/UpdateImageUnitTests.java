package rsc.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code upgrade --image}'s one Engine API call, against a stub engine: the service is read, its spec written back
 * with only the task template's image changed and the version index just read, and an "update out of sequence"
 * (Swarm bumped the index meanwhile) is read again and retried.
 */
class UpdateImageUnitTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private StubEngine server;
    private final List<String> updates = new ArrayList<>();
    private final AtomicInteger version = new AtomicInteger(7);

    private String engine(int refusals) throws IOException {
        AtomicInteger refused = new AtomicInteger();
        server = new StubEngine(ex -> {
            String path = ex.getRequestURI().getPath();
            Optional<StubEngine.Reply> info = StubEngine.engineInfo(path, "active", true);
            if (info.isPresent()) {
                return info.get();
            } else if (path.endsWith("/services/svc1/update")) {
                String sent = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (refused.getAndIncrement() < refusals) {
                    version.incrementAndGet();
                    return new StubEngine.Reply(500, "{\"message\":\"rpc error: code = Unknown desc = update out of sequence\"}");
                }
                updates.add(ex.getRequestURI().getQuery() + " " + sent);
                return new StubEngine.Reply(200, "{\"Warnings\":null}");
            } else if (path.endsWith("/services/svc1")) {
                return new StubEngine.Reply(200, "{\"ID\":\"svc1\",\"Version\":{\"Index\":" + version.get() + "},\"Spec\":"
                        + "{\"Name\":\"upg-redis-1\",\"Labels\":{\"rsc.managed\":\"true\"},\"TaskTemplate\":{\"ContainerSpec\":"
                        + "{\"Image\":\"rsc-redis:local\",\"Args\":[\"-c\",\"script\"]}}}}");
            }
            return new StubEngine.Reply(404, "{\"message\":\"not in this stub\"}");
        });
        return server.host();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void writesTheSpecBackWithTheNewImageAndTheIndexJustRead() throws Exception {
        try (SwarmGateway g = SwarmGateway.open(Optional.of(engine(0)))) {
            g.updateImage("svc1", "rsc-redis:upg-test", java.util.List.of());
        }
        assertEquals(1, updates.size(), updates.toString());
        String query = updates.get(0).substring(0, updates.get(0).indexOf(' '));
        JsonNode spec = JSON.readTree(updates.get(0).substring(updates.get(0).indexOf(' ') + 1));
        assertTrue(query.contains("version=7"), query);
        assertEquals("rsc-redis:upg-test", spec.at("/TaskTemplate/ContainerSpec/Image").asText());
        assertEquals("-c", spec.at("/TaskTemplate/ContainerSpec/Args/0").asText(), "the rest of the spec is kept: " + spec);
        assertEquals("true", spec.at("/Labels/rsc.managed").asText(), spec.toString());
    }

    @Test
    void anUpdateOutOfSequenceIsReadAgainAndRetried() throws Exception {
        try (SwarmGateway g = SwarmGateway.open(Optional.of(engine(2)))) {
            g.updateImage("svc1", "rsc-redis:upg-test", java.util.List.of());
        }
        assertEquals(1, updates.size(), updates.toString());
        assertTrue(updates.get(0).startsWith("version=9"), "the third try carries the index Swarm bumped to: " + updates);
    }
}
