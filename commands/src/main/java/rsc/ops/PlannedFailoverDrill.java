package rsc.ops;

import rsc.backend.Progress;
import rsc.model.Node;
import rsc.redis.FollowingWriter;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code drill failover --planned}: what a planned failover costs an application, paused and {@code --no-pause} side by
 * side in one run. For each way, an application writes at a steady rate without {@code WAIT}, asking the sentinels
 * for the master only when a write fails (as Lettuce and Jedis do), while {@code count} failovers run one after the
 * other; afterwards every acknowledged key is read back from the master.
 */
public final class PlannedFailoverDrill {

    /**
     * One way of failing over, measured.
     *
     * @param longestWithoutAck the application's longest time between two acknowledged writes
     * @param longestPauseMs    the longest pause a failover reported (0 with --no-pause)
     * @param meanSwitchSeconds mean time from asking to +switch-master
     */
    public record Row(String mode, int failovers, int attempted, int acknowledged, int failed, int lost,
                      Duration longestWithoutAck, long longestPauseMs, double meanSwitchSeconds, long downAfterMs) {
    }

    /** How many failovers each way, at what write rate, each awaited at most {@code timeout}. */
    public record Request(int count, int writesPerSecond, Duration timeout) {
    }

    /** Paused first, then {@code --no-pause}: the order {@link #run} measures them in and {@link #plan} lists them. */
    private static final boolean[] WAYS = {true, false};

    private PlannedFailoverDrill() {
    }

    /** What {@link #run} would do, for {@code --dry-run}: one writer, its failovers and its read-back per way. */
    public static CommandResult plan(Session session, String groupName, Request request) {
        sentinels(Group.require(session, groupName));
        Plan p = new Plan("drill failover --planned " + groupName);
        for (boolean pause : WAYS) {
            p.redis("the master (asked of the sentinels again after a failed write)",
                            "SET " + FailoverDrill.PREFIX + "<id>:<n> <n>, " + request.writesPerSecond() + " per second")
                    .redis("rsc", request.count() + " x failover" + (pause ? " (paused)" : " --no-pause")
                            + ", each followed by wait agreement")
                    .redis("the master", "MGET every acknowledged key; DEL them");
        }
        return p.result();
    }

    private static List<Node> sentinels(Group group) {
        List<Node> sentinels = group.runningSentinels();
        if (sentinels.isEmpty()) {
            throw new rsc.error.RscException("'" + group.name() + "' has no running sentinels: a failover drill needs them");
        }
        return sentinels;
    }

    public static List<Row> run(Session session, String groupName, Request request, Progress progress)
            throws InterruptedException {
        Group group = Group.require(session, groupName);
        List<Node> sentinels = sentinels(group);
        long downAfter = sentinels.stream().map(s -> MasterSwitch.sentinelMaster(session, s, groupName)).flatMap(Optional::stream)
                .findFirst().map(m -> m.downAfterMs()).orElse(-1L);
        List<Row> rows = new ArrayList<>();
        for (boolean pause : WAYS) {
            rows.add(one(session, group, sentinels, pause, request.count(), request.writesPerSecond(), request.timeout(),
                    downAfter, progress));
        }
        return rows;
    }

    private static Row one(Session session, Group group, List<Node> sentinels, boolean pause, int count, int rate,
                           Duration timeout, long downAfter, Progress progress) throws InterruptedException {
        String mode = pause ? "paused (default)" : "--no-pause";
        String prefix = FailoverDrill.PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
        FollowingWriter writer = session.redis().followingWriter(group.name(),
                sentinels.stream().map(Node::announced).toList(), prefix, rate, Duration.ofSeconds(3)).start();
        long longestPause = 0;
        double switchSeconds = 0;
        List<FollowingWriter.Write> done;
        try {
            Thread.sleep(1000);
            for (int i = 1; i <= count; i++) {
                progress.update(mode + ": failover " + i + "/" + count + ", " + writer.acknowledged() + " writes acknowledged");
                MasterSwitch.Outcome o = MasterSwitch.run(session, group.name(),
                        new MasterSwitch.Request(Optional.empty(), pause, timeout, false), progress);
                longestPause = Math.max(longestPause, o.heldMs());
                switchSeconds += o.seconds();
                SentinelAgreement.await(session, group.name(), sentinels, timeout, progress);
                Thread.sleep(1000);
            }
        } finally {
            done = writer.stop();
        }
        FollowingWriter.Tally t = FollowingWriter.tally(done);
        progress.update(mode + ": reading back " + t.acknowledged() + " acknowledged writes");
        int lost;
        try {
            lost = writer.lost(done, false);
        } catch (IOException e) {
            throw new rsc.error.RscException("cannot read the drill's writes back: " + e.getMessage(), e);
        }
        return new Row(mode, count, t.attempted(), t.acknowledged(), t.failed(), lost, t.longestWithoutAck(),
                longestPause, switchSeconds / Math.max(1, count), downAfter);
    }
}
