package rsc.ops;

import rsc.error.RscException;
import rsc.model.Node;
import rsc.session.Session;

import java.util.Comparator;
import java.util.List;

/** Resolves what a drill names: {@code master}, {@code replica}, or a node's name. */
public final class Targets {

    private Targets() {
    }

    /**
     * What {@code resume} names: a node's name, or for {@code master}/{@code replica} the node of the group that is
     * frozen now (after a failover the master is another node, and thawing it would leave the frozen one frozen).
     * Backends that do not report frozen nodes resolve as {@link #resolve} does.
     */
    public static Node resolveFrozen(Session session, String group, String word) throws InterruptedException {
        if (!word.equals("master") && !word.equals("replica")) {
            return resolve(session, group, word);
        }
        List<Node> frozen = Group.require(session, group).redis().stream()
                .filter(n -> n.state() == rsc.model.NodeState.FROZEN).toList();
        if (frozen.size() == 1) {
            return frozen.get(0);
        }
        if (frozen.size() > 1) {
            throw new RscException("several nodes of '" + group + "' are frozen ("
                    + String.join(", ", frozen.stream().map(Node::name).toList()) + "): resume NODE names one");
        }
        return resolve(session, group, word);
    }

    public static Node resolve(Session session, String group, String word) throws InterruptedException {
        if (word.equals("master")) {
            Group g = Group.require(session, group);
            MasterLocator.Located m = MasterLocator.locate(session, group, g.nodes())
                    .orElseThrow(() -> new RscException("cannot find the master of '" + group + "'"));
            return m.node().orElseThrow(() -> new RscException("the master " + m.address() + " is not a node of this backend"));
        }
        if (word.equals("replica")) {
            Group g = Group.require(session, group);
            var master = MasterLocator.locate(session, group, g.nodes()).flatMap(MasterLocator.Located::node);
            List<Node> replicas = g.runningRedis().stream()
                    .filter(n -> master.map(m -> !m.name().equals(n.name())).orElse(true))
                    .sorted(Comparator.comparingInt(Node::index).reversed()).toList();
            if (replicas.isEmpty()) {
                throw new RscException("'" + group + "' has no running replica");
            }
            return replicas.get(0);
        }
        return session.backend().nodes(null).stream().filter(n -> n.name().equals(word)).findFirst()
                .orElseThrow(() -> new RscException("no node named '" + word + "': use master, replica or a name from 'status'"));
    }
}
