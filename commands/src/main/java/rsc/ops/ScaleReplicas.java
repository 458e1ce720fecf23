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
        Group group = Group.require(session, groupName);
        MasterLocator.Located master = MasterLocator.locate(session, groupName, group.nodes())
                .orElseThrow(() -> new RscException("cannot find the master of '" + groupName
                        + "': no sentinel names one and no running node says role:master ('status' shows the nodes)"));
        Node masterNode = master.node().orElseThrow(() -> new RscException("the master of '" + groupName + "' is at "
                + master.address() + ", which is not a node of this backend"));
        List<Node> replicas = group.redis().stream().filter(n -> !n.name().equals(masterNode.name())).toList();
        CommandResult.Builder out = CommandResult.builder();
        if (count > replicas.size()) {
            List<Node> started = new ArrayList<>();
            try {
                for (int i = replicas.size(); i < count; i++) {
                    NodeSpec spec = NodeSpec.replica(groupName, master.address(), port, NodeConfig.redisDefaults());
                    if (port.isPresent() && started.isEmpty()) {
                        spec = spec.withExactPort();
                    }
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
        return out.build();
    }
}
