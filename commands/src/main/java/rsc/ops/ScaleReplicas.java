package rsc.ops;

import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.error.RscException;
import rsc.model.Node;
import rsc.model.NodeState;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Grows or shrinks a group's replicas. Growing returns only once every replica's link is up and every sentinel lists
 * every replica (a replica a sentinel does not know is left behind by a failover); shrinking never
 * removes the master and makes the sentinels forget the removed replicas.
 */
public final class ScaleReplicas {

    public static final Duration LINK_TIMEOUT = Duration.ofSeconds(60);

    private ScaleReplicas() {
    }

    public static CommandResult run(Session session, String groupName, int count, Optional<Integer> port, Progress progress)
            throws InterruptedException {
        return run(session, groupName, count, port, Optional.empty(), progress);
    }

    /** What {@link #run} would do, for {@code --dry-run}. */
    public static CommandResult plan(Session session, String groupName, int count, Optional<Integer> port,
                                     Optional<Integer> minReplicas) throws InterruptedException {
        Group group = Group.require(session, groupName);
        MasterLocator.Located master = MasterLocator.locate(session, groupName, group.nodes())
                .orElseThrow(() -> new RscException("cannot find the master of '" + groupName + "'"));
        List<Node> replicas = group.redis().stream()
                .filter(n -> master.node().map(m -> !m.name().equals(n.name())).orElse(true)).toList();
        int live = replicas.size();
        Plan p = new Plan("scale slaves " + count + " --group " + groupName);
        String b = session.backend().name();
        for (int i = live; i < count; i++) {
            p.backend(b, session.backend().planStart(NodeSpec.replica(groupName, master.address(), port,
                    NodeConfig.withMinReplicas(Math.min(count, minReplicas.orElse(NodeConfig.DEFAULT_MIN_REPLICAS))))
                    .withPassword(session.passwords().of(groupName)).withPersistence(session.backend().persistence(groupName)), i - live));
        }
        if (count > live) {
            p.await("every replica reports master_link_status:up to " + master.address() + " (INFO replication, every 100 ms)");
            if (!group.runningSentinels().isEmpty()) {
                p.await("every sentinel lists every replica (SENTINEL REPLICAS " + groupName + ", every 250 ms)");
            }
        }
        List<Node> victims = replicas.stream().sorted(Comparator.comparing((Node n) -> n.state().running())
                .thenComparing(Comparator.comparingInt(Node::index).reversed()))
                .limit(count > live ? replicas.size() - live : Math.max(0, replicas.size() - count)).toList();
        for (Node v : victims) {
            p.backend(b, session.backend().planRemove(v));
        }
        if (!victims.isEmpty()) {
            SentinelReset.planOneByOne(p, groupName, group.runningSentinels());
        }
        if (count == 0 || minReplicas.isPresent() || replicas.isEmpty()) {
            int v = count == 0 ? 0 : Math.min(count, minReplicas.orElse(NodeConfig.DEFAULT_MIN_REPLICAS));
            p.redis("every data node", "CONFIG SET min-replicas-max-lag " + NodeConfig.MIN_REPLICAS_MAX_LAG
                    + "; CONFIG SET min-replicas-to-write " + v);
        }
        return p.result();
    }

