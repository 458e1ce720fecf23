package rsc.backend.swarm;

import rsc.backend.GroupsAndNodes;
import rsc.backend.Backend;
import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.backend.Signal;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Finding;
import rsc.model.Host;
import rsc.model.Names;
import rsc.model.Node;
import rsc.backend.Settings;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Places nodes as Docker Swarm services: one service per node ({@code G-redis-N}, {@code G-sentinel-N}), one
 * replica each, restarted by Swarm, reached on a host-mode port published at random on whichever swarm node runs the
 * task. Nodes know each other by service name on an attachable overlay network (dnsrr); the console reaches them at
 * their swarm node's address ({@link TaskReach}). A group's data nodes, and its sentinels, go to distinct swarm nodes
 * when there are enough ({@link Placement}); drills reach containers on any node ({@link SwarmDrills}). Starting is
 * {@link ServiceStarter}'s, removing {@link ServiceRemoval}'s; both also plan for {@code --dry-run}.
 */
public final class SwarmBackend implements Backend, rsc.backend.Machines, rsc.backend.Recipes, rsc.backend.ConsoleAddress {

    static final String MANAGED = "rsc.managed";
    static final String CREATED = "rsc.created";
    static final String GROUP = "rsc.group";
    static final String KIND = "rsc.kind";
    static final String INDEX = "rsc.index";

    static final int REDIS_PORT = 6379;
    static final int SENTINEL_PORT = 26379;
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration GONE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration PROBE_LIMIT = Duration.ofMillis(1200);
    private static final long CACHE_MS = 2000;

    private final Settings settings;
    private final SwarmGateway gateway;
    private final TaskReach reach = new TaskReach();
    private final SwarmDrills drills;
    private final ServiceStarter starter;
    private final ServiceRemoval removal;
    private final SwarmVolumes volumes;
    private final SwarmSignals signals;
    private final Object refreshLock = new Object();
    private volatile long cachedAt;
    private volatile GroupReach lastGroup;
    private volatile Optional<String> controlLost = Optional.empty();
    private volatile long controlLostAt;
    private static final long CONTROL_RETRY_MS = 30_000;

    public SwarmBackend(Settings settings) {
        this(settings, Optional.empty());
    }

