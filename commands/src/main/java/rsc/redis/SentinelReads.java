package rsc.redis;

import rsc.model.Endpoint;

import java.util.List;
import java.util.Optional;

/** The read-only Sentinel commands rsc sends to one sentinel, answered as records. */
public interface SentinelReads {

    Endpoint endpoint();

    /** {@code SENTINEL GET-MASTER-ADDR-BY-NAME}: the master this sentinel names, empty when it does not monitor it. */
    Optional<Endpoint> masterAddress(String group);

    /** {@code SENTINEL MASTER}, empty when this sentinel does not monitor the group. */
    Optional<SentinelMaster> master(String group);

    /** {@code SENTINEL CKQUORUM}; a refusal is an answer ({@code ok} false), not a failure. */
    CkQuorum ckquorum(String group);

    /** {@code SENTINEL REPLICAS}. */
    List<SentinelPeer> replicas(String group);

    /** {@code INFO server}'s {@code redis_version}: the version of Redis this sentinel runs. */
    String version();

    /** {@code SENTINEL SENTINELS}: the other sentinels this one knows. */
    List<SentinelPeer> sentinels(String group);
}
