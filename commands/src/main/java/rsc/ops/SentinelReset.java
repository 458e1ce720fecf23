package rsc.ops;

import rsc.backend.Progress;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.redis.SentinelMaster;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code SENTINEL RESET} done the safe way: one sentinel at a time, each given time to find the master, its
 * replicas and its peers again before the next, so the group never loses its quorum.
 */
public final class SentinelReset {

    public static final Duration RELEARN_TIMEOUT = Duration.ofSeconds(30);

    private SentinelReset() {
    }

    /** {@code sentinel reset}'s plan, for {@code --dry-run}: the steps {@link #run} takes on each running sentinel. */
    public static CommandResult plan(Session session, String group) {
        Plan p = new Plan("sentinel reset " + group);
        planOneByOne(p, group, Group.require(session, group).requireRunningSentinels());
        return p.result();
    }

    /** {@code sentinel reset}: every running sentinel of the group, one at a time. */
    public static CommandResult run(Session session, String group, Progress progress) throws InterruptedException {
        List<Node> sentinels = Group.require(session, group).requireRunningSentinels();
        resetOneByOne(session, group, sentinels, progress);
        return CommandResult.ok("reset " + sentinels.size() + " sentinel(s) of " + group + ", one at a time; each relearned "
                + "the master, its replicas and its peers");
    }

    /** The steps {@link #resetOneByOne} takes, added to {@code plan}: each reset waits for agreement, then for relearning. */
    static void planOneByOne(Plan plan, String group, List<Node> sentinels) {
        for (Node s : sentinels) {
            plan.await("the sentinels agree on the master of " + group)
                    .redis(s.name(), "SENTINEL RESET " + group)
                    .await(s.name() + " sees its peers and the replicas again");
        }
    }

    public static void resetOneByOne(Session session, String group, List<Node> sentinels, Progress progress)
            throws InterruptedException {
        int replicas = (int) session.backend().nodes(group).stream().filter(n -> n.isRedis() && n.state().running()).count() - 1;
        for (int i = 0; i < sentinels.size(); i++) {
            Node s = sentinels.get(i);
            Endpoint master = SentinelAgreement.await(session, group, sentinels, RELEARN_TIMEOUT, progress);
            progress.update("SENTINEL RESET " + group + " on " + s.name() + " (" + (i + 1) + "/" + sentinels.size() + ")");
            session.redis().sentinel(s.announced()).reset(group);
            int others = sentinels.size() - 1;
            int expectReplicas = Math.max(0, replicas);
            Waiter.until(RELEARN_TIMEOUT, Duration.ofMillis(200), progress, () -> {
                Optional<SentinelMaster> m = session.redis().sentinel(s.announced()).master(group);
                return m.filter(x -> x.address().equals(master) && x.otherSentinels() >= others
                        && x.replicas() >= expectReplicas).map(x -> true);
            }, () -> s.name() + " relearning " + group + " after SENTINEL RESET",
                    last -> s.name() + " did not see its " + others + " peer(s) and " + expectReplicas
                            + " replica(s) again within " + RELEARN_TIMEOUT.toSeconds() + " s after SENTINEL RESET ("
                            + describe(session, s, group) + ")");
        }
    }

    private static String describe(Session session, Node s, String group) {
        try {
            return session.redis().sentinel(s.announced()).master(group)
                    .map(m -> "it sees master " + m.address() + ", " + m.otherSentinels() + " peer(s), " + m.replicas()
                            + " replica(s), flags " + String.join(",", m.flags()))
                    .orElse("it no longer monitors " + group);
        } catch (RuntimeException e) {
            return "it does not answer";
        }
    }
}
