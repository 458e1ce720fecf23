package rsc.backend.swarm;

import rsc.model.Endpoint;
import rsc.model.Host;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.model.NodeState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * rsc's nodes as Swarm lists them: one per service labelled with a group, kind and index, in the state of the task that
 * stands for it now, on the swarm node that task runs on, reached at that node's address and published port
 * ({@link TaskReach}); and the announced names and overlay addresses that map to each reachable endpoint.
 */
final class ServiceListing {

    /** The nodes, and announced host (service name, overlay address) to reachable endpoint. */
    record Result(List<Node> nodes, Map<String, Endpoint> reach) {
    }

    private ServiceListing() {
    }

    static Result read(SwarmGateway gateway, SwarmDrills drills, String group) {
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put(SwarmBackend.MANAGED, "true");
        if (group != null) {
            filter.put(SwarmBackend.GROUP, group);
        }
        return of(gateway, drills, gateway.services(filter));
    }

    /** As {@link #read}, from a listing of the managed services just made. */
    static Result of(SwarmGateway gateway, SwarmDrills drills, List<SwarmService> listed) {
        List<SwarmService> services = listed.stream().filter(s -> s.label(SwarmBackend.GROUP) != null
                && s.label(SwarmBackend.KIND) != null && parseIndex(s.label(SwarmBackend.INDEX)) > 0).toList();
        Map<String, String> names = services.stream().collect(Collectors.toMap(SwarmService::id, SwarmService::name));
        List<SwarmTask> tasks = services.isEmpty() ? List.of()
                : gateway.tasks(services.stream().map(SwarmService::name).toList(), names);
        Map<String, SwarmNodeInfo> machines = services.isEmpty() ? Map.of() : byId(gateway.swarmNodes());
        List<Node> nodes = new ArrayList<>();
        Map<String, Endpoint> seen = new HashMap<>();
        for (SwarmService s : services) {
            NodeKind kind = "sentinel".equals(s.label(SwarmBackend.KIND)) ? NodeKind.SENTINEL : NodeKind.REDIS;
            int port = kind.standardPort();
            Optional<SwarmTask> current = currentTask(tasks, s.id());
            Endpoint announced = new Endpoint(s.name(), port);
            Endpoint to = announced;
            NodeState state = NodeState.STOPPED;
            String detail = "no task";
            Host host = Host.NONE;
            if (current.isPresent()) {
                SwarmTask t = current.get();
                Optional<Endpoint> published = TaskReach.of(t, port, s.publishedPort(port), machines);
                if (published.isPresent()) {
                    to = published.get();
                }
                host = Optional.ofNullable(machines.get(t.nodeId())).map(SwarmNodeInfo::host).orElse(Host.NONE);
                boolean frozen = drills.frozen(s.name()).filter(f -> f.containerId().equals(t.containerId())).isPresent();
                if (t.running() && published.isPresent()) {
                    state = frozen ? NodeState.FROZEN : NodeState.RUNNING;
                    seen.put(s.name(), to);
                    for (String a : t.addresses()) {
                        seen.put(a, to);
                    }
                } else if (t.wantedRunning() && !t.ended()) {
                    state = NodeState.STARTING;
                } else {
                    state = NodeState.FAILED;
                }
                detail = "task " + t.shortId() + " " + t.state()
                        + (t.containerId().isEmpty() ? "" : ", container " + DockerErrors.shortId(t.containerId()))
                        + (frozen ? ", frozen by rsc (pause)" : "")
                        + (t.error().isEmpty() ? "" : ", " + t.error());
            }
            nodes.add(new Node(s.name(), s.label(SwarmBackend.GROUP), kind, parseIndex(s.label(SwarmBackend.INDEX)), announced, to, state, detail, host));
        }
        nodes.sort(Comparator.comparing(Node::group).thenComparing(Node::kind).thenComparingInt(Node::index));
        return new Result(List.copyOf(nodes), Map.copyOf(seen));
    }

    static Map<String, SwarmNodeInfo> byId(List<SwarmNodeInfo> machines) {
        return machines.stream().collect(Collectors.toMap(SwarmNodeInfo::id, Function.identity(), (a, b) -> a));
    }

    /** The task that stands for a service now: running, else the newest one meant to run, else the newest. */
    static Optional<SwarmTask> currentTask(List<SwarmTask> tasks, String serviceId) {
        List<SwarmTask> mine = tasks.stream().filter(t -> t.serviceId().equals(serviceId))
                .sorted(Comparator.comparing(SwarmTask::timestamp).reversed()).toList();
        return mine.stream().filter(t -> t.running() && t.wantedRunning()).findFirst()
                .or(() -> mine.stream().filter(SwarmTask::wantedRunning).findFirst())
                .or(() -> mine.stream().findFirst());
    }

    static int parseIndex(String s) {
        try {
            return s == null ? -1 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

}
