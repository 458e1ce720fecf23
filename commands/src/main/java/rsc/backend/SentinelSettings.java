package rsc.backend;

/**
 * How a sentinel watches its group.
 *
 * @param quorum          sentinels that must agree the master is down
 * @param downAfterMs     {@code down-after-milliseconds}
 * @param failoverTimeout {@code failover-timeout} in ms
 */
public record SentinelSettings(int quorum, long downAfterMs, long failoverTimeout) {

    public static final long DEFAULT_DOWN_AFTER_MS = 5000;
    public static final long DEFAULT_FAILOVER_TIMEOUT_MS = 60000;
}
