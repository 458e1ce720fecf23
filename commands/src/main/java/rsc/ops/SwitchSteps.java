package rsc.ops;

import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.redis.FailoverReply;
import rsc.redis.RedisNodeClient;
import rsc.redis.Replication;
import rsc.redis.SentinelPeer;
import rsc.session.ErrorTranslator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static rsc.ops.MasterSwitch.ms;
import static rsc.ops.MasterSwitch.node;

/**
 * How {@link MasterSwitch} moves the master once it knows where, writes paused (the default; {@code --no-pause} is
 * {@link UnpausedSwitch}): it returns what it did or throws with what it left.
 */
final class SwitchSteps {

    /** The master moved (or is moving): how long writes were held, who was promoted, what to tell. */
    record Moved(long heldMs, Optional<Node> promoted, long askedNanos, List<String> notes) {
        String describe() {
            return heldMs > 0 ? "writes were held " + heldMs + " ms" : "writes were not paused";
        }
    }

    /** One paused attempt, as it ended. */
    private record Attempt(long heldNanos, long askedNanos, String laggards, FailoverReply reply, Optional<Node> promoted,
                           WriteFence.Raised fenceLeft, Throwable failure, List<String> notes) {
        boolean asked() {
            return reply != null && (reply.kind() == FailoverReply.Kind.ACCEPTED || reply.kind() == FailoverReply.Kind.IN_PROGRESS);
        }
    }


    /** How many paused attempts a replica that was behind may cost before the switch stops. */
    private static final int MAX_LAGGING_ATTEMPTS = 3;

    /** How long a replica that was behind gets to catch up, writes flowing, before rsc pauses again. */
    private static final Duration CATCH_UP_UNPAUSED = Duration.ofSeconds(5);

    private SwitchSteps() {
    }

    static Moved paused(MasterSwitch.Context cx, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int laggards = 0;
        List<String> notes = new ArrayList<>();
        while (true) {
            List<SentinelPeer> peers = awaitPromotable(cx, deadline);
            boolean plausible = !peers.isEmpty();
            Attempt a = attempt(cx, peers);
            String held = "writes were held " + ms(a.heldNanos()) + " (bound " + cx.boundMs() + " ms)";
            if (a.failure() != null) {
                throw MasterSwitch.failed(a.failure(), held + "; " + left(cx, a));
            }
            if (a.laggards() != null) {
                // a replica a moment behind (a busy disk, a task just restarted) catches up once writes flow again:
                // let it, unpaused, and pause again; one that does not within CATCH_UP_UNPAUSED stops the switch
                Optional<String> still = laggards < MAX_LAGGING_ATTEMPTS && System.nanoTime() + CATCH_UP_UNPAUSED.toNanos() < deadline
                        ? awaitCaughtUpUnpaused(cx) : Optional.of(a.laggards());
                if (still.isEmpty()) {
                    laggards++;
                    notes.addAll(a.notes());
                    notes.add(a.laggards() + " was behind when writes were first paused (" + held + "); it caught up with "
                            + "writes flowing and rsc paused again");
                    continue;
                }
                throw new RscException(a.laggards() + " did not reach the master's offset within " + cx.boundMs() / 2
                        + " ms: no failover asked; " + held + " and go on at " + cx.oldName()
                        + (laggards > 0 ? " (" + (laggards + 1) + " attempts)" : "")
                        + (cx.target().isEmpty() ? " (Sentinel may promote any replica, so every one must catch up; "
                        + "'--to NODE' names one that has)" : ""));
            }
            if (a.reply().kind() == FailoverReply.Kind.NO_GOOD_REPLICA) {
                if (System.nanoTime() + 2_000_000_000L < deadline
                        && (plausible || cx.replicas().stream().anyMatch(r -> linked(cx, r)))) {
                    // right after a switch a sentinel may still be meeting the replicas (it lists them afresh, and reads
                    // their INFO every 10 s): while rsc sees one linked, let the sentinels agree, then ask again, until
                    // the command's timeout (each attempt has its own pause; three attempts were not always enough)
                    cx.progress().update(cx.asked().name() + " answered NOGOODSLAVE; asking again once the sentinels agree");
                    SentinelAgreement.await(cx.session(), cx.name(), cx.sentinels(), Duration.ofSeconds(15), cx.progress());
                    Thread.sleep(2000);
                    continue;
                }
                throw new RscException("no replica of '" + cx.name() + "' can be promoted as " + cx.asked().name()
                        + " sees them (" + a.reply().text() + "): nothing changed, " + held
                        + "; check 'sentinel replicas' (link, replica-priority 0) or 'scale slaves 1'");
            }
            if (a.reply().kind() == FailoverReply.Kind.REFUSED) {
                throw new RscException(cx.asked().name() + " refused SENTINEL FAILOVER " + cx.name() + " (" + a.reply().text()
                        + "): nothing changed, " + held);
            }
            notes.addAll(a.notes());
            if (a.promoted().isPresent()) {
                notes.add(0, "asked " + cx.asked().name() + "; " + held + " while " + caughtUpWho(cx) + " caught up and "
                        + cx.oldName() + " was made to follow " + a.promoted().get().name() + " (REPLICAOF), so it "
                        + "acknowledged no write after the switch");
                return new Moved(a.heldNanos() / 1_000_000, a.promoted(), a.askedNanos(), notes);
            }
            return afterThePause(cx, a, peers, deadline, held, notes);
        }
    }

