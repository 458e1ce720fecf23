package rsc.backend.swarm;

import rsc.backend.Progress;
import rsc.backend.Upgrading;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.ImageName;
import rsc.model.Node;

import java.util.List;
import java.util.Optional;

/**
 * {@code upgrade} on Swarm: a node's service gets another image ({@code docker service update --image}); Swarm stops
 * its task and starts one on the new image, whose entrypoint asks the sentinels for the master and starts as its
 * replica (so the master is moved first, by the op). An image's Redis version is known only once a task runs it.
 */
final class SwarmUpgrades implements Upgrading {

    private final SwarmGateway gateway;
    private final ServiceRemoval services;
    private final TaskReplacement replacement;

    SwarmUpgrades(SwarmGateway gateway, ServiceRemoval services, TaskReplacement replacement) {
        this.gateway = gateway;
        this.services = services;
        this.replacement = replacement;
    }

    @Override
    public Target target(Optional<String> image, Optional<String> binary) {
        if (binary.isPresent()) {
            throw new RscException("Swarm runs images: --image IMG (--binary is for the local backend)");
        }
        String i = ImageName.check(image.orElseThrow(() -> new RscException("say which image to run: --image IMG")), "--image");
        if (!gateway.imagePresent(i)) {
            throw new RscException("image " + i + " is not on this node: docker pull " + i + " (on every swarm node "
                    + "that may run the group's tasks)");
        }
        return new Target(i, "--image " + i, Optional.empty());
    }

    @Override
    public boolean runs(Node node, Target target) {
        return current(node).equals(target.label());
    }

    @Override
    public String current(Node node) {
        return service(node).image();
    }

    /**
     * Waits for the new task to its end (bounded) even when the caller is interrupted (Ctrl-C), so a stop leaves no node
     * half-restarted; a task that fails on the new image brings the service back on its old one.
     */
    @Override
    public Node replace(Node node, Target target, Optional<Endpoint> replicaOf, Progress progress) {
        return rsc.backend.Uninterrupted.call("rsc-upgrade-" + node.name(), () -> replaceUninterrupted(node, target, progress));
    }

    private Node replaceUninterrupted(Node node, Target target, Progress progress) {
        SwarmService s = service(node);
        String old = s.image();
        progress.update(node.name() + ": docker service update --image " + target.label());
        try {
            return replacement.replace(node, s, "image", stay -> gateway.updateImage(s.id(), target.label(), stay), progress);
        } catch (RuntimeException e) {
            boolean applied;
            try {
                applied = !service(node).image().equals(old);
            } catch (RuntimeException unknown) {
                applied = true;
            }
            if (!applied) {
                throw e;   // the update itself was refused: nothing to take back
            }
            try {
                replacement.replace(node, s, "image", stay -> gateway.updateImage(s.id(), old, stay), progress);
            } catch (RuntimeException again) {
                throw new RscException(e.getMessage() + "; and back on " + old + ": " + again.getMessage(), e);
            }
            throw new RscException(e.getMessage() + "; " + node.name() + " runs " + old + " again", e);
        }
    }

    @Override
    public List<String> planReplace(Node node, Target target, Optional<Endpoint> replicaOf) {
        SwarmService s = service(node);
        return List.of("POST /services/" + s.id() + "/update   # " + node.name() + ": TaskTemplate.ContainerSpec.Image "
                        + s.image() + " -> " + target.label() + " (docker service update --image)"
                        + StayPlan.of(replacement.stayingOn(node)) + "; Swarm stops its task and starts one on the new image",
                "(the new task's entrypoint asks the sentinels for the master and starts as its replica)");
    }

    /** New services of a group take the image its services run once they all run one: nothing to record on Swarm. */
    @Override
    public void adopt(String group, Target target) {
    }

    private SwarmService service(Node node) {
        return services.managedService(node.name())
                .orElseThrow(() -> new RscException("no service " + node.name() + " on this swarm"));
    }
}
