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
            out.add(Finding.fixedBy(Severity.ERROR, "no-sentinels", g + " has no sentinels: nothing will fail over",
                    "scale sentinels 3 --group " + g));
        } else if (n < 3) {
            out.add(Finding.fixedBy(Severity.WARN, "few-sentinels", g + " has " + n + " sentinel(s): losing one leaves no majority",
                    "scale sentinels 3 --group " + g));
        }
        List<SentinelMaster> masters = sv.sentinels().stream().map(SentinelStatus.SentinelView::master)
                .flatMap(Optional::stream).toList();
        for (SentinelStatus.SentinelView v : sv.sentinels()) {
            if (v.master().isEmpty()) {
                out.add(new Finding(Severity.ERROR, "sentinel-silent", v.sentinel().name() + ": " + v.error(),
                        "is it running? 'status " + g + "' shows its state", restart(session, v.sentinel())));
            }
        }
        if (sv.masters().size() > 1) {
            out.add(Finding.fixedBy(Severity.ERROR, "sentinels-disagree", "sentinels disagree on the master: "
                    + String.join(" vs ", sv.masters().stream().map(Endpoint::toString).toList()),
                    "sentinel reset " + g));
        }
        Set<Long> epochs = new HashSet<>();
        masters.forEach(m -> epochs.add(m.configEpoch()));
        if (epochs.size() > 1) {
            out.add(new Finding(Severity.WARN, "epochs-differ", "sentinels are on different config epochs " + epochs,
                    "if it stays after the wait: sentinel reset " + g, "wait agreement --group " + g));
        }
        masters.stream().findFirst().ifPresent(m -> {
            if (m.quorum() < Quorum.majority(n)) {
                out.add(Finding.fixedBy(Severity.ERROR, "quorum-minority", "quorum " + m.quorum() + " of " + n
                        + " sentinels is not a majority (" + Quorum.majority(n) + ")",
                        "scale sentinels " + n + " --quorum " + Quorum.majority(n) + " --group " + g));
            }
        });
        if (!masters.isEmpty() && !sv.quorumOk()) {
            String why = sv.sentinels().stream().map(SentinelStatus.SentinelView::ckquorum).flatMap(Optional::stream)
                    .map(c -> c.text()).findFirst().orElse("");
            out.add(new Finding(Severity.ERROR, "ckquorum", "CKQUORUM fails: " + why,
                    "bring the stopped sentinels back, or add sentinels", "scale sentinels " + Math.max(3, n) + " --group " + g));
        }

        // Data nodes: split brain, links, lag.
        List<GroupStatus.NodeView> answering = view.redis().stream().filter(x -> x.replication().isPresent()).toList();
        List<GroupStatus.NodeView> selfMasters = answering.stream().filter(x -> x.replication().get().isMaster()).toList();
        if (selfMasters.size() > 1) {
            out.add(splitBrain(session, view, selfMasters, g));
        }
        Optional<Endpoint> master = view.master(session).map(x -> x.node().announced())
                .or(() -> sv.master().map(MasterLocator.Located::address));
        for (GroupStatus.NodeView x : view.redis()) {
            if (x.replication().isEmpty()) {
                out.add(new Finding(Severity.ERROR, "node-silent", x.node().name() + " does not answer: " + x.error(),
                        "is it running? 'status " + g + "' shows its state", restart(session, x.node())));
                continue;
            }
            Replication r = x.replication().get();
            if (r.isMaster()) {
                continue;
            }
            if (master.isPresent() && r.master().isPresent()
                    && !ReplicaLinks.sameNode(session, r.master().get(), master.get())) {
                out.add(Finding.fixedBy(Severity.ERROR, "wrong-master", x.node().name() + " replicates from "
                        + r.master().get() + ", not from the master " + master.get(),
                        "redis --node " + x.node().name() + " REPLICAOF " + master.get().host() + " " + master.get().port()));
            } else if (!r.linkUp()) {
                out.add(new Finding(Severity.ERROR, "link-down", x.node().name() + " has master_link_status:down",
                        "is the master reachable from it? its log says why the link is down"));
            } else if (view.lag(session, x.node()) != null && view.lag(session, x.node()) > LAG_BYTES) {
                out.add(new Finding(Severity.WARN, "lagging", x.node().name() + " is " + view.lag(session, x.node())
                        + " bytes behind the master", "wait, or check the replica's network and load"));
            }
        }

        // Settings that decide how much a failover loses, and who may be promoted.
        if (!answering.isEmpty()) {
            Map<String, String> mrw = new java.util.HashMap<>();
            Map<String, String> priorities = new java.util.TreeMap<>();
            boolean hasPassword = session.passwords().of(g).isPresent();
            for (GroupStatus.NodeView x : answering) {
                try {
                    var c = session.reads().node(x.node().announced());
                    // a task on Swarm listens on every interface of its container by design (overlay and published
                    // port): there only a node without a password is worth naming
                    Exposure.of(x.node().name(), c.configGet("bind"), c.configGet("protected-mode"), hasPassword)
                            .filter(f -> f.severity() == Severity.ERROR || !x.node().host().known())
                            .ifPresent(out::add);
                    priorities.put(x.node().name(), c.configGet("replica-priority"));
                    if (x.replication().get().isMaster()) {
                        mrw.put(x.node().name(), c.configGet("min-replicas-to-write"));
                    }
                } catch (RuntimeException e) {
                    // reported as silent above
                }
            }
            if (group.redis().size() > 1 && mrw.values().stream().anyMatch(v -> "0".equals(v))) {
                long replicas = group.redis().size() - 1;
                out.add(Finding.fixedBy(Severity.WARN, "min-replicas-off", "min-replicas-to-write is 0: an isolated master "
                        + "keeps accepting writes that a failover will throw away",
                        "scale slaves " + replicas + " --min-replicas-to-write 1 --group " + g));
            }
            priorityFinding(priorities).ifPresent(out::add);
        }
        UpgradeChecks.mixedVersions(view.versions()).ifPresent(v -> out.add(new Finding(Severity.WARN, "mixed-versions",
                g + " runs several Redis versions (" + v + "): an upgrade that stopped half-way", "run the same "
                + "'upgrade " + g + " --image|--binary …' again: it continues where it stopped")));

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
                var c = session.reads().sentinel(v.sentinel().announced());
                for (SentinelPeer p : c.replicas(g)) {
                    if (!live.contains(p.address().toString()) && !live.contains(session.backend().reachable(p.address()).toString())) {
                        out.add(Finding.fixedBy(Severity.WARN, "stale-replica", v.sentinel().name() + " still lists replica "
                                + p.address() + ", which no longer exists", "sentinel reset " + g));
                    }
                }
                for (SentinelPeer p : c.sentinels(g)) {
                    if (!live.contains(p.address().toString()) && !live.contains(session.backend().reachable(p.address()).toString())) {
                        out.add(Finding.fixedBy(Severity.WARN, "stale-sentinel", v.sentinel().name() + " still lists sentinel "
                                + p.address() + ", which no longer exists", "sentinel reset " + g));
                    }
                }
            } catch (RuntimeException e) {
                // reported as silent above
            }
        }
        out.addAll(SettingsDrift.findings(session, group));
        out.addAll(Spread.findings(group, master));
        out.addAll(session.backend().findings(g));
        return out;
    }

    /** The command that brings a stopped node back, when the backend can; empty otherwise. */
    private static String restart(Session session, rsc.model.Node node) {
        return "";
    }

    /** More than one node says role:master: the others follow the one the sentinels name, else the operator decides. */
    private static Finding splitBrain(Session session, GroupStatus.View view, List<GroupStatus.NodeView> selfMasters,
                                      String g) {
        String what = selfMasters.size() + " nodes say role:master: "
                + String.join(", ", selfMasters.stream().map(x -> x.node().name()).toList());
        Optional<GroupStatus.NodeView> master = view.master(session);
        if (master.isEmpty()) {
            return new Finding(Severity.ERROR, "split-brain", what, "'sentinel status " + g + "' shows which one the "
                    + "sentinels follow; make the others follow it (redis --node NODE REPLICAOF HOST PORT)");
        }
        Endpoint m = master.get().node().announced();
        List<String> others = selfMasters.stream().map(x -> x.node().name())
                .filter(name -> !name.equals(master.get().node().name())).toList();
        return new Finding(Severity.ERROR, "split-brain", what + "; the sentinels follow " + master.get().node().name(),
                others.size() > 1 ? "the same on " + String.join(", ", others.subList(1, others.size())) : "",
                "redis --node " + others.get(0) + " REPLICAOF " + m.host() + " " + m.port());
    }

    /** replica-priority should be the same on every node: the odd ones get the most common value. */
    private static Optional<Finding> priorityFinding(Map<String, String> priorities) {
        Map<String, Long> counts = priorities.values().stream().filter(java.util.Objects::nonNull)
                .collect(java.util.stream.Collectors.groupingBy(v -> v, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        if (counts.size() <= 1) {
            return Optional.empty();
        }
        String usual = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        List<String> odd = priorities.entrySet().stream().filter(e -> !usual.equals(e.getValue())).map(Map.Entry::getKey).toList();
        return Optional.of(new Finding(Severity.WARN, "priority-mixed", "replica-priority differs between nodes: "
                + priorities, odd.size() > 1 ? "the same on " + String.join(", ", odd.subList(1, odd.size())) : "",
                "redis --node " + odd.get(0) + " CONFIG SET replica-priority " + usual));
    }
}
