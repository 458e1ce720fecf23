package rsc.testing;

import rsc.backend.Progress;
import rsc.backend.swarm.SwarmBackend;
import rsc.backend.swarm.SwarmBed;
import rsc.backend.swarm.SwarmService;
import rsc.catalog.Catalog;
import rsc.backend.Backends;
import rsc.ops.GroupHealth;
import rsc.session.Engine;
import rsc.session.Outcome;
import rsc.backend.Settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;


/**
 * The swarm backend on the real test bed ({@code scripts/swarm-testbed.sh}), on an overlay network of its own, driven
 * through the engine exactly as the console drives it. Without a swarm manager it skips loudly (fails under
 * {@code CI=true}), by {@link SwarmBed#requireSwarm()}. {@link #close()} destroys every group whose services it put
 * on its network, then removes the network.
 */
public final class SwarmTestBed implements AutoCloseable {

    private final String network = "rsc-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path stateDir;
    private final Settings settings;
    private final RecordingInteraction ui = new RecordingInteraction();
    private final Engine engine;
    private final Set<String> named = new LinkedHashSet<>();

    public SwarmTestBed() {
        SwarmBed.requireSwarm();
        String image = Optional.ofNullable(System.getenv("RSC_IMAGE")).filter(s -> !s.isBlank()).orElse("rsc-redis:local");
        try {
            this.stateDir = Files.createTempDirectory("rsc-swarm-test-");   // the session's own state (attached groups)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.settings = Settings.fromEnvironment().withBackend("swarm").withImage(image).withNetwork(network)
                .withStateDir(stateDir);
        this.engine = new Engine(settings, ui, Catalog.table(), Backends.factory(), GroupHealth::probe);
    }

    public Engine engine() {
        return engine;
    }

    public RecordingInteraction ui() {
        return ui;
    }

    public Settings settings() {
        return settings;
    }

    public String network() {
        return network;
    }

    /** The swarm backend itself (the session's backend wraps it to list attached groups too). */
    public SwarmBackend backend() {
        return (SwarmBackend) engine.session().placingBackend();
    }

    /** A group name no other test uses; {@link #close()} destroys it whatever network its services are on. */
    public String newGroup(String prefix) {
        String g = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        named.add(g);
        return g;
    }

    /** Runs a line and fails the test, with everything shown, when it does not succeed. */
    public Outcome ok(String line) {
        long t0 = System.nanoTime();
        try {
            return EngineLines.ok(engine, ui, line);
        } finally {
            System.out.printf("  [%5.1f s] %s%n", (System.nanoTime() - t0) / 1e9, line);
        }
    }

    /** Runs a line that must fail, and returns its outcome. */
    public Outcome fails(String line) {
        return EngineLines.fails(engine, line);
    }

    @Override
    public void close() {
        try {
            if (engine.session().backendOpen()) {
                Set<String> groups = new LinkedHashSet<>(named);
                Optional<String> netId = SwarmBed.networkId(settings.dockerHost(), network);
                List<SwarmService> all = backend().inspection().services();
                for (SwarmService s : all) {
                    String g = s.label("rsc.group");
                    if (g != null && (s.networks().contains(network) || netId.map(s.networks()::contains).orElse(false))) {
                        groups.add(g);
                    }
                }
                for (String g : groups) {
                    try {
                        backend().destroy(g, Progress.NONE);
                    } catch (RuntimeException e) {
                        System.err.println("cleanup of group " + g + " failed: " + e.getMessage());
                    }
                }
            }
        } finally {
            engine.close();
            SwarmBed.removeNetwork(settings.dockerHost(), network);
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("cleanup of " + stateDir + " failed: " + e.getMessage());
            }
        }
    }
}
