package rsc.ops;

import rsc.backend.Progress;
import rsc.model.Node;
import rsc.redis.FollowingWriter;
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

    private PlannedFailoverDrill() {
    }

    public static List<Row> run(Session session, String groupName, int count, int writesPerSecond, Duration timeout,
                                Progress progress) throws InterruptedException {
        Group group = Group.require(session, groupName);
        List<Node> sentinels = group.runningSentinels();
        long downAfter = sentinels.stream().map(s -> MasterSwitch.sentinelMaster(session, s, groupName)).flatMap(Optional::stream)
                .findFirst().map(m -> m.downAfterMs()).orElse(-1L);
        List<Row> rows = new ArrayList<>();
        for (boolean pause : new boolean[]{true, false}) {
            rows.add(one(session, group, sentinels, pause, count, writesPerSecond, timeout, downAfter, progress));
        }
        return rows;
    }

    private static Row one(Session session, Group group, List<Node> sentinels, boolean pause, int count, int rate,
                           Duration timeout, long downAfter, Progress progress) throws InterruptedException {
        String mode = pause ? "paused (default)" : "--no-pause";
        String prefix = "rsc:drill:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
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
            throw new rsc.command.RscException("cannot read the drill's writes back: " + e.getMessage(), e);
        }
        return new Row(mode, count, t.attempted(), t.acknowledged(), t.failed(), lost, t.longestWithoutAck(),
                longestPause, switchSeconds / Math.max(1, count), downAfter);
    }
}
