package rsc.ops;

import rsc.model.Node;
import rsc.redis.Reads;
import rsc.redis.Replication;
import rsc.session.Session;

import java.util.List;
import java.util.Optional;

/** Every node of a group joined with what it reports: role, whom it follows, link and lag. */
public final class GroupStatus {

    /**
     * A data node and its replication state, or why it did not answer.
     *
     * @param persistence what the node itself says it persists ({@link rsc.model.Persistence#describe}); empty when
     *                    it did not say
     */
    public record NodeView(Node node, Optional<Replication> replication, String error, Optional<String> persistence) {
    }

    /** One node's answers: INFO replication, and its persistence settings when it gives them. */
    private record Answer(Replication replication, Optional<String> persistence) {
    }

    /**
     * The nodes and what the sentinels say.
     *
     * @param versions each answering node's {@code redis_version} by node name (data nodes and sentinels)
     */
    public record View(String group, List<NodeView> redis, SentinelStatus.View sentinels, Optional<Integer> minReplicasToWrite,
                       java.util.Map<String, String> versions) {

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
        // versions are asked meanwhile (the pool is unbounded): a node that hangs costs its timeout once, not twice
        java.util.concurrent.Future<java.util.Map<String, String>> versions = session.pool().submit(() -> versions(session, reads, group));
        var answers = Fanout.ask(session.pool(), group.redis(), n -> {
            if (!n.state().running()) {
                throw new rsc.error.RscException(n.state().name().toLowerCase(java.util.Locale.ROOT));
            }
            rsc.redis.NodeReads r = reads.node(n.announced());
            return new Answer(r.replication(), persistence(r));
        }, 3000);
        List<NodeView> nodes = answers.stream().map(a -> new NodeView(a.input(),
                Optional.ofNullable(a.value()).map(Answer::replication), a.error(),
                Optional.ofNullable(a.value()).flatMap(Answer::persistence))).toList();
        Optional<Integer> mrw = nodes.stream().filter(n -> n.replication().map(Replication::isMaster).orElse(false))
                .findFirst().flatMap(n -> {
                    try {
                        return Optional.of(Integer.parseInt(reads.node(n.node().announced())
                                .configGet("min-replicas-to-write")));
                    } catch (RuntimeException e) {
                        return Optional.empty();
                    }
                });
        java.util.Map<String, String> named;
        try {
            named = versions.get(4, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            versions.cancel(true);
            named = java.util.Map.of();
        }
        return new View(group.name(), nodes, sentinels.await(), mrw, named);
    }

    /** Every running node's {@code redis_version}, asked at once; a node that does not answer is left out. */
    private static java.util.Map<String, String> versions(Session session, Reads reads, Group group) throws InterruptedException {
        List<rsc.model.Node> running = group.nodes().stream().filter(n -> n.state().running()).toList();
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (var a : Fanout.ask(session.pool(), running, n -> n.isSentinel() ? reads.sentinel(n.announced()).version()
                : reads.node(n.announced()).version(), 3000)) {
            if (a.ok()) {
                out.put(a.input().name(), a.value());
            }
        }
        return out;
    }

    /** What a node persists, read from the node itself (CONFIG GET), not from what rsc asked for. */
    private static Optional<String> persistence(rsc.redis.NodeReads node) {
        try {
            return Optional.of(rsc.model.Persistence.describe(node.configGet("appendonly"), node.configGet("save"),
                    node.configGet("appendfsync")));
        } catch (RuntimeException e) {
            return Optional.empty();   // CONFIG renamed or refused (an attached group): status says nothing of it
        }
    }
}
