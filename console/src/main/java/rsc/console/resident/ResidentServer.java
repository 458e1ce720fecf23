package rsc.console.resident;

import rsc.backend.Backends;
import rsc.backend.swarm.EngineWatch;
import rsc.catalog.Catalog;
import rsc.command.CommandTable;
import rsc.console.Main;
import rsc.session.Session;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A warm rsc that answers the launcher's read-only one-shots, so that {@code ./rsc -c "sentinel status"} costs a
 * connection to a Unix socket instead of a JVM start. The launcher starts it (detached) the first time it runs a
 * one-shot itself; it serves one directory, build and environment (the key the launcher computed and passed in
 * {@code RSC_RESIDENT_KEY}), and stops when idle for {@code RSC_RESIDENT_IDLE} seconds (default 600), when the build
 * changes, or when its endpoint file goes.
 *
 * <p>Why a Unix socket in a 0700 directory: no other uid can connect to it, nor bind in its place after this JVM
 * dies (a 127.0.0.1 port can be bound by anyone then); the launcher checks the directory's owner and mode and the
 * socket's peer credentials (uid and the endpoint's pid) before it sends a byte. The random token in the 0600
 * endpoint file is kept as a second proof.
 *
 * <p>Usage: {@code ResidentServer DIR STAMP}: DIR (this user's, 0700) holds {@code lock}, {@code socket} and
 * {@code endpoint} ("unix TOKEN PID"); STAMP is the build stamp whose first line names the build this JVM runs.
 */
public final class ResidentServer {

    private static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);
    /** Connections handled at once; more are closed unanswered (each holds a thread while it runs). */
    static final int MAX_CONNECTIONS = 64;

    private final Path dir;
    private final Path stamp;
    private final String build;
    private final String key;
    private final String token;
    private final Duration idle;
    /** The command table, made once: every one-shot parses with it (it is immutable). */
    private final CommandTable<Session> table = Catalog.table();
    private final ResidentPolicy policy = new ResidentPolicy(table);
    /** The engine's slow-changing answers, kept warm between one-shots on Swarm (tasks are always read afresh). */
    private final EngineWatch engines = new EngineWatch();
    /** Threads lent to the one-shots' sessions (each starting its own cost a one-shot about 1.5 ms). */
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rsc-resident-io");
        t.setDaemon(true);
        return t;
    });
    private final Main.Kept kept = new Main.Kept(Backends.factory(engines), table, threads);
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong lastUsed = new AtomicLong(System.nanoTime());
    private final long started = System.nanoTime();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    /** Closes connections whose request has not arrived within {@link ResidentCall#REQUEST_DEADLINE}. */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rsc-resident-deadlines");
        t.setDaemon(true);
        return t;
    });
    private ServerSocketChannel server;
    private String endpoint;

    ResidentServer(Path dir, Path stamp, String key, Duration idle) {
        this.dir = dir;
        this.stamp = stamp;
        this.build = firstLine(stamp);
        this.key = key;
        this.idle = idle;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret);
    }

    public static void main(String[] args) throws Exception {
        rsc.console.PlatformSelector.nameDefault();
        if (args.length != 2 || System.getenv("RSC_RESIDENT_KEY") == null) {
            System.err.println("usage: RSC_RESIDENT_KEY=KEY ResidentServer DIR STAMP (the ./rsc launcher starts it)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String unsafe = rsc.session.PrivateDirectory.problem(dir);
        if (unsafe != null) {
            System.err.println("rsc resident console: not started: " + unsafe);
            System.exit(1);
        }
        try (FileChannel lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                return; // another resident console serves this directory already
            }
            ResidentServer s = new ResidentServer(dir, Path.of(args[1]), System.getenv("RSC_RESIDENT_KEY"), idleFromEnvironment());
            s.serve();
        }
        System.exit(0);
    }

    private static Duration idleFromEnvironment() {
        try {
            String v = System.getenv("RSC_RESIDENT_IDLE");
            return v == null ? DEFAULT_IDLE : Duration.ofSeconds(Math.max(1, Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
            return DEFAULT_IDLE;
        }
    }

    /** Binds, publishes the endpoint and answers until told or timed to stop. */
    void serve() throws IOException {
        Path socketFile = dir.resolve("socket");
        Files.deleteIfExists(socketFile);   // a dead predecessor's (this JVM holds the lock)
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketFile), 50);
        endpoint = "unix " + token + " " + ProcessHandle.current().pid();
        publish();
        Runtime.getRuntime().addShutdownHook(new Thread(this::unpublish, "rsc-resident-unpublish"));
        Thread reaper = new Thread(this::reap, "rsc-resident-reaper");
        reaper.setDaemon(true);
        reaper.start();
        AtomicInteger calls = new AtomicInteger();
        while (!stopping.get()) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (stopping.get()) {
                    break;
                }
                pause(100);   // out of files, say: do not spin
                continue;
            }
            if (!connections.tryAcquire()) {
                closeQuietly(socket);   // a flood of connections: the launcher falls back to a JVM of its own
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    new ResidentCall(this, socket).handle();
                } finally {
                    connections.release();
                }
            }, "rsc-resident-call-" + calls.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
        unpublish();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (active.get() > 0 && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            pause(50);   // answers in flight (a 'stop' raced with a one-shot) finish before the JVM exits
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing was said on it
        }
    }

    String token() {
        return token;
    }

    String key() {
        return key;
    }

    ResidentPolicy policy() {
        return policy;
    }

    /** What its one-shots run with: the backends it opens through its engine watch, its table, its threads. */
    Main.Kept kept() {
        return kept;
    }

    ScheduledExecutorService deadlines() {
        return deadlines;
    }

    /** Brackets one answered one-shot: the idle clock stops while any runs. */
    void begin() {
        active.incrementAndGet();
        lastUsed.set(System.nanoTime());
    }

    void end() {
        served.incrementAndGet();
        lastUsed.set(System.nanoTime());
        active.decrementAndGet();
    }

    /** One line for {@code ./rsc --resident status}. */
    String describe() {
        long now = System.nanoTime();
        return "resident console: pid " + ProcessHandle.current().pid() + ", socket " + dir.resolve("socket")
                + ", up " + Duration.ofNanos(now - started).toSeconds() + " s, " + served.get() + " one-shot(s) answered, "
                + (active.get() > 0 ? active.get() + " running" : "idle " + Duration.ofNanos(now - lastUsed.get()).toSeconds() + " s")
                + " (stops after " + idle.toSeconds() + " s idle)";
    }

    /** Stops accepting; answers in flight finish on their own threads. */
    void stop() {
        if (stopping.compareAndSet(false, true)) {
            unpublish();
            deadlines.shutdownNow();
            engines.close();
            threads.shutdown();
            try {
                server.close();
                Files.deleteIfExists(dir.resolve("socket"));
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
    }

    private void reap() {
        while (!stopping.get()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            boolean idleTooLong = active.get() == 0 && System.nanoTime() - lastUsed.get() > idle.toNanos();
            boolean rebuilt = !build.equals(firstLine(stamp));
            boolean unpublished = !endpoint.equals(firstLine(dir.resolve("endpoint")));
            if (idleTooLong || (active.get() == 0 && (rebuilt || unpublished))) {
                stop();
                return;
            }
        }
    }

    private void publish() throws IOException {
        Path tmp = dir.resolve("endpoint.tmp." + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, endpoint + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("endpoint"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the endpoint file while it is still this JVM's (a newer resident console may have replaced it). */
    private synchronized void unpublish() {
        Path file = dir.resolve("endpoint");
        if (endpoint != null && endpoint.equals(firstLine(file))) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the launcher treats an endpoint that refuses connections as absent
            }
        }
    }

    private static String firstLine(Path file) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().orElse("");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }
}
