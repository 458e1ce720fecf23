package rsc.backend.swarm;

import rsc.backend.Backend;
import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.backend.Signal;
import rsc.command.RscException;
import rsc.model.Endpoint;
import rsc.model.Finding;
import rsc.model.Host;
import rsc.model.Names;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.model.NodeState;
import rsc.session.Settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Places nodes as Docker Swarm services: one service per node ({@code G-redis-N}, {@code G-sentinel-N}), one
 * replica each, restarted by Swarm, reached on a host-mode port published at random on whichever swarm node runs the
 * task. Nodes know each other by service name on an attachable overlay network (dnsrr); the console reaches them at
 * their swarm node's address ({@link TaskReach}). A group's data nodes, and its sentinels, go to distinct swarm nodes
 * when there are enough ({@link Placement}); drills reach containers on any node ({@link SwarmDrills}). Starting is
 * {@link ServiceStarter}'s, removing {@link ServiceRemoval}'s; both also plan for {@code --dry-run}.
 */
public final class SwarmBackend implements Backend, rsc.backend.Machines {

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
    private final Object refreshLock = new Object();
    private volatile long cachedAt;

    public SwarmBackend(Settings settings) {
        this.settings = settings;
        Names.check(settings.network(), "network");
        this.gateway = SwarmGateway.open(settings.dockerHost());
        try {
            gateway.requireManager();
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        this.drills = new SwarmDrills(gateway, settings.stateDir());
        this.removal = new ServiceRemoval(settings, gateway, reach);
        this.starter = new ServiceStarter(settings, gateway, reach, removal, this::nodes);
    }

    /** True within about 1.5 s when a Docker Engine answers and is an active swarm manager. */
    public static boolean probe(Settings settings) {
        String host = settings.dockerHost().filter(h -> !h.isBlank()).orElse(SwarmGateway.DEFAULT_HOST);
        try {
            return EngineProbe.handles(host) ? EngineProbe.isSwarmManager(host, PROBE_LIMIT)
                    : SwarmGateway.probe(settings.dockerHost(), PROBE_LIMIT);
        } catch (IllegalArgumentException e) {
            return false;   // not a URI
        }
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
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put(MANAGED, "true");
        if (group != null) {
            filter.put(GROUP, group);
        }
        List<SwarmService> services = gateway.services(filter).stream().filter(s -> s.label(GROUP) != null
                && s.label(KIND) != null && parseIndex(s.label(INDEX)) > 0).toList();
        Map<String, String> names = services.stream().collect(Collectors.toMap(SwarmService::id, SwarmService::name));
        List<SwarmTask> tasks = services.isEmpty() ? List.of()
                : gateway.tasks(services.stream().map(SwarmService::name).toList(), names);
        Map<String, SwarmNodeInfo> machines = services.isEmpty() ? Map.of() : byId(gateway.swarmNodes());
        List<Node> nodes = new ArrayList<>();
        Map<String, Endpoint> seen = new HashMap<>();
        for (SwarmService s : services) {
            NodeKind kind = "sentinel".equals(s.label(KIND)) ? NodeKind.SENTINEL : NodeKind.REDIS;
            int port = kind.standardPort();
            Optional<SwarmTask> current = currentTask(tasks, s.id());
            Endpoint announced = new Endpoint(s.name(), port);
            Endpoint to = announced;
            NodeState state = NodeState.STOPPED;
            String detail = "no task";
            Host host = Host.NONE;
            if (current.isPresent()) {
                SwarmTask t = current.get();
                Optional<Endpoint> published = TaskReach.of(t, port, machines);
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
            nodes.add(new Node(s.name(), s.label(GROUP), kind, parseIndex(s.label(INDEX)), announced, to, state, detail, host));
        }
        if (group == null) {
            reach.replaceAll(seen);
            cachedAt = System.currentTimeMillis();
        } else {
            reach.putAll(seen);
        }
        nodes.sort(Comparator.comparing(Node::group).thenComparing(Node::kind).thenComparingInt(Node::index));
        return List.copyOf(nodes);
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

    private static int parseIndex(String s) {
        try {
            return s == null ? -1 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public List<String> groups() {
        return gateway.services(Map.of(MANAGED, "true")).stream().map(s -> s.label(GROUP)).filter(g -> g != null)
                .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
    }

    @Override
    public Endpoint reachable(Endpoint announced) {
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
        return reach.lookup(announced.host()).orElseGet(() -> reach.isEndpoint(announced) ? announced : unreachable(announced));
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
        removal.remove(node);
    }

    @Override
    public List<String> planRemove(Node node) {
        return removal.planRemove(node);
    }

    @Override
    public void destroy(String group, Progress progress) {
        removal.destroy(group, progress);
    }

    @Override
    public List<String> planDestroy(String group) {
        return removal.planDestroy(group);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new rsc.command.CancelledException();
        }
    }

    // ------------------------------------------------------------------------------------------ signals

    /**
     * {@code kill} and {@code pause} act on the container running under the node's name now, on whichever swarm node;
     * {@code resume} on exactly the container rsc froze under that name (else, for a container frozen by hand, the one
     * running now).
     */
    @Override
    public void signal(Node node, Signal signal) {
        List<SwarmNodeInfo> machines = gateway.swarmNodes();
        if (signal == Signal.CONT && drills.resume(node, machines)) {
            return;
        }
        SwarmTask task = runningTask(node);
        if (signal == Signal.CONT) {
            drills.unpause(task, machines);
        } else {
            drills.signal(node, task, signal, machines);
        }
    }

    @Override
    public List<String> planSignal(Node node, Signal signal) {
        List<SwarmNodeInfo> machines = gateway.swarmNodes();
        if (signal == Signal.CONT) {
            Optional<SwarmDrills.Frozen> f = drills.frozen(node.name());
            if (f.isPresent()) {
                return drills.plan(f.get().nodeId(), f.get().containerId(), machines, "unpause");
            }
        }
        SwarmTask task = runningTask(node);
        String[] args = switch (signal) {
            case KILL, TERM -> new String[] {"kill", "--signal", signal.name()};
            case STOP -> new String[] {"pause"};
            case CONT -> new String[] {"unpause"};
        };
        return drills.plan(task.nodeId(), task.containerId(), machines, args);
    }

    /** The running task of an rsc node (its service), or of a hand-built group's node (named SERVICE.SLOT). */
    private SwarmTask runningTask(Node node) {
        Optional<SwarmService> service = removal.managedService(node.name());
        int slot = 0;
        if (service.isEmpty() && node.name().lastIndexOf('.') > 0) {
            String base = node.name().substring(0, node.name().lastIndexOf('.'));
            slot = parseIndex(node.name().substring(node.name().lastIndexOf('.') + 1));
            service = gateway.services(Map.of()).stream().filter(s -> s.name().equals(base)).findFirst();
        }
        SwarmService s = service.orElseThrow(() -> new RscException("no service " + node.name() + " on this swarm"));
        int wanted = slot;
        return gateway.tasks(List.of(s.name()), Map.of(s.id(), s.name())).stream()
                .filter(t -> t.serviceId().equals(s.id()) && t.running() && !t.containerId().isEmpty())
                .filter(t -> wanted <= 0 || t.slot() == wanted).findFirst()
                .orElseThrow(() -> new RscException(node.name() + " has no running task"));
    }

    // ------------------------------------------------------------------------------------------ doctor

    /**
     * Swarm hazards of the services labelled with the group (rsc's own and any other): VIP endpoint mode, ports
     * published through the ingress mesh, a Redis service Swarm restarts without rsc's entrypoint, recent task
     * failures with Swarm's error ({@link ServiceFindings}).
     */
    @Override
    public List<Finding> findings(String group) {
        return findingsOf(gateway.serviceShapes(Map.of(GROUP, group)));
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

    // ------------------------------------------------------------------------------------------ machines

    @Override
    public List<Host> machines() {
        return gateway.swarmNodes().stream().map(SwarmNodeInfo::host).sorted(Comparator.comparing(Host::address)).toList();
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

    /** The engine this backend talks to. */
    public EngineInfo engine() {
        return gateway.engine();
    }

    @Override
    public void close() {
        gateway.close();
    }
}
