package rsc.backend.swarm;

import rsc.backend.Progress;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Host;
import rsc.model.Node;
import rsc.model.NodeState;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Waits for the task Swarm starts in place of a service's old one after an update (new image, new secret), known by an
 * id that was not there before the update. Not the service's "current" task: until the old task has stopped (updates
 * stop first: host-mode ports), the new one waits with desired state {@code ready} while the old one still runs and
 * answers, with the newer status timestamp; taking it for the new one restarted every node of a group at once.
 */
final class TaskReplacement {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration PLACED = Duration.ofSeconds(10);

    private final SwarmGateway gateway;
    private final TaskReach reach;

    TaskReplacement(SwarmGateway gateway, TaskReach reach) {
        this.gateway = gateway;
        this.reach = reach;
    }

    /**
     * Runs {@code update} (given the placement that keeps the new task on the old one's swarm node, or none) and waits
     * for the new task. Swarm on its own may start an updated service's task on any node, so a rolling restart would
     * scatter the group (seen here: two forced updates in a row each moved a task to another machine) and could put
     * two copies of the data on one machine; the service is pinned for the update and unpinned once the new task is
     * placed, also when the wait fails or is interrupted.
     */
    Node replace(Node node, SwarmService s, String change, java.util.function.Consumer<List<String>> update, Progress progress) {
        Set<String> before = taskIds(s);
        List<String> stay = stayingOn(node);
        update.accept(stay);
        try {
            return await(node, s, before, change, progress);
        } finally {
            if (!stay.isEmpty()) {
                unpinOncePlaced(s, before);
            }
        }
    }

    /** The constraint that keeps a node's next task where it runs now; none on one schedulable node or off one. */
    List<String> stayingOn(Node node) {
        List<SwarmNodeInfo> machines = gateway.swarmNodes();
        if (!Placement.choosing(machines)) {
            return List.of();
        }
        return machines.stream().filter(m -> m.schedulable() && m.id().equals(node.host().id()))
                .map(m -> "node.id==" + m.id()).toList();
    }

    /**
     * Drops the pin once Swarm has placed a new task (at most {@link #PLACED} later; a placed task stays where it is),
     * even on Ctrl-C: a service left pinned could not move when its machine is lost.
     */
    private void unpinOncePlaced(SwarmService s, Set<String> before) {
        boolean interrupted = Thread.interrupted();
        try {
            long deadline = System.nanoTime() + PLACED.toNanos();
            while (System.nanoTime() < deadline
                    && tasks(s).stream().noneMatch(t -> !before.contains(t.id()) && !t.nodeId().isEmpty())) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            gateway.clearPlacement(s.id());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The ids of the service's tasks now, taken before the update. */
    Set<String> taskIds(SwarmService s) {
        return tasks(s).stream().map(SwarmTask::id).collect(Collectors.toSet());
    }

    /**
     * The node once a task not in {@code before} runs and answers PING at its published address; {@code change} says
     * what the update changed ("image", "secret") in errors.
     */
    Node await(Node node, SwarmService s, Set<String> before, String change, Progress progress) {
        long start = System.nanoTime();
        long deadline = start + TIMEOUT.toNanos();
        int port = node.kind().standardPort();
        String last = "the old task still stopping";
        while (System.nanoTime() < deadline) {
            List<SwarmTask> fresh = tasks(s).stream().filter(t -> !before.contains(t.id())).toList();
            Optional<SwarmTask> failed = fresh.stream().filter(t -> t.ended() && !t.error().isEmpty()).findFirst();
            if (failed.isPresent()) {
                throw new RscException(node.name() + ": its task failed with the new " + change + ": " + failed.get().error());
            }
            Optional<SwarmTask> running = fresh.stream().filter(t -> t.running() && t.wantedRunning()).findFirst();
            if (running.isPresent()) {
                SwarmTask t = running.get();
                Map<String, SwarmNodeInfo> machines = ServiceListing.byId(gateway.swarmNodes());
                Optional<Endpoint> published = TaskReach.of(t, port, s.publishedPort(port), machines);
                if (published.isPresent() && ServiceStarter.answersPing(published.get())) {
                    Map<String, Endpoint> seen = new HashMap<>();
                    seen.put(node.name(), published.get());
                    t.addresses().forEach(a -> seen.put(a, published.get()));
                    reach.putAll(seen);
                    Host host = Optional.ofNullable(machines.get(t.nodeId())).map(SwarmNodeInfo::host).orElse(Host.NONE);
                    return new Node(node.name(), node.group(), node.kind(), node.index(), node.announced(), published.get(),
                            NodeState.RUNNING, "task " + t.shortId() + " running", host);
                }
                last = "task " + t.shortId() + " running, not answering PING yet";
            } else {
                last = fresh.stream().findFirst().map(t -> "task " + t.shortId() + " " + t.state()).orElse(last);
            }
            progress.update(node.name() + ": waiting for Swarm to replace its task: " + last + " ("
                    + (System.nanoTime() - start) / 1_000_000_000L + " s)");
            SwarmBackend.sleep(250);
        }
        throw new RscException(node.name() + ": not answering " + TIMEOUT.toSeconds() + " s after its " + change
                + " changed (" + last + ")");
    }

    private List<SwarmTask> tasks(SwarmService s) {
        return gateway.tasks(List.of(s.name()), Map.of(s.id(), s.name())).stream()
                .filter(t -> t.serviceId().equals(s.id())).toList();
    }
}
