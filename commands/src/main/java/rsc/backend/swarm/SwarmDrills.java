package rsc.backend.swarm;

import rsc.backend.Signal;
import rsc.error.RscException;
import rsc.model.Node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code kill}, {@code pause} and {@code resume} of a task's container wherever Swarm placed it. The manager's engine
 * can only act on its own containers, and a real swarm exposes no worker's engine, so a container on another node is
 * reached by a one-off task pinned to that node: the drill image (a docker CLI, {@code RSC_DRILL_IMAGE}, default
 * {@code docker:cli}) with that node's Docker socket mounted runs {@code docker kill|pause|unpause CONTAINER} there.
 * A container frozen by rsc is written down (node, container), so {@code resume} thaws exactly that container, even
 * after a failover or in another console, and never whatever runs under the name now.
 */
final class SwarmDrills {

    static final String DEFAULT_IMAGE = "docker:cli";
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    /** A container rsc froze: the swarm node it is on and its id. */
    record Frozen(String nodeId, String containerId) {
    }

    private final SwarmGateway gateway;
    private final Path frozenDir;
    private final String image;

    SwarmDrills(SwarmGateway gateway, Path stateDir) {
        this.gateway = gateway;
        this.frozenDir = stateDir.resolve(".swarm").resolve("frozen");
        this.image = Optional.ofNullable(System.getenv("RSC_DRILL_IMAGE")).filter(s -> !s.isBlank()).orElse(DEFAULT_IMAGE);
    }

    /** Sends {@code signal} to the container of {@code task} (the one running under the node's name now). */
    void signal(Node node, SwarmTask task, Signal signal, List<SwarmNodeInfo> swarm) {
        switch (signal) {
            case KILL, TERM -> act(task.nodeId(), task.containerId(), swarm, "kill", "--signal", signal.name());
            case STOP -> {
                act(task.nodeId(), task.containerId(), swarm, "pause");
                remember(node.name(), new Frozen(task.nodeId(), task.containerId()));
            }
            case CONT -> throw new IllegalStateException("resume goes through resume()");
            default -> throw new IllegalStateException();
        }
    }

    /** Thaws the container of {@code task} (one frozen by hand: rsc wrote nothing down for it). */
    void unpause(SwarmTask task, List<SwarmNodeInfo> swarm) {
        act(task.nodeId(), task.containerId(), swarm, "unpause");
    }

    /** Thaws exactly the container rsc froze under this name; false when rsc froze none. */
    boolean resume(Node node, List<SwarmNodeInfo> swarm) {
        Optional<Frozen> frozen = frozen(node.name());
        if (frozen.isEmpty()) {
            return false;
        }
        act(frozen.get().nodeId(), frozen.get().containerId(), swarm, "unpause");
        forget(node.name());
        return true;
    }

