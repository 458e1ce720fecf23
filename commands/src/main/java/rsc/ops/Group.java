package rsc.ops;

import rsc.error.RscException;
import rsc.model.Node;
import rsc.session.Session;

import java.util.List;

/**
 * A group's nodes as the backend lists them now, with the lookups every operation needs.
 *
 * @param name  the group (Sentinel master name)
 * @param nodes its nodes, Redis and Sentinel
 */
public record Group(String name, List<Node> nodes) {

    public Group {
        nodes = List.copyOf(nodes);
    }

    /**
     * The group's nodes; a one-line error when the backend knows no such group. The session learns whose nodes these
     * are, so reaching them needs no second listing of every group to find their password.
     */
    public static Group require(Session session, String name) {
        List<Node> nodes = session.backend().nodes(name);
        nodes.forEach(n -> session.passwords().remember(n.announced(), name));
        if (nodes.isEmpty()) {
            var lost = session.backend().capability(rsc.backend.Machines.class).flatMap(rsc.backend.Machines::controlLost);
            if (lost.isPresent()) {
                throw new RscException(lost.get() + " (and no node of '" + name + "' runs on this machine)");
            }
            List<String> known = session.backend().groups();
            throw new RscException("unknown group '" + name + "'" + (known.isEmpty()
                    ? ": there are no groups yet ('create-master " + name + "' starts one)"
                    : ": known groups are " + String.join(", ", known)));
        }
        return new Group(name, nodes);
    }

    public List<Node> redis() {
        return nodes.stream().filter(Node::isRedis).toList();
    }

    public List<Node> sentinels() {
        return nodes.stream().filter(Node::isSentinel).toList();
    }

    public List<Node> runningSentinels() {
        return sentinels().stream().filter(n -> n.state().running()).toList();
    }

    /** The running sentinels; a one-line error when none runs. */
    public List<Node> requireRunningSentinels() {
        List<Node> running = runningSentinels();
        if (running.isEmpty()) {
            throw new RscException("'" + name + "' has no running sentinels ('scale sentinels 3')");
        }
        return running;
    }

    public List<Node> runningRedis() {
        return redis().stream().filter(n -> n.state().running()).toList();
    }
}