    /** Asked, no promotion within the pause: the fence keeps the old master out while Sentinel goes on. */
    private static Moved afterThePause(MasterSwitch.Context cx, Attempt a, List<SentinelPeer> peers, long deadline,
                                       String held, List<String> notes)
            throws InterruptedException {
        long fencedAt = System.nanoTime();
        Optional<Node> promoted;
        try {
            promoted = awaitPromotion(cx, deadline, true);
        } catch (InterruptedException | RuntimeException e) {
            throw MasterSwitch.failed(e, held + "; " + fenceKept(cx));
        }
        if (promoted.isPresent()) {
            convert(cx, promoted.get(), a.fenceLeft(), peers);
            notes.add(0, "asked " + cx.asked().name() + "; " + held + "; the promotion came " + ms(System.nanoTime() - fencedAt)
                    + " later, and " + cx.oldName() + " refused writes (write fence) until it followed "
                    + promoted.get().name());
            return new Moved(a.heldNanos() / 1_000_000, promoted, a.askedNanos(), notes);
        }
        Optional<Endpoint> agreed = WriteFence.agreedMaster(cx.session(), cx.group());
        if (agreed.isPresent() && ReplicaLinks.sameNode(cx.session(), agreed.get(), cx.oldMaster().address())) {
            WriteFence.lift(cx.session(), a.fenceLeft());
            throw new RscException("no replica of '" + cx.name() + "' was promoted in time: the sentinels still name "
                    + cx.oldName() + " and none is failing over, so nothing changed; " + held + ", then "
                    + cx.oldName() + " refused writes (write fence) for " + ms(System.nanoTime() - fencedAt));
        }
        throw new RscException("no replica of '" + cx.name() + "' said role:master in time; " + held + "; " + fenceKept(cx));
    }

    private static String fenceKept(MasterSwitch.Context cx) {
        return cx.oldName() + " keeps the write fence (min-replicas-to-write " + WriteFence.BASE + "+) and refuses writes "
                + "until it follows the new master: 'wait agreement', then 'doctor' lifts it";
    }

    private static String left(MasterSwitch.Context cx, Attempt a) {
        if (!a.asked()) {
            return "no failover asked, " + cx.oldName() + " is still the master";
        }
        if (a.promoted().isPresent()) {
            return cx.oldName() + " follows " + a.promoted().get().name() + " already";
        }
        return "SENTINEL FAILOVER was asked; " + fenceKept(cx);
    }

    private static String caughtUpWho(MasterSwitch.Context cx) {
        return cx.target().map(Node::name).orElse(cx.replicas().size() == 1 ? cx.replicas().get(0).name()
                : "all " + cx.replicas().size() + " replicas");
    }

