package rsc.backend.local;

import rsc.backend.Backend;
import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.backend.SentinelSettings;
import rsc.backend.Signal;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Names;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.model.NodeState;
import rsc.backend.Settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Runs nodes as {@code redis-server} daemons on 127.0.0.1; see the package doc. */
public final class LocalBackend implements Backend, rsc.backend.Restarting {

    static final String HOST = "127.0.0.1";

    private final Path stateDir;
    private final NodeDirectory directory;
    private final LocalBinaries binaries;
    /** Set while this backend holds the state lock: a second channel on the lock file must not be opened then. */
    private final java.util.concurrent.atomic.AtomicInteger locked = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * The state lock within this JVM. A file lock is per process: while one thread holds it, another thread's
     * {@code lock()} on a second channel throws OverlappingFileLockException instead of waiting (seen: 'start NODE'
     * failing while a background refresh swept), so threads take this first.
     */
    private final java.util.concurrent.locks.ReentrantLock inJvm = new java.util.concurrent.locks.ReentrantLock();

    public LocalBackend(Settings settings) {
        this.stateDir = settings.stateDir().toAbsolutePath();
        this.directory = new NodeDirectory(stateDir);
        this.binaries = new LocalBinaries(stateDir);
    }

    @Override
    public rsc.model.Persistence persistence(String group) {
        return directory.persistence(group);
    }

