package rsc.ops;

import rsc.backend.Progress;
import rsc.model.Endpoint;
import rsc.redis.RedisNodeClient;
import rsc.redis.Replication;
import rsc.session.Session;

import java.time.Duration;

/**
 * Before a planned failover: lets every running replica finish its sync and acknowledge the master's last write.
 * Sentinel ranks replicas by the offsets of its last INFO poll (up to 10 s old) and will promote one whose link is
 * still coming up, so a write acknowledged just before the failover could otherwise be missing on the new master.
 */
final class ReplicaCatchUp {

    /** What the master said before the switch. */
    record Result(int online, int expected, long acknowledged, boolean complete) {
        String describe() {
            if (expected == 0) {
                return "no replica to catch up";
            }
            return complete
                    ? "all " + expected + " replica(s) had the master's last write before the switch"
                    : acknowledged + " of " + expected + " replica(s) acknowledged the master's last write before the switch"
                    + " (" + online + " online): writes made just before it may be missing on the new master";
        }
    }

    private ReplicaCatchUp() {
    }

    /**
     * @param expected how many replicas run (the master should list as many online)
     * @param budget   how long to wait in all; the healthy case returns at once
     */
    static Result await(Session session, Endpoint master, int expected, Duration budget, Progress progress)
            throws InterruptedException {
        if (expected <= 0) {
            return new Result(0, 0, 0, true);
        }
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        RedisNodeClient client;
        try {
            client = session.redis().node(master);
        } catch (RuntimeException e) {
            return new Result(0, expected, 0, false);
        }
        int online = 0;
        while (true) {
            try {
                Replication r = client.replication();
                online = (int) r.replicas().stream().filter(l -> "online".equals(l.state())).count();
            } catch (RuntimeException e) {
                return new Result(online, expected, 0, false); // the master does not answer: nothing to wait for
            }
            if (online >= expected || System.nanoTime() > deadline) {
                break;
            }
            progress.update("waiting for " + (expected - online) + " replica(s) to finish their sync before the failover ("
                    + Waiter.since(start) + ")");
            Thread.sleep(100);
        }
        long left = Math.max(100, Math.min(2_000, (deadline - System.nanoTime()) / 1_000_000));
        long acked;
        try {
            acked = client.waitReplicas(Math.max(online, 1), left);
        } catch (RuntimeException e) {
            acked = 0;
        }
        return new Result(online, expected, acked, online >= expected && acked >= expected);
    }
}
