package rsc.backend.swarm;

import rsc.backend.Backend;
import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.backend.SentinelSettings;
import rsc.backend.Signal;
import rsc.command.RscException;
import rsc.model.Endpoint;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Places nodes as Docker Swarm services: one service per node ({@code G-redis-N}, {@code G-sentinel-N}), one
 * replica each, restarted by Swarm, reached on a host-mode port published at random. Nodes know each other by
 * service name on an attachable overlay network (dnsrr); the console reaches them at {@code 127.0.0.1:<port>}.
 */
public final class SwarmBackend implements Backend {

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
    /** Announced host (service name or overlay IP) -> where the console reaches it. */
    private final Map<String, Endpoint> reachByHost = new ConcurrentHashMap<>();
    /** The same for the tasks of hand-built groups ({@code attach --services}), by group. */
    private final Map<String, Map<String, Endpoint>> recipeReach = new ConcurrentHashMap<>();
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
        List<Node> nodes = new ArrayList<>();
        Map<String, Endpoint> seen = new HashMap<>();
        for (SwarmService s : services) {
            NodeKind kind = "sentinel".equals(s.label(KIND)) ? NodeKind.SENTINEL : NodeKind.REDIS;
            int port = kind.standardPort();
            Optional<SwarmTask> current = currentTask(tasks, s.id());
            Endpoint announced = new Endpoint(s.name(), port);
            Endpoint reach = announced;
            NodeState state = NodeState.STOPPED;
            String detail = "no task";
            if (current.isPresent()) {
                SwarmTask t = current.get();
                Optional<Integer> published = t.published(port);
                if (published.isPresent()) {
                    reach = new Endpoint("127.0.0.1", published.get());
                }
                if (t.running() && published.isPresent()) {
                    state = NodeState.RUNNING;
                    seen.put(s.name(), reach);
                    for (String a : t.addresses()) {
                        seen.put(a, reach);
                    }
                } else if (t.wantedRunning() && !t.ended()) {
                    state = NodeState.STARTING;
                } else {
                    state = NodeState.FAILED;
                }
                detail = "task " + t.shortId() + " " + t.state()
                        + (t.containerId().isEmpty() ? "" : ", container " + SwarmGateway.shortId(t.containerId()))
                        + (t.error().isEmpty() ? "" : ", " + t.error());
            }
            nodes.add(new Node(s.name(), s.label(GROUP), kind, parseIndex(s.label(INDEX)), announced, reach, state, detail));
        }
        if (group == null) {
            reachByHost.keySet().retainAll(seen.keySet());
        }
        reachByHost.putAll(seen);
        if (group == null) {
            cachedAt = System.currentTimeMillis();
        }
        nodes.sort(Comparator.comparing(Node::group).thenComparing(Node::kind).thenComparingInt(Node::index));
        return List.copyOf(nodes);
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
        Endpoint reach = reachByHost.get(announced.host());
        if (reach == null) {
            for (Map<String, Endpoint> m : recipeReach.values()) {
                reach = m.get(announced.host());
                if (reach != null) {
                    break;
                }
            }
        }
        return reach == null ? announced : reach;
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
        Optional<SwarmGateway.SecretRef> secret = spec.password().map(pw -> passwordSecret(group, pw,
                spec.role() == NodeSpec.StartRole.MASTER, progress));
        progress.update(name + ": creating service");
        String id = gateway.createService(new SwarmGateway.ServiceRequest(name, image, args, env, labels, networkId,
                aliases, port, secret));
        try {
            return awaitRunning(id, name, group, kind, index, progress);
        } catch (RuntimeException e) {
            try {
                gateway.removeService(id);
            } catch (RuntimeException ignored) {
                // the first failure is the one to report
            }
            throw e;
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
            return n.id();
        }
        progress.update("creating overlay network " + name);
        return gateway.createOverlay(name, Map.of(MANAGED, "true", CREATED, "true"));
    }

    private Node awaitRunning(String serviceId, String name, String group, NodeKind kind, int index, Progress progress) {
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
                Optional<Integer> published = t.published(port);
                if (t.running() && published.isPresent()) {
                    Endpoint reach = new Endpoint("127.0.0.1", published.get());
                    if (answersPing(reach)) {
                        Endpoint announced = new Endpoint(name, port);
                        reachByHost.put(name, reach);
                        t.addresses().forEach(a -> reachByHost.put(a, reach));
                        return new Node(name, group, kind, index, announced, reach, NodeState.RUNNING,
                                "task " + t.shortId() + " running, container " + SwarmGateway.shortId(t.containerId()));
                    }
                    progress.update(name + ": task running, waiting for PING on " + reach + " (" + secs + " s)");
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

    private static void sleep(long ms) {
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
        gateway.removeService(service.get().id());
        awaitGone(List.of(node.name()), Progress.NONE);
        forget(node.name());
    }

    private Optional<SwarmService> managedService(String name) {
        return gateway.services(Map.of(MANAGED, "true")).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    private void forget(String name) {
        Endpoint reach = reachByHost.remove(name);
        if (reach != null) {
            reachByHost.values().removeIf(reach::equals);
        }
    }

    private void awaitGone(List<String> names, Progress progress) {
        long start = System.nanoTime();
        long deadline = start + GONE_TIMEOUT.toNanos();
        while (true) {
            List<String> left = names.stream().filter(n -> !gateway.containersOf(n).isEmpty()).toList();
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

    @Override
    public void signal(Node node, Signal signal) {
        SwarmTask task = runningTask(node);
        String container = task.containerId();
        switch (signal) {
            case KILL -> gateway.kill(container, "KILL");
            case TERM -> gateway.kill(container, "TERM");
            case STOP -> gateway.pause(container);
            case CONT -> gateway.unpause(container);
            default -> throw new IllegalStateException();
        }
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
        int i = 0;
        for (SwarmService s : services) {
            i++;
            progress.update("removing " + s.name() + " (" + i + "/" + services.size() + ")");
            gateway.removeService(s.id());
            forget(s.name());
        }
        awaitGone(services.stream().map(SwarmService::name).toList(), progress);
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

    /** How far back {@code doctor} reports failed tasks. */
    static final Duration RECENT_FAILURES = Duration.ofMinutes(10);
    /** The first line of {@code redis-node.sh}, found in the script rsc runs: how a service is known to run it. */
    static final String REDIS_ENTRYPOINT_MARKER = "# rsc: entrypoint of a Redis data node";

    /**
     * Swarm hazards of the services labelled with the group (rsc's own and any other): VIP endpoint mode, ports
     * published through the ingress mesh, a Redis service Swarm restarts without rsc's entrypoint, recent task
     * failures with Swarm's error.
     */
    @Override
    public List<rsc.model.Finding> findings(String group) {
        return findingsOf(gateway.serviceShapes(Map.of(GROUP, group)));
    }

    /** {@link #findingsOf(List, List, java.time.Instant)} on these services and their tasks, read now. */
    private List<rsc.model.Finding> findingsOf(List<SwarmGateway.ServiceShape> services) {
        if (services.isEmpty()) {
            return List.of();
        }
        Map<String, String> names = services.stream().collect(Collectors.toMap(SwarmGateway.ServiceShape::id,
                SwarmGateway.ServiceShape::name));
        List<SwarmTask> tasks = gateway.tasks(List.copyOf(names.values()), names);
        return findingsOf(services, tasks, java.time.Instant.now());
    }

    @Override
    public List<Node> recipeNodes(String group, rsc.backend.RecipeServices services) {
        RecipeNodes.Listing l = RecipeNodes.list(gateway, gateway.engine().nodeId(), group, services);
        recipeReach.put(group, l.reachByHost());
        return l.nodes();
    }

    @Override
    public List<rsc.model.Finding> recipeFindings(rsc.backend.RecipeServices services) {
        return findingsOf(gateway.serviceShapesNamed(services.all()));
    }

    /** {@link #findings} without the engine: the checks on what the gateway read. */
    static List<rsc.model.Finding> findingsOf(List<SwarmGateway.ServiceShape> services, List<SwarmTask> tasks,
                                              java.time.Instant now) {
        List<rsc.model.Finding> out = new ArrayList<>();
        for (SwarmGateway.ServiceShape s : services.stream().sorted(Comparator.comparing(SwarmGateway.ServiceShape::name)).toList()) {
            String n = s.name();
            if (!"dnsrr".equals(s.endpointMode())) {
                out.add(new rsc.model.Finding(rsc.result.Severity.ERROR, "vip-endpoint", n + " is in VIP endpoint mode: "
                        + "its name resolves to a virtual IP, not to its task, so Sentinel registers replicas under the VIP "
                        + "and may count the master twice (and VIP needs IPVS in the kernel)",
                        "recreate " + n + " with --endpoint-mode dnsrr (or: docker service update --endpoint-mode dnsrr " + n
                                + ", once no port is published in ingress mode)"));
            }
            List<String> ingress = s.ports().entrySet().stream().filter(e -> "ingress".equals(e.getValue()))
                    .map(Map.Entry::getKey).sorted().toList();
            if (!ingress.isEmpty()) {
                List<String> targets = ingress.stream().map(p -> p.substring(p.indexOf(':') + 1, p.indexOf('/')))
                        .distinct().toList();
                out.add(new rsc.model.Finding(rsc.result.Severity.WARN, "ingress-port", n + " publishes "
                        + String.join(", ", ingress) + " through the ingress routing mesh: connections are NATed to any "
                        + "task, so the address clients reach is not the one Sentinel announces",
                        "publish in host mode: docker service update "
                                + targets.stream().map(t -> "--publish-rm " + t + " --publish-add mode=host,target=" + t)
                                .collect(Collectors.joining(" ")) + " " + n));
            }
            if (isRedisDataService(s) && !runsRscEntrypoint(s) && !"none".equals(s.restartCondition())) {
                out.add(new rsc.model.Finding(rsc.result.Severity.ERROR, "restart-empty", n + " runs "
                        + (s.command().isEmpty() ? "the default command of " + s.image()
                        : "'" + abbreviate(SwarmGateway.oneLine(String.join(" ", s.command())), 60) + "'")
                        + " with restart condition " + s.restartCondition() + " and without rsc's entrypoint: Swarm "
                        + "restarts it empty, without asking the sentinels, and its replicas may copy the empty data set",
                        "replace it with an rsc node ('scale slaves N' starts nodes that ask the sentinels first), "
                                + "or docker service update --restart-condition none " + n));
            }
            Optional<String> followed = isRedisDataService(s) && !runsRscEntrypoint(s) ? followedName(s.command())
                    : Optional.empty();
            if (followed.isPresent()) {
                out.add(new rsc.model.Finding(rsc.result.Severity.ERROR, "follows-name", n + " starts its tasks as "
                        + "replicas of the name '" + followed.get() + "', not of the master Sentinel elected: after a "
                        + "failover, a task Swarm restarts follows whatever answers to that name (the old master, restarted "
                        + "empty, included) and copies its data set",
                        "replace it with rsc replicas ('scale slaves N' starts nodes that ask the sentinels who is master), "
                                + "or start replicas with no --slaveof and let Sentinel (SENTINEL RESET) place them"));
            }
            List<SwarmTask> mine = tasks.stream().filter(t -> t.serviceId().equals(s.id())).toList();
            List<SwarmTask> failed = mine.stream().filter(t -> ("failed".equals(t.state()) || "rejected".equals(t.state()))
                    && recent(t, now)).sorted(Comparator.comparing(SwarmTask::timestamp).reversed()).toList();
            if (!failed.isEmpty()) {
                SwarmTask last = failed.get(0);
                boolean running = mine.stream().anyMatch(t -> t.running() && t.wantedRunning());
                String ago = ageOf(last, now).map(d -> " " + d.toSeconds() + " s ago").orElse("");
                String error = last.error().isEmpty() ? last.message() : last.error();
                out.add(new rsc.model.Finding(running ? rsc.result.Severity.WARN : rsc.result.Severity.ERROR, "task-failed",
                        n + ": " + failed.size() + " task(s) " + last.state() + " in the last " + RECENT_FAILURES.toMinutes()
                                + " min, the latest (" + last.shortId() + ")" + ago + ": " + SwarmGateway.oneLine(error)
                                + (running ? "; Swarm restarted it and a task runs now" : "; no task of it runs now"),
                        "logs " + n + " --tail 50, and ps " + n));
            }
        }
        return out;
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    private static boolean recent(SwarmTask t, java.time.Instant now) {
        return ageOf(t, now).map(d -> d.compareTo(RECENT_FAILURES) <= 0).orElse(true);
    }

    private static Optional<Duration> ageOf(SwarmTask t, java.time.Instant now) {
        try {
            return Optional.of(Duration.between(java.time.OffsetDateTime.parse(t.timestamp()).toInstant(), now));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static final java.util.regex.Pattern FOLLOWS = java.util.regex.Pattern.compile(
            "(?i)(?:^|\\s)-*(?:slaveof|replicaof)\\s+[\"']?([^\\s\"']+)[\"']?\\s+[\"']?\\d+");
    private static final java.util.regex.Pattern IP = java.util.regex.Pattern.compile("^[0-9.]+$|^[0-9a-fA-F:]+:[0-9a-fA-F:]*$");

    /** The host name a command makes its Redis follow ({@code --slaveof redis 6379}), when it is a name, not an IP. */
    static Optional<String> followedName(List<String> command) {
        java.util.regex.Matcher m = FOLLOWS.matcher(String.join(" ", command));
        while (m.find()) {
            String host = m.group(1);
            if (!IP.matcher(host).matches() && !host.equalsIgnoreCase("no")) {
                return Optional.of(host);
            }
        }
        return Optional.empty();
    }

    /** A service holding Redis data: rsc's label says so, else its command runs redis-server (not a sentinel). */
    static boolean isRedisDataService(SwarmGateway.ServiceShape s) {
        String kind = s.labels().get(KIND);
        if (kind != null) {
            return NodeKind.REDIS.word().equals(kind);
        }
        String text = String.join(" ", s.command()).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("sentinel")) {
            return false;
        }
        return text.contains("redis-server") || (s.command().isEmpty() && s.image().toLowerCase(java.util.Locale.ROOT).contains("redis"));
    }

    /** True when the service's command is {@code sh -c <rsc's data-node script> rsc-node ...}. */
    static boolean runsRscEntrypoint(SwarmGateway.ServiceShape s) {
        List<String> c = s.command();
        return c.size() >= 4 && "sh".equals(c.get(0)) && "-c".equals(c.get(1))
                && c.get(2).contains(REDIS_ENTRYPOINT_MARKER) && "rsc-node".equals(c.get(3));
    }

    // ------------------------------------------------------------------------------------------ swarm commands

    /** Every service of the swarm, sorted by name. */
    public List<SwarmService> services() {
        return gateway.services(Map.of()).stream().sorted(Comparator.comparing(SwarmService::name)).toList();
    }

    /** Tasks of one service (by name or id), or of every service; sorted by service, slot and newest first. */
    public List<SwarmTask> tasks(Optional<String> service) {
        List<SwarmService> all = gateway.services(Map.of());
        Map<String, String> names = all.stream().collect(Collectors.toMap(SwarmService::id, SwarmService::name));
        List<String> filter = List.of();
        if (service.isPresent()) {
            SwarmService s = findService(all, service.get())
                    .orElseThrow(() -> new RscException("no service " + Names.printable(service.get()) + " on this swarm"));
            filter = List.of(s.name());
        } else if (all.isEmpty()) {
            return List.of();
        }
        return gateway.tasks(filter, names).stream()
                .sorted(Comparator.comparing(SwarmTask::serviceName).thenComparingInt(SwarmTask::slot)
                        .thenComparing(Comparator.comparing(SwarmTask::timestamp).reversed()))
                .toList();
    }

    private static Optional<SwarmService> findService(List<SwarmService> all, String nameOrId) {
        return all.stream().filter(s -> s.name().equals(nameOrId)).findFirst()
                .or(() -> all.stream().filter(s -> s.id().startsWith(nameOrId)).findFirst());
    }

    /** The machines of the swarm. */
    public List<SwarmNodeInfo> swarmNodes() {
        return gateway.swarmNodes().stream().sorted(Comparator.comparing(SwarmNodeInfo::hostname)).toList();
    }

    /**
     * Prints a service's or a task's log through {@code lines}. With {@code follow} it returns when the thread is
     * interrupted (Ctrl-C) or the stream ends.
     */
    public void logs(String serviceOrTask, Optional<Integer> tail, boolean follow, Consumer<String> lines) {
        List<SwarmService> all = gateway.services(Map.of());
        Optional<SwarmService> service = findService(all, serviceOrTask);
        if (service.isPresent()) {
            gateway.logs(service.get().id(), false, tail.orElse(null), follow, lines);
            return;
        }
        Map<String, String> names = all.stream().collect(Collectors.toMap(SwarmService::id, SwarmService::name));
        String taskId = serviceOrTask;
        int dot = serviceOrTask.lastIndexOf('.');
        if (dot > 0) {
            taskId = serviceOrTask.substring(dot + 1);   // svc.slot.taskid, as docker names task containers
        }
        SwarmTask task = gateway.task(taskId, names)
                .orElseThrow(() -> new RscException("no service or task " + Names.printable(serviceOrTask) + " on this swarm"));
        gateway.logs(task.id(), true, tail.orElse(null), follow, lines);
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
