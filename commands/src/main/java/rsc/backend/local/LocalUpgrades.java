package rsc.backend.local;

import rsc.backend.Progress;
import rsc.backend.Upgrading;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code upgrade} on the local backend: a node stopped (SIGTERM) and started again under its name, port and config on
 * another {@code redis-server} binary, which it then keeps ({@code start NODE} uses it too).
 */
final class LocalUpgrades implements Upgrading {

    private final LocalBackend backend;
    private final NodeDirectory directory;
    private final LocalBinaries binaries;

    LocalUpgrades(LocalBackend backend, NodeDirectory directory, LocalBinaries binaries) {
        this.backend = backend;
        this.directory = directory;
        this.binaries = binaries;
    }

    @Override
    public Target target(Optional<String> image, Optional<String> binary) {
        if (image.isPresent()) {
            throw new RscException("the local backend runs redis-server binaries: --binary embedded|host|PATH "
                    + "(--image is for Swarm)");
        }
        String choice = binary.orElseThrow(() -> new RscException(
                "say which redis-server to run: --binary embedded|host|PATH"));
        Path p = binaries.resolve(choice);
        return new Target(p.toString(), "--binary " + choice, Optional.of(LocalBinaries.version(p)));
    }

    @Override
    public boolean runs(Node node, Target target) {
        return same(binaries.forNode(record(node)), Path.of(target.label()));
    }

    @Override
    public String current(Node node) {
        return binaries.forNode(record(node)).toString();
    }

    /**
     * Runs to its end on a thread of its own even when the caller is interrupted (Ctrl-C): a node is never left
     * stopped half-way. A binary that does not start brings the node back on its old one.
     */
    @Override
    public Node replace(Node node, Target target, Optional<Endpoint> replicaOf, Progress progress) {
        return rsc.backend.Uninterrupted.call("rsc-upgrade-" + node.name(),
                () -> restartOn(node, Path.of(target.label()), replicaOf, progress));
    }

    private Node restartOn(Node node, Path binary, Optional<Endpoint> replicaOf, Progress progress) {
        NodeRecord r = record(node);
        Path old = binaries.forNode(r);
        progress.update(node.name() + ": stopping (SIGTERM) to start it on " + binary);
        Processes.kill(r, false);
        LocalBinaries.pin(r.dir(), binary);
        try {
            return backend.restart(node, replicaOf, progress);
        } catch (RuntimeException e) {
            LocalBinaries.pin(r.dir(), old);
            try {
                backend.restart(node, replicaOf, progress);
            } catch (RuntimeException again) {
                throw new RscException(e.getMessage() + "; and on its old binary " + old + ": " + again.getMessage()
                        + " ('start " + node.name() + "' tries again)", e);
            }
            throw new RscException(e.getMessage() + "; " + node.name() + " runs on its old binary " + old + " again", e);
        }
    }

    @Override
    public List<String> planReplace(Node node, Target target, Optional<Endpoint> replicaOf) {
        NodeRecord r = record(node);
        return List.of("kill -TERM " + r.pid().map(String::valueOf).orElse("(not running)") + "   # " + node.name()
                        + ", on " + binaries.forNode(r),
                "exec " + target.label() + " " + r.configFile() + (node.isSentinel() ? " --sentinel" : "")
                        + replicaOf.map(m -> " --replicaof " + m.host() + " " + m.port()).orElse("")
                        + "   # " + node.name() + " on 127.0.0.1:" + r.port() + ", its config kept");
    }

    @Override
    public void adopt(String group, Target target) {
        LocalBinaries.pin(directory.nodeDir(group, "x").getParent(), Path.of(target.label()));
    }

    private NodeRecord record(Node node) {
        return directory.find(node.group(), node.name())
                .orElseThrow(() -> new RscException("no node " + node.name() + " in group " + node.group()));
    }

    private static boolean same(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (java.io.IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize()) && Files.exists(a);
        }
    }
}