    /**
     * Outside the pause: waits (up to 12 s) until the sentinel to be asked lists a replica it would promote: linked,
     * not down, priority not 0, and its INFO read in the last 20 s (Sentinel promotes none whose INFO is older than
     * 30 s while the master is up; right after a switch it lists the replicas afresh and has read none yet), so it
     * does not answer NOGOODSLAVE while writes are held.
     *
     * @return the replicas that sentinel could promote at all (empty: none), as it lists them
     */
    private static List<SentinelPeer> awaitPromotable(MasterSwitch.Context cx, long deadline) throws InterruptedException {
        long until = Math.min(deadline, System.nanoTime() + 12_000_000_000L);
        long start = System.nanoTime();
        while (true) {
            List<SentinelPeer> peers;
            try {
                peers = cx.session().redis().sentinel(cx.asked().announced()).replicas(cx.name());
            } catch (RuntimeException e) {
                return List.of();
            }
            // a replica it has not read yet (just listed afresh after a switch) says nothing about its link or priority
            List<SentinelPeer> read = peers.stream().filter(p -> p.infoRefreshMs() >= 0 && p.infoRefreshMs() <= 20_000).toList();
            List<SentinelPeer> plausible = read.stream().filter(p -> !p.down() && p.linkUp() && p.priority() != 0
                            && p.masterHost() != null && ReplicaLinks.sameNode(cx.session(), p.masterHost(), cx.oldMaster().address()))
                    .filter(p -> cx.target().map(t -> ReplicaLinks.sameNode(cx.session(), p.address(), t.announced())).orElse(true))
                    .toList();
            if (!plausible.isEmpty()) {
                return plausible;
            }
            if (read.size() == peers.size() || System.nanoTime() > until) {
                return List.of();   // every replica read, none promotable: SENTINEL FAILOVER will say NOGOODSLAVE
            }
            cx.progress().update("waiting for " + cx.asked().name() + " to read the replicas' INFO before pausing writes ("
                    + Waiter.since(start) + ")");
            Thread.sleep(100);
        }
    }

