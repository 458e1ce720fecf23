package rsc.ops;

import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.redis.Reads;
import rsc.session.Session;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a group's master the way a client would: the answer most sentinels give; without sentinels, the one
 * running node that says {@code role:master}.
 */
public final class MasterLocator {

    /**
     * Where the master is and who said so.
     *
     * @param address announced address of the master
     * @param node    the backend's node at that address, when it has one
     * @param source  {@code sentinels (3/3)} or {@code nodes}
     */
    public record Located(Endpoint address, Optional<Node> node, String source) {
    }

    private MasterLocator() {
    }

    public static Optional<Located> locate(Session session, String group) throws InterruptedException {
        List<Node> nodes = session.backend().nodes(group);
        return locate(session, group, nodes);
    }

    public static Optional<Located> locate(Session session, String group, List<Node> nodes) throws InterruptedException {
        return locate(session, session.reads(), group, nodes);
    }

    /** As {@link #locate(Session, String, List)}, asking through {@code reads} (plain sockets in a one-shot). */
    public static Optional<Located> locate(Session session, Reads reads, String group, List<Node> nodes)
            throws InterruptedException {
        List<Node> sentinels = nodes.stream().filter(n -> n.isSentinel() && n.state().running()).toList();
        if (!sentinels.isEmpty()) {
            var answers = Fanout.ask(session.pool(), sentinels,
                    s -> reads.sentinel(s.announced()).masterAddress(group), 2500);
            Map<Endpoint, Integer> votes = new HashMap<>();
            for (var a : answers) {
                if (a.ok() && a.value().isPresent()) {
                    votes.merge(a.value().get(), 1, Integer::sum);
                }
            }
            Optional<Map.Entry<Endpoint, Integer>> best = votes.entrySet().stream().max(Map.Entry.comparingByValue());
            if (best.isPresent()) {
                Endpoint e = best.get().getKey();
                return Optional.of(new Located(e, nodeAt(session, nodes, e),
                        "sentinels (" + best.get().getValue() + "/" + sentinels.size() + ")"));
            }
        }
        List<Node> redis = nodes.stream().filter(n -> n.isRedis() && n.state().running()).toList();
        var roles = Fanout.ask(session.pool(), redis, n -> reads.node(n.announced()).replication(), 2500);
        List<Node> masters = roles.stream().filter(a -> a.ok() && a.value().isMaster()).map(Fanout.Answer::input).toList();
        if (masters.size() == 1) {
            return Optional.of(new Located(masters.get(0).announced(), Optional.of(masters.get(0)), "nodes"));
        }
        if (masters.size() > 1) {
            // Several say master: the one the replicas follow wins; without replicas, the lowest index.
            Map<Endpoint, Integer> followed = new HashMap<>();
            for (var a : roles) {
                if (a.ok() && a.value().master().isPresent()) {
                    followed.merge(a.value().master().get(), 1, Integer::sum);
                }
            }
            Node pick = masters.stream().max((x, y) -> Integer.compare(
                    followed.getOrDefault(x.announced(), 0), followed.getOrDefault(y.announced(), 0))).orElseThrow();
            return Optional.of(new Located(pick.announced(), Optional.of(pick), "nodes (" + masters.size() + " say master)"));
        }
        return Optional.empty();
    }

    /** The node at an announced address: by announced name, else by where the backend says it is reached. */
    public static Optional<Node> nodeAt(Session session, List<Node> nodes, Endpoint announced) {
        for (Node n : nodes) {
            if (n.announced().equals(announced)) {
                return Optional.of(n);
            }
        }
        Endpoint reach = session.backend().reachable(announced);
        for (Node n : nodes) {
            if (n.reach().equals(reach)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}
