package rsc.model;


import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the console last knew of every group, refreshed in the background; completion and the prompt read it
 * and never wait on the network.
 *
 * @param backend  the backend's name
 * @param groups   group names
 * @param nodes    every node the backend lists
 * @param masters  the master each group's sentinels (or, without sentinels, its nodes) name
 * @param health   each group's health
 * @param takenAt  when this snapshot was taken
 */
public record Topology(String backend, List<String> groups, List<Node> nodes, Map<String, Endpoint> masters,
                       Map<String, Health> health, Instant takenAt) {

    /** A group's health, for the prompt's colour. */
    public enum Health { OK, DEGRADED, DOWN, UNKNOWN }

    public Topology {
        groups = List.copyOf(groups);
        nodes = List.copyOf(nodes);
        masters = Map.copyOf(masters);
        health = Map.copyOf(health);
    }

    public static Topology empty(String backend) {
        return new Topology(backend, List.of(), List.of(), Map.of(), Map.of(), Instant.EPOCH);
    }

    public Optional<Endpoint> master(String group) {
        return Optional.ofNullable(masters.get(group));
    }

    public Health health(String group) {
        return health.getOrDefault(group, Health.UNKNOWN);
    }

    public List<Node> nodes(String group) {
        return nodes.stream().filter(n -> n.group().equals(group)).toList();
    }

    /** Every node's name by its announced and its reachable address (events print names, not addresses). */
    public Map<Endpoint, String> names() {
        Map<Endpoint, String> out = new java.util.HashMap<>();
        for (rsc.model.Node n : nodes) {
            if (n.reach() != null) {
                out.put(n.reach(), n.name());
            }
            if (n.announced() != null) {
                out.put(n.announced(), n.name());
            }
        }
        return out;
    }
}
