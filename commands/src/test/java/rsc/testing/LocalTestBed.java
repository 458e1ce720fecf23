package rsc.testing;

import rsc.backend.Backends;
import rsc.ops.GroupHealth;
import rsc.backend.local.RedisBinary;
import rsc.catalog.Catalog;
import rsc.session.Engine;
import rsc.session.Outcome;
import rsc.backend.Settings;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;


/**
 * A real local backend in a temporary state directory, driven through the engine exactly as the console drives
 * it. {@link #close()} destroys every group it holds, so no redis-server outlives a test.
 */
public final class LocalTestBed implements AutoCloseable {

    private final Path stateDir;
    private final RecordingInteraction ui = new RecordingInteraction();
    private final Engine engine;

    public LocalTestBed() throws IOException {
        this.stateDir = Files.createTempDirectory("rsc-test-");
        RedisBinary.locate(stateDir);
        Settings settings = Settings.fromEnvironment().withBackend("local").withStateDir(stateDir);
        this.engine = new Engine(settings, ui, Catalog.table(), Backends.factory(), GroupHealth::probe);
    }

    public Engine engine() {
        return engine;
    }

    public RecordingInteraction ui() {
        return ui;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** A one-line password file (mode 0600) in the state directory, for {@code --password-file}. */
    public Path passwordFile(String password) throws IOException {
        Path f = Files.createTempFile(stateDir, "password-", "");
        Files.writeString(f, password + "\n");
        return f;
    }

    /** Runs a line and fails the test, with everything shown, when it does not succeed. */
    public Outcome ok(String line) {
        return EngineLines.ok(engine, ui, line);
    }

    /** Runs a line that must fail, and returns its outcome. */
    public Outcome fails(String line) {
        return EngineLines.fails(engine, line);
    }

    /** A console of its own on the group whose progress line {@code trigger} runs {@code action} once, in the op's thread. */
    public rsc.session.Engine consoleActingAt(String group, String trigger, Runnable action) {
        rsc.testing.RecordingInteraction rec = new rsc.testing.RecordingInteraction();
        java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
        rsc.session.Interaction ui = new rsc.session.Interaction() {
            public boolean interactive() {
                return false;
            }

            public boolean confirm(String question) {
                return false;
            }

            public rsc.backend.Progress progress() {
                return line -> {
                    rec.progress().update(line);
                    if (line.contains(trigger) && fired.compareAndSet(false, true)) {
                        action.run();
                    }
                };
            }

            public void show(String commandLine, rsc.result.CommandResult result, boolean json) {
                rec.show(commandLine, result, json);
            }

            public void notice(rsc.result.Message message) {
                rec.notice(message);
            }

            public void error(String line) {
                rec.error(line);
            }
        };
        rsc.backend.Settings settings = rsc.backend.Settings.fromEnvironment().withBackend("local")
                .withStateDir(stateDir).withGroup(group);
        return new rsc.session.Engine(settings, ui, rsc.catalog.Catalog.table(), rsc.backend.Backends.factory(), rsc.ops.GroupHealth::probe);
    }

    /**
     * A base port with {@code span} free ports above it, away from the standard ones, below the kernel's ephemeral
     * range (an outgoing connection could take a port there between this check and the server's start) and below the
     * host ports rsc publishes Swarm tasks on (30000 and up).
     */
    public static int freePorts(int span) {
        int ceiling = Math.min(30000, ephemeralLow());
        int floor = ceiling - span > 20000 + 1000 ? 20000 : 10000;
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = floor + ThreadLocalRandom.current().nextInt(0, ceiling - span - floor);
            boolean allFree = true;
            for (int p = base; p < base + span && allFree; p++) {
                try (ServerSocket s = new ServerSocket(p)) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    allFree = false;
                }
            }
            if (allFree) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range");
    }

    /** The first port of the kernel's ephemeral range (Linux's default 32768 when it cannot be read). */
    static int ephemeralLow() {
        try {
            // readAllLines, not readString: a /proc file reports size 0, and readString returned its first byte only
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /** {@link #close()}, then fails the test when any process started from this state directory still runs. */
    public void closeLeavingNoProcess() throws IOException {
        close();
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(stateDir.toString())).toList();
        org.junit.jupiter.api.Assertions.assertTrue(left.isEmpty(), "processes left behind: " + left);
    }

    @Override
    public void close() throws IOException {
        try {
            for (String g : engine.session().backend().groups()) {
                engine.session().backend().destroy(g, rsc.backend.Progress.NONE);
            }
        } finally {
            engine.close();
            try (Stream<Path> s = Files.walk(stateDir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
