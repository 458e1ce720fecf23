package rsc.ops;

import rsc.model.Node;
import rsc.redis.Reads;
import rsc.redis.Replication;
import rsc.session.Session;

import java.util.List;
import java.util.Optional;

/** Every node of a group joined with what it reports: role, whom it follows, link and lag. */
public final class GroupStatus {

    /** A data node and its replication state, or why it did not answer. */
    public record NodeView(Node node, Optional<Replication> replication, String error) {
    }

    /** The nodes and what the sentinels say. */
    public record View(String group, List<NodeView> redis, SentinelStatus.View sentinels, Optional<Integer> minReplicasToWrite) {

        public long masters() {
            return redis.stream().filter(n -> n.replication().map(Replication::isMaster).orElse(false)).count();
        }

        /**
         * The node replicas should follow: the one the sentinels name when it says role:master, else the only node
         * that says role:master; empty when neither holds (no master, or a split brain the sentinels do not settle).
         */
        public Optional<NodeView> master(Session session) {
            List<NodeView> selfMasters = redis.stream().filter(n -> n.replication().map(Replication::isMaster).orElse(false))
                    .toList();
            Optional<NodeView> named = sentinels.master().flatMap(l -> selfMasters.stream()
                    .filter(n -> ReplicaLinks.sameNode(session, n.node().announced(), l.address())).findFirst());
            return named.or(() -> selfMasters.size() == 1 ? Optional.of(selfMasters.get(0)) : Optional.empty());
        }

        /** A replica's lag behind {@link #master}, in bytes; null when unknown. */
        public Long lag(Session session, rsc.model.Node replica) {
            return master(session).flatMap(NodeView::replication)
                    .map(m -> ReplicaLag.bytes(session, m, replica.announced())).orElse(null);
        }
    }

    private GroupStatus() {
    }

    public static View collect(Session session, Group group) throws InterruptedException {
        SentinelStatus.Pending sentinels = SentinelStatus.ask(session, group);   // the sentinels answer meanwhile
        Reads reads = session.reads();
        var answers = Fanout.ask(session.pool(), group.redis(), n -> {
            if (!n.state().running()) {
                throw new rsc.command.RscException(n.state().name().toLowerCase(java.util.Locale.ROOT));
            }
            return reads.node(n.announced()).replication();
        }, 3000);
        List<NodeView> nodes = answers.stream()
                .map(a -> new NodeView(a.input(), Optional.ofNullable(a.value()), a.error())).toList();
        Optional<Integer> mrw = nodes.stream().filter(n -> n.replication().map(Replication::isMaster).orElse(false))
                .findFirst().flatMap(n -> {
                    try {
                        return Optional.of(Integer.parseInt(reads.node(n.node().announced())
                                .configGet("min-replicas-to-write")));
                    } catch (RuntimeException e) {
                        return Optional.empty();
                    }
                });
        return new View(group.name(), nodes, sentinels.await(), mrw);
    }
}
