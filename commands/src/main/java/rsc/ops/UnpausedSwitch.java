package rsc.ops;

import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.redis.FailoverReply;
import rsc.redis.RedisNodeClient;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code failover --no-pause}, the switch of before issue 14: {@code WAIT} for the replicas, ask, and convert the old
 * master after {@code +switch-master}. What the old master acknowledges in between is lost, and the result says so;
 * kept apart from {@link SwitchSteps}' paused switch, which is the default.
 */
final class UnpausedSwitch {

    private UnpausedSwitch() {
    }

    /** Today's failover before issue 14: WAIT for the replicas, ask, and convert the old master after the switch. */
    static SwitchSteps.Moved run(MasterSwitch.Context cx, Duration timeout) throws InterruptedException {
        ReplicaCatchUp.Result caughtUp = ReplicaCatchUp.await(cx.session(), cx.oldMaster().address(), cx.replicas().size(),
                timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10), cx.progress());
        // right after a failover a sentinel lists the replicas afresh and promotes none until it has read its INFO:
        // it may answer NOGOODSLAVE while a replica is linked. Ask again while one is.
        long noGoodUntil = System.nanoTime() + Math.min(timeout.toNanos(), Duration.ofSeconds(15).toNanos());
        long askedNanos;
        while (true) {
            askedNanos = System.nanoTime();
            FailoverReply r = cx.session().redis().sentinel(cx.asked().announced()).failover(cx.name());
            if (r.kind() == FailoverReply.Kind.ACCEPTED || r.kind() == FailoverReply.Kind.IN_PROGRESS) {
                break;
            }
            if (r.kind() == FailoverReply.Kind.REFUSED) {
                throw new RscException(cx.asked().name() + " refused SENTINEL FAILOVER " + cx.name() + ": " + r.text());
            }
            if (System.nanoTime() > noGoodUntil || cx.replicas().stream().noneMatch(n -> SwitchSteps.linked(cx, n))) {
                throw new RscException("no replica of '" + cx.name() + "' can be promoted (none is linked and "
                        + "healthy as the sentinels see it): 'scale slaves 1' or check 'sentinel status'");
            }
            cx.progress().update("a replica is linked, but the sentinels have not refreshed it yet: asking again");
            Thread.sleep(500);
        }
        return new SwitchSteps.Moved(0, Optional.empty(), askedNanos, List.of("asked " + cx.asked().name() + "; " + caughtUp.describe(),
                "writes were not paused (--no-pause): what " + cx.oldName() + " acknowledged between SENTINEL FAILOVER "
                        + "and its conversion is lost"));
    }

    /**
     * Sentinel turns the old master into a replica only at its next poll of it (up to 10 s), and until then two
     * nodes say role:master. The sentinels already agree on the new master, so rsc sends the same REPLICAOF now.
     */
    static String convertAfterSwitch(MasterSwitch.Context cx, Endpoint newMaster) {
        try {
            RedisNodeClient c = MasterSwitch.node(cx, cx.oldMaster().address());
            if (!c.replication().isMaster()) {
                return "the old master " + cx.oldName() + " already follows the new one";
            }
            c.replicaOf(newMaster);
            return "the old master " + cx.oldName() + " now follows the new one (REPLICAOF " + newMaster + ")";
        } catch (RuntimeException e) {
            return "the old master " + cx.oldName() + " did not answer; Sentinel reconfigures it as a replica when it is back";
        }
    }
}
