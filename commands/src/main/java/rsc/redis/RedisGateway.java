package rsc.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.DnsResolver;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import rsc.model.Endpoint;
import rsc.model.Secret;

import java.util.Optional;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Owns the Lettuce client and one cached connection per node. Every address goes through the backend's
 * mapping (a sentinel on Swarm reports overlay names; the console reaches published ports), and every
 * connection has connect and command timeouts, so nothing waits forever.
 */
public final class RedisGateway implements Reads, AutoCloseable {

    static {
        // Lettuce records a JFR event per connect/command when JFR is present, loading jdk.jfr at start-up for events
        // nobody reads. -Dio.lettuce.core.jfr=true turns them back on.
        if (System.getProperty("io.lettuce.core.jfr") == null) {
            System.setProperty("io.lettuce.core.jfr", "false");
        }
    }

    private final ClientResources resources;
    private final RedisClient client;
    private final Function<Endpoint, Optional<Secret>> passwords;
    private final Function<Endpoint, Endpoint> reachable;
    private final Map<Endpoint, StatefulRedisConnection<String, String>> redis = new ConcurrentHashMap<>();
    private final Map<Endpoint, StatefulRedisSentinelConnection<String, String>> sentinels = new ConcurrentHashMap<>();

    public RedisGateway(Function<Endpoint, Endpoint> reachable) {
        this(reachable, e -> Optional.empty());
    }

    /**
     * @param passwords the password of the group a node belongs to (data nodes and sentinels share it); consulted
     *                  when a connection opens
     */
    public RedisGateway(Function<Endpoint, Endpoint> reachable, Function<Endpoint, Optional<Secret>> passwords) {
        this.passwords = passwords;
        this.reachable = reachable;
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .socketAddressResolver(MappingSocketAddressResolver.create(DnsResolver.jvmDefault(), hp -> {
                    Endpoint mapped = reachable.apply(new Endpoint(hp.getHostText(), hp.getPort()));
                    return HostAndPort.of(mapped.host(), mapped.port());
                }))
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
    }

    private RedisURI uri(Endpoint e) {
        RedisURI.Builder b = RedisURI.builder().withHost(e.host()).withPort(e.port()).withTimeout(COMMAND_TIMEOUT);
        passwords.apply(e).ifPresent(pw -> b.withPassword(pw.chars()));
        return b.build();
    }

    /** A node's commands through a cached connection (reopened when it has closed). */
    @Override
    public RedisNodeClient node(Endpoint announced) {
        StatefulRedisConnection<String, String> c = redis.compute(announced, (k, old) -> {
            if (old != null && old.isOpen()) {
                return old;
            }
            if (old != null) {
                old.closeAsync();
            }
            return client.connect(StringCodec.UTF8, uri(k));
        });
        return new RedisNodeClient(announced, c, () -> forget(announced));
    }

    /** A sentinel's commands through a cached connection. */
    @Override
    public SentinelClient sentinel(Endpoint announced) {
        StatefulRedisSentinelConnection<String, String> c = sentinels.compute(announced, (k, old) -> {
            if (old != null && old.isOpen()) {
                return old;
            }
            if (old != null) {
                old.closeAsync();
            }
            return client.connectSentinel(StringCodec.UTF8, uri(k));
        });
        return new SentinelClient(announced, c, () -> forgetSentinel(announced));
    }

    @Override
    public CompletableFuture<SentinelReport> sentinelReport(Endpoint announced, String group, boolean withReplicas) {
        return sentinelAsync(announced).thenCompose(c -> c.report(group, withReplicas));
    }

    /** A sentinel's client without blocking: its cached connection, else one opened asynchronously and then cached. */
    private CompletableFuture<SentinelClient> sentinelAsync(Endpoint announced) {
        StatefulRedisSentinelConnection<String, String> cached = sentinels.get(announced);
        if (cached != null && cached.isOpen()) {
            return CompletableFuture.completedFuture(new SentinelClient(announced, cached, () -> forgetSentinel(announced)));
        }
        CompletableFuture<StatefulRedisSentinelConnection<String, String>> connecting;
        try {
            connecting = client.connectSentinelAsync(StringCodec.UTF8, uri(announced));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return connecting.thenApply(c -> {
            StatefulRedisSentinelConnection<String, String> kept = sentinels.compute(announced, (k, old) -> {
                if (old != null && old.isOpen()) {
                    return old;
                }
                if (old != null) {
                    old.closeAsync();
                }
                return c;
            });
            if (kept != c) {
                c.closeAsync();     // another caller connected first
            }
            return new SentinelClient(announced, kept, () -> forgetSentinel(announced));
        });
    }

    /**
     * Subscribes on a fresh pub/sub connection to a channel, or (pattern) to channels matching it, handing each
     * message's channel and text to the listener; the caller closes the subscription.
     */
    public Subscription subscribe(Endpoint announced, boolean pattern, String name,
                                  java.util.function.BiConsumer<String, String> listener) {
        StatefulRedisPubSubConnection<String, String> c = client.connectPubSub(StringCodec.UTF8, uri(announced));
        try {
            c.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    listener.accept(channel, message);
                }

                @Override
                public void message(String p, String channel, String message) {
                    listener.accept(channel, message);
                }
            });
            if (pattern) {
                c.sync().psubscribe(name);
            } else {
                c.sync().subscribe(name);
            }
            return new Subscription(c);
        } catch (RuntimeException e) {
            c.closeAsync();
            throw e;
        }
    }

    /** A fresh pub/sub connection (the caller closes it). */
    StatefulRedisPubSubConnection<String, String> pubSub(Endpoint announced) {
        return client.connectPubSub(StringCodec.UTF8, uri(announced));
    }

    /** Starts listening for {@code +switch-master} of {@code group} on each sentinel (the caller closes it). */
    public SwitchWatch watchSwitch(String group, java.util.List<Endpoint> sentinels) {
        return new SwitchWatch(group, sentinels, this::pubSub);
    }

    /**
     * An application writer that follows the master through the sentinels, asking them again only when a write
     * fails; not started (the caller starts and stops it). {@code readTimeout} should outlast a write pause.
     */
    public FollowingWriter followingWriter(String group, java.util.List<Endpoint> sentinels, String keyPrefix,
                                           int writesPerSecond, Duration readTimeout) {
        return followingWriter(group, sentinels, keyPrefix, writesPerSecond, readTimeout, 0);
    }

    /** As above, each write followed by {@code WAIT waitReplicas 1000} and acknowledged only when confirmed. */
    public FollowingWriter followingWriter(String group, java.util.List<Endpoint> sentinels, String keyPrefix,
                                           int writesPerSecond, Duration readTimeout, int waitReplicas) {
        return new FollowingWriter(group, sentinels, reachable, passwords, keyPrefix, writesPerSecond, readTimeout,
                waitReplicas);
    }

    /** Closes and drops the cached connection to a node (after it was removed or misbehaved). */
    public void forget(Endpoint announced) {
        StatefulRedisConnection<String, String> c = redis.remove(announced);
        if (c != null) {
            c.closeAsync();
        }
    }

    public void forgetSentinel(Endpoint announced) {
        StatefulRedisSentinelConnection<String, String> c = sentinels.remove(announced);
        if (c != null) {
            c.closeAsync();
        }
    }

    @Override
    public void close() {
        // client.shutdown closes every connection the client opened (cached or not); closing them here first made
        // Lettuce warn "Connection is already closed" for each one on the way out.
        redis.clear();
        sentinels.clear();
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
