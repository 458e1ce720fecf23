package rsc.ops;

import rsc.backend.Progress;
import rsc.backend.Signal;
import rsc.error.RscException;
import rsc.events.Event;
import rsc.model.Node;
import rsc.redis.FollowingWriter;
import rsc.result.CommandResult;
import rsc.result.Severity;
import rsc.session.Session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A failover rehearsed the way it happens: an application writes marker keys at a steady rate, asking the sentinels
 * for the master again whenever a write fails ({@link FollowingWriter}), the master is killed, and the drill counts what the application saw and what
 * the new master kept.
 */
public final class FailoverDrill {

    /** Where the marker keys live: {@code rsc:drill:<run id>:<sequence>}. */
    static final String PREFIX = "rsc:drill:";

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

    /**
     * How the drill writes.
     *
     * @param writesPerSecond the application's steady rate
     * @param waitReplicas    a write counts as acknowledged only once {@code WAIT n} confirms it (0: no WAIT)
     * @param timeout         how long to wait for {@code +switch-master} after the kill
     * @param keepKeys        leave the marker keys for inspection instead of deleting them
     */
    public record Request(int writesPerSecond, int waitReplicas, Duration timeout, boolean keepKeys) {
    }

    /** What the drill works on, checked alike for a run and a dry run. */
    private record Start(List<Node> sentinels, Node master) {
    }

    private FailoverDrill() {
    }

    /** What {@link #run} would do, for {@code --dry-run}: its checks run and the master is found now; nothing is written. */
    public static CommandResult plan(Session session, String groupName, Request request) throws InterruptedException {
        Node master = start(session, groupName).master();
        String write = "SET " + PREFIX + "<id>:<n> <n>" + (request.waitReplicas() > 0
                ? " then WAIT " + request.waitReplicas() + " 1000" : "");
        return new Plan("drill failover " + groupName)
                .redis("the master (via the sentinels)", write + ", " + request.writesPerSecond() + " per second")
                .backend(session.backend().name(), session.backend().planSignal(master, Signal.KILL))
                .await("+switch-master, then writes succeed again")
                .redis("the new master", request.keepKeys() ? "MGET every acknowledged key (the keys are kept: --keep-keys)"
                        : "MGET every acknowledged key; DEL them").result();
    }

    private static Start start(Session session, String groupName) throws InterruptedException {
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
        return new Start(sentinels, masterNode);
    }

    public static Report run(Session session, String groupName, Request request, Progress progress) throws InterruptedException {
        Start start = start(session, groupName);
        List<Node> sentinels = start.sentinels();
        Node masterNode = start.master();
        int writesPerSecond = request.writesPerSecond();
        Duration timeout = request.timeout();
        session.followNow();
        String prefix = PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
        FollowingWriter app = session.redis().followingWriter(groupName, sentinels.stream().map(Node::announced).toList(),
                prefix, writesPerSecond, Duration.ofSeconds(3), request.waitReplicas()).start();
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
                        + app.acknowledged() + " writes acknowledged");
            }
            if (sw.isEmpty()) {
                throw new RscException("no +switch-master within " + timeout.toSeconds() + " s of killing "
                        + masterNode.name());
            }
            Duration switchAfter = Duration.between(killedAt, sw.get().at());
            long resumeDeadline = System.nanoTime() + 15_000_000_000L;
            while (!app.lastAcknowledged() && System.nanoTime() < resumeDeadline) {
                progress.update("switch done; waiting for the application's writes to succeed again");
                Thread.sleep(100);
            }
            Thread.sleep(1000);
            List<FollowingWriter.Write> done = app.stop();
            String[] w = sw.get().text().split(" ");
            String to = w.length == 5 ? w[3] + ":" + w[4] : sw.get().text();
            FollowingWriter.Tally t = FollowingWriter.tally(done);
            progress.update("reading back " + t.acknowledged() + " acknowledged writes");
            int lost;
            try {
                lost = app.lost(done, request.keepKeys());
            } catch (java.io.IOException e) {
                throw new RscException("cannot read the drill's writes back: " + e.getMessage(), e);
            }
            return new Report(t.attempted(), t.acknowledged(), t.failed(), lost, t.longestWithoutAck(), switchAfter,
                    masterNode.name(), to);
        } finally {
            app.close();
        }
    }
}
