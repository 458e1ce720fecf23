package rsc.session;

import rsc.backend.Backend;
import rsc.backend.BackendFactory;
import rsc.command.CommandTable;
import rsc.redis.PlainReads;
import rsc.redis.Reads;
import rsc.redis.RedisGateway;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One console's state and services. The backend and the Redis clients are built on first use, so a command
 * that needs neither (help, use) starts none.
 */
public final class Session implements AutoCloseable {

    private final Settings settings;
    private final Interaction ui;
    private final CommandTable table;
    private final Lazy<Backend> backend;
    private final Lazy<RedisGateway> redis;
    private final Lazy<PlainReads> plain;
    private final Lazy<rsc.redis.Passthrough> passthrough;
    private final ExecutorService pool;
    private final TopologyCache topology;
    private final rsc.secrets.SecretStore secrets;
    private final java.util.Map<rsc.model.Endpoint, String> groupAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final rsc.events.EventHub events;
    /** The group chosen (--group, use, create-master, attach); null when none was and the current one is implied. */
    private volatile String chosen;
    private volatile boolean jsonOutput;
    private final java.util.Map<String, rsc.events.EventLevel> eventLevels = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile rsc.events.EventLevel eventLevel = rsc.events.EventLevel.WARNINGS;
    private volatile Engine engine;
    private volatile boolean exitRequested;
    private volatile boolean liveEvents;
    private volatile boolean oneShot;
    private volatile java.time.Instant previousStart = java.time.Instant.now();
    private volatile java.time.Instant currentStart = java.time.Instant.now();

    public Session(Settings settings, Interaction ui, CommandTable table, BackendFactory backends) {
        this.settings = settings;
        this.ui = ui;
        this.table = table;
        this.chosen = settings.group();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rsc-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.backend = new Lazy<>(() -> new rsc.backend.attached.AttachingBackend(backends.open(settings),
                new rsc.backend.attached.AttachedRegistry(settings.stateDir().resolve(".attached")), this::reads,
                this::remember));
        this.secrets = new rsc.secrets.SecretStore(settings.stateDir().resolve(".secrets"));
        this.redis = new Lazy<>(() -> new RedisGateway(endpoint -> backend().reachable(endpoint), this::passwordAt));
        this.plain = new Lazy<>(() -> new PlainReads(endpoint -> backend().reachable(endpoint), this::passwordAt, pool));
        this.passthrough = new Lazy<>(() -> new rsc.redis.Passthrough(endpoint -> backend().reachable(endpoint), this::passwordAt));
        this.events = new rsc.events.EventHub(this::redis);
        this.topology = new TopologyCache(this);
    }

    void attach(Engine engine) {
        this.engine = engine;
    }

    public Engine engine() {
        return engine;
    }

    public Settings settings() {
        return settings;
    }

    public Interaction ui() {
        return ui;
    }

    public CommandTable table() {
        return table;
    }

    /** The backend, with attached groups listed beside the ones it placed. */
    public Backend backend() {
        return backend.get();
    }

    /** Where the console keeps each group's password. */
    public rsc.secrets.SecretStore secrets() {
        return secrets;
    }

    /** The group's password, when it has one. */
    public java.util.Optional<rsc.model.Secret> password(String group) {
        return secrets.find(group);
    }

    /** The password of the group the node at this address belongs to (data nodes and sentinels share it). */
    private java.util.Optional<rsc.model.Secret> passwordAt(rsc.model.Endpoint announced) {
        String group = groupAt.get(announced);
        if (group == null) {
            group = learnGroupOf(announced);
        }
        return group == null ? java.util.Optional.empty() : secrets.find(group);
    }

    /** Lists every node once to learn whose address this is; one lister at a time (a one-shot asks in parallel). */
    private String learnGroupOf(rsc.model.Endpoint announced) {
        synchronized (groupAt) {
            return learnGroupOfLocked(announced);
        }
    }

    private String learnGroupOfLocked(rsc.model.Endpoint announced) {
        String group = groupAt.get(announced);
        if (group == null) {
            for (var g : attached().all()) {
                g.sentinels().forEach(e -> groupAt.put(e, g.name()));
            }
            // only the placing backend: listing attached groups asks their sentinels, which would ask for this again
            for (rsc.model.Node n : placingBackend().nodes(null)) {
                groupAt.put(n.announced(), n.group());
                groupAt.putIfAbsent(backend().reachable(n.announced()), n.group());
            }
            group = groupAt.get(announced);
            if (group == null) {
                group = groupAt.get(backend().reachable(announced));
            }
        }
        return group;
    }

    /** Forgets which addresses belonged to a group that is gone (its ports may serve another group later). */
    public void forgetGroup(String group) {
        groupAt.values().removeIf(group::equals);
    }

    /** Tells the session which group a node it is about to reach belongs to (before the backend lists it). */
    public void remember(rsc.model.Endpoint announced, String group) {
        groupAt.put(announced, group);
    }

    /** The groups adopted by their sentinels, remembered between consoles. */
    public rsc.backend.attached.AttachedRegistry attached() {
        return ((rsc.backend.attached.AttachingBackend) backend.get()).registry();
    }

    /** The backend that places rsc's own nodes (not attached ones): the Swarm commands need its own API. */
    public Backend placingBackend() {
        return ((rsc.backend.attached.AttachingBackend) backend.get()).placed();
    }

    /** True once the backend has been opened (the prompt shows its name only then, or the configured one). */
    public boolean backendOpen() {
        return backend.isSet();
    }

