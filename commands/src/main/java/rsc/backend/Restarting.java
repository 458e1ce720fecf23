package rsc.backend;

import rsc.model.Endpoint;
import rsc.model.Node;

import java.util.List;
import java.util.Optional;

/**
 * A backend that starts a stopped node again under the same name, port and directory ({@code start NODE}); the local
 * backend is one. A node name never moves to another port: the name is the node.
 */
public interface Restarting {

    /**
     * Starts the stopped node again.
     *
     * @param replicaOf for a data node: the master it must follow from its first moment (a node that comes back as
     *                  master without persistence is empty, and its replicas would copy the empty data set); empty
     *                  for a data node: it comes back as master with what its data files hold (a persisting group
     *                  none of whose other data nodes runs)
     */
    Node restart(Node node, Optional<Endpoint> replicaOf, Progress progress);

    /** What {@link #restart} would do, for {@code --dry-run}. */
    List<String> planRestart(Node node, Optional<Endpoint> replicaOf);
}
