package rsc.ops;

import rsc.backend.Progress;
import rsc.backend.Restarting;
import rsc.error.RscException;
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
        // a value 'config set' or 'sentinel set' changed while it was stopped: copied from its master or its peers
        List<String> copied = SettingsDrift.inherit(session, back, master);
        return CommandResult.ok("started " + back.name() + " again at " + back.reach()
                + master.map(m -> ", a replica of the master " + m + " (linked)").orElse(back.isSentinel() ? ""
                        : " as the master of " + back.group() + ", with the data its files hold (no other data node runs)")
                + (copied.isEmpty() ? "" : "; copied " + String.join(", ", copied) + " from "
                + (back.isSentinel() ? "its peers" : "the master")));
    }

    public static CommandResult plan(Session session, String name) throws InterruptedException {
        Restarting backend = capable(session);
        Node node = stopped(session, name);
        Optional<Endpoint> master = masterToFollow(session, node);
        Plan p = new Plan("start " + node.name());
        backend.planRestart(node, master).forEach(step -> p.backend(session.placingBackend().name(), List.of(step)));
        master.ifPresent(m -> p.await(node.name() + " reports master_link_status:up to " + m));
        p.note(node.name() + " then copies the settings that differ from " + (node.isSentinel()
                ? "its peers' (SENTINEL SET)" : "the master's (CONFIG SET, CONFIG REWRITE)"));
        if (master.isEmpty() && node.isRedis()) {
            p.note(node.name() + " comes back as the master, with the data its files hold: no other data node of "
                    + node.group() + " runs");
        }
        return p.result();
    }

    private static Restarting capable(Session session) {
        return session.backend().capability(Restarting.class).orElseThrow(() -> new RscException(
                "'start' is for the local backend; on " + session.placingBackend().name()
                        + " the orchestrator restarts a stopped node by itself (restart condition any): 'ps NODE' shows "
                        + "what it is doing with it"));
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

    /**
     * The master a data node must follow, from the sentinels (or the one node saying role:master); none for a sentinel,
     * and none for the one data node of a persisting group that comes back as its master (see {@link #mayLead}).
     */
    private static Optional<Endpoint> masterToFollow(Session session, Node node) throws InterruptedException {
        if (node.isSentinel()) {
            return Optional.empty();
        }
        Group group = Group.require(session, node.group());
        Optional<MasterLocator.Located> located = MasterLocator.locate(session, node.group(), group.nodes());
        boolean named = located.flatMap(MasterLocator.Located::node).map(n -> n.name().equals(node.name())).orElse(false);
        if (located.isPresent() && !named) {
            return Optional.of(located.get().address());
        }
        if (mayLead(session, group, node)) {
            return Optional.empty();
        }
        if (located.isEmpty()) {
            throw new RscException("no master of '" + node.group() + "' is known: started now, " + node.name()
                    + " would come back " + (persists(session, node) ? "as a master beside a running data node that may hold newer data"
                    : "empty and alone") + "; bring the master back first");
        }
        throw new RscException("the sentinels still name " + node.name() + " the master of '" + node.group()
                + "': started now it would come back as master " + (persists(session, node)
                ? "with only what its files hold, and its replicas would copy that over writes they acknowledged"
                : "empty, and its replicas would copy the empty data set") + "; wait for the failover ('wait switch-master')");
    }

    /**
     * A data node of a group that persists may come back as master, with what its files hold, when no other data
     * node of the group runs (a whole-group outage): no replica can then throw its data away for the node's, and the
     * ones started after it follow it.
     */
    private static boolean mayLead(Session session, Group group, Node node) {
        return persists(session, node) && group.redis().stream()
                .noneMatch(n -> !n.name().equals(node.name()) && n.state() != NodeState.STOPPED);
    }

    private static boolean persists(Session session, Node node) {
        return session.placingBackend().persistence(node.group()).persists();
    }
}
