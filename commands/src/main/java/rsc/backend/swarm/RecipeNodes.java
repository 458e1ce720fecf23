package rsc.backend.swarm;

import rsc.backend.RecipeServices;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.model.NodeState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The tasks of a hand-built recipe group as nodes. Such services publish no port the console could use, so a task is
 * reached at a port it publishes in host mode if any, else, when it runs on this engine, at its address on
 * {@code docker_gwbridge} (which the manager can connect to; the overlay address it announces it cannot).
 */
final class RecipeNodes {

    /** The nodes, and where the console reaches each address they announce. */
    record Listing(List<Node> nodes, Map<String, Endpoint> reachByHost) {
    }

    private RecipeNodes() {
    }

    static Listing list(SwarmGateway gateway, String localNodeId, String group, RecipeServices roles) {
        List<SwarmService> services = gateway.services(Map.of()).stream()
                .filter(s -> roles.all().contains(s.name())).toList();
        List<String> missing = roles.all().stream()
                .filter(n -> services.stream().noneMatch(s -> s.name().equals(n))).toList();
        if (!missing.isEmpty()) {
            throw new RscException("no service " + String.join(", ", missing) + " on this swarm (see 'services')");
        }
        Map<String, String> names = services.stream().collect(Collectors.toMap(SwarmService::id, SwarmService::name));
        Map<String, String> bridge = null;
        Map<String, SwarmNodeInfo> machines = gateway.swarmNodes().stream()
                .collect(Collectors.toMap(SwarmNodeInfo::id, n -> n, (a, b) -> a));
        List<Node> nodes = new ArrayList<>();
        Map<String, Endpoint> reach = new HashMap<>();
        for (SwarmService s : services) {
            boolean sentinel = s.name().equals(roles.sentinels());
            NodeKind kind = sentinel ? NodeKind.SENTINEL : NodeKind.REDIS;
            int port = sentinel ? SwarmBackend.SENTINEL_PORT : SwarmBackend.REDIS_PORT;
            List<SwarmTask> tasks = current(gateway.tasks(List.of(s.name()), names), s.id());
            for (SwarmTask t : tasks) {
                String name = s.name() + "." + t.slot();
                Endpoint announced = new Endpoint(t.addresses().isEmpty() ? name : t.addresses().get(0), port);
                Optional<Endpoint> via = TaskReach.of(t, port, machines);
                if (via.isEmpty() && t.running() && localNodeId.equals(t.nodeId()) && !t.containerId().isEmpty()) {
                    if (bridge == null) {
                        bridge = gateway.networks().gatewayBridgeAddresses();
                    }
                    via = Optional.ofNullable(bridge.get(t.containerId())).map(ip -> new Endpoint(ip, port));
                }
                NodeState state = t.running() ? NodeState.RUNNING
                        : t.wantedRunning() && !t.ended() ? NodeState.STARTING : NodeState.FAILED;
                String how = t.published(port).isPresent() ? "host port " + t.published(port).get()
                        : via.isPresent() ? "docker_gwbridge" : "not reachable from this manager (publish " + port
                        + " in host mode, or run rsc on node " + DockerErrors.shortId(t.nodeId()) + ")";
                if (t.running() && via.isPresent()) {
                    for (String a : t.addresses()) {
                        reach.put(a, via.get());
                    }
                    if (tasks.size() == 1) {
                        reach.put(s.name(), via.get());     // replicas started with --slaveof SERVICE follow this task
                    }
                }
                nodes.add(new Node(name, group, kind, Math.max(1, t.slot()), announced, via.orElse(announced), state,
                        "task " + t.shortId() + " " + t.state() + ", " + how,
                        Optional.ofNullable(machines.get(t.nodeId())).map(SwarmNodeInfo::host).orElse(rsc.model.Host.NONE)));
            }
        }
        nodes.sort(Comparator.comparing(Node::kind).thenComparing(Node::name));
        return new Listing(List.copyOf(nodes), Map.copyOf(reach));
    }

    /** Per replica slot, the task that stands for it now: running, else the newest meant to run. */
    private static List<SwarmTask> current(List<SwarmTask> tasks, String serviceId) {
        Map<Integer, List<SwarmTask>> bySlot = tasks.stream().filter(t -> t.serviceId().equals(serviceId))
                .collect(Collectors.groupingBy(SwarmTask::slot));
        List<SwarmTask> out = new ArrayList<>();
        for (List<SwarmTask> mine : bySlot.values()) {
            List<SwarmTask> newest = mine.stream().sorted(Comparator.comparing(SwarmTask::timestamp).reversed()).toList();
            newest.stream().filter(t -> t.running() && t.wantedRunning()).findFirst()
                    .or(() -> newest.stream().filter(SwarmTask::wantedRunning).findFirst())
                    .ifPresent(out::add);
        }
        out.sort(Comparator.comparingInt(SwarmTask::slot));
        return out;
    }
}
