package rsc.backend.swarm;

import rsc.backend.Signal;
import rsc.error.RscException;
import rsc.model.Node;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kill}, {@code pause}, {@code resume} on Swarm: which container a node's name means now (an rsc service's
 * running task, or a hand-built group's {@code SERVICE.SLOT}), acted on through {@link SwarmDrills} on whichever swarm
 * node it runs.
 */
final class SwarmSignals {

    private final SwarmGateway gateway;
    private final SwarmDrills drills;
    private final ServiceRemoval removal;

    SwarmSignals(SwarmGateway gateway, SwarmDrills drills, ServiceRemoval removal) {
        this.gateway = gateway;
        this.drills = drills;
        this.removal = removal;
    }

    /**
     * {@code kill} and {@code pause} act on the container running under the node's name now, on whichever swarm node;
     * {@code resume} on exactly the container rsc froze under that name (else, for a container frozen by hand, the one
     * running now).
     */
    void signal(Node node, Signal signal) {
        List<SwarmNodeInfo> machines = gateway.swarmNodes();
        if (signal == Signal.CONT && drills.resume(node, machines)) {
            return;
        }
        SwarmTask task = runningTask(node);
        if (signal == Signal.CONT) {
            drills.unpause(task, machines);
        } else {
            drills.signal(node, task, signal, machines);
        }
    }

    /** What {@link #signal} would do, for {@code --dry-run}: the one-off task that reaches the container. */
    List<String> plan(Node node, Signal signal) {
        List<SwarmNodeInfo> machines = gateway.swarmNodes();
        if (signal == Signal.CONT) {
            Optional<SwarmDrills.Frozen> f = drills.frozen(node.name());
            if (f.isPresent()) {
                return drills.plan(f.get().nodeId(), f.get().containerId(), machines, "unpause");
            }
        }
        SwarmTask task = runningTask(node);
        String[] args = switch (signal) {
            case KILL, TERM -> new String[] {"kill", "--signal", signal.name()};
            case STOP -> new String[] {"pause"};
            case CONT -> new String[] {"unpause"};
        };
        return drills.plan(task.nodeId(), task.containerId(), machines, args);
    }

    /** The running task of an rsc node (its service), or of a hand-built group's node (named SERVICE.SLOT). */
    private SwarmTask runningTask(Node node) {
        Optional<SwarmService> service = removal.managedService(node.name());
        int slot = 0;
        if (service.isEmpty() && node.name().lastIndexOf('.') > 0) {
            String base = node.name().substring(0, node.name().lastIndexOf('.'));
            slot = ServiceListing.parseIndex(node.name().substring(node.name().lastIndexOf('.') + 1));
            service = gateway.services(Map.of()).stream().filter(s -> s.name().equals(base)).findFirst();
        }
        SwarmService s = service.orElseThrow(() -> new RscException("no service " + node.name() + " on this swarm"));
        int wanted = slot;
        return gateway.tasks(List.of(s.name()), Map.of(s.id(), s.name())).stream()
                .filter(t -> t.serviceId().equals(s.id()) && t.running() && !t.containerId().isEmpty())
                .filter(t -> wanted <= 0 || t.slot() == wanted).findFirst()
                .orElseThrow(() -> new RscException(node.name() + " has no running task"));
    }
}
