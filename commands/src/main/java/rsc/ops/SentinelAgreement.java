package rsc.ops;

import rsc.backend.Progress;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.redis.SentinelMaster;
import rsc.session.Session;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Waits until every running sentinel names the same master in {@code SENTINEL MASTER} and none is still failing over.
 * During a failover the other sentinels switch (and publish {@code +switch-master}) as soon as the leader's hello
 * names the promoted replica, while the leader's own {@code SENTINEL MASTER} keeps the old address with
 * {@code failover_in_progress} until it has reconfigured every replica (seconds: a replica that needs a full resync
 * waits out {@code repl-diskless-sync-delay}); {@code get-master-addr-by-name} already answers the new master then.
 * Resetting or counting on a sentinel in between acts on a stale view, and a reset of the leader aborts its failover.
 */
public final class SentinelAgreement {

    private SentinelAgreement() {
    }

    /** The master they all name, once they agree; fails after {@code timeout}. */
    public static Endpoint await(Session session, String group, List<Node> sentinels, Duration timeout, Progress progress)
            throws InterruptedException {
        return Waiter.until(timeout, Duration.ofMillis(100), progress, () -> agreed(session, group, sentinels),
                () -> "waiting for all " + sentinels.size() + " sentinel(s) to finish failing over and name the same master of " + group,
                last -> "the sentinels of '" + group + "' still disagree on the master after " + timeout.toSeconds()
                        + " s: see 'sentinel status'");
    }

    private static Optional<Endpoint> agreed(Session session, String group, List<Node> sentinels) {
        Set<Endpoint> named = new HashSet<>();
        for (Node s : sentinels) {
            Optional<SentinelMaster> m = session.reads().sentinel(s.announced()).master(group);
            if (m.isEmpty() || m.get().failoverInProgress()) {
                return Optional.empty();
            }
            named.add(m.get().address());
        }
        return named.size() == 1 ? Optional.of(named.iterator().next()) : Optional.empty();
    }

    /** Whether any sentinel still has a failover of the group in progress, all asked at once (unreachable: no). */
    static boolean anyFailingOver(Session session, String group, List<Node> sentinels) throws InterruptedException {
        return Fanout.ask(session.pool(), sentinels, s -> session.reads().sentinel(s.announced()).master(group)
                .map(SentinelMaster::failoverInProgress).orElse(false), 3000).stream().anyMatch(a -> a.ok() && a.value());
    }

    /** How many sentinels name {@code master} with no failover in progress now, all asked at once (no waiting). */
    static long agreeingWith(Session session, String group, List<Node> sentinels, Endpoint master)
            throws InterruptedException {
        return Fanout.ask(session.pool(), sentinels, s -> session.reads().sentinel(s.announced()).master(group), 1000)
                .stream().filter(a -> a.ok() && a.value().isPresent() && !a.value().get().failoverInProgress()
                        && ReplicaLinks.sameNode(session, a.value().get().address(), master)).count();
    }
}
