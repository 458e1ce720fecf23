package rsc.redis;

import rsc.model.Endpoint;
import rsc.model.Secret;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A session's Redis: reads, admin commands and subscriptions on every node and sentinel, through connections it keeps
 * and closes. The session picks the client ({@link #lettuce}); operations see only this interface and the rsc types it
 * hands out, the way Lettuce hides its own implementations behind one interface per capability.
 */
public interface RedisGateway extends Reads, Subscriptions, AutoCloseable {

    /**
     * The Lettuce-backed gateway: one cached connection per node, connect and command timeouts on each.
     *
     * @param reachable the backend's mapping from announced to reachable addresses
     * @param passwords the password of the group a node belongs to (data nodes and sentinels share it); consulted
     *                  when a connection opens
     */
    static RedisGateway lettuce(Function<Endpoint, Endpoint> reachable, Function<Endpoint, Optional<Secret>> passwords) {
        return new LettuceGateway(reachable, passwords);
    }

    /** A node's commands through a cached connection (reopened when it has closed). */
    @Override
    RedisNodeClient node(Endpoint announced);

    /** A sentinel's commands through a cached connection. */
    @Override
    SentinelClient sentinel(Endpoint announced);

    /** Starts listening for {@code +switch-master} of {@code group} on each sentinel (the caller closes it). */
    default SwitchWatch watchSwitch(String group, List<Endpoint> sentinels) {
        return new SwitchWatch(group, sentinels, this);
    }

    /**
     * An application writer that follows the master through the sentinels, asking them again only when a write
     * fails; not started (the caller starts and stops it). {@code readTimeout} should outlast a write pause.
     */
    default FollowingWriter followingWriter(String group, List<Endpoint> sentinels, String keyPrefix,
                                            int writesPerSecond, Duration readTimeout) {
        return followingWriter(group, sentinels, keyPrefix, writesPerSecond, readTimeout, 0);
    }

    /** As above, each write followed by {@code WAIT waitReplicas 1000} and acknowledged only when confirmed. */
    FollowingWriter followingWriter(String group, List<Endpoint> sentinels, String keyPrefix, int writesPerSecond,
                                    Duration readTimeout, int waitReplicas);

    /**
     * Whether a fresh connection to this node or sentinel, authenticating with {@code password}, is let in: what a
     * client that connects now with it would see. Unreachable is a failure, not a no.
     */
    boolean accepts(Endpoint announced, Secret password);

    /** Closes and drops the cached connection to a node (after it was removed or misbehaved). */
    void forget(Endpoint announced);

    /** Closes and drops the cached connection to a sentinel. */
    void forgetSentinel(Endpoint announced);

    /** Closes every connection and the client's threads. */
    @Override
    void close();
}
