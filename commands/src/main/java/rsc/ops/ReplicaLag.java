package rsc.ops;

import rsc.model.Endpoint;
import rsc.redis.Replication;
import rsc.session.Session;

/**
 * A replica's lag in bytes, computed one way wherever rsc shows it ({@code status}, {@code sentinel status},
 * {@code doctor}): the master's {@code master_repl_offset} minus the offset the replica last acknowledged to it, both
 * from one {@code INFO replication} of the master (the replica acknowledges every second). Offsets a sentinel lists
 * are refreshed only every 10 s, so on an idle group they showed a lag of over a kilobyte of the sentinels' own
 * hello messages.
 */
public final class ReplicaLag {

    private ReplicaLag() {
    }

    /** Bytes behind, or null when the master does not list the replica as connected. */
    public static Long bytes(Session session, Replication master, Endpoint replica) {
        if (master == null || !master.isMaster() || master.offset() < 0) {
            return null;
        }
        return master.replicas().stream()
                .filter(l -> l.offset() >= 0 && ReplicaLinks.sameNode(session, l.address(), replica))
                .findFirst().map(l -> Math.max(0, master.offset() - l.offset())).orElse(null);
    }
}
