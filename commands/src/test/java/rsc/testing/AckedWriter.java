package rsc.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import rsc.model.Endpoint;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client that writes while a test breaks things, as an application would: it asks the sentinels for the master
 * (only when it has none, or a write failed), writes {@code SET key} and counts the write as acknowledged only when
 * {@code WAIT 1} says a replica has it. The test compares {@link #acknowledged()} with what survives. Bounded: it
 * stops by itself after {@code limit}, and never writes faster than every {@code periodMs}.
 */
public final class AckedWriter implements AutoCloseable {

    private final RedisClient client = RedisClient.create();
    private final String group;
    private final Optional<String> password;
    private final Supplier<List<Endpoint>> sentinels;
    private final Function<Endpoint, Endpoint> reach;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastAckNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong longestGapNanos = new AtomicLong();
    private final Thread thread;
    private volatile boolean stop;

    /**
     * @param sentinels where the sentinels are reached now (asked in turn)
     * @param reach     turns the master address a sentinel names into one this machine reaches
     */
    public AckedWriter(String group, Optional<String> password, Supplier<List<Endpoint>> sentinels,
                       Function<Endpoint, Endpoint> reach, long periodMs, Duration limit) {
        this.group = group;
        this.password = password;
        this.sentinels = sentinels;
        this.reach = reach;
        long end = System.nanoTime() + limit.toNanos();
        this.thread = new Thread(() -> run(periodMs, end), "acked-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private StatefulRedisConnection<String, String> connect(Endpoint e, Duration timeout) {
        RedisURI.Builder b = RedisURI.builder().withHost(e.host()).withPort(e.port()).withTimeout(timeout);
        password.ifPresent(pw -> b.withPassword(pw.toCharArray()));
        return client.connect(b.build());
    }

    private Optional<Endpoint> master() {
        for (Endpoint s : sentinels.get()) {
            RedisURI.Builder b = RedisURI.builder().withHost(s.host()).withPort(s.port()).withTimeout(Duration.ofMillis(800));
            password.ifPresent(pw -> b.withPassword(pw.toCharArray()));
            try (StatefulRedisSentinelConnection<String, String> c = client.connectSentinel(b.build())) {
                SocketAddress a = c.sync().getMasterAddrByName(group);
                if (a instanceof InetSocketAddress i) {
                    return Optional.of(reach.apply(new Endpoint(i.getHostString(), i.getPort())));
                }
            } catch (RuntimeException ignored) {
                // ask the next one
            }
        }
        return Optional.empty();
    }

    private void run(long periodMs, long end) {
        StatefulRedisConnection<String, String> c = null;
        long i = 0;
        while (!stop && System.nanoTime() < end) {
            try {
                if (c == null) {
                    Optional<Endpoint> m = master();
                    if (m.isEmpty()) {
                        Sleep.sleep(100);
                        continue;
                    }
                    c = connect(m.get(), Duration.ofSeconds(2));
                }
                RedisCommands<String, String> r = c.sync();
                String key = "acked:" + (i++);
                r.set(key, key);
                if (r.waitForReplication(1, 1000) >= 1) {
                    acked.add(key);
                    long now = System.nanoTime();
                    longestGapNanos.accumulateAndGet(now - lastAckNanos.getAndSet(now), Math::max);
                } else {
                    failed.incrementAndGet();
                }
                Sleep.sleep(periodMs);
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                if (c != null) {
                    try {
                        c.close();
                    } catch (RuntimeException ignored) {
                        // dropping it
                    }
                    c = null;
                }
                Sleep.sleep(100);
            }
        }
        if (c != null) {
            c.close();
        }
    }

    public Set<String> acknowledged() {
        return Set.copyOf(acked);
    }

    public long failed() {
        return failed.get();
    }

    public Duration longestGap() {
        return Duration.ofNanos(longestGapNanos.get());
    }

    /** Stops writing and waits for the thread. */
    public void stop() {
        stop = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
