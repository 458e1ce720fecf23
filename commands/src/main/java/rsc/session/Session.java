package rsc.session;

import rsc.backend.Settings;
import rsc.backend.Backend;
import rsc.backend.BackendFactory;
import rsc.command.CommandTable;
import rsc.redis.PlainReads;
import rsc.redis.Reads;
import rsc.redis.RedisGateway;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where a command finds one console's services: backend, Redis clients, topology, events, passwords. What the operator
 * set (current group, output mode) lives apart in {@link ConsoleState}, password discovery in {@link NodePasswords}.
 * The backend and the Redis clients are built on first use, so a command that needs neither (help, use) starts none.
 */
public final class Session implements AutoCloseable {

    private final Settings settings;
    private final Interaction ui;
    private final CommandTable<Session> table;
    private final Lazy<rsc.backend.attached.AttachingBackend> backend;
    private final Lazy<RedisGateway> redis;
    private final Lazy<PlainReads> plain;
    private final Lazy<rsc.redis.Passthrough> passthrough;
    private final ExecutorService pool;
    private final TopologyCache topology;
    private final rsc.secrets.SecretStore secrets;
    private final NodePasswords nodePasswords;
    private final rsc.events.EventHub events;
    private final ConsoleState console;
    private volatile Engine engine;

    /** @param probe how the topology cache finds each group's master and health (an operation, passed in from above) */
    public Session(Settings settings, Interaction ui, CommandTable<Session> table, BackendFactory backends, GroupProbe probe) {
        this(settings, ui, table, backends, probe, Optional.empty());
    }

    /** @param threads where its tasks run: threads lent by a longer-lived pool ({@link SessionThreads}), else its own */
    public Session(Settings settings, Interaction ui, CommandTable<Session> table, BackendFactory backends, GroupProbe probe,
                   Optional<java.util.concurrent.Executor> threads) {
        this.settings = settings;
        this.ui = ui;
        this.table = table;
        this.pool = threads.<ExecutorService>map(SessionThreads::new).orElseGet(Session::ownThreads);
        this.secrets = new rsc.secrets.SecretStore(settings.stateDir().resolve(".secrets"));
        this.nodePasswords = new NodePasswords(secrets, this::attached, this::placingBackend, this::backend);
        this.backend = new Lazy<>(() -> new rsc.backend.attached.AttachingBackend(backends.open(settings),
                new rsc.backend.attached.AttachedRegistry(settings.stateDir().resolve(".attached")), this::reads,
                nodePasswords::remember));
        this.redis = new Lazy<>(() -> RedisGateway.lettuce(endpoint -> backend().reachable(endpoint), nodePasswords::at));
        this.plain = new Lazy<>(() -> new PlainReads(endpoint -> backend().reachable(endpoint), nodePasswords::at, pool));
        this.passthrough = new Lazy<>(() -> new rsc.redis.Passthrough(endpoint -> backend().reachable(endpoint), nodePasswords::at));
        this.events = new rsc.events.EventHub(this::redis);
        this.topology = new TopologyCache(this, probe);
        this.console = new ConsoleState(settings.group(), () -> backend().groups(), () -> topology.snapshot().groups());
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

    public CommandTable<Session> table() {
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

    /** Which password a group, or a node's address, needs; told of groups that come and go. */
    public NodePasswords passwords() {
        return nodePasswords;
    }

    /** What the operator has set in this console (current group, output mode, event levels) and exit requests. */
    public ConsoleState console() {
        return console;
    }

    /** The groups adopted by their sentinels, remembered between consoles. */
    public rsc.backend.attached.AttachedRegistry attached() {
        return backend.get().registry();
    }

    /** The backend that places rsc's own nodes (not attached ones); its capabilities are asked of {@link #backend}. */
    public Backend placingBackend() {
        return backend.get().placed();
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
        return console.oneShot() && !redis.isSet() ? plain.get() : redis.get();
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

    /** Follows the topology now and waits for the first refresh, so the sentinels' events are heard from here on. */
    public void followNow() throws InterruptedException {
        follow();
        topology.refreshNow();
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

    private static ExecutorService ownThreads() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rsc-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
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
