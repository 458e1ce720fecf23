package rsc.ops;

import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.redis.Replication;
import rsc.redis.SentinelClient;
import rsc.redis.SentinelMaster;
import rsc.redis.SentinelPeer;
import rsc.session.Session;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the sentinels of one group say, gathered from all of them in parallel. */
public final class SentinelStatus {

    /** One sentinel's answer: its view of the master and its CKQUORUM, or why it gave none. */
    public record SentinelView(Node sentinel, Optional<SentinelMaster> master, Optional<SentinelClient.CkQuorum> ckquorum,
                               String error) {
    }

    /** One replica as the sentinels list it, with its lag behind the master in bytes when known. */
    public record ReplicaView(Endpoint address, Optional<Node> node, List<String> flags, boolean linkUp, Long lagBytes,
                              long priority) {
    }

    /**
     * The group as its sentinels see it.
     *
     * @param masters  the distinct master addresses the sentinels name (one when they agree)
     * @param master   the master most sentinels name, with its node
     */
    public record View(String group, List<SentinelView> sentinels, Set<Endpoint> masters,
                       Optional<MasterLocator.Located> master, List<ReplicaView> replicas) {

        public boolean agree() {
            return masters.size() == 1 && sentinels.stream().allMatch(s -> s.master().isPresent());
        }

        public boolean quorumOk() {
            return sentinels.stream().anyMatch(s -> s.ckquorum().map(SentinelClient.CkQuorum::ok).orElse(false));
        }
    }

    private SentinelStatus() {
    }

    public static View collect(Session session, Group group) throws InterruptedException {
        String name = group.name();
        List<Node> sentinels = group.sentinels();
        var answers = Fanout.ask(session.pool(), sentinels, s -> {
            if (!s.state().running()) {
                throw new rsc.command.RscException(s.name() + " is " + s.state().name().toLowerCase(java.util.Locale.ROOT));
            }
            SentinelClient c = session.redis().sentinel(s.announced());
            Optional<SentinelMaster> m = c.master(name);
            Optional<SentinelClient.CkQuorum> q = m.isPresent() ? Optional.of(c.ckquorum(name)) : Optional.empty();
            return new SentinelView(s, m, q, m.isPresent() ? null : "does not monitor " + name);
        }, 3000);
        List<SentinelView> views = answers.stream()
                .map(a -> a.ok() ? a.value() : new SentinelView(a.input(), Optional.empty(), Optional.empty(), a.error()))
                .toList();
        Set<Endpoint> masters = new LinkedHashSet<>();
        views.forEach(v -> v.master().ifPresent(m -> masters.add(m.address())));
        Optional<MasterLocator.Located> located = majority(session, group, views);
        if (located.isEmpty()) {
            located = MasterLocator.locate(session, name, group.nodes());
        }
        List<ReplicaView> replicas = replicas(session, group, views, located);
        return new View(name, views, masters, located, replicas);
    }

    /** The master most answering sentinels name, without asking them again. */
    private static Optional<MasterLocator.Located> majority(Session session, Group group, List<SentinelView> views) {
        java.util.Map<Endpoint, Integer> votes = new java.util.HashMap<>();
        views.forEach(v -> v.master().ifPresent(m -> votes.merge(m.address(), 1, Integer::sum)));
        return votes.entrySet().stream().max(java.util.Map.Entry.comparingByValue())
                .map(e -> new MasterLocator.Located(e.getKey(), MasterLocator.nodeAt(session, group.nodes(), e.getKey()),
                        "sentinels (" + e.getValue() + "/" + views.size() + ")"));
    }

    private static List<ReplicaView> replicas(Session session, Group group, List<SentinelView> views,
                                              Optional<MasterLocator.Located> master) {
        for (SentinelView v : views) {
            if (v.master().isEmpty()) {
                continue;
            }
            try {
                List<SentinelPeer> peers = session.redis().sentinel(v.sentinel().announced()).replicas(group.name());
                Long masterOffset = master.map(m -> {
                    try {
                        Replication r = session.redis().node(m.address()).replication();
                        return r.offset();
                    } catch (RuntimeException e) {
                        return null;
                    }
                }).orElse(null);
                return peers.stream().map(p -> new ReplicaView(p.address(),
                        MasterLocator.nodeAt(session, group.nodes(), p.address()), p.flags(), p.linkUp(),
                        masterOffset == null || p.offset() < 0 ? null : Math.max(0, masterOffset - p.offset()),
                        p.priority())).toList();
            } catch (RuntimeException e) {
                // try the next sentinel
            }
        }
        return List.of();
    }
}
