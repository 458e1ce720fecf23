package rsc.backend.attached;

import rsc.backend.GroupsAndNodes;
import rsc.backend.Backend;
import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.backend.Signal;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Finding;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.model.NodeState;
import rsc.redis.Reads;
import rsc.redis.SentinelReads;
import rsc.redis.SentinelMaster;
import rsc.redis.SentinelPeer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The session's backend plus the groups attached by their sentinels. Attached nodes are listed from the sentinels'
 * own view; starting, removing or signalling them is refused, since rsc did not place them.
 */
public final class AttachingBackend implements Backend {

    private static final long CACHE_NANOS = 500_000_000L;

    private record Cached(List<Node> nodes, long at) {
    }

    private final Backend placed;
    private final AttachedRegistry registry;
    private final Supplier<Reads> redis;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final java.util.function.BiConsumer<Endpoint, String> discovered;

    /**
     * @param discovered told of every attached node found (address, group), so its group's password is used for it
     */
    public AttachingBackend(Backend placed, AttachedRegistry registry, Supplier<Reads> redis,
                            java.util.function.BiConsumer<Endpoint, String> discovered) {
        this.placed = placed;
        this.registry = registry;
        this.redis = redis;
        this.discovered = discovered;
    }

    public AttachedRegistry registry() {
        return registry;
    }

    /** The backend that places rsc's own nodes. */
    public Backend placed() {
        return placed;
    }

    public boolean attached(String group) {
        return registry.find(group).isPresent();
    }

    @Override
    public String name() {
        return placed.name();
    }

    @Override
    public String describe() {
        List<AttachedGroup> all = registry.all();
        return placed.describe() + (all.isEmpty() ? "" : "; attached: "
                + String.join(", ", all.stream().map(AttachedGroup::name).toList()));
    }

    @Override
    public List<Node> nodes(String group) {
        List<Node> out = new ArrayList<>(placed.nodes(group));
        for (AttachedGroup g : registry.all()) {
            if (group == null || group.equals(g.name())) {
                out.addAll(discover(g));
            }
        }
        return out;
    }

    @Override
    public List<String> groups() {
        return withAttached(placed.groups());
    }

    @Override
    public GroupsAndNodes groupsAndNodes() {
        GroupsAndNodes own = placed.groupsAndNodes();
        List<Node> nodes = new ArrayList<>(own.nodes());
        registry.all().forEach(g -> nodes.addAll(discover(g)));
        return new GroupsAndNodes(withAttached(own.groups()), nodes);
    }

    private List<String> withAttached(List<String> placedGroups) {
        Set<String> all = new LinkedHashSet<>(placedGroups);
        registry.all().forEach(g -> all.add(g.name()));
        return all.stream().sorted().toList();
    }

    /** The group's nodes as its sentinels report them, cached for half a second. */
    List<Node> discover(AttachedGroup g) {
        Cached c = cache.get(g.name());
        if (c != null && System.nanoTime() - c.at() < CACHE_NANOS) {
            return c.nodes();
        }
        List<Node> nodes = g.services().map(sv -> recipe(g.name(), sv)).orElseGet(() -> ask(g));
        cache.put(g.name(), new Cached(nodes, System.nanoTime()));
        return nodes;
    }

    /** A group attached by its services: the backend lists their tasks. */
    private List<Node> recipe(String group, rsc.backend.RecipeServices services) {
        List<Node> nodes = placed.capability(rsc.backend.Recipes.class).orElseThrow(rsc.backend.Recipes::missing)
                .recipeNodes(group, services);
        nodes.forEach(n -> discovered.accept(n.announced(), group));
        return nodes;
    }

