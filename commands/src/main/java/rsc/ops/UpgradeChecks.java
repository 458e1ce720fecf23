package rsc.ops;

import rsc.backend.Progress;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.redis.SentinelMaster;
import rsc.redis.SentinelPeer;
import rsc.session.Session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The waits and checks between the steps of an {@code upgrade}: a restarted replica linked, caught up and seen up by
 * every sentinel; a restarted sentinel seeing its peers and the master; and, before each step, CKQUORUM OK on every
 * sentinel and all of them naming one master.
 */
final class UpgradeChecks {

    static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private UpgradeChecks() {
    }

    /**
     * Every sentinel of the group running, CKQUORUM OK on each and all of them naming the same master, with no failover
     * in progress; waits up to 30 s for a switch still settling, then stops the upgrade saying why.
     */
    static Endpoint between(Session session, String group, Progress progress) throws InterruptedException {
        List<Node> sentinels = Group.require(session, group).sentinels();
        requireRunning(sentinels);
        Endpoint master = SentinelAgreement.await(session, group, sentinels, Duration.ofSeconds(30), progress);
        Waiter.until(Duration.ofSeconds(30), Duration.ofMillis(250), progress, () -> {
            for (Node s : sentinels) {
                if (!session.redis().sentinel(s.announced()).ckquorum(group).ok()) {
                    return Optional.empty();
                }
            }
            return Optional.of(true);
        }, () -> "waiting for CKQUORUM OK on all " + sentinels.size() + " sentinel(s) of " + group,
                last -> "CKQUORUM does not say OK on every sentinel of '" + group + "' (" + refusals(session, group, sentinels)
                        + "): the upgrade stops here");
        return master;
    }

    /** Stops the upgrade, saying which, when a sentinel of the group does not run. */
    private static void requireRunning(List<Node> sentinels) {
        List<Node> down = notRunning(sentinels);
        if (!down.isEmpty()) {
            throw stopsHere(down);
        }
    }

    private static List<Node> notRunning(List<Node> sentinels) {
        return sentinels.stream().filter(s -> !s.state().running()).toList();
    }

    private static rsc.error.RscException stopsHere(List<Node> down) {
        return new rsc.error.RscException(String.join(", ", down.stream().map(s -> s.name() + " is "
                + s.state().name().toLowerCase(java.util.Locale.ROOT)).toList()) + ": every sentinel must run and "
                + "agree between the steps, so the upgrade stops here");
    }

    private static String refusals(Session session, String group, List<Node> sentinels) {
        return String.join("; ", sentinels.stream().map(s -> {
            try {
                var q = session.redis().sentinel(s.announced()).ckquorum(group);
                return q.ok() ? null : s.name() + ": " + q.text();
            } catch (RuntimeException e) {
                return s.name() + " does not answer";
            }
        }).filter(java.util.Objects::nonNull).toList());
    }

    /** A restarted replica: its link up to {@code master}, its offset at the master's of now, every sentinel seeing it up. */
    static void replicaBack(Session session, String group, Node replica, Endpoint master, List<Node> sentinels,
                            Progress progress) throws InterruptedException {
        ReplicaLinks.await(session, List.of(replica), master, STEP_TIMEOUT, progress);
        long target = session.redis().node(master).replication().offset();
        Waiter.until(STEP_TIMEOUT, Duration.ofMillis(50), progress,
                () -> session.redis().node(replica.announced()).replication().offset() >= target ? Optional.of(true) : Optional.empty(),
                () -> replica.name() + " catching up to the master's offset " + target,
                last -> replica.name() + " did not catch up with the master within " + STEP_TIMEOUT.toSeconds() + " s (" + last + ")");
        // a sentinel that does not answer is looked up: one that stopped stops the upgrade at once (it would never see it)
        List<Node> stopped = Waiter.until(STEP_TIMEOUT, Duration.ofMillis(250), progress, () -> {
            for (Node s : sentinels) {
                List<SentinelPeer> listed;
                try {
                    listed = session.redis().sentinel(s.announced()).replicas(group);
                } catch (RuntimeException e) {
                    List<Node> down = notRunning(Group.require(session, group).sentinels());
                    if (!down.isEmpty()) {
                        return Optional.of(down);
                    }
                    throw e;
                }
                if (listed.stream().noneMatch(p -> ReplicaLinks.sameNode(session, p.address(), replica.announced()) && !p.down())) {
                    return Optional.empty();
                }
            }
            return Optional.of(List.<Node>of());
        }, () -> "waiting for every sentinel to see " + replica.name() + " up again",
                last -> "not every sentinel sees " + replica.name() + " up within " + STEP_TIMEOUT.toSeconds() + " s");
        if (!stopped.isEmpty()) {
            throw stopsHere(stopped);
        }
    }

    /** A restarted sentinel: it names the master again and sees all its peers. */
    static void sentinelBack(Session session, String group, Node sentinel, int peers, Endpoint master, Progress progress)
            throws InterruptedException {
        Waiter.until(STEP_TIMEOUT, Duration.ofMillis(200), progress, () -> {
            Optional<SentinelMaster> m = session.redis().sentinel(sentinel.announced()).master(group);
            return m.filter(x -> x.otherSentinels() >= peers && ReplicaLinks.sameNode(session, x.address(), master))
                    .map(x -> true);
        }, () -> sentinel.name() + ": waiting until it names the master and sees its " + peers + " peer(s) again",
                last -> sentinel.name() + " did not see its " + peers + " peer(s) and the master within "
                        + STEP_TIMEOUT.toSeconds() + " s: the upgrade stops here ('sentinel status' shows what it sees)");
    }

    /** The version a node answers with once it runs again (it may take a moment to listen). */
    static String versionOf(Session session, Node n) throws InterruptedException {
        return Waiter.until(Duration.ofSeconds(20), Duration.ofMillis(200), Progress.NONE,
                () -> Optional.of(n.isSentinel() ? session.redis().sentinel(n.announced()).version()
                        : session.redis().node(n.announced()).version()),
                () -> n.name() + " does not answer yet",
                last -> n.name() + " does not answer INFO server: " + last);
    }

    /** "7.0.15 on a, b; 6.2.11 on c" when the nodes run more than one version; empty when they run one. */
    static Optional<String> mixedVersions(java.util.Map<String, String> versions) {
        java.util.Map<String, java.util.TreeSet<String>> byVersion = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        versions.forEach((node, v) -> byVersion.computeIfAbsent(v, x -> new java.util.TreeSet<>()).add(node));
        if (byVersion.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(String.join("; ", byVersion.entrySet().stream()
                .map(e -> e.getKey() + " on " + String.join(", ", e.getValue())).toList()));
    }

    /** The version a node runs now, or "?" when it does not answer. */
    static String versionNow(Session session, Node n) {
        try {
            return n.isSentinel() ? session.redis().sentinel(n.announced()).version()
                    : session.redis().node(n.announced()).version();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
