package rsc.backend.swarm;

import rsc.backend.GroupsAndNodes;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The swarm backend's view of its nodes: where each runs and how the console reaches it, from the engine's listings
 * ({@link ServiceListing}) kept for a moment ({@link TaskReach}); and, when this manager has lost the swarm's leader,
 * what this machine alone still shows ({@link MinorityView}), asking the swarm again only now and then.
 */
final class SwarmView {

    private static final long CACHE_MS = 2000;
    private static final long CONTROL_RETRY_MS = 30_000;

    private final SwarmGateway gateway;
    private final SwarmDrills drills;
    private final TaskReach reach;
    private final Object refreshLock = new Object();
    private volatile long cachedAt;
    private volatile GroupReach lastGroup;
    private volatile Optional<String> controlLost = Optional.empty();
    private volatile long controlLostAt;

    SwarmView(SwarmGateway gateway, SwarmDrills drills, TaskReach reach) {
        this.gateway = gateway;
        this.drills = drills;
        this.reach = reach;
    }

    List<Node> nodes(String group) {
        return fromSwarm(() -> listed(group), () -> thisMachineOnly(group));
    }

    /**
     * What {@code listed} reads from the swarm, or what {@code thisMachine} shows when the swarm has no leader here:
     * cut off, each manager call may wait seconds for a leader that does not answer, so ask again only now and then.
     */
    private <T> T fromSwarm(Supplier<T> listed, Supplier<T> thisMachine) {
        if (controlLost.isPresent() && System.currentTimeMillis() - controlLostAt < CONTROL_RETRY_MS) {
            return thisMachine.get();
        }
        try {
            T answer = listed.get();
            controlLost = Optional.empty();
            return answer;
        } catch (SwarmControlLost e) {
            lost(e);
            return thisMachine.get();
        }
    }

    private List<Node> thisMachineOnly(String group) {
        MinorityView.Listing l = MinorityView.of(gateway.containers().managed(), group, gateway.engine());
        reach.putAll(l.reach());
        return l.nodes();
    }

    /** Whether the last listing found Swarm without a leader here (why, in one line), so only this machine's nodes. */
    Optional<String> controlLost() {
        return controlLost;
    }

    /** A listing elsewhere (the swarm nodes) found Swarm without a leader here. */
    void lost(SwarmControlLost e) {
        controlLost = Optional.of(e.getMessage());
        controlLostAt = System.currentTimeMillis();
    }

    private List<Node> listed(String group) {
        return remembered(ServiceListing.read(gateway, drills, group), group);
    }

    private List<Node> remembered(ServiceListing.Result r, String group) {
        if (group == null) {
            reach.replaceAll(r.reach());
            cachedAt = System.currentTimeMillis();
        } else {
            reach.putAll(r.reach());
            lastGroup = new GroupReach(r.reach(), System.currentTimeMillis());
        }
        return r.nodes();
    }

    List<String> groups() {
        try {
            return groupNames(gateway.services(Map.of(SwarmBackend.MANAGED, "true")));
        } catch (SwarmControlLost e) {
            return groupsOf(nodes(null));
        }
    }

    /** One listing of the services for both: {@code sentinel status} of every group asks this. */
    GroupsAndNodes groupsAndNodes() {
        return fromSwarm(() -> {
            List<SwarmService> services = gateway.services(Map.of(SwarmBackend.MANAGED, "true"));
            List<Node> nodes = remembered(ServiceListing.of(gateway, drills, services), null);
            return new GroupsAndNodes(groupNames(services), nodes);
        }, () -> {
            List<Node> nodes = thisMachineOnly(null);
            return new GroupsAndNodes(groupsOf(nodes), nodes);
        });
    }

    private static List<String> groupNames(List<SwarmService> services) {
        return services.stream().map(s -> s.label(SwarmBackend.GROUP)).filter(g -> g != null)
                .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
    }

    private static List<String> groupsOf(List<Node> nodes) {
        return nodes.stream().map(Node::group).distinct().sorted().toList();
    }

    /** Where the tasks of the group listed last are reached, and when that listing was read. */
    private record GroupReach(Map<String, Endpoint> reach, long at) {
    }

    /**
     * Where the console reaches an announced address: from a listing at most {@link #CACHE_MS} old. The listing of one
     * group (which {@code status} or {@code sentinel status} just read) answers for that group's own addresses, so a
     * one-shot does not list every group's services and tasks a second time; anything else waits for a listing of all.
     */
    Endpoint reachable(Endpoint announced) {
        GroupReach g = lastGroup;
        if (g != null && System.currentTimeMillis() - g.at() <= CACHE_MS && g.reach().containsKey(announced.host())) {
            return g.reach().get(announced.host());
        }
        if (System.currentTimeMillis() - cachedAt > CACHE_MS) {
            synchronized (refreshLock) {
                if (System.currentTimeMillis() - cachedAt > CACHE_MS) {
                    try {
                        nodes(null);
                    } catch (RscException e) {
                        cachedAt = System.currentTimeMillis();   // keep the old mapping; try again later
                    }
                }
            }
        }
        return reach.lookup(announced.host()).orElseGet(() -> reach.isEndpoint(announced) ? announced
                : controlLost.isPresent() && !announced.host().startsWith("127.") ? new Endpoint(UNREACHABLE, announced.port())
                : unreachable(announced));
    }

    /** What the console must not connect to: an address only Swarm's overlay knows. */
    static final String UNREACHABLE = "unreachable-from-this-manager.invalid";
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    /**
     * An address Sentinel announces that maps to no task rsc can reach (an overlay address of a task that publishes no
     * port, on another node): connecting to it from the manager's host would send the packets out of this machine, to
     * whatever network owns that range. It is replaced by a name under {@code .invalid} (RFC 2606), which resolves
     * nowhere, so the connection fails at once and the error says why. Service names and loopback pass unchanged.
     */
    private static Endpoint unreachable(Endpoint announced) {
        String h = announced.host();
        if (IPV4.matcher(h).matches() && !h.startsWith("127.")) {
            return new Endpoint(UNREACHABLE, announced.port());
        }
        return announced;
    }
}
