package rsc.backend;

import rsc.model.Endpoint;
import rsc.model.Node;

import java.util.List;

/**
 * Places nodes somewhere (processes on this machine, tasks on a Swarm) and says how to reach them. Implementations
 * throw {@link rsc.error.RscException} with a one-line message for anything the operator must read.
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

    /** {@link #groups()} and every group's {@link #nodes(String) nodes}, read once where the backend can. */
    default GroupsAndNodes groupsAndNodes() {
        return new GroupsAndNodes(groups(), nodes(null));
    }

    /**
     * Starts one node and returns once its process listens (not once it has synced). The node is named
     * {@code GROUP-KIND-N} with the lowest free N.
     */
    Node start(NodeSpec spec, Progress progress);

    /** Stops and removes one node and everything the backend kept for it. */
    void remove(Node node);

    /** Sends a signal to a node's process (drills); the backend does not restart or remove it itself. */
    void signal(Node node, Signal signal);

    /**
     * Removes every node of a group and the group's state. Returns a line for each thing it had to leave behind (a
     * volume on a swarm node that is down), saying how to remove it by hand; empty when nothing is left.
     */
    List<String> destroy(String group, Progress progress);

    /** Translates an address a node or sentinel reports into one the console can connect to. */
    Endpoint reachable(Endpoint announced);

    /**
     * The calls {@link #start} would make for this spec, for {@code --dry-run}; makes none. {@code earlier} is how many
     * nodes of the same group and kind the same plan starts before this one.
     */
    default List<String> planStart(NodeSpec spec, int earlier) {
        return List.of("start a " + spec.kind().word() + " node of " + spec.group()
                + spec.master().map(m -> " (" + (spec.kind() == rsc.model.NodeKind.SENTINEL ? "monitoring " : "replica of ") + m + ")").orElse(" (master)"));
    }

    /** The calls {@link #remove} would make. */
    default List<String> planRemove(Node node) {
        return List.of("remove " + node.name());
    }

    /** The calls {@link #signal} would make. */
    default List<String> planSignal(Node node, Signal signal) {
        return List.of("send " + signal + " to " + node.name());
    }

    /** The calls {@link #destroy} would make. */
    default List<String> planDestroy(String group) {
        return nodes(group).stream().flatMap(n -> planRemove(n).stream()).toList();
    }

    /** How this backend runs nodes on another Redis build ({@code upgrade}), when it can. */
    default java.util.Optional<Upgrading> upgrading() {
        return java.util.Optional.empty();
    }

    /**
     * The persistence a group was created with ({@code create-master --persistence}), kept by the backend so that the
     * replicas {@code scale} starts later persist alike; {@code NONE} for a group it keeps no choice for.
     */
    default rsc.model.Persistence persistence(String group) {
        return rsc.model.Persistence.NONE;
    }

    /**
     * How a password rotation reaches nodes that read the password only when they start (Swarm: a Docker secret);
     * empty when what Redis and Sentinel rewrite in their own configs is enough (the local backend).
     */
    default java.util.Optional<SecretRollout> secretRollout() {
        return java.util.Optional.empty();
    }

    /** Hazards only the backend can see (Swarm: VIP endpoint mode, restart policies, failing tasks). */
    default List<rsc.model.Finding> findings(String group) {
        return List.of();
    }

    /**
     * An optional capability ({@link Machines}, {@link Recipes}, {@link Restarting}, the Swarm commands' inspection):
     * what only some backends can do is a type a caller asks for, never a method that throws on the others.
     */
    default <T> java.util.Optional<T> capability(Class<T> type) {
        return type.isInstance(this) ? java.util.Optional.of(type.cast(this)) : java.util.Optional.empty();
    }

    @Override
    default void close() {
    }
}
