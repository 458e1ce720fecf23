package rsc.backend;

import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.RedisVersion;

import java.util.List;
import java.util.Optional;

/**
 * A backend that can run a node on another Redis build under the same name, address and config ({@code upgrade}):
 * another {@code redis-server} binary on the local backend, another image on Swarm. Restarting is the backend's
 * part; the order, the failover and the checks between steps are the op's ({@code rsc.ops.Upgrade}).
 */
public interface Upgrading {

    /**
     * What the nodes should run.
     *
     * @param label   as the operator reads it (a binary's path and version, an image reference)
     * @param option  how the operator gives it ({@code --binary P}, {@code --image I}), for the messages
     * @param version the Redis version it runs, when known before a node runs it (a binary says; an image does not)
     */
    record Target(String label, String option, Optional<RedisVersion> version) {
    }

    /** Turns {@code --image} / {@code --binary} into a target, or throws a one-line error naming what this backend takes. */
    Target target(Optional<String> image, Optional<String> binary);

    /** Whether the node runs the target already: a second run skips it. */
    boolean runs(Node node, Target target);

    /** What the node runs now (a binary or an image), for plans and messages. */
    String current(Node node);

    /**
     * Restarts the node on the target, keeping its name, address and config; returns once it runs again (not once it
     * has synced).
     *
     * @param replicaOf for a data node: the master it follows from its first moment
     */
    Node replace(Node node, Target target, Optional<Endpoint> replicaOf, Progress progress);

    /** What {@link #replace} would do, for {@code --dry-run}. */
    List<String> planReplace(Node node, Target target, Optional<Endpoint> replicaOf);

    /** Nodes the group gets from now on ({@code scale}) start on the target too. */
    void adopt(String group, Target target);
}
