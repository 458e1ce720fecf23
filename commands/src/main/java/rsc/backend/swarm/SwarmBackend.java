package rsc.backend.swarm;

import rsc.backend.Backend;
import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.backend.SentinelSettings;
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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Places nodes as Docker Swarm services: one service per node ({@code G-redis-N}, {@code G-sentinel-N}), one
 * replica each, restarted by Swarm, reached on a host-mode port published at random on whichever swarm node runs the
 * task. Nodes know each other by service name on an attachable overlay network (dnsrr); the console reaches them at
 * their swarm node's address ({@link TaskReach}). A group's data nodes, and its sentinels, go to distinct swarm nodes
 * when there are enough ({@link Placement}); drills reach containers on any node ({@link SwarmDrills}).
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
                        + (t.containerId().isEmpty() ? "" : ", container " + SwarmGateway.shortId(t.containerId()))
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

    private static Map<String, SwarmNodeInfo> byId(List<SwarmNodeInfo> machines) {
        return machines.stream().collect(Collectors.toMap(SwarmNodeInfo::id, Function.identity(), (a, b) -> a));
    }

    /** The task that stands for a service now: running, else the newest one meant to run, else the newest. */
    private static Optional<SwarmTask> currentTask(List<SwarmTask> tasks, String serviceId) {
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

    // ------------------------------------------------------------------------------------------ starting

    @Override
    public Node start(NodeSpec spec, Progress progress) {
        String group = Names.check(spec.group(), "group");
        NodeKind kind = spec.kind();
        String image = settings.image();
        if (!gateway.imagePresent(image)) {
            throw new RscException("image " + image + " is not on this node: docker pull " + image + ", or pass --image");
        }
        List<String> args = NodeScripts.command(kind, spec.config());
        String networkId = ensureNetwork(progress);
        Set<String> taken = gateway.services(Map.of()).stream().map(SwarmService::name).collect(Collectors.toSet());
        int index = 1;
        while (taken.contains(Node.nameOf(group, kind, index))) {
            index++;
        }
        String name = Node.nameOf(group, kind, index);
        if (name.length() > 63) {
            throw new RscException("service name " + name + " is longer than Swarm's 63 characters: use a shorter group name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED, "true");
        labels.put(GROUP, group);
        labels.put(KIND, kind.word());
        labels.put(INDEX, Integer.toString(index));
        List<String> env = new ArrayList<>(List.of("RSC_GROUP=" + group, "RSC_NODE=" + name,
                "RSC_SENTINEL_ALIAS=" + sentinelAlias(group)));
        List<String> aliases = List.of();
        int port = kind.standardPort();
        switch (spec.role()) {
            case MASTER -> env.add("RSC_ROLE=master");
            case REPLICA -> {
                env.add("RSC_ROLE=replica");
                env.add("RSC_MASTER=" + checkedMaster(spec));
            }
            case SENTINEL -> {
                SentinelSettings s = spec.sentinel().orElseThrow(() -> new RscException("a sentinel needs its settings"));
                env.add("RSC_ROLE=sentinel");
                env.add("RSC_MASTER=" + checkedMaster(spec));
                env.add("RSC_QUORUM=" + s.quorum());
                env.add("RSC_DOWN_AFTER=" + s.downAfterMs());
                env.add("RSC_FAILOVER_TIMEOUT=" + s.failoverTimeout());
                env.add("RSC_SENTINEL_ID=" + sentinelId(group, name));
                aliases = List.of(sentinelAlias(group));
            }
            default -> throw new IllegalStateException();
        }
        if (kind == NodeKind.REDIS) {
            aliases = List.of(group + "-redis");
        }
        boolean firstNode = spec.role() == NodeSpec.StartRole.MASTER;
        Optional<SwarmGateway.SecretRef> secret = spec.password().map(pw -> passwordSecret(group, pw, firstNode, progress));
        List<SwarmNodeInfo> machines = gateway.swarmNodes();
        Optional<Placement.Choice> choice = machines.stream().filter(SwarmNodeInfo::schedulable).count() < 2 ? Optional.empty()
                : Placement.choose(kind, nodes(group), machines, tasksPerNode());
        List<String> constraints = choice.map(c -> List.of("node.id==" + c.node().id())).orElse(List.of());
        progress.update(name + ": creating service" + choice.map(c -> " on swarm node " + c.node().host().label()).orElse(""));
        String id;
        try {
            id = gateway.createService(new SwarmGateway.ServiceRequest(name, image, args, env, labels, networkId,
                    aliases, port, secret, constraints));
        } catch (RuntimeException e) {
            dropSecretOfFailedGroup(firstNode, secret);
            throw e;
        }
        try {
            Node started = awaitRunning(id, name, group, kind, index, byId(machines), progress);
            if (choice.isPresent()) {
                // placed where rsc chose; now unpinned, so Swarm can reschedule it if that swarm node is lost
                gateway.clearPlacement(id);
                if (!started.host().id().equals(choice.get().node().id())) {
                    throw new RscException(name + " runs on swarm node " + started.host().label() + ", not on "
                            + choice.get().node().host().label() + " where rsc placed it");
                }
            }
            return started;
        } catch (RuntimeException e) {
            try {
                gateway.removeService(id);
                if (firstNode && secret.isPresent()) {
                    awaitGone(List.of(name), List.of(), Progress.NONE);   // a secret in use by a task cannot be removed
                }
            } catch (RuntimeException ignored) {
                // the first failure is the one to report
            }
            dropSecretOfFailedGroup(firstNode, secret);
            throw e;
        }
    }

    /** The group's first node made the group's secret: a group that failed to start leaves none behind. */
    private void dropSecretOfFailedGroup(boolean firstNode, Optional<SwarmGateway.SecretRef> secret) {
        if (firstNode && secret.isPresent()) {
            try {
                gateway.removeSecret(secret.get().id());
            } catch (RuntimeException ignored) {
                // the start's own failure is the one to report; doctor and destroy see a leftover secret
            }
        }
    }

    /** Name of the Docker secret that holds a group's password. */
    static String secretName(String group) {
        return "rsc-" + group + "-password";
    }

    /**
     * The group's password as a Docker secret, mounted at /run/secrets/rsc-password. A group's first node (its
     * master) replaces any secret left by an earlier group of the same name; later nodes reuse it.
     */
    private SwarmGateway.SecretRef passwordSecret(String group, rsc.model.Secret pw, boolean fresh, Progress progress) {
        rsc.secrets.PasswordSource.problem(pw.reveal()).ifPresent(p -> {
            throw new RscException("the group's password " + p);   // the rule create-master already applied, kept at the edge
        });
        String name = secretName(group);
        Optional<String> existing = gateway.secretId(name);
        if (existing.isPresent() && fresh) {
            progress.update("replacing the old secret " + name);
            gateway.removeSecret(existing.get());
            existing = Optional.empty();
        }
        String id = existing.orElseGet(() -> gateway.createSecret(name, Map.of(MANAGED, "true", GROUP, group),
                pw.reveal()));
        return new SwarmGateway.SecretRef(id, name, "rsc-password");
    }

    /** The network alias every sentinel of a group carries; node scripts find the sentinels through it. */
    static String sentinelAlias(String group) {
        return group + "-sentinels";
    }

    private static String checkedMaster(NodeSpec spec) {
        Endpoint m = spec.master().orElseThrow(() -> new RscException("a " + spec.role().name().toLowerCase(java.util.Locale.ROOT)
                + " needs its master's address"));
        if (!Names.valid(m.host()) || m.port() < 1 || m.port() > 65535) {
            throw new RscException("'" + Names.printable(m.toString()) + "' is not a master address a node can follow");
        }
        return m.toString();
    }

    /** A stable 40-hex-digit Sentinel id per node, so peers know a restarted sentinel as the same one. */
    static String sentinelId(String group, String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(("rsc-sentinel/" + group + "/" + name)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String ensureNetwork(Progress progress) {
        String name = settings.network();
        Optional<SwarmGateway.NetworkInfo> existing = gateway.network(name);
        if (existing.isPresent()) {
            SwarmGateway.NetworkInfo n = existing.get();
            if (!"overlay".equals(n.driver())) {
                throw new RscException("network " + name + " exists with driver " + n.driver()
                        + "; rsc needs an overlay network: remove it or pass another --network");
            }
            if ("ingress".equals(n.name()) || "true".equals(n.labels().get("com.docker.swarm.internal"))) {
                throw new RscException("network " + name + " is Swarm's routing mesh, which services cannot attach to: "
                        + "pass another --network (rsc creates " + Settings.DEFAULT_NETWORK + " when it is missing)");
            }
            if (!n.attachable()) {
                throw new RscException("network " + name + " is an overlay network that is not attachable: rsc's node "
                        + "scripts need one (docker network create -d overlay --attachable " + name + "), or pass another --network");
            }
            return n.id();
        }
        progress.update("creating overlay network " + name);
        return gateway.createOverlay(name, Map.of(MANAGED, "true", CREATED, "true"));
    }

    /** Running tasks of every service, by swarm node id: the load {@link Placement} breaks ties with. */
    private Map<String, Long> tasksPerNode() {
        return gateway.tasks(List.of(), Map.of()).stream().filter(t -> t.running() && t.wantedRunning())
                .collect(Collectors.groupingBy(SwarmTask::nodeId, Collectors.counting()));
    }

    private Node awaitRunning(String serviceId, String name, String group, NodeKind kind, int index,
                              Map<String, SwarmNodeInfo> machines, Progress progress) {
        long start = System.nanoTime();
        long deadline = start + START_TIMEOUT.toNanos();
        int port = kind.standardPort();
        String last = "new";
        while (System.nanoTime() < deadline) {
            long secs = (System.nanoTime() - start) / 1_000_000_000L;
            List<SwarmTask> tasks = gateway.tasks(List.of(name), Map.of(serviceId, name));
            Optional<SwarmTask> failed = tasks.stream().filter(t -> t.serviceId().equals(serviceId) && t.ended()
                    && !t.error().isEmpty()).findFirst();
            if (failed.isPresent()) {
                SwarmTask t = failed.get();
                throw new RscException(name + ": task failed to start: " + t.error() + logTail(t.id()));
            }
            Optional<SwarmTask> current = currentTask(tasks, serviceId);
            if (current.isPresent()) {
                SwarmTask t = current.get();
                last = t.state() + (t.message().isEmpty() ? "" : " (" + t.message() + ")");
                Optional<Endpoint> published = TaskReach.of(t, port, machines);
                if (t.running() && published.isPresent()) {
                    Endpoint to = published.get();
                    if (answersPing(to)) {
                        Endpoint announced = new Endpoint(name, port);
                        Map<String, Endpoint> seen = new HashMap<>();
                        seen.put(name, to);
                        t.addresses().forEach(a -> seen.put(a, to));
                        reach.putAll(seen);
                        Host host = Optional.ofNullable(machines.get(t.nodeId())).map(SwarmNodeInfo::host).orElse(Host.NONE);
                        return new Node(name, group, kind, index, announced, to, NodeState.RUNNING,
                                "task " + t.shortId() + " running, container " + SwarmGateway.shortId(t.containerId()), host);
                    }
                    progress.update(name + ": task running, waiting for PING on " + to + " (" + secs + " s)");
                } else {
                    progress.update(name + ": task " + t.state() + " (" + secs + " s)");
                }
            } else {
                progress.update(name + ": waiting for a task (" + secs + " s)");
            }
            sleep(250);
        }
        throw new RscException(name + ": not answering " + START_TIMEOUT.toSeconds() + " s after it was created (task "
                + last + ")");
    }

    private String logTail(String taskId) {
        List<String> lines = new ArrayList<>();
        try {
            gateway.logs(taskId, true, 3, false, lines::add);
        } catch (RuntimeException e) {
            return "";
        }
        List<String> useful = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return useful.isEmpty() ? "" : "; its log ends: " + SwarmGateway.oneLine(String.join(" | ", useful));
    }

    /** A plain RESP PING over a socket: +PONG (or -NOAUTH, a password is set) means the node listens. */
    static boolean answersPing(Endpoint e) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(e.host(), e.port()), 1000);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n' && line.length() < 200) {
                line.append((char) c);
            }
            String reply = line.toString().strip();
            return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
        } catch (IOException ex) {
            return false;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new rsc.command.CancelledException();
        }
    }

    // ------------------------------------------------------------------------------------------ removing, signals

    @Override
    public void remove(Node node) {
        Optional<SwarmService> service = managedService(node.name());
        if (service.isEmpty()) {
            forget(node.name());
            return;
        }
        List<SwarmTask> live = liveTasks(List.of(service.get()));
        gateway.removeService(service.get().id());
        awaitGone(List.of(node.name()), live, Progress.NONE);
        forget(node.name());
    }

    /** Tasks of these services whose containers may still run, on any swarm node. */
    private List<SwarmTask> liveTasks(List<SwarmService> services) {
        if (services.isEmpty()) {
            return List.of();
        }
        Map<String, String> names = services.stream().collect(Collectors.toMap(SwarmService::id, SwarmService::name));
        return gateway.tasks(List.copyOf(names.values()), names).stream()
                .filter(t -> !t.ended() && !t.containerId().isEmpty()).toList();
    }

    private Optional<SwarmService> managedService(String name) {
        return gateway.services(Map.of(MANAGED, "true")).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    private void forget(String name) {
        reach.forget(name);
    }

    /**
     * Waits until the removed services' containers are gone: on this engine by listing them, on other swarm nodes
     * (which this engine cannot list) by their tasks, until each is gone or shut down. A task on a swarm node that is
     * down is not waited for: its node cannot report it.
     */
    private void awaitGone(List<String> names, List<SwarmTask> tasks, Progress progress) {
        long start = System.nanoTime();
        long deadline = start + GONE_TIMEOUT.toNanos();
        Set<String> lostNodes = tasks.isEmpty() ? Set.of() : gateway.swarmNodes().stream().filter(n -> !n.ready())
                .map(SwarmNodeInfo::id).collect(Collectors.toSet());
        while (true) {
            Set<String> running = new java.util.TreeSet<>();
            for (SwarmTask t : tasks) {
                if (!lostNodes.contains(t.nodeId()) && gateway.task(t.id(), Map.of()).filter(x -> !x.ended()).isPresent()) {
                    running.add(t.serviceName());
                }
            }
            List<String> left = names.stream().filter(n -> !gateway.containersOf(n).isEmpty() || running.contains(n)).toList();
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new RscException("the containers of " + String.join(", ", left) + " are still there "
                        + GONE_TIMEOUT.toSeconds() + " s after their services were removed");
            }
            progress.update("waiting for the containers of " + String.join(", ", left) + " to go ("
                    + (System.nanoTime() - start) / 1_000_000_000L + " s)");
            sleep(250);
        }
    }

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
        Optional<SwarmService> service = managedService(node.name());
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

    @Override
    public void destroy(String group, Progress progress) {
        List<SwarmService> services = gateway.services(Map.of(MANAGED, "true", GROUP, group));
        List<SwarmTask> live = liveTasks(services);
        int i = 0;
        for (SwarmService s : services) {
            i++;
            progress.update("removing " + s.name() + " (" + i + "/" + services.size() + ")");
            gateway.removeService(s.id());
            forget(s.name());
        }
        awaitGone(services.stream().map(SwarmService::name).toList(), live, progress);
        gateway.secretId(secretName(group)).ifPresent(id -> {
            progress.update("removing the secret " + secretName(group));
            gateway.removeSecret(id);
        });
        removeNetworkIfUnused(progress);
    }

    /** Removes the overlay network when rsc created it and no service uses it any more. */
    private void removeNetworkIfUnused(Progress progress) {
        Optional<SwarmGateway.NetworkInfo> net = gateway.network(settings.network());
        if (net.isEmpty() || !"true".equals(net.get().labels().get(CREATED))) {
            return;
        }
        String id = net.get().id();
        boolean used = gateway.services(Map.of()).stream().anyMatch(s -> s.networks().contains(id)
                || s.networks().contains(settings.network()));
        if (used) {
            return;
        }
        progress.update("removing network " + settings.network());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                gateway.removeNetwork(id);
                return;
            } catch (RscException e) {
                if (System.nanoTime() > deadline || gateway.network(settings.network()).isEmpty()) {
                    return;   // still in use by something outside rsc, or already gone: leave it
                }
                sleep(500);
            }
        }
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
    private List<Finding> findingsOf(List<SwarmGateway.ServiceShape> services) {
        if (services.isEmpty()) {
            return List.of();
        }
        Map<String, String> names = services.stream().collect(Collectors.toMap(SwarmGateway.ServiceShape::id,
                SwarmGateway.ServiceShape::name));
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