    public RedisGateway redis() {
        return redis.get();
    }

    /**
     * Where read-only questions go: Lettuce once it is up, or in a session that lives on (its connections stay open);
     * plain sockets in a one-shot, whose fresh JVM would spend far longer bringing Lettuce and Netty up than asking.
     */
    public Reads reads() {
        return oneShot && !redis.isSet() ? plain.get() : redis.get();
    }

    /** The operator's own Redis client behind {@code redis}: connections no operation of rsc shares. */
    public rsc.redis.Passthrough passthrough() {
        return passthrough.get();
    }

    /** What the prompt shows of the passthrough to the group's master ({@code [1]}, {@code (TX)}); never opens it. */
    public java.util.Optional<String> passthroughMarker(String group) {
        return passthrough.isSet() ? passthrough.get().marker(group) : java.util.Optional.empty();
    }

    /** True once the Lettuce client has been built (a one-shot that only reads never builds it). */
    public boolean lettuceOpen() {
        return redis.isSet();
    }

    /** Marks this session as a one-shot ({@code rsc -c}): it runs a few commands and exits. */
    public void oneShot(boolean on) {
        this.oneShot = on;
    }

    public ExecutorService pool() {
        return pool;
    }

    public TopologyCache topology() {
        return topology;
    }

    /** The session's event timeline; live once the topology refreshes in the background. */
    public rsc.events.EventHub events() {
        return events;
    }

    /** Starts following the topology and the sentinels' events, if not already (scripts start it on first need). */
    public void follow() {
        topology.startBackground(java.time.Duration.ofSeconds(1));
    }

    /**
     * The current group, the default of every command that takes one: the group chosen ({@code --group}, {@code use},
     * {@code create-master}), else the only group there is, else {@code mymaster} when it exists; empty when none is.
     * Lists the backend's groups when none was chosen.
     */
    public java.util.Optional<String> currentGroup() {
        String g = chosen;
        return g != null ? java.util.Optional.of(g) : implied(backend().groups());
    }

    /** The current group as {@link #currentGroup}, or a one-line error saying how to choose one. */
    public String group() {
        return currentGroup().orElseThrow(() -> {
            java.util.List<String> groups = backend().groups();
            return new rsc.command.RscException(groups.isEmpty()
                    ? "no group yet: 'create-master [GROUP]' creates one"
                    : "no current group among " + String.join(", ", groups) + ": 'use GROUP' (or --group G) picks one");
        });
    }

    /** The group chosen explicitly, if any: {@code create-master} without a name creates it, else mymaster. */
    public java.util.Optional<String> chosenGroup() {
        return java.util.Optional.ofNullable(chosen);
    }

    /** The current group for the prompt, from the cached topology: never waits; empty until groups are known. */
    public java.util.Optional<String> promptGroup() {
        String g = chosen;
        return g != null ? java.util.Optional.of(g) : implied(topology.snapshot().groups());
    }

    private static java.util.Optional<String> implied(java.util.List<String> groups) {
        if (groups.size() == 1) {
            return java.util.Optional.of(groups.get(0));
        }
        return groups.contains(Settings.DEFAULT_GROUP) ? java.util.Optional.of(Settings.DEFAULT_GROUP)
                : java.util.Optional.empty();
    }

    public void use(String newGroup) {
        this.chosen = newGroup;
    }

    /** The group is gone (destroyed, detached): when it was current, the current group is implied again. */
    public void groupGone(String gone) {
        if (gone.equals(chosen)) {
            chosen = null;
        }
    }

    /** How many of a group's events print above the prompt: its own level, else the session's (warnings). */
    public rsc.events.EventLevel eventLevel(String group) {
        return group == null ? eventLevel : eventLevels.getOrDefault(group, eventLevel);
    }

    /** Sets the level for one group, or (group empty) for every group without a level of its own. */
    public void eventLevel(java.util.Optional<String> group, rsc.events.EventLevel level) {
        group.ifPresentOrElse(g -> eventLevels.put(g, level), () -> {
            eventLevel = level;
            eventLevels.clear();
        });
    }

    public boolean jsonOutput() {
        return jsonOutput;
    }

    public void jsonOutput(boolean on) {
        this.jsonOutput = on;
    }

    void commandStarting() {
        previousStart = currentStart;
        currentStart = java.time.Instant.now();
    }

    /** When the command before the running one started: {@code wait} counts events from there. */
    public java.time.Instant previousCommandStart() {
        return previousStart;
    }

    /** Follows the topology now and waits for the first refresh, so the sentinels' events are heard from here on. */
    public void followNow() throws InterruptedException {
        follow();
        topology.refreshNow();
    }

    /** Whether events already print above the prompt as they arrive (the interactive console). */
    public boolean liveEvents() {
        return liveEvents;
    }

    public void liveEvents(boolean on) {
        this.liveEvents = on;
    }

    /** Asks the console (or script) to stop after this command. */
    public void requestExit() {
        this.exitRequested = true;
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    @Override
    public void close() {
        topology.close();
        events.close();
        if (plain.isSet()) {
            plain.get().close();
        }
        if (passthrough.isSet()) {
            passthrough.get().close();
        }
        if (redis.isSet()) {
            redis.get().close();
        }
        if (backend.isSet()) {
            backend.get().close();
        }
        pool.shutdownNow();
    }

    /** A value built once, on first use, thread-safely. */
    static final class Lazy<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = factory.get();
                        value = v;
                    }
                }
            }
            return v;
        }

        boolean isSet() {
            return value != null;
        }
    }
}
