package rsc.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.DnsResolver;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import rsc.error.RscException;
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
 * {@link RedisGateway} through Lettuce: owns the Lettuce client and one cached connection per node. Every address goes through the backend's
 * mapping (a sentinel on Swarm reports overlay names; the console reaches published ports), and every
 * connection has connect and command timeouts, so nothing waits forever.
 */
final class LettuceGateway implements RedisGateway {

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

    /** See {@link RedisGateway#lettuce}. */
    LettuceGateway(Function<Endpoint, Endpoint> reachable, Function<Endpoint, Optional<Secret>> passwords) {
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
        StatefulRedisConnection<String, String> c = cached(redis, announced,
                k -> connecting(k, () -> client.connect(StringCodec.UTF8, uri(k))));
        return new LettuceNode(announced, c, new ConnectionGuard(() -> forget(announced)));
    }

    /** A sentinel's commands through a cached connection. */
    @Override
    public SentinelClient sentinel(Endpoint announced) {
        StatefulRedisSentinelConnection<String, String> c = cached(sentinels, announced,
                k -> connecting(k, () -> client.connectSentinel(StringCodec.UTF8, uri(k))));
        return new LettuceSentinel(announced, c, new ConnectionGuard(() -> forgetSentinel(announced)));
    }

    /** The cached connection to {@code at} while it is open; else the closed one is dropped and {@code open}'s kept. */
    private static <C extends StatefulConnection<String, String>> C cached(Map<Endpoint, C> cache, Endpoint at,
                                                                         Function<Endpoint, C> open) {
        return cache.compute(at, (k, old) -> {
            if (old != null && old.isOpen()) {
                return old;
            }
            if (old != null) {
                old.closeAsync();
            }
            return open.apply(k);
        });
    }

    @Override
    public CompletableFuture<SentinelReport> sentinelReport(Endpoint announced, String group, boolean withReplicas) {
        return sentinelAsync(announced).thenCompose(c -> c.report(group, withReplicas))
                .exceptionallyCompose(t -> CompletableFuture.failedFuture(RedisErrors.translated(t)));
    }

    /**
     * Opens a connection, a failure to connect already rsc's exception naming {@code to} (Lettuce's sentinel connection
     * says only "Unable to connect").
     */
    private static <C> C connecting(Endpoint to, java.util.function.Supplier<C> connect) {
        try {
            return connect.get();
        } catch (RuntimeException e) {
            RuntimeException t = RedisErrors.translate(e).orElse(e);
            if (t instanceof RscException r && !(t instanceof RespError) && !(t instanceof rsc.error.CancelledException)
                    && !String.valueOf(r.getMessage()).contains(to.toString())) {
                throw new RscException(to + ": " + r.getMessage(), e);
            }
            throw t;
        }
    }

    /** A sentinel's client without blocking: its cached connection, else one opened asynchronously and then cached. */
    private CompletableFuture<LettuceSentinel> sentinelAsync(Endpoint announced) {
        StatefulRedisSentinelConnection<String, String> cached = sentinels.get(announced);
        if (cached != null && cached.isOpen()) {
            return CompletableFuture.completedFuture(
                    new LettuceSentinel(announced, cached, new ConnectionGuard(() -> forgetSentinel(announced))));
        }
        CompletableFuture<StatefulRedisSentinelConnection<String, String>> connecting;
        try {
            connecting = client.connectSentinelAsync(StringCodec.UTF8, uri(announced));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return connecting.thenApply(c -> {
            StatefulRedisSentinelConnection<String, String> kept = cached(sentinels, announced, k -> c);
            if (kept != c) {
                c.closeAsync();     // another caller connected first
            }
            return new LettuceSentinel(announced, kept, new ConnectionGuard(() -> forgetSentinel(announced)));
        });
    }

    @Override
    public Subscription subscribe(Endpoint announced, boolean pattern, String name,
                                  java.util.function.BiConsumer<String, String> listener) {
        StatefulRedisPubSubConnection<String, String> c = connecting(announced, () -> client.connectPubSub(StringCodec.UTF8, uri(announced)));
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
            return new LettuceSubscription(c);
        } catch (RuntimeException e) {
            c.closeAsync();
            throw RedisErrors.translate(e).orElse(e);
        }
    }

    @Override
    public FollowingWriter followingWriter(String group, java.util.List<Endpoint> sentinels, String keyPrefix,
                                           int writesPerSecond, Duration readTimeout, int waitReplicas) {
        return new FollowingWriter(group, sentinels, reachable, passwords, keyPrefix, writesPerSecond, readTimeout,
                waitReplicas);
    }

    /** A plain {@code AUTH} on a socket of its own: Lettuce's handshake, refused, sometimes failed with its own error. */
    @Override
    public boolean accepts(Endpoint announced, Secret password) {
        Endpoint to = reachable.apply(announced);
        try (RespConnection c = RespConnection.open(new java.net.InetSocketAddress(to.host(), to.port()), Optional.empty(),
                CONNECT_TIMEOUT, COMMAND_TIMEOUT)) {
            java.util.List<Object> replies = c.pipeline(java.util.List.of(java.util.List.of("AUTH", password.reveal()),
                    java.util.List.of("PING")));
            if (replies.get(0) instanceof RespError e) {
                if (e.text().startsWith("WRONGPASS") || e.text().contains("invalid password")) {
                    return false;
                }
                throw new rsc.error.RscException(announced + ": AUTH answered " + e.text().replace(password.reveal(), "<secret>"));
            }
            return "PONG".equals(String.valueOf(replies.get(1)));
        } catch (java.io.IOException e) {
            throw new rsc.error.RscException("cannot reach " + announced + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void forget(Endpoint announced) {
        StatefulRedisConnection<String, String> c = redis.remove(announced);
        if (c != null) {
            c.closeAsync();
        }
    }

    @Override
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