    /** With {@code watch}, the engine's slow-changing reads are kept warm between one-shots ({@link EngineWatch}). */
    public SwarmBackend(Settings settings, Optional<EngineWatch> watch) {
        this.settings = settings;
        Names.check(settings.network(), "network");
        this.gateway = SwarmGateway.open(settings.dockerHost(), watch);
        try {
            gateway.requireManager();
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        this.drills = new SwarmDrills(gateway, settings.stateDir());
        this.removal = new ServiceRemoval(settings, gateway, reach);
        this.volumes = new SwarmVolumes(gateway, drills);
        this.signals = new SwarmSignals(gateway, drills, removal);
        this.starter = new ServiceStarter(settings, gateway, reach, removal, this::nodes);
    }

    @Override
    public Optional<rsc.backend.SecretRollout> secretRollout() {
        return Optional.of(new SecretSwap(gateway, new TaskReplacement(gateway, reach)));
    }

    @Override
    public Optional<rsc.backend.Upgrading> upgrading() {
        return Optional.of(new SwarmUpgrades(gateway, removal, new TaskReplacement(gateway, reach)));
    }

    /** True within about 1.5 s when a Docker Engine answers and is an active swarm manager. */
    public static boolean probe(Settings settings) {
        return probe(settings, Optional.empty());
    }

    /** As {@link #probe(Settings)}, answered from {@code watch}'s kept {@code /info} when it has one. */
    public static boolean probe(Settings settings, Optional<EngineWatch> watch) {
        return EngineProbe.answersAsManager(settings.dockerHost(), watch, PROBE_LIMIT);
    }

    @Override
    public String name() {
        return "swarm";
    }

    @Override
    public String describe() {
        EngineInfo e = gateway.engine();
        String manager = e.nodeAddress().isBlank() ? e.host() : e.nodeAddress();
        return "swarm (manager " + manager + ", engine " + e.version() + " API " + e.api() + ", network "
                + settings.network() + ", image " + settings.image() + ")";
    }

    // ------------------------------------------------------------------------------------------ reading

    @Override
    public List<Node> nodes(String group) {
        // cut off, each manager call may wait seconds for a leader that does not answer: ask again only now and then
        if (controlLost.isPresent() && System.currentTimeMillis() - controlLostAt < CONTROL_RETRY_MS) {
            return thisMachineOnly(group);
        }
        try {
            List<Node> nodes = listed(group);
            controlLost = Optional.empty();
            return nodes;
        } catch (SwarmControlLost e) {
            controlLost = Optional.of(e.getMessage());
            controlLostAt = System.currentTimeMillis();
            return thisMachineOnly(group);
        }
    }

    private List<Node> thisMachineOnly(String group) {
        MinorityView.Listing l = MinorityView.of(gateway.containers().managed(), group, gateway.engine());
        reach.putAll(l.reach());
        return l.nodes();
    }

    /** Whether the last listing found Swarm without a leader here (why, in one line), so only this machine's nodes. */
    @Override
    public Optional<String> controlLost() {
        return controlLost;
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

    @Override
    public List<String> groups() {
        try {
            return groupNames(gateway.services(Map.of(MANAGED, "true")));
        } catch (SwarmControlLost e) {
            return groupsOf(nodes(null));
        }
    }

    /** One listing of the services for both: {@code sentinel status} of every group asks this. */
    @Override
    public GroupsAndNodes groupsAndNodes() {
        if (controlLost.isPresent() && System.currentTimeMillis() - controlLostAt < CONTROL_RETRY_MS) {
            List<Node> nodes = thisMachineOnly(null);
            return new GroupsAndNodes(groupsOf(nodes), nodes);
        }
        try {
            List<SwarmService> services = gateway.services(Map.of(MANAGED, "true"));
            List<Node> nodes = remembered(ServiceListing.of(gateway, drills, services), null);
            controlLost = Optional.empty();
            return new GroupsAndNodes(groupNames(services), nodes);
        } catch (SwarmControlLost e) {
            controlLost = Optional.of(e.getMessage());
            controlLostAt = System.currentTimeMillis();
            List<Node> nodes = thisMachineOnly(null);
            return new GroupsAndNodes(groupsOf(nodes), nodes);
        }
    }

    private static List<String> groupNames(List<SwarmService> services) {
        return services.stream().map(s -> s.label(GROUP)).filter(g -> g != null)
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
    @Override
    public Endpoint reachable(Endpoint announced) {
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

    // ------------------------------------------------------------------------------------------ starting, removing

    @Override
    public Node start(NodeSpec spec, Progress progress) {
        return starter.start(spec, progress);
    }

    @Override
    public List<String> planStart(NodeSpec spec, int earlier) {
        return starter.plan(spec, earlier);
    }

    @Override
    public void remove(Node node) {
        Map<String, java.util.Set<String>> placed = volumes.placed(removal.managedService(node.name()).stream().toList());
        removal.remove(node);
        volumes.remove(placed, Progress.NONE);   // best effort: a volume left on a lost swarm node is only disk space
    }

    @Override
    public List<String> planRemove(Node node) {
        return removal.planRemove(node);
    }

    @Override
    public List<String> destroy(String group, Progress progress) {
        Map<String, java.util.Set<String>> placed = volumes.placed(gateway.services(Map.of(MANAGED, "true", GROUP, group)));
        removal.destroy(group, progress);
        return volumes.remove(placed, progress);
    }

    @Override
    public List<String> planDestroy(String group) {
        List<String> calls = new java.util.ArrayList<>(removal.planDestroy(group));
        calls.addAll(volumes.plan(volumes.placed(gateway.services(Map.of(MANAGED, "true", GROUP, group)))));
        return calls;
    }

    @Override
    public rsc.model.Persistence persistence(String group) {
        return volumes.persistence(group);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new rsc.error.CancelledException();
        }
    }

    // ------------------------------------------------------------------------------------------ signals

    @Override
    public void signal(Node node, Signal signal) {
        signals.signal(node, signal);
    }

    @Override
    public List<String> planSignal(Node node, Signal signal) {
        return signals.plan(node, signal);
    }

    // ------------------------------------------------------------------------------------------ doctor

    /**
     * Swarm hazards of the services labelled with the group (rsc's own and any other): VIP endpoint mode, ports
     * published through the ingress mesh, a Redis service Swarm restarts without rsc's entrypoint, recent task
     * failures with Swarm's error ({@link ServiceFindings}).
     */
    @Override
    public List<Finding> findings(String group) {
        try {
            return findingsOf(gateway.serviceShapes(Map.of(GROUP, group)));
        } catch (SwarmControlLost e) {
            return List.of(new Finding(rsc.result.Severity.ERROR, "swarm-no-leader", e.getMessage(),
                    "restore the managers' connectivity, or run rsc on a manager of the majority side"));
        }
    }

    /** {@link ServiceFindings#findingsOf} on these services and their tasks, read now. */
    private List<Finding> findingsOf(List<ServiceShape> services) {
        if (services.isEmpty()) {
            return List.of();
        }
        Map<String, String> names = services.stream().collect(Collectors.toMap(ServiceShape::id,
                ServiceShape::name));
        List<SwarmTask> tasks = gateway.tasks(List.copyOf(names.values()), names);
        return ServiceFindings.findingsOf(services, tasks, java.time.Instant.now());
    }

    @Override
    public List<Node> recipeNodes(String group, rsc.backend.RecipeServices services) {
        RecipeNodes.Listing l = RecipeNodes.list(gateway, gateway.engine().nodeId(), group, services);
        reach.recipe(group, l.reachByHost());
        return l.nodes();
    }

    @Override
    public List<Finding> recipeFindings(rsc.backend.RecipeServices services) {
        return findingsOf(gateway.serviceShapesNamed(services.all()));
    }

    // ------------------------------------------------------------------------------------------ swarm commands

    /** The swarm as {@code services}, {@code ps}, {@code nodes} and {@code logs} show it. */
    public SwarmInspection inspection() {
        return new SwarmInspection(gateway);
    }

    /** Besides the capabilities it implements, the Swarm commands' {@link SwarmInspection}. */
    @Override
    public <T> Optional<T> capability(Class<T> type) {
        return type == SwarmInspection.class ? Optional.of(type.cast(inspection())) : Backend.super.capability(type);
    }

    // ------------------------------------------------------------------------------------------ machines

    @Override
    public List<Host> machines() {
        if (controlLost.isPresent()) {
            return List.of();   // unknown from here: the nodes list says this machine is cut off
        }
        try {
            return gateway.swarmNodes().stream().map(SwarmNodeInfo::host).sorted(Comparator.comparing(Host::address)).toList();
        } catch (SwarmControlLost e) {
            controlLost = Optional.of(e.getMessage());
            controlLostAt = System.currentTimeMillis();
            return List.of();
        }
    }

    @Override
    public Host machine(String idOrAddress) {
        List<Host> all = machines();
        List<Host> match = all.stream().filter(h -> h.id().equals(idOrAddress) || h.address().equals(idOrAddress)
                || (idOrAddress.length() >= 4 && h.id().startsWith(idOrAddress))).toList();
        if (match.size() == 1) {
            return match.get(0);
        }
        throw new RscException((match.isEmpty() ? "no swarm node " : "more than one swarm node matches ")
                + Names.printable(idOrAddress) + ": " + all.stream().map(Host::label).collect(Collectors.joining(", ")));
    }

    @Override
    public void setAvailability(Host machine, String availability) {
        gateway.setAvailability(machine.id(), availability);
    }

    @Override
    public List<String> planAvailability(Host machine, String availability) {
        return List.of("docker node update --availability " + availability + " " + machine.id());
    }

    /** This manager's address as the swarm knows it ({@code ManagerStatus.Addr} when its own says 0.0.0.0). */
    @Override
    public String consoleAddress() {
        EngineInfo e = gateway.engine();
        return gateway.swarmNodes().stream().filter(n -> n.id().equals(e.nodeId())).findFirst()
                .map(SwarmNodeInfo::reachableAddress)
                .orElse(e.nodeAddress().isBlank() ? "127.0.0.1" : e.nodeAddress());
    }

    /** The engine this backend talks to. */
    public EngineInfo engine() {
        return gateway.engine();
    }

    @Override
    public void close() {
        gateway.close();
    }
}