    /** Pause, catch up, fence, ask, see the promotion, convert, lift, release: never longer than the bound. */
    private static Attempt attempt(MasterSwitch.Context cx, List<SentinelPeer> peers) {
        Endpoint old = cx.oldMaster().address();
        RedisNodeClient master;
        try {
            master = node(cx, old);
            master.pauseWrites(cx.boundMs());
        } catch (RuntimeException e) {
            RscException t = ErrorTranslator.translate(e);
            throw new RscException("cannot pause writes on " + cx.oldName() + " (" + t.getMessage() + "): no failover "
                    + "asked; if the master is down, Sentinel fails over by itself", e);
        }
        long pausedAt = System.nanoTime();
        long pauseEnds = pausedAt + cx.boundMs() * 1_000_000L;
        cx.progress().update("writes paused on " + cx.oldName() + " (at most " + cx.boundMs() + " ms)");
        List<Node> required = required(cx);
        WriteFence.Raised fence = null;
        FailoverReply reply = null;
        long askedNanos = 0;
        Optional<Node> promoted = Optional.empty();
        String laggards = null;
        Throwable failure = null;
        List<String> notes = new ArrayList<>();
        try {
            laggards = awaitCaughtUp(cx, master, required, pausedAt + cx.boundMs() * 500_000L).orElse(null);
            if (laggards == null) {
                stopIfInterrupted();
                fence = WriteFence.raise(cx.session(), old, cx.oldName());
                cx.progress().update("writes paused on " + cx.oldName() + "; replicas caught up; asking " + cx.asked().name()
                        + " for SENTINEL FAILOVER");
                stopIfInterrupted();
                askedNanos = System.nanoTime();
                reply = cx.session().redis().sentinel(cx.asked().announced()).failover(cx.name());
                if (reply.kind() == FailoverReply.Kind.ACCEPTED || reply.kind() == FailoverReply.Kind.IN_PROGRESS) {
                    cx.progress().update("SENTINEL FAILOVER accepted by " + cx.asked().name() + "; waiting for the promotion");
                    promoted = awaitPromotion(cx, pauseEnds - 150_000_000L, false);
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            failure = e;
        }
        boolean interrupted = Thread.interrupted() || failure instanceof InterruptedException
                || (failure != null && ErrorTranslator.translate(failure) instanceof rsc.error.CancelledException);
        Thread.interrupted();   // translate() re-interrupts; the clean-up below must run
        boolean asked = reply != null && (reply.kind() == FailoverReply.Kind.ACCEPTED || reply.kind() == FailoverReply.Kind.IN_PROGRESS);
        if (asked && promoted.isEmpty() && failure != null) {
            // stopped after the failover was asked: still finish what keeps the old master out, within the pause
            try {
                promoted = awaitPromotion(cx, pauseEnds - 150_000_000L, false);
            } catch (InterruptedException | RuntimeException e) {
                // the fence stays up
            }
        }
        if (promoted.isPresent()) {
            try {
                convert(cx, promoted.get(), fence, peers);
                fence = null;
            } catch (RuntimeException e) {
                notes.add(cx.oldName() + " did not take REPLICAOF " + promoted.get().name() + " (" + ErrorTranslator.translate(e)
                        .getMessage() + "): the write fence keeps it from taking writes until Sentinel converts it");
            }
        } else if (fence != null && !asked) {
            try {
                WriteFence.lift(cx.session(), fence);
                fence = null;
            } catch (RuntimeException e) {
                notes.add("could not lift the write fence on " + cx.oldName() + ": 'doctor' lifts it");
            }
        }
        try {
            master.unpause();
        } catch (RuntimeException e) {
            notes.add("CLIENT UNPAUSE failed on " + cx.oldName() + "; the pause ends by itself within " + cx.boundMs() + " ms");
        }
        long held = Math.min(System.nanoTime(), pauseEnds) - pausedAt;
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (failure == null) {
                failure = new InterruptedException();
            }
        }
        return new Attempt(held, askedNanos, laggards, reply, promoted, fence, failure, notes);
    }

    /** Ctrl-C between two steps: the next Redis call might not notice it in time. */
    private static void stopIfInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /**
     * The old master follows the promoted replica, at the address the sentinels know it by (what Sentinel itself would
     * send; on Swarm it may differ from the name rsc announces), then its fence comes down.
     */
    private static void convert(MasterSwitch.Context cx, Node promoted, WriteFence.Raised fence, List<SentinelPeer> peers) {
        Endpoint at = peers.stream().map(SentinelPeer::address)
                .filter(a -> ReplicaLinks.sameNode(cx.session(), a, promoted.announced())).findFirst()
                .orElse(promoted.announced());
        node(cx, cx.oldMaster().address()).replicaOf(at);
        if (fence != null) {
            WriteFence.lift(cx.session(), fence);
        }
    }

    /** The replicas that must have the master's offset: the {@code --to} one, else every one (Sentinel may pick any). */
    private static List<Node> required(MasterSwitch.Context cx) {
        return cx.target().map(List::of).orElse(cx.replicas());
    }

    /** Writes flowing, up to {@link #CATCH_UP_UNPAUSED}: empty once every required replica has the master's offset. */
    private static Optional<String> awaitCaughtUpUnpaused(MasterSwitch.Context cx) throws InterruptedException {
        cx.progress().update("writes released; waiting for the replicas to catch up before pausing again");
        return awaitCaughtUp(cx, node(cx, cx.oldMaster().address()), required(cx), System.nanoTime() + CATCH_UP_UNPAUSED.toNanos());
    }

    /** Polls until every required replica has read up to the master's offset; empty when they have, else who has not. */
    private static Optional<String> awaitCaughtUp(MasterSwitch.Context cx, RedisNodeClient master, List<Node> required,
                                                  long until) throws InterruptedException {
        while (true) {
            long offset = master.replication().offset();
            var answers = Fanout.ask(cx.session().pool(), required, n -> node(cx, n.announced()).replication(), 200);
            List<String> behind = new ArrayList<>();
            for (var a : answers) {
                if (!a.ok()) {
                    behind.add(a.input().name() + " (no answer: " + a.error() + ")");
                } else if (a.value().isMaster() || a.value().offset() < offset) {
                    Replication r = a.value();
                    behind.add(a.input().name() + (r.isMaster() ? " (says role:master)"
                            : " (offset " + r.offset() + " of " + offset + ")"));
                }
            }
            if (behind.isEmpty()) {
                return Optional.empty();
            }
            if (System.nanoTime() > until) {
                return Optional.of(String.join(", ", behind));
            }
            Thread.sleep(5);
        }
    }

    /** Polls the replicas until one says role:master; empty at {@code until}. */
    private static Optional<Node> awaitPromotion(MasterSwitch.Context cx, long until, boolean showProgress)
            throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            var answers = Fanout.ask(cx.session().pool(), cx.replicas(), n -> node(cx, n.announced()).replication().isMaster(), 150);
            for (var a : answers) {
                if (a.ok() && a.value()) {
                    return Optional.of(a.input());
                }
            }
            if (System.nanoTime() > until) {
                return Optional.empty();
            }
            if (showProgress) {
                cx.progress().update("writes released; " + cx.oldName() + " refuses them (write fence) until a replica is "
                        + "promoted (" + Waiter.since(start) + ")");
            }
            Thread.sleep(10);
        }
    }

    static boolean linked(MasterSwitch.Context cx, Node n) {
        try {
            return ReplicaLinks.linked(cx.session(), n, cx.oldMaster().address());
        } catch (RuntimeException e) {
            return false;
        }
    }

}