    @Override
    public Optional<rsc.backend.Upgrading> upgrading() {
        return Optional.of(new LocalUpgrades(this, directory, binaries));
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String describe() {
        return "local (redis-server processes on this machine; state in " + stateDir + ")";
    }

    @Override
    public List<Node> nodes(String group) {
        sweepWhenIdle();
        return directory.records(group).stream().map(NodeRecord::toNode)
                .sorted(Comparator.comparing(Node::group).thenComparing(Node::kind).thenComparingInt(Node::index))
                .toList();
    }

    @Override
    public List<String> groups() {
        sweepWhenIdle();
        return directory.groups();
    }

    /** {@link #sweep} when no rsc is starting a node right now (another one may be mid-launch: its marks are live). */
    private void sweepWhenIdle() {
        if (!Files.isDirectory(stateDir) || locked.get() > 0 || !inJvm.tryLock()) {
            return;   // (closing another channel on the lock file would release this JVM's lock on it)
        }
        try (FileChannel ch = lockFile(); FileLock lock = ch.tryLock()) {
            if (lock != null) {
                sweep();
            }
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            // busy (this JVM is starting a node) or unreadable: the records stay as they are, shown STARTING
        } finally {
            inJvm.unlock();
        }
    }

    /**
     * Settles the starts an rsc never finished (it was killed in the middle of create-master or scale): a record whose
     * redis-server came up anyway is kept (its mark dropped); one with no process is removed, so it is neither counted
     * as a replica nor holds its port. Call with the state lock held.
     */
    private void sweep() {
        for (NodeRecord r : directory.records(null)) {
            if (!r.launching()) {
                continue;
            }
            if (r.pid().flatMap(Processes::running).filter(Processes::isRedis).isPresent()) {
                try {
                    Files.deleteIfExists(r.launchingMark());
                } catch (IOException e) {
                    // still marked: settled next time
                }
            } else {
                directory.delete(r);
            }
        }
    }

    @Override
    public Node start(NodeSpec spec, Progress progress) {
        Names.check(spec.group(), "group");
        inJvm.lock();
        locked.incrementAndGet();
        try (FileChannel ch = lockFile(); FileLock lock = StateLock.take(ch)) {
            Path binary = binaries.forGroup(directory.nodeDir(spec.group(), "x").getParent());
            sweep();
            List<NodeRecord> existing = directory.records(null);
            int index = LocalPlacement.nextIndex(existing, spec.group(), spec.kind());
            String name = Node.nameOf(spec.group(), spec.kind(), index);
            int port = LocalPlacement.choosePort(spec, existing);
            Path dir = directory.nodeDir(spec.group(), name);
            Files.createDirectories(dir.resolve("data"));
            // Sentinel rewrites its config with the default mode: the directory keeps the password private
            PrivateFiles.setMode(dir, "rwx------");
            NodeRecord record = new NodeRecord(spec.group(), name, spec.kind(), index, port, dir);
            Files.write(record.launchingMark(), new byte[0]);
            PrivateFiles.write(record.configFile(), LocalConfig.text(spec, record, HOST));
            record.save();
            LocalBinaries.pin(dir, binary);
            if (spec.role() == NodeSpec.StartRole.MASTER) {
                directory.keepPersistence(spec.group(), spec.persistence());
            }
            progress.update(name + ": starting redis-server on port " + port);
            launch(binary, record);
            Files.deleteIfExists(record.launchingMark());
            return record.toNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            locked.decrementAndGet();
            inJvm.unlock();
        }
    }

    private FileChannel lockFile() throws IOException {
        Files.createDirectories(stateDir);
        return FileChannel.open(stateDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private void launch(Path binary, NodeRecord r) throws IOException {
        launch(binary, r, List.of(), true);
    }

    /**
     * @param extra config given after the file (it wins over the file's lines)
     * @param fresh a node being created: a failure removes it; a node started again keeps its directory
     */
    private void launch(Path binary, NodeRecord r, List<String> extra, boolean fresh) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), r.configFile().toString()));
        if (r.kind() == NodeKind.SENTINEL) {
            cmd.add("--sentinel");
        }
        cmd.addAll(extra);
        Process p = new ProcessBuilder(cmd).directory(r.dir().toFile()).redirectErrorStream(true)
                .redirectOutput(r.dir().resolve("launch.out").toFile()).start();
        try {
            boolean exited = p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly();
                fail(r, "redis-server did not detach within 10 s", fresh);
            }
            if (p.exitValue() != 0) {
                fail(r, "redis-server exited with status " + p.exitValue(), fresh);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (r.pid().filter(Processes::alive).isPresent()
                        && Ports.answersPing(HOST, r.port())) {
                    return;
                }
                Thread.sleep(20);
            }
            fail(r, "redis-server did not answer on port " + r.port() + " within 10 s", fresh);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Processes.kill(r, true);
            if (fresh) {
                directory.delete(r);
            }
            throw new rsc.error.CancelledException();
        }
    }

    private void fail(NodeRecord r, String what, boolean fresh) {
        String why = r.lastLogLine().or(() -> readQuietly(r.dir().resolve("launch.out"))).map(l -> ": " + l).orElse("");
        Processes.kill(r, true);
        if (fresh) {
            directory.delete(r);
        }
        throw new RscException(r.name() + " on port " + r.port() + ": " + what + why);
    }

    private static Optional<String> readQuietly(Path p) {
        try {
            return Files.readAllLines(p).stream().filter(l -> !l.isBlank()).reduce((a, b) -> b);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> planStart(NodeSpec spec, int earlier) {
        List<NodeRecord> existing = new ArrayList<>(directory.records(null));
        int index = 0;
        int port = 0;
        String name = null;
        for (int i = 0; i <= earlier; i++) {
            index = LocalPlacement.nextIndex(existing, spec.group(), spec.kind());
            name = Node.nameOf(spec.group(), spec.kind(), index);
            port = LocalPlacement.choosePort(spec, existing);
            existing.add(new NodeRecord(spec.group(), name, spec.kind(), index, port, directory.nodeDir(spec.group(), name)));
        }
        NodeRecord r = new NodeRecord(spec.group(), name, spec.kind(), index, port, directory.nodeDir(spec.group(), name));
        List<String> calls = new ArrayList<>();
        calls.add("write " + r.configFile() + (spec.kind() == NodeKind.SENTINEL
                ? " (mode 600; Sentinel rewrites it with its own mode, so the 0700 directory is what keeps it private):"
                : " (mode 600, in a 0700 directory):"));
        LocalConfig.text(spec, r, HOST).lines().filter(l -> !l.startsWith("#")).map(LocalConfig::redact).forEach(l -> calls.add("    " + l));
        calls.add("exec " + binaries.forGroup(r.dir().getParent()) + " " + r.configFile()
                + (spec.kind() == NodeKind.SENTINEL ? " --sentinel" : "") + "   # " + name + " on 127.0.0.1:" + port);
        return calls;
    }

    @Override
    public List<String> planRemove(Node node) {
        return List.of("kill -TERM " + node.detail().replace("pid ", "") + "   # " + node.name() + "; then delete "
                + directory.nodeDir(node.group(), node.name()));
    }

    @Override
    public List<String> planDestroy(String group) {
        List<String> calls = new ArrayList<>();
        nodes(group).stream().sorted(Comparator.comparing((Node n) -> !n.isSentinel())).forEach(n -> calls.add(
                "kill -KILL " + n.detail().replace("pid ", "") + "   # SIGKILL " + n.name() + " (sentinels first; the data is deleted anyway)"));
        calls.add("delete " + directory.nodeDir(group, "").getParent().resolve(group) + " (every node's directory)");
        return calls;
    }

    @Override
    public List<String> planSignal(Node node, Signal signal) {
        return List.of("kill -" + signal + " " + node.detail().replace("pid ", "") + "   # " + node.name());
    }

    @Override
    public void remove(Node node) {
        NodeRecord r = directory.find(node.group(), node.name())
                .orElseThrow(() -> new RscException("no node " + node.name() + " in group " + node.group()));
        Processes.kill(r, false);
        directory.delete(r);
    }

    @Override
    public void signal(Node node, Signal signal) {
        NodeRecord r = directory.find(node.group(), node.name())
                .orElseThrow(() -> new RscException("no node " + node.name() + " in group " + node.group()));
        long pid = r.pid().filter(Processes::alive)
                .orElseThrow(() -> new RscException(node.name() + " is not running"));
        switch (signal) {
            case KILL -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            case TERM -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            default -> Processes.signalPid(pid, signal.name());
        }
    }

    @Override
    public List<String> destroy(String group, Progress progress) {
        // sentinels first, so none starts a failover while the data nodes go; then hard kills: the data is deleted
        // anyway, and a master told SIGTERM would wait for its replicas (shutdown-timeout) first
        List<NodeRecord> records = directory.records(group).stream()
                .sorted(Comparator.comparing((NodeRecord r) -> r.kind() != NodeKind.SENTINEL)).toList();
        for (NodeRecord r : records) {
            progress.update("removing " + r.name());
            Processes.kill(r, true);
            directory.delete(r);
        }
        directory.deleteGroup(group);
        return List.of();   // the data directories went with the nodes'
    }

    @Override
    public Endpoint reachable(Endpoint announced) {
        return announced;
    }

    /** For tests: where this backend keeps its state. */
    public Path stateDir() {
        return stateDir;
    }

    static Stream<Path> list(Path dir) throws IOException {
        return Files.isDirectory(dir) ? Files.list(dir) : Stream.empty();
    }

    /** Records what a node record needs to become a {@link Node}. */
    static NodeState stateOf(NodeRecord r) {
        Optional<Long> pid = r.pid().filter(Processes::alive);
        if (pid.isPresent()) {
            return Processes.frozen(pid.get()) ? NodeState.FROZEN : NodeState.RUNNING;
        }
        return r.launching() ? NodeState.STARTING : NodeState.STOPPED;
    }

    @Override
    public Node restart(Node node, Optional<Endpoint> replicaOf, Progress progress) {
        inJvm.lock();
        locked.incrementAndGet();   // as start: no sweep opens a second channel on the lock file meanwhile
        try (FileChannel ch = lockFile(); FileLock lock = StateLock.take(ch)) {
            NodeRecord r = directory.find(node.group(), node.name())
                    .orElseThrow(() -> new RscException("no node " + node.name() + " in group " + node.group()));
            if (r.pid().filter(Processes::alive).isPresent()) {
                throw new RscException(node.name() + " is already running" + (stateOf(r) == NodeState.FROZEN
                        ? " (frozen: 'resume " + node.name() + "' thaws it)" : ""));
            }
            if (!Ports.freeWithin(HOST, r.port(), 3000)) {   // a node killed a moment ago may hold it a little longer
                throw new RscException("port " + r.port() + " of " + node.name() + " is taken by another process: "
                        + node.name() + " keeps its port, so free it first");
            }
            progress.update(node.name() + ": starting redis-server on port " + r.port() + " again");
            List<String> extra = replicaOf.map(m -> List.of("--replicaof", m.host(), Integer.toString(m.port())))
                    .orElse(r.kind() == NodeKind.SENTINEL ? List.of() : List.of("--replicaof", "no", "one"));
            launch(binaries.forNode(r), r, extra, false);
            return r.toNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            locked.decrementAndGet();
            inJvm.unlock();
        }
    }

    @Override
    public List<String> planRestart(Node node, Optional<Endpoint> replicaOf) {
        return List.of("redis-server " + node.name() + "'s own config on its port " + node.announced().port()
                + replicaOf.map(m -> " --replicaof " + m.host() + " " + m.port())
                        .orElse(node.isSentinel() ? "" : " --replicaof no one   # as master, with what its data files hold"));
    }
}
