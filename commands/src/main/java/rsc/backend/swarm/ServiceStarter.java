package rsc.backend.swarm;

import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.backend.SentinelSettings;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Host;
import rsc.model.Names;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.model.NodeState;
import rsc.redis.Ping;
import rsc.backend.Settings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static rsc.backend.swarm.SwarmBackend.GROUP;
import static rsc.backend.swarm.SwarmBackend.INDEX;
import static rsc.backend.swarm.SwarmBackend.KIND;
import static rsc.backend.swarm.SwarmBackend.MANAGED;
import static rsc.backend.swarm.SwarmBackend.START_TIMEOUT;

/**
 * Starting one node as a service: the overlay network and the group's password secret when missing, the service
 * (dnsrr, a host-mode port, restart any, pinned where {@link Placement} chooses and unpinned once its task runs), and
 * the wait until it answers PING. A start that fails removes what it made. {@link #plan} lists the same Engine API
 * calls for {@code --dry-run} ({@link StartPlan}), built from the same {@link Draft}, without making them.
 */
final class ServiceStarter {

    /** Where a group's password is mounted in each of its containers. */
    static final String SECRET_FILE = "rsc-password";

    private final Settings settings;
    private final OverlayNetwork network;
    private final SwarmGateway gateway;
    private final TaskReach reach;
    private final ServiceRemoval removal;
    private final Function<String, List<Node>> groupNodes;

    /** @param groupNodes the nodes of a group as the backend lists them now, for {@link Placement} */
    ServiceStarter(Settings settings, SwarmGateway gateway, TaskReach reach, ServiceRemoval removal,
                   Function<String, List<Node>> groupNodes) {
        this.settings = settings;
        this.network = new OverlayNetwork(gateway, settings.network());
        this.gateway = gateway;
        this.reach = reach;
        this.removal = removal;
        this.groupNodes = groupNodes;
    }

    /**
     * A node's service as rsc creates it, before any call: its name and index, labels, environment (no secret in
     * it: the password travels as a Docker secret) and network aliases.
     */
    record Draft(String name, int index, NodeKind kind, Map<String, String> labels, List<String> env,
                 List<String> aliases, int port, Optional<SwarmGateway.VolumeRef> volume) {
    }

    /** The service for {@code spec} as node {@code index} of its group and kind. */
    static Draft draft(NodeSpec spec, int index) {
        String group = Names.check(spec.group(), "group");
        NodeKind kind = spec.kind();
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
        Optional<SwarmGateway.VolumeRef> volume = Optional.empty();
        if (kind == NodeKind.REDIS) {
            aliases = List.of(group + "-redis");
            // the group's choice rides on every data service: scale reads it back, the script applies it
            labels.put(SwarmVolumes.PERSISTENCE, spec.persistence().word());
            env.add("RSC_PERSISTENCE=" + spec.persistence().word());
            volume = spec.persistence().persists() ? Optional.of(SwarmVolumes.ref(group, name)) : Optional.empty();
        }
        return new Draft(name, index, kind, Map.copyOf(labels), List.copyOf(env), aliases, kind.standardPort(), volume);
    }

    /** The lowest index whose name no service on the swarm has, taking it. */
    private static int nextIndex(Set<String> taken, String group, NodeKind kind) {
        int index = 1;
        while (taken.contains(Node.nameOf(group, kind, index))) {
            index++;
        }
        taken.add(Node.nameOf(group, kind, index));
        return index;
    }

    private Set<String> takenNames() {
        return gateway.services(Map.of()).stream().map(SwarmService::name).collect(Collectors.toSet());
    }

