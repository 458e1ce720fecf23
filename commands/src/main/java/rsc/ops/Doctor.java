package rsc.ops;

import rsc.model.Endpoint;
import rsc.model.Finding;
import rsc.redis.Replication;
import rsc.redis.SentinelMaster;
import rsc.redis.SentinelPeer;
import rsc.result.Severity;
import rsc.session.Session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks a group for what goes wrong with Sentinel in practice, each finding with the command that fixes it. */
public final class Doctor {

    /** Replication lag in bytes above which a replica counts as lagging. */
    public static final long LAG_BYTES = 1_000_000;

    private Doctor() {
    }

    public static List<Finding> examine(Session session, String groupName) throws InterruptedException {
        Group group = Group.require(session, groupName);
        // a master switch stopped mid-way (kill -9) leaves its write fence: lifted here where safe, named where not
        List<Finding> fences = WriteFence.liftWhereSafe(session, group);
        GroupStatus.View view = GroupStatus.collect(session, group);
        SentinelStatus.View sv = view.sentinels();
        List<Finding> out = new ArrayList<>(fences);
        String g = groupName;

        // Sentinels: how many, quorum, agreement, CKQUORUM.
        int n = group.sentinels().size();
        if (n == 0) {
            out.add(new Finding(Severity.ERROR, "no-sentinels", g + " has no sentinels: nothing will fail over",
                    "scale sentinels 3 --group " + g));
        } else if (n < 3) {
            out.add(new Finding(Severity.WARN, "few-sentinels", g + " has " + n + " sentinel(s): losing one leaves no majority",
                    "scale sentinels 3 --group " + g));
        }
        List<SentinelMaster> masters = sv.sentinels().stream().map(SentinelStatus.SentinelView::master)
                .flatMap(Optional::stream).toList();
        for (SentinelStatus.SentinelView v : sv.sentinels()) {
            if (v.master().isEmpty()) {
                out.add(new Finding(Severity.ERROR, "sentinel-silent", v.sentinel().name() + ": " + v.error(),
                        "status --group " + g + " (is it running?)"));
            }
        }
        if (sv.masters().size() > 1) {
            out.add(new Finding(Severity.ERROR, "sentinels-disagree", "sentinels disagree on the master: "
                    + String.join(" vs ", sv.masters().stream().map(Endpoint::toString).toList()),
                    "sentinel reset " + g));
        }
        Set<Long> epochs = new HashSet<>();
        masters.forEach(m -> epochs.add(m.configEpoch()));
        if (epochs.size() > 1) {
            out.add(new Finding(Severity.WARN, "epochs-differ", "sentinels are on different config epochs " + epochs,
                    "wait a few seconds; if it stays, sentinel reset " + g));
        }
        masters.stream().findFirst().ifPresent(m -> {
            if (m.quorum() < Quorum.majority(n)) {
                out.add(new Finding(Severity.ERROR, "quorum-minority", "quorum " + m.quorum() + " of " + n
                        + " sentinels is not a majority (" + Quorum.majority(n) + ")",
                        "scale sentinels " + n + " --quorum " + Quorum.majority(n) + " --group " + g));
            }
        });
        if (!masters.isEmpty() && !sv.quorumOk()) {
            String why = sv.sentinels().stream().map(SentinelStatus.SentinelView::ckquorum).flatMap(Optional::stream)
                    .map(c -> c.text()).findFirst().orElse("");
            out.add(new Finding(Severity.ERROR, "ckquorum", "CKQUORUM fails: " + why, "scale sentinels 3 --group " + g));
        }

        // Data nodes: split brain, links, lag.
        List<GroupStatus.NodeView> answering = view.redis().stream().filter(x -> x.replication().isPresent()).toList();
        List<GroupStatus.NodeView> selfMasters = answering.stream().filter(x -> x.replication().get().isMaster()).toList();
        if (selfMasters.size() > 1) {
            out.add(new Finding(Severity.ERROR, "split-brain", selfMasters.size() + " nodes say role:master: "
                    + String.join(", ", selfMasters.stream().map(x -> x.node().name()).toList()),
                    "sentinel status " + g + " (then redis --node NODE REPLICAOF the master)"));
        }
        Optional<Endpoint> master = sv.master().map(MasterLocator.Located::address)
                .or(() -> selfMasters.size() == 1 ? Optional.of(selfMasters.get(0).node().announced()) : Optional.empty());
        long masterOffset = selfMasters.stream().map(x -> x.replication().get().offset()).max(Long::compare).orElse(-1L);
        for (GroupStatus.NodeView x : view.redis()) {
            if (x.replication().isEmpty()) {
                out.add(new Finding(Severity.ERROR, "node-silent", x.node().name() + " does not answer: " + x.error(),
                        "status --group " + g));
                continue;
            }
            Replication r = x.replication().get();
            if (r.isMaster()) {
                continue;
            }
            if (master.isPresent() && r.master().isPresent()
                    && !ReplicaLinks.sameNode(session, r.master().get(), master.get())) {
                out.add(new Finding(Severity.ERROR, "wrong-master", x.node().name() + " replicates from "
                        + r.master().get() + ", not from the master " + master.get(),
                        "redis --node " + x.node().name() + " REPLICAOF " + master.get().host() + " " + master.get().port()));
            } else if (!r.linkUp()) {
                out.add(new Finding(Severity.ERROR, "link-down", x.node().name() + " has master_link_status:down",
                        "status --group " + g + " (is the master reachable from it?)"));
            } else if (masterOffset >= 0 && masterOffset - r.offset() > LAG_BYTES) {
                out.add(new Finding(Severity.WARN, "lagging", x.node().name() + " is " + (masterOffset - r.offset())
                        + " bytes behind the master", "wait, or check the replica's network and load"));
            }
        }

        // Settings that decide how much a failover loses, and who may be promoted.
        if (!answering.isEmpty()) {
            Map<String, String> mrw = new java.util.HashMap<>();
            Set<String> priorities = new HashSet<>();
            for (GroupStatus.NodeView x : answering) {
                try {
                    var c = session.redis().node(x.node().announced());
                    priorities.add(c.configGet("replica-priority"));
                    if (x.replication().get().isMaster()) {
                        mrw.put(x.node().name(), c.configGet("min-replicas-to-write"));
                    }
                } catch (RuntimeException e) {
                    // reported as silent above
                }
            }
            if (group.redis().size() > 1 && mrw.values().stream().anyMatch(v -> "0".equals(v))) {
                out.add(new Finding(Severity.WARN, "min-replicas-off", "min-replicas-to-write is 0: an isolated master "
                        + "keeps accepting writes that a failover will throw away",
                        "redis CONFIG SET min-replicas-to-write 1 (and min-replicas-max-lag 10) on every node"));
            }
            if (priorities.size() > 1) {
                out.add(new Finding(Severity.WARN, "priority-mixed", "replica-priority differs between nodes: " + priorities,
                        "redis --node NODE CONFIG SET replica-priority 100 on each node"));
            }
        }

        // Entries sentinels still list that no longer exist.
        Set<String> live = new HashSet<>();
        group.nodes().forEach(x -> {
            live.add(x.announced().toString());
            live.add(session.backend().reachable(x.announced()).toString());
        });
        for (SentinelStatus.SentinelView v : sv.sentinels()) {
            if (v.master().isEmpty()) {
                continue;
            }
            try {
                var c = session.redis().sentinel(v.sentinel().announced());
                for (SentinelPeer p : c.replicas(g)) {
                    if (!live.contains(p.address().toString()) && !live.contains(session.backend().reachable(p.address()).toString())) {
                        out.add(new Finding(Severity.WARN, "stale-replica", v.sentinel().name() + " still lists replica "
                                + p.address() + ", which no longer exists", "sentinel reset " + g));
                    }
                }
                for (SentinelPeer p : c.sentinels(g)) {
                    if (!live.contains(p.address().toString()) && !live.contains(session.backend().reachable(p.address()).toString())) {
                        out.add(new Finding(Severity.WARN, "stale-sentinel", v.sentinel().name() + " still lists sentinel "
                                + p.address() + ", which no longer exists", "sentinel reset " + g));
                    }
                }
            } catch (RuntimeException e) {
                // reported as silent above
            }
        }
        out.addAll(session.backend().findings(g));
        return out;
    }
}
