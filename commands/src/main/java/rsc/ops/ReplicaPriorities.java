package rsc.ops;

import rsc.backend.Progress;
import rsc.error.RscException;
import rsc.model.Node;
import rsc.redis.SentinelPeer;
import rsc.session.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code failover --to}: Sentinel has no such option, but it promotes the replica with the lowest non-zero
 * {@code replica-priority}. The chosen replica gets 1 (any other at 1 gets 2) for the switch; the sentinel to be
 * asked must show those priorities before anything else happens (it reads them from INFO, every 10 s), and they are
 * put back afterwards.
 */
final class ReplicaPriorities {

    /** One node's priority before and during the switch. */
    record Change(Node node, String before, String during) {
    }

    /** The priorities changed for one switch. */
    record Steered(Node target, List<Change> changes) {
        static Steered none() {
            return new Steered(null, List.of());
        }
    }

    private ReplicaPriorities() {
    }

    /** Makes {@code target} the replica Sentinel prefers over {@code others}. */
    static Steered steer(Session session, Node target, List<Node> others) {
        String own = session.redis().node(target.announced()).configGet("replica-priority");
        if ("0".equals(own)) {
            throw new RscException(target.name() + " has replica-priority 0 (never promote): set it first with 'redis --node "
                    + target.name() + " CONFIG SET replica-priority 100'");
        }
        List<Change> changes = new ArrayList<>();
        try {
            set(session, target, own, "1", changes);
            for (Node o : others) {
                String p = session.redis().node(o.announced()).configGet("replica-priority");
                if ("1".equals(p)) {
                    set(session, o, p, "2", changes);
                }
            }
        } catch (RuntimeException e) {
            restore(session, new Steered(target, changes));
            throw e;
        }
        return new Steered(target, changes);
    }

    private static void set(Session session, Node n, String before, String during, List<Change> changes) {
        if (!during.equals(before)) {
            session.redis().node(n.announced()).configSet("replica-priority", during);
            changes.add(new Change(n, before, during));
        }
    }

    /** Waits until {@code sentinel} lists every changed replica with its new priority. */
    static void awaitSeen(Session session, Node sentinel, String group, Steered steered, Duration timeout, Progress progress)
            throws InterruptedException {
        if (steered.changes().isEmpty()) {
            return;
        }
        Waiter.until(timeout, Duration.ofMillis(200), progress, () -> {
            List<SentinelPeer> seen = session.redis().sentinel(sentinel.announced()).replicas(group);
            for (Change c : steered.changes()) {
                Optional<SentinelPeer> p = seen.stream().filter(x -> ReplicaLinks.sameNode(session, x.address(), c.node().announced())).findFirst();
                if (p.isEmpty() || p.get().priority() != Long.parseLong(c.during())) {
                    return Optional.empty();
                }
            }
            return Optional.of(true);
        }, () -> "waiting for " + sentinel.name() + " to see replica-priority 1 on " + steered.target().name()
                + " (Sentinel reads it every 10 s)",
                last -> sentinel.name() + " did not see the new replica-priority of " + steered.target().name() + " within "
                        + timeout.toSeconds() + " s; no failover asked (priorities restored)");
    }

    /** Puts every changed priority back; says what it could not. */
    static List<String> restore(Session session, Steered steered) {
        List<String> failed = new ArrayList<>();
        for (Change c : steered.changes()) {
            try {
                session.redis().node(c.node().announced()).configSet("replica-priority", c.before());
            } catch (RuntimeException e) {
                failed.add(c.node().name() + " keeps replica-priority " + c.during() + " (did not answer; set it back to "
                        + c.before() + ")");
            }
        }
        return failed;
    }
}
