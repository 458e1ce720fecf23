package rsc.redis;

import rsc.model.Endpoint;
import rsc.model.Secret;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An application as most are written: it asks a sentinel for the master once, then writes there without {@code WAIT}
 * and asks again only when a write fails (an error reply, a timeout, a closed connection), as Lettuce and Jedis do.
 * Each write is {@code SET <prefix><n> <n>}; what was acknowledged is read back afterwards to count what a failover
 * threw away; optionally each write is followed by {@code WAIT n 1000} and counts only when confirmed. Plain sockets
 * with deadlines: a held or lost reply costs the read timeout, never more.
 */
public final class FollowingWriter implements AutoCloseable {

    /** One write: its number, when its answer came (nanoTime), whether the master said OK. */
    public record Write(long seq, long atNanos, boolean acknowledged) {
    }

    /** What the writer saw, and what it counted afterwards. */
    public record Tally(int attempted, int acknowledged, int failed, Duration longestWithoutAck) {
    }

    private final String group;
    private final List<Endpoint> sentinels;
    private final Function<Endpoint, Endpoint> reachable;
    private final Function<Endpoint, Optional<Secret>> passwords;
    private final String prefix;
    private final long periodNanos;
    private final Duration readTimeout;
    private final int waitReplicas;
    private final List<Write> writes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean stop;
    private RespConnection master;

    FollowingWriter(String group, List<Endpoint> sentinels, Function<Endpoint, Endpoint> reachable,
                    Function<Endpoint, Optional<Secret>> passwords, String prefix, int writesPerSecond,
                    Duration readTimeout, int waitReplicas) {
        this.group = group;
        this.sentinels = List.copyOf(sentinels);
        this.reachable = reachable;
        this.passwords = passwords;
        this.prefix = prefix;
        this.periodNanos = 1_000_000_000L / Math.max(1, writesPerSecond);
        this.readTimeout = readTimeout;
        this.waitReplicas = waitReplicas;
        this.thread = new Thread(this::loop, "rsc-following-writer");
        this.thread.setDaemon(true);
    }

    /** Starts writing on a thread of its own. */
    public FollowingWriter start() {
        thread.start();
        return this;
    }

    /** Stops writing (waits for the write in flight) and returns every write made. */
    public List<Write> stop() throws InterruptedException {
        stop = true;
        thread.join(readTimeout.toMillis() + 5000);
        synchronized (writes) {
            return List.copyOf(writes);
        }
    }

    /** Writes acknowledged so far. */
    public int acknowledged() {
        synchronized (writes) {
            return (int) writes.stream().filter(Write::acknowledged).count();
        }
    }

    /** Whether the last write made was acknowledged (false before the first). */
    public boolean lastAcknowledged() {
        synchronized (writes) {
            return !writes.isEmpty() && writes.get(writes.size() - 1).acknowledged();
        }
    }

    /** The key of write {@code seq}. */
    public String key(long seq) {
        return prefix + seq;
    }

    public static Tally tally(List<Write> done) {
        int acked = (int) done.stream().filter(Write::acknowledged).count();
        long longest = 0;
        long last = -1;
        for (Write w : done) {
            if (w.acknowledged()) {
                if (last >= 0) {
                    longest = Math.max(longest, w.atNanos() - last);
                }
                last = w.atNanos();
            }
        }
        return new Tally(done.size(), acked, done.size() - acked, Duration.ofNanos(longest));
    }

    private void loop() {
        long seq = 0;
        long next = System.nanoTime();
        while (!stop) {
            seq++;
            boolean ok = write(seq);
            writes.add(new Write(seq, System.nanoTime(), ok));
            next += periodNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    break;
                }
            } else {
                next = System.nanoTime();
            }
        }
        drop();
    }

    private boolean write(long seq) {
        try {
            if (master == null) {
                master = connectToMaster();
            }
            List<List<String>> commands = new ArrayList<>();
            commands.add(List.of("SET", prefix + seq, Long.toString(seq)));
            if (waitReplicas > 0) {
                commands.add(List.of("WAIT", Integer.toString(waitReplicas), "1000"));
            }
            List<Object> replies = master.pipeline(commands);
            if ("OK".equals(replies.get(0))) {
                // with WAIT: acknowledged only once enough replicas confirmed it
                return waitReplicas == 0 || (replies.get(1) instanceof Long n && n >= waitReplicas);
            }
            drop();     // an error reply (READONLY, NOREPLICAS): ask the sentinels again, as the client libraries do
            return false;
        } catch (IOException | RuntimeException e) {
            drop();
            return false;
        }
    }

    private RespConnection connectToMaster() throws IOException {
        IOException last = new IOException("no sentinel answered");
        for (Endpoint s : sentinels) {
            try (RespConnection c = open(s)) {
                Object reply = c.pipeline(List.of(List.of("SENTINEL", "GET-MASTER-ADDR-BY-NAME", group))).get(0);
                if (reply instanceof List<?> l && l.size() == 2) {
                    return open(new Endpoint(String.valueOf(l.get(0)), Integer.parseInt(String.valueOf(l.get(1)))));
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private RespConnection open(Endpoint announced) throws IOException {
        Endpoint reach = reachable.apply(announced);
        return RespConnection.open(new InetSocketAddress(reach.host(), reach.port()), passwords.apply(announced),
                Duration.ofSeconds(1), readTimeout);
    }

    private void drop() {
        if (master != null) {
            master.close();
            master = null;
        }
    }

    /**
     * Reads every acknowledged key back from the master the sentinels name now and counts the missing ones;
     * deletes the keys unless {@code keep}.
     */
    public int lost(List<Write> done, boolean keep) throws IOException {
        List<String> keys = done.stream().filter(Write::acknowledged).map(w -> prefix + w.seq()).toList();
        int lost = 0;
        try (RespConnection c = connectToMaster()) {
            for (int i = 0; i < keys.size(); i += 500) {
                List<String> batch = new ArrayList<>(List.of("MGET"));
                batch.addAll(keys.subList(i, Math.min(keys.size(), i + 500)));
                Object reply = c.pipeline(List.of(batch)).get(0);
                if (!(reply instanceof List<?> values)) {
                    throw new IOException("MGET answered " + reply);
                }
                lost += (int) values.stream().filter(v -> v == null).count();
            }
            for (int i = 0; i < keys.size() && !keep; i += 500) {
                List<String> batch = new ArrayList<>(List.of("DEL"));
                batch.addAll(keys.subList(i, Math.min(keys.size(), i + 500)));
                c.pipeline(List.of(batch));
            }
        }
        return lost;
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            stop();
        }
    }
}