    /** What rsc froze under this node's name, if anything. */
    Optional<Frozen> frozen(String nodeName) {
        Path f = frozenDir.resolve(nodeName);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();   // the usual case, without the cost of an exception for each node of a status
        }
        try {
            String[] parts = Files.readString(f, StandardCharsets.UTF_8).strip().split(" ");
            return parts.length == 2 ? Optional.of(new Frozen(parts[0], parts[1])) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes a volume on a swarm node: through this engine when the volume is on the manager's own node, else with
     * {@code docker volume rm} in a one-off task on that node (no engine but its own can see its volumes).
     */
    void removeVolume(String nodeId, String volume, List<SwarmNodeInfo> swarm) {
        if (onThisEngine(nodeId)) {
            gateway.containers().removeVolume(volume);
            return;
        }
        SwarmNodeInfo n = node(nodeId, swarm);
        if (!n.ready()) {
            throw new RscException("swarm node " + n.host().label() + " is " + n.state() + ": no task can run there");
        }
        runJob(n, List.of("volume", "rm", volume));
    }

    /** The call {@link #removeVolume} would make, for {@code --dry-run}. */
    String planRemoveVolume(String nodeId, String volume) {
        if (onThisEngine(nodeId)) {
            return "DELETE /volumes/" + volume + "   # on this manager's engine";
        }
        return "docker service create --restart-condition none --constraint node.id==" + nodeId
                + " --mount type=bind,src=<its docker socket>,dst=/var/run/docker.sock " + image + " volume rm " + volume
                + "   # a one-off task on swarm node " + DockerErrors.shortId(nodeId) + "; removed when it has run";
    }

    /** The calls {@link #signal} or {@link #resume} would make, for {@code --dry-run}. */
    List<String> plan(String nodeId, String containerId, List<SwarmNodeInfo> swarm, String... dockerArgs) {
        String cmd = "docker " + String.join(" ", dockerArgs) + " " + DockerErrors.shortId(containerId);
        if (onThisEngine(nodeId)) {
            return List.of(cmd + "   # on this manager's engine");
        }
        SwarmNodeInfo n = node(nodeId, swarm);
        return List.of("docker service create --restart-condition none --constraint node.id==" + n.id()
                + " --mount type=bind,src=" + n.dockerSocket() + ",dst=/var/run/docker.sock " + image + " "
                + String.join(" ", dockerArgs) + " " + DockerErrors.shortId(containerId)
                + "   # a one-off task on swarm node " + DockerErrors.shortId(n.id()) + " (" + n.reachableAddress()
                + "); removed when it has run");
    }

    private boolean onThisEngine(String nodeId) {
        return nodeId.equals(gateway.engine().nodeId());
    }

    private static SwarmNodeInfo node(String nodeId, List<SwarmNodeInfo> swarm) {
        return swarm.stream().filter(n -> n.id().equals(nodeId)).findFirst()
                .orElseThrow(() -> new RscException("swarm node " + DockerErrors.shortId(nodeId) + " is not in the swarm any more"));
    }

    private void act(String nodeId, String containerId, List<SwarmNodeInfo> swarm, String... dockerArgs) {
        if (onThisEngine(nodeId)) {
            switch (dockerArgs[0]) {
                case "kill" -> gateway.containers().kill(containerId, dockerArgs[2]);
                case "pause" -> gateway.containers().pause(containerId);
                case "unpause" -> gateway.containers().unpause(containerId);
                default -> throw new IllegalStateException(dockerArgs[0]);
            }
            return;
        }
        SwarmNodeInfo n = node(nodeId, swarm);
        if (!n.ready()) {
            throw new RscException("swarm node " + n.host().label() + " is " + n.state()
                    + ": no task can run there to " + dockerArgs[0] + " container " + DockerErrors.shortId(containerId));
        }
        List<String> args = new ArrayList<>(List.of(dockerArgs));
        args.add(containerId);
        runJob(n, args);
    }

    /** Runs the drill image on {@code node} with {@code args}, waits until it has run, removes it. */
    private void runJob(SwarmNodeInfo node, List<String> args) {
        String name = "rsc-drill-" + UUID.randomUUID().toString().substring(0, 8);
        String what = "docker " + String.join(" ", args.subList(0, args.size() - 1)) + " on swarm node "
                + node.host().label();
        String id = gateway.createJob(new SwarmGateway.JobRequest(name, image, args, node.id(), node.dockerSocket(),
                Map.of(SwarmBackend.MANAGED, "true", "rsc.drill", "true")));
        try {
            long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
            while (true) {
                Optional<SwarmTask> t = gateway.tasks(List.of(name), Map.of(id, name)).stream().findFirst();
                if (t.isPresent() && "complete".equals(t.get().state())) {
                    return;
                }
                if (t.isPresent() && t.get().ended()) {
                    List<String> log = new ArrayList<>();
                    try {
                        gateway.logs(t.get().id(), true, 3, false, log::add);
                    } catch (RuntimeException ignored) {
                        // the error below is what matters
                    }
                    String why = log.isEmpty() ? (t.get().error().isEmpty() ? t.get().state() : t.get().error())
                            : String.join(" | ", log.stream().map(String::strip).toList());
                    throw new RscException(what + " failed: " + DockerErrors.oneLine(why) + " (the drill runs "
                            + image + " there, set by RSC_DRILL_IMAGE)");
                }
                if (System.nanoTime() > deadline) {
                    throw new RscException(what + ": the one-off task did not run within " + JOB_TIMEOUT.toSeconds()
                            + " s (" + t.map(x -> x.state() + (x.error().isEmpty() ? "" : ", " + x.error())).orElse("no task")
                            + "; is " + image + " on that node?)");
                }
                SwarmBackend.sleep(200);
            }
        } finally {
            gateway.removeService(id);
        }
    }

    private void remember(String nodeName, Frozen f) {
        try {
            Files.createDirectories(frozenDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(frozenDir.resolve(nodeName), f.nodeId() + " " + f.containerId() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RscException("froze " + nodeName + " but cannot write down which container (" + e.getMessage()
                    + "): resume it by hand with docker unpause " + DockerErrors.shortId(f.containerId()), e);
        }
    }

    private void forget(String nodeName) {
        try {
            Files.deleteIfExists(frozenDir.resolve(nodeName));
        } catch (IOException ignored) {
            // a stale record only makes the next resume try an unpause that docker refuses
        }
    }
}