    private List<Node> ask(AttachedGroup g) {
        Map<Endpoint, NodeState> sentinels = new LinkedHashMap<>();
        g.sentinels().forEach(e -> sentinels.put(e, NodeState.STOPPED));
        List<Node> redisNodes = new ArrayList<>();
        for (Endpoint e : g.sentinels()) {
            try {
                SentinelReads s = redis.get().sentinel(e);
                Optional<SentinelMaster> m = s.master(g.name());
                if (m.isEmpty()) {
                    continue;
                }
                sentinels.put(e, NodeState.RUNNING);
                redisNodes.add(node(g.name(), NodeKind.REDIS, m.get().address(), m.get().down()));
                for (SentinelPeer p : s.replicas(g.name())) {
                    redisNodes.add(node(g.name(), NodeKind.REDIS, p.address(), p.down()));
                }
                for (SentinelPeer p : s.sentinels(g.name())) {
                    sentinels.putIfAbsent(p.address(), p.down() ? NodeState.STOPPED : NodeState.RUNNING);
                    if (!p.down()) {
                        sentinels.put(p.address(), NodeState.RUNNING);
                    }
                }
                break;
            } catch (RuntimeException ex) {
                // this sentinel is unreachable: ask the next
            }
        }
        List<Node> out = new ArrayList<>(redisNodes);
        sentinels.forEach((e, state) -> out.add(node(g.name(), NodeKind.SENTINEL, e, state != NodeState.RUNNING)));
        out.sort(Comparator.comparing(Node::kind).thenComparing(Node::name));
        return List.copyOf(out);
    }

    private Node node(String group, NodeKind kind, Endpoint announced, boolean down) {
        discovered.accept(announced, group);
        String name = group + "-" + kind.word() + "-" + announced.host().replaceAll("[^A-Za-z0-9.-]", "-") + "-" + announced.port();
        return new Node(name, group, kind, 0, announced, placed.reachable(announced),
                down ? NodeState.STOPPED : NodeState.RUNNING, "attached");
    }

    private void refuse(String group, String what) {
        if (attached(group)) {
            if (what.equals("signal") && registry.find(group).flatMap(AttachedGroup::services).isPresent()) {
                return;     // the drills (kill, pause, resume) work on the tasks of a group attached by its services
            }
            throw new RscException("'" + group + "' is attached: rsc did not place its nodes, so it does not " + what
                    + " them (read commands, events, doctor and failover work)");
        }
    }

    @Override
    public Node start(NodeSpec spec, Progress progress) {
        refuse(spec.group(), "start");
        return placed.start(spec, progress);
    }

    @Override
    public void remove(Node node) {
        refuse(node.group(), "remove");
        placed.remove(node);
    }

    @Override
    public void signal(Node node, Signal signal) {
        refuse(node.group(), "signal");
        placed.signal(node, signal);
    }

    @Override
    public List<String> destroy(String group, Progress progress) {
        refuse(group, "destroy");
        return placed.destroy(group, progress);
    }

    @Override
    public Endpoint reachable(Endpoint announced) {
        return placed.reachable(announced);
    }

    @Override
    public List<String> planStart(NodeSpec spec, int earlier) {
        refuse(spec.group(), "start");
        return placed.planStart(spec, earlier);
    }

    @Override
    public List<String> planRemove(Node node) {
        refuse(node.group(), "remove");
        return placed.planRemove(node);
    }

    @Override
    public List<String> planSignal(Node node, Signal signal) {
        refuse(node.group(), "signal");
        return placed.planSignal(node, signal);
    }

    @Override
    public List<String> planDestroy(String group) {
        refuse(group, "destroy");
        return placed.planDestroy(group);
    }

    @Override
    public rsc.model.Persistence persistence(String group) {
        return registry.find(group).isPresent() ? rsc.model.Persistence.NONE : placed.persistence(group);
    }

    @Override
    public List<Finding> findings(String group) {
        Optional<AttachedGroup> g = registry.find(group);
        if (g.isEmpty()) {
            return placed.findings(group);
        }
        return g.get().services().flatMap(sv -> placed.capability(rsc.backend.Recipes.class).map(r -> r.recipeFindings(sv)))
                .orElse(List.of());
    }

    /** The capabilities of the backend that places nodes: attaching adds none. */
    @Override
    public <T> Optional<T> capability(Class<T> type) {
        return placed.capability(type);
    }

    @Override
    public void close() {
        placed.close();
    }
}
