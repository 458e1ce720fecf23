package rsc.ops;

import rsc.model.Endpoint;
import rsc.model.Finding;
import rsc.model.Host;
import rsc.model.Node;
import rsc.result.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What losing one machine would do to a group, read from the machine each node runs on ({@link Node#host()}): a
 * machine that is down and the nodes it took with it, every copy of the data on one machine, and the master sharing
 * a machine with a majority of the sentinels (losing it leaves the rest unable to elect a leader, so no failover).
 * Says nothing where the backend knows no machines (the local backend: one machine).
 */
public final class Spread {

    private Spread() {
    }

    /** The findings for a group whose master (as the sentinels or the nodes say) is {@code master}. */
    public static List<Finding> findings(Group group, Optional<Endpoint> master) {
        List<Node> placed = group.nodes().stream().filter(n -> n.host().known()).toList();
        if (placed.isEmpty()) {
            return List.of();
        }
        String g = group.name();
        List<Finding> out = new ArrayList<>();
        Map<String, List<Node>> byHost = placed.stream().sorted(Comparator.comparing(Node::name))
                .collect(Collectors.groupingBy(n -> n.host().id(), LinkedHashMap::new, Collectors.toList()));
        for (List<Node> on : byHost.values()) {
            Host h = on.get(0).host();
            if (h.down()) {
                out.add(new Finding(Severity.ERROR, "machine-down", "swarm node " + h.label() + " is " + h.state()
                        + "; with it: " + names(on) + " (Swarm reschedules them elsewhere; the sentinels promote a replica "
                        + "if the master was there)", "nodes, then status " + g + " (wait master-up waits for a master)"));
            }
        }
        List<Node> data = group.redis();
        if (data.size() > 1 && data.stream().allMatch(n -> n.host().known())
                && data.stream().map(n -> n.host().id()).distinct().count() == 1) {
            out.add(new Finding(Severity.ERROR, "data-on-one-machine", "every copy of " + g + "'s data ("
                    + names(data) + ") is on swarm node " + data.get(0).host().label() + ": losing it loses the data",
                    "scale slaves " + (data.size() - 1) + " --group " + g + " after adding swarm nodes (rsc places new "
                            + "replicas on the swarm nodes holding fewest of the group), or drain that node"));
        }
        Optional<Node> m = master.flatMap(a -> group.redis().stream().filter(n -> n.announced().equals(a) || n.reach().equals(a)).findFirst());
        if (m.isPresent() && m.get().host().known()) {
            List<Node> beside = data.stream().filter(n -> !n.equals(m.get()) && n.host().id().equals(m.get().host().id())).toList();
            if (!beside.isEmpty() && data.stream().map(n -> n.host().id()).distinct().count() > 1) {
                out.add(new Finding(Severity.WARN, "replica-with-master", names(beside) + " shares swarm node "
                        + m.get().host().label() + " with the master " + m.get().name() + ": cut off together, the master "
                        + "keeps a replica in reach and takes writes that the failover elsewhere discards (Swarm placed a "
                        + "restarted task there)", "drain " + m.get().host().address() + ", then activate "
                        + m.get().host().address() + ": its nodes move to other swarm nodes"));
            }
        }
        int sentinels = group.sentinels().size();
        if (m.isPresent() && m.get().host().known() && sentinels > 0) {
            List<Node> beside = group.sentinels().stream().filter(s -> s.host().id().equals(m.get().host().id())).toList();
            if (beside.size() >= Quorum.majority(sentinels)) {
                out.add(new Finding(Severity.ERROR, "master-with-sentinel-majority", "the master " + m.get().name()
                        + " shares swarm node " + m.get().host().label() + " with " + beside.size() + " of " + sentinels
                        + " sentinels (" + names(beside) + "): losing that node leaves no majority to fail over",
                        "failover " + g + " to move the master elsewhere, or spread the sentinels over more swarm nodes"));
            }
        }
        return out;
    }

    /**
     * Says where the nodes a command started went and, when some of that kind now share a machine, which and why (too
     * few machines take tasks). Nothing where the backend knows no machines.
     */
    static void report(rsc.result.CommandResult.Builder out, List<Node> started, List<Node> sameKind) {
        if (started.isEmpty() || started.stream().noneMatch(n -> n.host().known())) {
            return;
        }
        out.info("placed: " + started.stream().map(n -> n.name() + " on swarm node " + n.host().label())
                .collect(Collectors.joining(", ")));
        Map<String, List<Node>> byHost = sameKind.stream().filter(n -> n.host().known())
                .collect(Collectors.groupingBy(n -> n.host().id(), LinkedHashMap::new, Collectors.toList()));
        byHost.values().stream().filter(l -> l.size() > 1).forEach(l -> out.warn(names(l) + " share swarm node "
                + l.get(0).host().label() + ": only " + byHost.size() + " swarm node(s) took them; losing that one loses "
                + l.size() + " of the group's " + l.get(0).kind().word() + " nodes"));
    }

    private static String names(List<Node> nodes) {
        return nodes.stream().map(Node::name).collect(Collectors.joining(", "));
    }
}