    Node start(NodeSpec spec, Progress progress) {
        String group = Names.check(spec.group(), "group");
        NodeKind kind = spec.kind();
        String image = imageOf(group);
        if (!gateway.imagePresent(image)) {
            throw new RscException("image " + image + " is not on this node: docker pull " + image + ", or pass --image");
        }
        List<String> args = NodeScripts.command(kind, spec.config());
        String networkId = network.ensure(progress);
        Draft d = draft(spec, nextIndex(takenNames(), group, kind));
        String name = d.name();
        boolean firstNode = spec.role() == NodeSpec.StartRole.MASTER;
        Optional<SwarmGateway.SecretRef> secret = spec.password().map(pw -> passwordSecret(group, pw, firstNode, progress));
        List<SwarmNodeInfo> machines = gateway.swarmNodes();
        Optional<Placement.Choice> choice = choose(kind, group, machines);
        List<String> constraints = choice.map(c -> List.of("node.id==" + c.node().id())).orElse(List.of());
        progress.update(name + ": creating service" + choice.map(c -> " on swarm node " + c.node().host().label()).orElse(""));
        String id;
        int published;
        try {
            published = HostPorts.choose(gateway.services(Map.of()));
            SwarmGateway.ServiceRequest request = new SwarmGateway.ServiceRequest(name, image, args, d.env(), d.labels(),
                    networkId, d.aliases(), d.port(), published, secret, constraints, d.volume());
            id = network.createService(request, progress);
        } catch (RuntimeException e) {
            dropSecretOfFailedGroup(firstNode, secret);
            throw e;
        }
        try {
            Node started = awaitRunning(id, name, group, kind, d.index(), published, ServiceListing.byId(machines), progress);
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
                    removal.awaitGone(List.of(name), List.of(), Progress.NONE);   // a secret in use by a task cannot be removed
                }
            } catch (RuntimeException ignored) {
                // the first failure is the one to report
            }
            dropSecretOfFailedGroup(firstNode, secret);
            throw e;
        }
    }

    /** Where {@link Placement} puts the group's next node of this kind; empty (Swarm chooses) below two schedulable nodes. */
    private Optional<Placement.Choice> choose(NodeKind kind, String group, List<SwarmNodeInfo> machines) {
        return !Placement.choosing(machines) ? Optional.empty()
                : Placement.choose(kind, groupNodes.apply(group), machines, tasksPerNode());
    }

    // ------------------------------------------------------------------------------------------ plan

    /** The Engine API calls {@link #start} would make for {@code spec}; reads the swarm, changes nothing. */
    List<String> plan(NodeSpec spec, int earlier) {
        String group = Names.check(spec.group(), "group");
        NodeScripts.arguments(spec.config());   // refused here as in start
        Set<String> taken = takenNames();
        int index = 0;
        for (int i = 0; i <= earlier; i++) {
            index = nextIndex(taken, group, spec.kind());
        }
        Draft d = draft(spec, index);
        boolean firstNode = spec.role() == NodeSpec.StartRole.MASTER;
        Optional<String> oldSecret = firstNode && spec.password().isPresent() ? gateway.secrets().id(secretName(group))
                : Optional.empty();
        String image = imageOf(group);
        StartPlan.Facts facts = new StartPlan.Facts(image, gateway.imagePresent(image), settings.network(),
                gateway.networks().byName(settings.network()).isEmpty(), oldSecret,
                choose(spec.kind(), group, gateway.swarmNodes()).map(Placement.Choice::node));
        return StartPlan.lines(spec, d, facts);
    }

    /** The image the group's services run when they all run one (after an upgrade), else the console's --image. */
    private String imageOf(String group) {
        List<String> images = gateway.services(Map.of(MANAGED, "true", GROUP, group)).stream().map(SwarmService::image)
                .distinct().toList();
        return images.size() == 1 && !images.get(0).isEmpty() ? images.get(0) : settings.image();
    }

    // ------------------------------------------------------------------------------------------ secret, names

    /** The group's first node made the group's secret: a group that failed to start leaves none behind. */
    private void dropSecretOfFailedGroup(boolean firstNode, Optional<SwarmGateway.SecretRef> secret) {
        if (firstNode && secret.isPresent()) {
            try {
                gateway.secrets().remove(secret.get().id());
            } catch (RuntimeException ignored) {
                // the start's own failure is the one to report; doctor and destroy see a leftover secret
            }
        }
    }

    /** Name of the Docker secret a group's first node makes for its password (rotations add newer ones: {@link GroupSecrets}). */
    static String secretName(String group) {
        return GroupSecrets.base(group);
    }

    /**
     * The group's password as a Docker secret, mounted at /run/secrets/rsc-password. A group's first node (its
     * master) replaces any secret left by an earlier group of the same name; later nodes mount the newest.
     */
    private SwarmGateway.SecretRef passwordSecret(String group, rsc.model.Secret pw, boolean fresh, Progress progress) {
        rsc.secrets.PasswordSource.problem(pw.reveal()).ifPresent(p -> {
            throw new RscException("the group's password " + p);   // the rule create-master already applied, kept at the edge
        });
        if (fresh) {
            for (GroupSecrets.Generation g : GroupSecrets.all(gateway, group)) {
                progress.update("replacing the old secret " + g.name());
                gateway.secrets().remove(g.id());
            }
        } else {
            Optional<GroupSecrets.Generation> newest = GroupSecrets.newest(gateway, group);
            if (newest.isPresent()) {
                return newest.get().ref();
            }
        }
        String name = secretName(group);
        String id = gateway.secrets().create(name, Map.of(MANAGED, "true", GROUP, group), pw.reveal());
        return new SwarmGateway.SecretRef(id, name, SECRET_FILE);
    }

    /** The network alias every sentinel of a group carries; node scripts find the sentinels through it. */
    static String sentinelAlias(String group) {
        return group + "-sentinels";
    }

    private static String checkedMaster(NodeSpec spec) {
        Endpoint m = spec.master().orElseThrow(() -> new RscException("a " + spec.role().name().toLowerCase(Locale.ROOT)
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

    // ------------------------------------------------------------------------------------------------- waiting

    /** Running tasks of every service, by swarm node id: the load {@link Placement} breaks ties with. */
    private Map<String, Long> tasksPerNode() {
        return gateway.tasks(List.of(), Map.of()).stream().filter(t -> t.running() && t.wantedRunning())
                .collect(Collectors.groupingBy(SwarmTask::nodeId, Collectors.counting()));
    }

    Node awaitRunning(String serviceId, String name, String group, NodeKind kind, int index, int publishedPort,
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
            Optional<SwarmTask> current = ServiceListing.currentTask(tasks, serviceId);
            if (current.isPresent()) {
                SwarmTask t = current.get();
                last = t.state() + (t.message().isEmpty() ? "" : " (" + t.message() + ")");
                Optional<Endpoint> published = TaskReach.of(t, port, publishedPort, machines);
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
                                "task " + t.shortId() + " running, container " + DockerErrors.shortId(t.containerId()), host);
                    }
                    progress.update(name + ": task running, waiting for PING on " + to + " (" + secs + " s)");
                } else {
                    progress.update(name + ": task " + t.state() + " (" + secs + " s)");
                }
            } else {
                progress.update(name + ": waiting for a task (" + secs + " s)");
            }
            SwarmBackend.sleep(250);
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
        return useful.isEmpty() ? "" : "; its log ends: " + DockerErrors.oneLine(String.join(" | ", useful));
    }

    private static final java.time.Duration PING_TIMEOUT = java.time.Duration.ofSeconds(1);

    /** Whether the node listens at its published port ({@link Ping}: the same rule the local backend waits on). */
    static boolean answersPing(Endpoint e) {
        return Ping.answers(e, PING_TIMEOUT, PING_TIMEOUT);
    }

}
