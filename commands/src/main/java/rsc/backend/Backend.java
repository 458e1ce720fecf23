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

    /** Hazards only the backend can see (Swarm: VIP endpoint mode, restart policies, failing tasks). */
    /** How this backend's nodes keep their data, when an operator should know it (status says it); empty otherwise. */
    default java.util.Optional<String> persistence() {
        return java.util.Optional.empty();
    }

    default List<rsc.model.Finding> findings(String group) {
        return List.of();
    }

    /**
     * The nodes of a group built by hand from these services ({@code attach --services}): one per task, named as the
     * task is, announced by the address Sentinel sees and reached by an address this machine can connect to.
     */
    default List<Node> recipeNodes(String group, RecipeServices services) {
        throw new rsc.command.RscException("attach --services adopts services of a Docker Swarm: start rsc with "
                + "--backend swarm (on this backend, attach a group by its sentinels: --sentinel HOST:PORT)");
    }

    /** {@link #findings} for a group built by hand from these services. */
    default List<rsc.model.Finding> recipeFindings(RecipeServices services) {
        return List.of();
    }

    @Override
    default void close() {
    }
}
