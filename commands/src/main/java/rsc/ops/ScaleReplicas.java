package rsc.ops;

import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.command.RscException;
import rsc.model.Node;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Grows or shrinks a group's replicas. Growing returns only once every replica's link is up; shrinking never
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
        Plan p = new Plan("scale slaves " + count + " --group " + groupName);
        String b = session.backend().name();
        for (int i = replicas.size(); i < count; i++) {
            p.backend(b, session.backend().planStart(NodeSpec.replica(groupName, master.address(), port,
                    NodeConfig.withMinReplicas(Math.min(count, minReplicas.orElse(NodeConfig.DEFAULT_MIN_REPLICAS)))),
                    i - replicas.size()));
        }
        if (count > replicas.size()) {
            p.await("every replica reports master_link_status:up to " + master.address() + " (INFO replication, every 100 ms)");
        }
        List<Node> victims = replicas.stream().sorted(Comparator.comparing((Node n) -> n.state().running())
                .thenComparing(Comparator.comparingInt(Node::index).reversed())).limit(Math.max(0, replicas.size() - count)).toList();
        for (Node v : victims) {
            p.backend(b, session.backend().planRemove(v));
        }
        if (!victims.isEmpty()) {
            for (Node s : group.runningSentinels()) {
                p.redis(s.name(), "SENTINEL RESET " + groupName);
                p.await(s.name() + " sees its peers and the replicas again");
            }
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
        CommandResult.Builder out = CommandResult.builder();
        fences.forEach(f -> out.info(f.what()));
        if (count > replicas.size()) {
            List<Node> started = new ArrayList<>();
            try {
                for (int i = replicas.size(); i < count; i++) {
                    NodeSpec spec = NodeSpec.replica(groupName, master.address(), port,
                            NodeConfig.withMinReplicas(Math.min(count, minReplicas.orElse(NodeConfig.DEFAULT_MIN_REPLICAS))));
                    if (port.isPresent() && started.isEmpty()) {
                        spec = spec.withExactPort();
                    }
                    spec = spec.withPassword(session.password(groupName));
                    Node n = session.backend().start(spec, progress);
                    started.add(n);
                    progress.update("started " + n.name() + " at " + n.reach() + " (" + started.size() + "/"
                            + (count - replicas.size()) + ")");
                }
                List<Node> all = new ArrayList<>(replicas.stream().filter(n -> n.state().running()).toList());
                all.addAll(started);
                ReplicaLinks.await(session, all, master.address(), LINK_TIMEOUT, progress);
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
                    + masterNode.name() + " (" + masterNode.reach() + ")");
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
            out.ok(groupName + ": already " + count + " replica(s)");
        }
        applyMinReplicas(session, groupName, count, replicas.size(), minReplicas, out, progress);
        return out.build();
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
            value = null;
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
