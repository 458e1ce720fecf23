package rsc.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static rsc.backend.swarm.SwarmGateway.LISTING_TIMEOUT;
import static rsc.backend.swarm.SwarmGateway.RESPONSE_TIMEOUT;

/**
 * The engine's listings as rsc's records, over {@link PlainEngine}'s GETs: services, tasks and swarm nodes, as
 * {@code status}, {@code sentinel status} and {@code doctor} read them, asking the engine as little as answers them
 * (one task query a group, fields no record reads left out of the parse). {@link SwarmGateway} hands them out.
 */
final class EngineListings {

    private final PlainEngine plain;
    private final String api;

    /** @param api the Engine API version the paths are asked under */
    EngineListings(PlainEngine plain, String api) {
        this.plain = plain;
        this.api = api;
    }

    /** Services, all or those carrying every label given. */
    List<SwarmService> services(Map<String, String> labels) {
        List<SwarmService> out = new ArrayList<>();
        for (JsonNode s : plain.get("list services", path("/services" + labelFilter(labels)), LISTING_TIMEOUT, true,
                SERVICE_FIELDS_LEFT_OUT)) {
            out.add(EngineJson.toService(s));
        }
        return out;
    }

    /** Services carrying every label given, as {@link ServiceShape}s. */
    List<ServiceShape> serviceShapes(Map<String, String> labels) {
        return EngineJson.shapes(plain.get("list services", path("/services" + labelFilter(labels)), RESPONSE_TIMEOUT,
                false));
    }

    /** The services of exactly these names (the engine's name filter matches prefixes), as {@link ServiceShape}s. */
    List<ServiceShape> serviceShapesNamed(List<String> names) {
        return EngineJson.shapes(plain.get("list services", path("/services" + PlainEngine.filters("name", names)),
                RESPONSE_TIMEOUT, false)).stream().filter(s -> names.contains(s.name())).toList();
    }

    /**
     * Tasks of the named services (all tasks when none is named). The engine resolves each service a filter names
     * with a lookup of its own (about 0.4 ms each here), so services whose ids {@code namesById} gives are asked in
     * one query by the prefix their names share (task names begin with their service's), the answer narrowed to their
     * ids; should a service have no task in it (an engine that reads the prefix otherwise), they are asked by id.
     */
    List<SwarmTask> tasks(List<String> serviceNames, Map<String, String> namesById) {
        List<String> ids = new ArrayList<>();
        for (String name : serviceNames) {
            namesById.entrySet().stream().filter(e -> e.getValue().equals(name)).findFirst().map(Map.Entry::getKey)
                    .ifPresent(ids::add);
        }
        Duration limit = serviceNames.isEmpty() ? LISTING_TIMEOUT : RESPONSE_TIMEOUT;
        String prefix = serviceNames.isEmpty() ? "" : sharedPrefix(serviceNames);
        if (!prefix.isEmpty() && ids.size() == serviceNames.size()) {
            List<SwarmTask> out = new ArrayList<>();
            for (JsonNode t : taskList(List.of(prefix), "name", limit)) {
                if (ids.contains(t.path("ServiceID").asText(""))) {
                    out.add(EngineJson.toTask(t, namesById));
                }
            }
            if (out.stream().map(SwarmTask::serviceId).collect(Collectors.toSet()).containsAll(ids)) {
                return out;
            }
        }
        List<SwarmTask> out = new ArrayList<>();
        for (JsonNode t : taskList(ids.size() == serviceNames.size() ? ids : serviceNames, "service", limit)) {
            out.add(EngineJson.toTask(t, namesById));
        }
        return out;
    }

    private JsonNode taskList(List<String> values, String filter, Duration limit) {
        return plain.get("list tasks", path("/tasks" + PlainEngine.filters(filter, values)), limit, true,
                TASK_FIELDS_LEFT_OUT);
    }

    /** The longest prefix the names share (empty when they share none). */
    static String sharedPrefix(List<String> names) {
        String p = names.get(0);
        for (String n : names) {
            int i = 0;
            while (i < p.length() && i < n.length() && p.charAt(i) == n.charAt(i)) {
                i++;
            }
            p = p.substring(0, i);
        }
        return p;
    }

    /**
     * What {@link EngineJson#toService} does not read of a service: the spec it had before its last update, and its
     * command (the node script, about 15 KB a service: most of a listing).
     */
    private static final Set<String> SERVICE_FIELDS_LEFT_OUT = Set.of("PreviousSpec",
            "Spec.TaskTemplate.ContainerSpec.Command", "Spec.TaskTemplate.ContainerSpec.Args");

    /** What {@link EngineJson#toTask} does not read of a task: its spec, its service's repeated (the node script). */
    private static final Set<String> TASK_FIELDS_LEFT_OUT = Set.of("Spec");

    /** One task by id, if it exists. */
    Optional<SwarmTask> task(String id, Map<String, String> namesById) {
        for (JsonNode t : plain.get("list tasks", path("/tasks" + PlainEngine.filters("id", List.of(id))), RESPONSE_TIMEOUT,
                false)) {
            if (t.path("ID").asText("").startsWith(id)) {
                return Optional.of(EngineJson.toTask(t, namesById));
            }
        }
        return Optional.empty();
    }

    List<SwarmNodeInfo> swarmNodes() {
        List<SwarmNodeInfo> out = new ArrayList<>();
        for (JsonNode n : plainList("list swarm nodes", "/nodes", LISTING_TIMEOUT)) {
            out.add(EngineJson.toNodeInfo(n));
        }
        return out;
    }

    /** A listing over {@link PlainEngine}: one that outlasts its limit means Swarm's control plane is out of reach. */
    private JsonNode plainList(String what, String path, Duration limit) {
        return plain.get(what, path(path), limit, true);
    }

    /** The path under the API version chosen, as docker-java would ask it. */
    private String path(String path) {
        return "/v" + api + path;
    }

    private static String labelFilter(Map<String, String> labels) {
        return PlainEngine.filters("label", labels.entrySet().stream()
                .map(e -> e.getValue() == null ? e.getKey() : e.getKey() + "=" + e.getValue()).toList());
    }
}
