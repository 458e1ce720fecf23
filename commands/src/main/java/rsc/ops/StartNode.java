package rsc.ops;

import rsc.backend.Progress;
import rsc.backend.Restarting;
import rsc.command.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.NodeState;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code start NODE}: a stopped node (killed, crashed) back under its name and port. A data node asks the sentinels
 * who the master is first and starts as its replica: started as it was, an old master without persistence would
 * come back empty and be taken for the master. While the sentinels still name the node itself, it is refused.
 */
public final class StartNode {

    private StartNode() {
    }

    public static CommandResult run(Session session, String name, Progress progress) throws InterruptedException {
        Restarting backend = capable(session);
        Node node = stopped(session, name);
        Optional<Endpoint> master = masterToFollow(session, node);
        Node back = backend.restart(node, master, progress);
        session.redis().forget(back.announced());
        session.redis().forgetSentinel(back.announced());
        if (master.isPresent()) {
            ReplicaLinks.await(session, List.of(back), master.get(), Duration.ofSeconds(60), progress);
        }
        return CommandResult.ok("started " + back.name() + " again at " + back.reach()
                + master.map(m -> ", a replica of the master " + m + " (linked)").orElse(""));
    }

    public static CommandResult plan(Session session, String name) throws InterruptedException {
        Restarting backend = capable(session);
        Node node = stopped(session, name);
        Optional<Endpoint> master = masterToFollow(session, node);
        Plan p = new Plan("start " + node.name());
        backend.planRestart(node, master).forEach(step -> p.backend(session.placingBackend().name(), List.of(step)));
        master.ifPresent(m -> p.await(node.name() + " reports master_link_status:up to " + m));
        return p.result();
    }

    private static Restarting capable(Session session) {
        if (session.placingBackend() instanceof Restarting r) {
            return r;
        }
        throw new RscException("'start' is for the local backend; on " + session.placingBackend().name()
                + " the orchestrator restarts what stopped");
    }

    private static Node stopped(Session session, String name) {
        Node node = session.backend().nodes(null).stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new RscException("no node named '" + name + "' ('status' lists them)"));
        if (node.state() == NodeState.FROZEN) {
            throw new RscException(name + " is frozen, not stopped: 'resume " + name + "' thaws it");
        }
        if (node.state().running()) {
            throw new RscException(name + " is already running");
        }
        return node;
    }

    /** The master a data node must follow, from the sentinels (or the one node saying role:master); none for a sentinel. */
    private static Optional<Endpoint> masterToFollow(Session session, Node node) throws InterruptedException {
        if (node.isSentinel()) {
            return Optional.empty();
        }
        Group group = Group.require(session, node.group());
        MasterLocator.Located m = MasterLocator.locate(session, node.group(), group.nodes())
                .orElseThrow(() -> new RscException("no master of '" + node.group() + "' is known: started now, "
                        + node.name() + " would come back empty and alone; bring the master back first"));
        if (m.node().map(n -> n.name().equals(node.name())).orElse(false)) {
            throw new RscException("the sentinels still name " + node.name() + " the master of '" + node.group()
                    + "': started now it would come back empty as master; wait for the failover ('wait switch-master')");
        }
        return Optional.of(m.address());
    }
}
