package rsc.redis;

import rsc.model.Endpoint;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The read-only questions ({@code status}, {@code sentinel status}, {@code doctor}, {@code sentinel ckquorum},
 * {@code expect}, and the waits on sentinels' agreement) ask, behind one seam: a session answers them
 * through its Lettuce connections ({@link RedisGateway}); a one-shot through plain sockets ({@link PlainReads}),
 * because bringing Lettuce and Netty up in a fresh JVM costs far more than the questions themselves.
 */
public interface Reads {

    /** How long either client waits for a connection. */
    Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long either client waits for a reply. */
    Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

    /** What a sentinel says; {@code announced} is mapped to a reachable address and given its group's password. */
    SentinelReads sentinel(Endpoint announced);

    /** What a data node says. */
    NodeReads node(Endpoint announced);

    /**
     * {@code SENTINEL MASTER} and {@code CKQUORUM} of one sentinel, and {@code REPLICAS} when asked, sent together so
     * they cost one round trip. Never blocks the caller (not even to connect), so a caller asks every sentinel of
     * every group first and then waits once; completes exceptionally only when the sentinel could not be asked.
     */
    CompletableFuture<SentinelReport> sentinelReport(Endpoint announced, String group, boolean withReplicas);
}
