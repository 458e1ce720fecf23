package rsc.ops;

import rsc.backend.Progress;
import rsc.model.Node;
import rsc.redis.SentinelPeer;
import rsc.session.Session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Waits until every running sentinel lists every replica ({@code SENTINEL REPLICAS}). A sentinel learns replicas
 * from the master's {@code INFO} every 10 s; a replica it does not list yet is left following the dead master by a
 * failover in that window, so {@code scale slaves} returns only after this holds.
 */
public final class SentinelsListReplicas {

    /** A sentinel asks the master's INFO every 10 s; three rounds are plenty. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SentinelsListReplicas() {
    }

    public static void await(Session session, String group, List<Node> sentinels, List<Node> replicas, Progress progress)
            throws InterruptedException {
        if (sentinels.isEmpty() || replicas.isEmpty()) {
            return;
        }
        Waiter.until(TIMEOUT, Duration.ofMillis(250), progress,
                () -> missing(session, group, sentinels, replicas).isEmpty() ? Optional.of(true) : Optional.empty(),
                () -> "waiting for the sentinels to list every replica: "
                        + (sentinels.size() - missing(session, group, sentinels, replicas).size()) + "/" + sentinels.size()
                        + " sentinel(s) do",
                last -> "the sentinels did not list every replica within " + TIMEOUT.toSeconds() + " s ("
                        + String.join("; ", missing(session, group, sentinels, replicas))
                        + "): a failover now would leave those replicas behind");
    }

    /** One line per sentinel that does not list every replica yet. */
    private static List<String> missing(Session session, String group, List<Node> sentinels, List<Node> replicas) {
        return sentinels.stream().map(s -> {
            try {
                List<SentinelPeer> listed = session.redis().sentinel(s.announced()).replicas(group);
                List<String> absent = replicas.stream().filter(r -> listed.stream()
                        .noneMatch(p -> ReplicaLinks.sameNode(session, p.address(), r.announced())))
                        .map(Node::name).toList();
                return absent.isEmpty() ? null : s.name() + " does not list " + String.join(", ", absent);
            } catch (RuntimeException e) {
                return s.name() + " does not answer";
            }
        }).filter(java.util.Objects::nonNull).toList();
    }
}
