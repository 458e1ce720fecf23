package rsc.backend.swarm;

import rsc.model.Node;
import rsc.model.NodeKind;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Chooses the swarm node for a group's next node. No Swarm rule spans services (constraints are hard filters, spread
 * preferences and max-replicas-per-node act within one service) and rsc runs one service per node, so rsc chooses:
 * the schedulable swarm node holding the fewest of the group's nodes of the same kind, then the fewest of the group's
 * nodes, then the fewest tasks of any kind. The service is created pinned there ({@code node.id==}) and unpinned once
 * its task runs, so Swarm can still reschedule it when that node is lost.
 */
final class Placement {

    /** Where a node goes (whether it shares a swarm node is said from the nodes' hosts, by ops.Spread). */
    record Choice(SwarmNodeInfo node) {
    }

    private Placement() {
    }

    /** Whether rsc places (and keeps) tasks itself: with fewer than two schedulable swarm nodes there is no choice. */
    static boolean choosing(List<SwarmNodeInfo> swarm) {
        return swarm.stream().filter(SwarmNodeInfo::schedulable).count() >= 2;
    }

    /**
     * The swarm node for a new node of {@code kind} in a group whose nodes are {@code group}; empty when no node is
     * schedulable (Swarm then says why the task cannot be placed).
     *
     * @param tasksPerNode running tasks of any service, by swarm node id
     */
    static Optional<Choice> choose(NodeKind kind, List<Node> group, List<SwarmNodeInfo> swarm, Map<String, Long> tasksPerNode) {
        List<SwarmNodeInfo> candidates = swarm.stream().filter(SwarmNodeInfo::schedulable).toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<Node>> sameKind = group.stream().filter(n -> n.kind() == kind && n.host().known())
                .collect(Collectors.groupingBy(n -> n.host().id()));
        Map<String, Long> anyKind = group.stream().filter(n -> n.host().known())
                .collect(Collectors.groupingBy(n -> n.host().id(), Collectors.counting()));
        Function<SwarmNodeInfo, Integer> same = n -> sameKind.getOrDefault(n.id(), List.of()).size();
        SwarmNodeInfo best = candidates.stream().min(Comparator.comparing(same)
                .thenComparing(n -> anyKind.getOrDefault(n.id(), 0L))
                .thenComparing(n -> tasksPerNode.getOrDefault(n.id(), 0L))
                .thenComparing(SwarmNodeInfo::id)).orElseThrow();
        return Optional.of(new Choice(best));
    }
}
