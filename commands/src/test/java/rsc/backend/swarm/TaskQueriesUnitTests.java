package rsc.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How a one-shot asks the engine for its group's tasks and services, against a stub of the Engine API: the tasks of
 * known services in one query by the prefix their names share (the engine looks each service of a {@code service}
 * filter up on its own), narrowed to their ids, and by id when a service has no task in that answer; the fields no
 * record reads (a task's spec, a service's previous spec and command: the node script, most of each listing) left
 * out of the parse without changing a record.
 */
class TaskQueriesUnitTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StubEngine server;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    private static String fixture(String name) throws IOException {
        try (InputStream in = TaskQueriesUnitTests.class.getResourceAsStream("engine-" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A manager answering {@code /tasks} as {@code tasks} says for each decoded query, the rest with the fixtures. */
    private SwarmGateway gateway(Function<String, String> tasks, String services) throws IOException {
        server = StubEngine.manager(asked, true, new StubEngine.Reply(200, services),
                q -> new StubEngine.Reply(200, tasks.apply(q)), fixture("nodes"));
        return SwarmGateway.open(Optional.of(server.host()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Tasks of services g-redis-1 (s1), g-sentinel-1 (s2) and of another group's g-x-redis-1 (s9), each with a spec. */
    private static String groupTasks(boolean withSentinel) {
        ArrayNode a = JSON.createArrayNode();
        a.add(task("t1", "s1", 30000));
        if (withSentinel) {
            a.add(task("t2", "s2", 30001));
        }
        a.add(task("t9", "s9", 30009));
        return a.toString();
    }

    private static ObjectNode task(String id, String service, int port) {
        ObjectNode t = JSON.createObjectNode().put("ID", id).put("ServiceID", service).put("NodeID", "w1")
                .put("DesiredState", "running");
        t.putObject("Spec").putObject("ContainerSpec").put("Image", "rsc-redis:local").putArray("Command")
                .add("sh").add("-c").add("x".repeat(20_000));
        ObjectNode status = t.putObject("Status").put("State", "running");
        status.putObject("PortStatus").putArray("Ports").addObject().put("TargetPort", 6379).put("PublishedPort", port)
                .put("Protocol", "tcp");
        return t;
    }

    @Test
    void knownServicesAreAskedByTheirSharedPrefixAndNarrowedToTheirIds() throws IOException {
        try (SwarmGateway g = gateway(q -> groupTasks(true), "[]")) {
            asked.clear();
            List<SwarmTask> tasks = g.tasks(List.of("g-redis-1", "g-sentinel-1"),
                    Map.of("s1", "g-redis-1", "s2", "g-sentinel-1"));
            assertEquals(List.of("/v1.41/tasks?filters={\"name\":[\"g-\"]}"), asked);
            assertEquals(List.of("t1", "t2"), tasks.stream().map(SwarmTask::id).toList(), "another service's task left out");
            assertEquals(List.of("g-redis-1", "g-sentinel-1"), tasks.stream().map(SwarmTask::serviceName).toList());
        }
    }

    @Test
    void aServiceWithoutATaskInThePrefixAnswerIsAskedById() throws IOException {
        try (SwarmGateway g = gateway(q -> q.contains("\"name\"") ? groupTasks(false) : groupTasks(true), "[]")) {
            asked.clear();
            List<SwarmTask> tasks = g.tasks(List.of("g-redis-1", "g-sentinel-1"),
                    Map.of("s1", "g-redis-1", "s2", "g-sentinel-1"));
            assertEquals(List.of("/v1.41/tasks?filters={\"name\":[\"g-\"]}",
                    "/v1.41/tasks?filters={\"service\":[\"s1\",\"s2\"]}"), asked);
            assertEquals(List.of("t1", "t2", "t9"), tasks.stream().map(SwarmTask::id).toList(), "the id answer, as the engine gave it");
        }
    }

    @Test
    void servicesWithoutIdsOrWithoutASharedPrefixAreAskedAsBefore() throws IOException {
        try (SwarmGateway g = gateway(q -> groupTasks(true), "[]")) {
            asked.clear();
            g.tasks(List.of("a-redis-1", "b-redis-1"), Map.of("s1", "a-redis-1", "s2", "b-redis-1"));
            g.tasks(List.of("g-redis-1"), Map.of());
            assertEquals(List.of("/v1.41/tasks?filters={\"service\":[\"s1\",\"s2\"]}",
                    "/v1.41/tasks?filters={\"service\":[\"g-redis-1\"]}"), asked);
        }
    }

    @Test
    void fieldsNoRecordReadsAreLeftOutWithoutChangingARecord() throws IOException {
        ArrayNode services = (ArrayNode) JSON.readTree(fixture("services"));
        for (JsonNode s : services) {
            ((ObjectNode) s).putObject("PreviousSpec").put("Name", "old").putObject("TaskTemplate")
                    .putObject("ContainerSpec").put("Image", "old:1");
        }
        String tasks = groupTasks(true);
        try (SwarmGateway g = gateway(q -> tasks, services.toString())) {
            List<SwarmService> expected = new ArrayList<>();
            services.forEach(s -> expected.add(EngineJson.toService(s)));
            assertEquals(expected, g.services(Map.of()));

            Map<String, String> names = Map.of("s1", "g-redis-1", "s2", "g-sentinel-1");
            List<SwarmTask> full = new ArrayList<>();
            JSON.readTree(tasks).forEach(t -> {
                if (names.containsKey(t.path("ServiceID").asText())) {
                    full.add(EngineJson.toTask(t, names));
                }
            });
            assertEquals(full, g.tasks(List.of("g-redis-1", "g-sentinel-1"), names));
            assertEquals(2, full.size());
        }
    }
}