    /**
     * @param minReplicas {@code min-replicas-to-write} for the group; empty keeps the current setting, or sets the
     *                    default (1) when the group gets its first replicas
     */
    public static CommandResult run(Session session, String groupName, int count, Optional<Integer> port,
                                    Optional<Integer> minReplicas, Progress progress) throws InterruptedException {
        Group group = Group.require(session, groupName);
        // a master switch stopped mid-way (kill -9) leaves its write fence; scaling sets min-replicas-to-write on every
        // node, so it lifts the fence first where that is safe and refuses where it is not
        List<rsc.model.Finding> fences = WriteFence.liftWhereSafe(session, group);
        for (rsc.model.Finding f : fences) {
            if (f.severity() == rsc.result.Severity.ERROR) {
                throw new RscException(f.what() + ": " + f.fix());
            }
        }
        MasterLocator.Located master = MasterLocator.locate(session, groupName, group.nodes())
                .orElseThrow(() -> new RscException("cannot find the master of '" + groupName
                        + "': no sentinel names one and no running node says role:master ('status' shows the nodes)"));
        Node masterNode = master.node().orElseThrow(() -> new RscException("the master of '" + groupName + "' is at "
                + master.address() + ", which is not a node of this backend"));
        List<Node> replicas = group.redis().stream().filter(n -> !n.name().equals(masterNode.name())).toList();
        // one rule everywhere (README): a stopped or frozen replica is a member until scale removes it; a record an
        // interrupted start left behind with no process is settled away by the backend's listing, never counted
        List<Node> live = replicas;
        CommandResult.Builder out = CommandResult.builder();
        fences.forEach(f -> out.info(f.what()));
        if (count > live.size()) {
            List<Node> started = new ArrayList<>();
            try {
                for (int i = live.size(); i < count; i++) {
                    NodeSpec spec = NodeSpec.replica(groupName, master.address(), port,
                            NodeConfig.withMinReplicas(Math.min(count, minReplicas.orElse(NodeConfig.DEFAULT_MIN_REPLICAS))));
                    if (port.isPresent() && started.isEmpty()) {
                        spec = spec.withExactPort();
                    }
                    spec = spec.withPassword(session.passwords().of(groupName)).withPersistence(session.backend().persistence(groupName));
                    Node n = session.backend().start(spec, progress);
                    started.add(n);
                    progress.update("started " + n.name() + " at " + n.reach() + " (" + started.size() + "/"
                            + (count - live.size()) + ")");
                }
                List<Node> all = new ArrayList<>(replicas.stream().filter(n -> n.state().running()).toList());
                all.addAll(started);
                ReplicaLinks.await(session, all, master.address(), LINK_TIMEOUT, progress);
                for (Node n : started) {   // what 'config set' gave the group, from the master it follows
                    SettingsDrift.inherit(session, n, java.util.Optional.of(master.address()));
                }
                SentinelsListReplicas.await(session, groupName, group.runningSentinels(), all, progress);
            } catch (RuntimeException | InterruptedException e) {
                for (Node n : started) {
                    session.redis().forget(n.announced());
                    session.backend().remove(n);
                }
                if (e instanceof InterruptedException ie) {
                    throw ie;
                }
                throw (started.isEmpty() ? (RuntimeException) e : new RscException(
                        ((RuntimeException) e).getMessage() + " (removed the " + started.size() + " replica(s) this command started)", e));
            }
            out.ok(groupName + ": started " + started.size() + " replica(s); " + count + " replica(s) linked to "
                    + masterNode.name() + " (" + masterNode.reach() + ")"
                    + (group.runningSentinels().isEmpty() ? "" : "; every sentinel lists them"));
            Spread.report(out, started, Group.require(session, groupName).redis());
        } else if (count < replicas.size()) {
            List<Node> victims = replicas.stream()
                    .sorted(Comparator.comparing((Node n) -> n.state().running())
                            .thenComparing(Comparator.comparingInt(Node::index).reversed()))
                    .limit(replicas.size() - count).toList();
            for (Node n : victims) {
                progress.update("removing " + n.name());
                session.redis().forget(n.announced());
                session.backend().remove(n);
            }
            out.ok(groupName + ": removed " + String.join(", ", victims.stream().map(Node::name).toList())
                    + "; " + count + " replica(s) left");
            List<Node> sentinels = group.runningSentinels();
            if (!sentinels.isEmpty()) {
                SentinelReset.resetOneByOne(session, groupName, sentinels, progress);
                out.info("reset " + sentinels.size() + " sentinel(s) so they forget the removed replicas");
            }
        } else {
            List<Node> stopped = replicas.stream().filter(n -> !n.state().running()).toList();
            // a stopped node is still one of the group's replicas until removed: say so, and how to bring it back
            out.ok(groupName + ": already " + count + " replica(s)" + (stopped.isEmpty() ? "" : " ("
                    + String.join(", ", stopped.stream().map(n -> n.name() + " " + n.state().name().toLowerCase(java.util.Locale.ROOT)
                            + ": '" + (n.state() == rsc.model.NodeState.FROZEN ? "resume " : "start ") + n.name() + "'").toList())
                    + " brings it back)"));
        }
        applyMinReplicas(session, groupName, count, live.size(), minReplicas, out, progress);
        awaitGoodReplicas(session, master.address(), progress);
        return out.build();
    }

