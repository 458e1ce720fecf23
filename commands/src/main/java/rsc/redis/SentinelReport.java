package rsc.redis;

import java.util.List;
import java.util.Optional;

/**
 * What one sentinel says about a group in one round trip ({@link SentinelReads#report}).
 *
 * @param master   {@code SENTINEL MASTER}; empty when the sentinel does not monitor the group
 * @param ckquorum {@code SENTINEL CKQUORUM}; empty when the group is not monitored
 * @param replicas {@code SENTINEL REPLICAS}; empty when not asked for, or when the sentinel did not give them
 */
public record SentinelReport(Optional<SentinelMaster> master, Optional<CkQuorum> ckquorum,
                             Optional<List<SentinelPeer>> replicas) {

    static final SentinelReport NOT_MONITORED = new SentinelReport(Optional.empty(), Optional.empty(), Optional.empty());
}
