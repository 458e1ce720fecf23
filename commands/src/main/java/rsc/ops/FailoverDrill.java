package rsc.ops;

import rsc.backend.Progress;
import rsc.backend.Signal;
import rsc.command.RscException;
import rsc.events.Event;
import rsc.model.Node;
import rsc.redis.RedisGateway;
import rsc.result.Severity;
import rsc.session.Session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A failover rehearsed the way it happens: an application writes marker keys at a steady rate through a
 * Sentinel-aware connection, the master is killed, and the drill counts what the application saw and what
 * the new master kept.
 */
public final class FailoverDrill {

    /**
     * What the drill measured.
     *
     * @param attempted     writes tried
     * @param acknowledged  writes the master answered OK (and, with {@code waitReplicas}, that enough replicas confirmed)
     * @param failed        writes that got an error or no answer
     * @param lost          acknowledged writes the new master does not have
     * @param unwritable    the longest time between two acknowledged writes around the kill
     * @param switchAfter   from the kill to {@code +switch-master}
     * @param from          the killed master
     * @param to            the new master's address as the sentinels announced it
     */
    public record Report(int attempted, int acknowledged, int failed, int lost, Duration unwritable, Duration switchAfter,
                         String from, String to) {
    }

    private record Write(int seq, long atNanos, boolean acknowledged) {
    }

    private FailoverDrill() {
    }

    public static Report run(Session session, String groupName, int writesPerSecond, int waitReplicas, Duration timeout,
                             boolean keepKeys, Progress progress) throws InterruptedException {
        Group group = Group.require(session, groupName);
        List<Node> sentinels = group.runningSentinels();
        if (sentinels.isEmpty()) {
            throw new RscException("'" + groupName + "' has no running sentinels: a failover drill needs them");
        }
        MasterLocator.Located master = MasterLocator.locate(session, groupName, group.nodes())
                .orElseThrow(() -> new RscException("cannot find the master of '" + groupName + "'"));
        Node masterNode = master.node().orElseThrow(() -> new RscException("the master is not a node of this backend"));
        if (group.runningRedis().size() < 2) {
            throw new RscException("'" + groupName + "' has no replica to promote: 'scale slaves 2' first");
        }
        session.followNow();
        String prefix = "rsc:drill:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
        List<Write> writes = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        long periodNanos = 1_000_000_000L / Math.max(1, writesPerSecond);
        try (rsc.redis.FollowingClient app = session.redis().sentinelAware(groupName,
                sentinels.stream().map(Node::announced).toList(), Duration.ofMillis(500))) {
            Thread writer = new Thread(() -> writeLoop(app, prefix, periodNanos, waitReplicas, writes, stop),
                    "rsc-drill-writer");
            writer.setDaemon(true);
            writer.start();
            try {
                Thread.sleep(1000);
                progress.update("writing " + writesPerSecond + "/s; killing " + masterNode.name());
                Instant killedAt = Instant.now();
                long killNanos = System.nanoTime();
                session.backend().signal(masterNode, Signal.KILL);
                session.redis().forget(masterNode.announced());
                session.events().note(groupName, "rsc-drill", "killed the master " + masterNode.name(), Severity.WARN);
                Optional<Event> sw = Optional.empty();
                long deadline = System.nanoTime() + timeout.toNanos();
                while (sw.isEmpty() && System.nanoTime() < deadline) {
                    sw = session.events().timeline().await(killedAt,
                            e -> e.type().equals("+switch-master") && e.group().equals(groupName),
                            Math.min(deadline, System.nanoTime() + 500_000_000L));
                    progress.update("waiting for +switch-master (" + Waiter.since(killNanos) + "), "
                            + count(writes, true) + " writes acknowledged");
                }
                if (sw.isEmpty()) {
                    throw new RscException("no +switch-master within " + timeout.toSeconds() + " s of killing "
                            + masterNode.name());
                }
                Duration switchAfter = Duration.between(killedAt, sw.get().at());
                long resumeDeadline = System.nanoTime() + 15_000_000_000L;
                while (!acknowledgedAfter(writes, sw.get()) && System.nanoTime() < resumeDeadline) {
                    progress.update("switch done; waiting for the application's writes to succeed again");
                    Thread.sleep(100);
                }
                Thread.sleep(1000);
                stop.set(true);
                writer.join(5000);
                String[] w = sw.get().text().split(" ");
                String to = w.length == 5 ? w[3] + ":" + w[4] : sw.get().text();
                List<Write> done = List.copyOf(writes);
                int lost = countLost(app, prefix, done, keepKeys, progress);
                return new Report(done.size(), count(done, true), count(done, false), lost, longestGap(done),
                        switchAfter, masterNode.name(), to);
            } finally {
                stop.set(true);
                writer.interrupt();
            }
        }
    }

    private static boolean acknowledgedAfter(List<Write> writes, Event sw) {
        synchronized (writes) {
            return !writes.isEmpty() && writes.get(writes.size() - 1).acknowledged();
        }
    }

    private static void writeLoop(rsc.redis.FollowingClient redis, String prefix, long periodNanos, int waitReplicas,
                                  List<Write> writes, AtomicBoolean stop) {
        int seq = 0;
        long next = System.nanoTime();
        while (!stop.get()) {
            seq++;
            boolean ok;
            try {
                ok = redis.set(prefix + seq, Integer.toString(seq));
                if (ok && waitReplicas > 0) {
                    ok = redis.waitReplicas(waitReplicas, 1000) >= waitReplicas;
                }
            } catch (RuntimeException e) {
                ok = false;
            }
            writes.add(new Write(seq, System.nanoTime(), ok));
            next += periodNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime();
            }
        }
    }

    private static int count(List<Write> writes, boolean acknowledged) {
        synchronized (writes) {
            return (int) writes.stream().filter(w -> w.acknowledged() == acknowledged).count();
        }
    }

    private static Duration longestGap(List<Write> writes) {
        long longest = 0;
        long last = -1;
        for (Write w : writes) {
            if (w.acknowledged()) {
                if (last >= 0) {
                    longest = Math.max(longest, w.atNanos() - last);
                }
                last = w.atNanos();
            }
        }
        return Duration.ofNanos(longest);
    }

    /** Reads every acknowledged key back from the master the application now writes to. */
    private static int countLost(rsc.redis.FollowingClient redis, String prefix, List<Write> writes, boolean keep,
                                 Progress progress) {
        List<String> keys = writes.stream().filter(Write::acknowledged).map(w -> prefix + w.seq()).toList();
        int lost = 0;
        for (int i = 0; i < keys.size(); i += 500) {
            List<String> batch = keys.subList(i, Math.min(keys.size(), i + 500));
            progress.update("reading back " + keys.size() + " acknowledged writes");
            for (boolean present : redis.present(batch)) {
                if (!present) {
                    lost++;
                }
            }
        }
        for (int i = 0; i < keys.size() && !keep; i += 500) {
            redis.delete(keys.subList(i, Math.min(keys.size(), i + 500)));
        }
        return lost;
    }
}