    /**
     * The value an interrupted scale meant to set: when the running data nodes disagree on {@code min-replicas-to-write}
     * (new replicas start with it in their config; the others get it last, by CONFIG SET), the highest of them.
     */
    private static Optional<Integer> unfinished(Session session, String group) {
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (Node n : session.backend().nodes(group).stream().filter(x -> x.isRedis() && x.state().running()).toList()) {
            try {
                seen.add(Integer.parseInt(session.redis().node(n.announced()).configGet("min-replicas-to-write").trim()));
            } catch (RuntimeException e) {
                return Optional.empty();   // a node that does not answer: leave the setting alone
            }
        }
        return seen.size() > 1 ? Optional.of(((java.util.TreeSet<Integer>) seen).last()) : Optional.empty();
    }

    /**
     * Returns once the master counts as many good replicas as its {@code min-replicas-to-write} asks (it recounts once
     * a second): a write right after {@code scale} returned was refused with NOREPLICAS while it had not yet.
     */
    private static void awaitGoodReplicas(Session session, rsc.model.Endpoint master, Progress progress)
            throws InterruptedException {
        var node = session.redis().node(master);
        int wanted;
        try {
            wanted = Integer.parseInt(node.configGet("min-replicas-to-write").trim());
        } catch (RuntimeException e) {
            return;   // not readable now: nothing to wait for that the next command would not see
        }
        if (wanted <= 0) {
            return;
        }
        Waiter.until(java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(100), progress, () -> {
            long good = node.replication().goodReplicas();
            return good < 0 || good >= wanted ? Optional.of(true) : Optional.empty();
        }, () -> "waiting for the master to count " + wanted + " good replica(s) (min-replicas-to-write)",
                last -> "the master does not count " + wanted + " good replica(s) 10 s after they linked: writes are refused "
                        + "(NOREPLICAS); see 'status'");
    }

    /**
     * Sets {@code min-replicas-to-write} on every data node: the default once a group has replicas, never more than
     * the replicas it has (a master would refuse every write), 0 when none are left.
     */
    private static void applyMinReplicas(Session session, String group, int count, int before, Optional<Integer> asked,
                                         CommandResult.Builder out, Progress progress) {
        Integer value;
        if (count == 0) {
            value = 0;
        } else if (asked.isPresent()) {
            value = asked.get();
        } else if (before == 0) {
            value = NodeConfig.DEFAULT_MIN_REPLICAS;
        } else {
            value = unfinished(session, group).orElse(null);
        }
        if (value == null) {
            return;
        }
        int effective = Math.min(value, count);
        for (Node n : session.backend().nodes(group).stream().filter(x -> x.isRedis() && x.state().running()).toList()) {
            progress.update("CONFIG SET min-replicas-to-write " + effective + " on " + n.name());
            var c = session.redis().node(n.announced());
            c.configSet("min-replicas-max-lag", Integer.toString(NodeConfig.MIN_REPLICAS_MAX_LAG));
            c.configSet("min-replicas-to-write", Integer.toString(effective));
        }
        if (effective == 0) {
            out.warn(group + ": min-replicas-to-write is 0: an isolated master keeps accepting writes that a failover "
                    + "would throw away");
        } else {
            out.info(group + ": min-replicas-to-write " + effective + ", min-replicas-max-lag "
                    + NodeConfig.MIN_REPLICAS_MAX_LAG + " s: a master cut off from its replicas stops taking writes");
        }
        if (value > count) {
            out.warn("min-replicas-to-write " + value + " is more than the " + count + " replica(s): using " + count);
        }
    }
}
