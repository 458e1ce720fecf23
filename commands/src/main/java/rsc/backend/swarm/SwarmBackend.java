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
import java.util.stream.Collectors;

/**
 * Places nodes as Docker Swarm services: one service per node ({@code G-redis-N}, {@code G-sentinel-N}), one
 * replica each, restarted by Swarm, reached on a host-mode port published at random on whichever swarm node runs the
 * task. Nodes know each other by service name on an attachable overlay network (dnsrr); the console reaches them at
 * their swarm node's address ({@link TaskReach}). A group's data nodes, and its sentinels, go to distinct swarm nodes
 * when there are enough ({@link Placement}); drills reach containers on any node ({@link SwarmDrills}). Starting is
 * {@link ServiceStarter}'s, removing {@link ServiceRemoval}'s (both also plan for {@code --dry-run}); where nodes are
 * and how they are reached, {@link SwarmView}'s.
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

    private final Settings settings;
    private final SwarmGateway gateway;
    private final TaskReach reach = new TaskReach();
    private final SwarmDrills drills;
    private final SwarmView view;
    private final ServiceStarter starter;
    private final ServiceRemoval removal;
    private final SwarmVolumes volumes;
    private final SwarmSignals signals;

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
        this.view = new SwarmView(gateway, drills, reach);
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
        return view.nodes(group);
    }

    /** Whether the last listing found Swarm without a leader here (why, in one line), so only this machine's nodes. */
    @Override
    public Optional<String> controlLost() {
        return view.controlLost();
    }

    @Override
    public List<String> groups() {
        return view.groups();
    }

    @Override
    public GroupsAndNodes groupsAndNodes() {
        return view.groupsAndNodes();
    }

    @Override
    public Endpoint reachable(Endpoint announced) {
        return view.reachable(announced);
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
        if (view.controlLost().isPresent()) {
            return List.of();   // unknown from here: the nodes list says this machine is cut off
        }
        try {
            return gateway.swarmNodes().stream().map(SwarmNodeInfo::host).sorted(Comparator.comparing(Host::address)).toList();
        } catch (SwarmControlLost e) {
            view.lost(e);
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
