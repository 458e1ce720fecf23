package rsc.backend;

import rsc.model.Endpoint;
import rsc.model.Node;

import java.util.List;

/**
 * Places nodes somewhere (processes on this machine, tasks on a Swarm) and says how to reach them. Implementations
 * throw {@link rsc.command.RscException} with a one-line message for anything the operator must read.
 */
public interface Backend extends AutoCloseable {

    /** {@code local} or {@code swarm}. */
    String name();

    /** One line saying where nodes go, for {@code status} and the banner. */
    String describe();

    /** The nodes of one group, or of every group when {@code group} is null, sorted by kind and index. */
    List<Node> nodes(String group);

    /** Names of the groups this backend holds nodes (or state) for. */
    List<String> groups();

    /**
     * Starts one node and returns once its process listens (not once it has synced). The node is named
     * {@code GROUP-KIND-N} with the lowest free N.
     */
    Node start(NodeSpec spec, Progress progress);

    /** Stops and removes one node and everything the backend kept for it. */
    void remove(Node node);

    /** Sends a signal to a node's process (drills); the backend does not restart or remove it itself. */
    void signal(Node node, Signal signal);

    /** Removes every node of a group and the group's state. */
    void destroy(String group, Progress progress);

    /** Translates an address a node or sentinel reports into one the console can connect to. */
    Endpoint reachable(Endpoint announced);

    /** Hazards only the backend can see (Swarm: VIP endpoint mode, restart policies, failing tasks). */
    default List<rsc.model.Finding> findings(String group) {
        return List.of();
    }

    @Override
    default void close() {
    }
}
