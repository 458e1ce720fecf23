package rsc.ops;

import rsc.backend.Progress;
import rsc.error.CancelledException;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.redis.FailoverReply;
import rsc.redis.RedisNodeClient;
import rsc.redis.SentinelMaster;
import rsc.redis.SwitchWatch;
import rsc.session.ErrorTranslator;
import rsc.session.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Moves a group's master on purpose, losing no acknowledged write: every op that does so ({@code failover}; a drain or
 * an upgrade) calls {@link #run}. After {@code SENTINEL FAILOVER} the old master would go on acknowledging writes
 * until it is converted, and those vanish when it becomes a replica. So, by default: {@code CLIENT PAUSE WRITE} on
 * the master for at most {@link #pauseBound} (well below {@code down-after}: the pause also holds Sentinel's hello),
 * the replicas read up to the master's offset (polled: {@code WAIT} is held by the pause too), the {@link WriteFence}
 * goes up, {@code SENTINEL FAILOVER}, and as soon as a replica says {@code role:master} the old master follows it
 * ({@code REPLICAOF}), the fence comes down, writes go on. Whatever goes wrong, the pause ends within its bound (Redis
 * ends it by itself if rsc dies) and the fence keeps a replaced master from acknowledging anything.
 */
public final class MasterSwitch {

    /**
     * @param to      the replica to promote; empty lets Sentinel choose (then every replica must catch up)
     * @param pause   false: today's unpaused failover (writes made during the switch are lost)
     * @param timeout how long to wait for the promotion and {@code +switch-master}
     * @param force   ask even when CKQUORUM says quorum or majority cannot be reached
     */
    public record Request(Optional<String> to, boolean pause, Duration timeout, boolean force) {
    }

    /**
     * What happened.
     *
     * @param from        the old master, as the operator knows it
     * @param to          the new master
     * @param seconds     from asking to {@code +switch-master}
     * @param paused      whether writes were paused
     * @param heldMs      how long writes were held by the pause
     * @param boundMs     the pause's bound
     * @param notes       what else the operator should know, one line each
     */
    public record Outcome(String from, String to, Endpoint newMaster, double seconds, boolean paused, long heldMs,
                          long boundMs, long agreeing, int sentinels, List<String> notes) {
    }

    /** Everything one switch works with. */
    record Context(Session session, Group group, List<Node> sentinels, Node asked, MasterLocator.Located oldMaster,
                   String oldName, List<Node> replicas, Optional<Node> target, long boundMs, Progress progress) {
        String name() {
            return group.name();
        }
    }

    private MasterSwitch() {
    }

    /** The longest rsc pauses writes for a group whose sentinels use {@code downAfterMs}. */
    public static long pauseBound(long downAfterMs) {
        return Math.max(200, Math.min(2000, downAfterMs / 2));
    }

    /** What {@link #run} does, for {@code --dry-run}. */
    public static Plan plan(Session session, String groupName, Request req) throws InterruptedException {
        Group group = Group.require(session, groupName);
        List<Node> sentinels = requireSentinels(group);
        Plan p = new Plan("failover " + groupName + req.to().map(t -> " --to " + t).orElse("")
                + (req.pause() ? "" : " --no-pause"));
        String asked = sentinels.get(0).name();
        req.to().ifPresent(t -> p.redis(t, "CONFIG SET replica-priority 1 (put back afterwards)")
                .await(asked + " lists " + t + " with slave-priority 1 (SENTINEL REPLICAS, up to 10 s)"));
        sentinels.forEach(n -> p.redis(n.name(), "SUBSCRIBE +switch-master"));
        if (!req.pause()) {
            p.redis("the master", "INFO replication until every running replica is online, then WAIT <replicas> 2000");
            p.redis(asked, "SENTINEL FAILOVER " + groupName);
            p.note("writes are not paused: what the old master acknowledges between SENTINEL FAILOVER and its "
                    + "conversion is lost");
            return p.await("+switch-master; then REPLICAOF <new master> on the old master");
        }
        long bound = sentinelMaster(session, sentinels.get(0), groupName).map(m -> pauseBound(m.downAfterMs())).orElse(1000L);
        return p.await(asked + " lists a promotable replica whose INFO it read in the last 20 s (SENTINEL REPLICAS)")
                .redis("the master", "CLIENT PAUSE " + bound + " WRITE")
                .await((req.to().isPresent() ? req.to().get() : "every replica") + " has the master's master_repl_offset "
                        + "(INFO replication, polled)")
                .redis("the master", "CONFIG SET min-replicas-to-write " + WriteFence.BASE + "+<its own> (the write fence)")
                .redis(asked, "SENTINEL FAILOVER " + groupName)
                .await("a replica says role:master (INFO replication, polled)")
                .redis("the old master", "REPLICAOF <new master>; CONFIG SET min-replicas-to-write <its own>; CLIENT UNPAUSE")
                .await("+switch-master for " + groupName + " (timeout " + req.timeout().toSeconds() + " s)");
    }

    public static Outcome run(Session session, String groupName, Request req, Progress progress) throws InterruptedException {
        Group group = Group.require(session, groupName);
        List<Node> sentinels = requireSentinels(group);
        List<String> notes = new ArrayList<>();
        WriteFence.liftWhereSafe(session, group).forEach(f -> notes.add(f.what()));
        if (!req.force()) {
            requireQuorum(session, groupName, sentinels);
        }
        // a failover still finishing (its leader reconfiguring replicas) would answer INPROG: let it end first
        if (SentinelAgreement.anyFailingOver(session, groupName, sentinels)) {
            progress.update("the previous failover of " + groupName + " is still finishing: waiting for the sentinels to agree");
            SentinelAgreement.await(session, groupName, sentinels, req.timeout(), progress);
        }
        MasterLocator.Located old = MasterLocator.locate(session, groupName, group.nodes())
                .orElseThrow(() -> new RscException("the sentinels of '" + groupName + "' name no master"));
        String oldName = old.node().map(Node::name).orElse(old.address().toString());
        // a frozen replica is still one Sentinel may pick (its last INFO looks fine for seconds): it must catch up too,
        // and since it cannot, the switch stops within the bound instead of risking its promotion
        List<Node> replicas = group.redis().stream()
                .filter(n -> n.state().running() || n.state() == rsc.model.NodeState.FROZEN)
                .filter(n -> !ReplicaLinks.sameNode(session, n.announced(), old.address())).toList();
        if (replicas.isEmpty()) {
            throw new RscException("'" + groupName + "' has no running replica to promote: 'scale slaves 1' first");
        }
        Optional<Node> target = req.to().map(t -> {
            if (t.equals(oldName)) {
                throw new RscException(t + " is already the master of '" + groupName + "'");
            }
            return replicas.stream().filter(n -> n.name().equals(t)).findFirst().orElseThrow(() -> new RscException(
                    "no running replica named " + t + " in '" + groupName + "' (replicas: "
                            + String.join(", ", replicas.stream().map(Node::name).toList()) + ")"));
        });
        // the sentinel asked must see the master rsc pauses, with no failover of its own still finishing
        Node asked = sentinels.stream().filter(s -> sentinelMaster(session, s, groupName).filter(m -> !m.failoverInProgress()
                        && ReplicaLinks.sameNode(session, m.address(), old.address())).isPresent()).findFirst()
                .orElseThrow(() -> new RscException("no sentinel of '" + groupName + "' names " + oldName
                        + " as the master with no failover in progress: 'wait agreement', then again"));
        long bound = pauseBound(sentinelMaster(session, asked, groupName).orElseThrow().downAfterMs());
        Context cx = new Context(session, group, sentinels, asked, old, oldName, replicas, target, bound, progress);
        ReplicaPriorities.Steered steered = target.map(t -> ReplicaPriorities.steer(session, t,
                replicas.stream().filter(n -> !n.name().equals(t.name())).toList())).orElse(ReplicaPriorities.Steered.none());
        Outcome outcome;
        try {
            outcome = switchOver(cx, req, steered, notes);
        } catch (RuntimeException | InterruptedException e) {
            // Ctrl-C too: the priorities go back whatever stopped the switch
            List<String> unrestored = restoreUninterrupted(session, steered);
            if (e instanceof InterruptedException ie) {
                if (unrestored.isEmpty()) {
                    throw ie;
                }
                throw new CancelledException("cancelled; " + String.join("; ", unrestored));
            }
            if (unrestored.isEmpty()) {
                throw (RuntimeException) e;
            }
            String msg = e.getMessage() + "; " + String.join("; ", unrestored);
            throw e instanceof CancelledException ? new CancelledException(msg) : new RscException(msg, e);
        }
        outcome.notes().addAll(restoreUninterrupted(session, steered));
        return outcome;
    }

    private static Outcome switchOver(Context cx, Request req, ReplicaPriorities.Steered steered, List<String> notes)
            throws InterruptedException {
        Session session = cx.session();
        String groupName = cx.name();
        try (SwitchWatch watch = session.redis().watchSwitch(groupName, cx.sentinels().stream().map(Node::announced).toList())) {
            if (!watch.listening()) {
                throw new RscException("cannot subscribe to any sentinel of '" + groupName + "' to follow the failover");
            }
            ReplicaPriorities.awaitSeen(session, cx.asked(), groupName, steered, Duration.ofSeconds(12), cx.progress());
            long startedAt = System.nanoTime();
            SwitchSteps.Moved moved = req.pause() ? SwitchSteps.paused(cx, req.timeout()) : UnpausedSwitch.run(cx, req.timeout());
            notes.addAll(moved.notes());
            long askedAt = moved.askedNanos();
            long left = req.timeout().toMillis() - (System.nanoTime() - startedAt) / 1_000_000;
            Optional<SwitchWatch.Switch> sw = Optional.empty();
            while (sw.isEmpty() && left > 0) {
                sw = watch.await(Math.min(250, left));
                left = req.timeout().toMillis() - (System.nanoTime() - startedAt) / 1_000_000;
                cx.progress().update("waiting for the sentinels to announce +switch-master (" + Waiter.since(askedAt) + ")");
            }
            if (sw.isEmpty()) {
                throw new RscException("no +switch-master for '" + groupName + "' within " + req.timeout().toSeconds()
                        + " s; " + moved.describe() + "; the failover may still be under way: see 'sentinel status'");
            }
            Endpoint to = sw.get().to();
            if (!req.pause()) {
                notes.add(UnpausedSwitch.convertAfterSwitch(cx, to));
            }
            long agree = SentinelAgreement.agreeingWith(session, groupName, cx.sentinels(), to);
            String toName = MasterLocator.nodeAt(session, cx.group().nodes(), to).map(Node::name).orElse(to.toString());
            if (cx.target().isPresent() && !toName.equals(cx.target().get().name())) {
                notes.add("Sentinel promoted " + toName + ", not " + cx.target().get().name() + " as asked");
            }
            return new Outcome(cx.oldName(), toName, to, (System.nanoTime() - askedAt) / 1e9, req.pause(), moved.heldMs(),
                    cx.boundMs(), agree, cx.sentinels().size(), notes);
        }
    }

    /** Priorities go back even on Ctrl-C (a Lettuce call on an interrupted thread fails at once). */
    private static List<String> restoreUninterrupted(Session session, ReplicaPriorities.Steered steered) {
        boolean interrupted = Thread.interrupted();
        try {
            return ReplicaPriorities.restore(session, steered);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<Node> requireSentinels(Group group) {
        List<Node> sentinels = group.runningSentinels();
        if (sentinels.isEmpty()) {
            throw new RscException("'" + group.name() + "' has no running sentinels: a failover needs them ('scale sentinels 3')");
        }
        return sentinels;
    }

    private static void requireQuorum(Session session, String groupName, List<Node> sentinels) throws InterruptedException {
        // every sentinel at once: an unreachable one costs its timeout once, not once per sentinel
        var answers = Fanout.ask(session.pool(), sentinels, s -> session.redis().sentinel(s.announced()).ckquorum(groupName), 3000);
        if (answers.stream().noneMatch(a -> a.ok() && a.value().ok())) {
            String refusal = answers.stream().filter(Fanout.Answer::ok).map(a -> a.value().text()).findFirst()
                    .orElse("no sentinel answers");
            throw new RscException("quorum or majority cannot be reached for '" + groupName + "' (" + refusal
                    + "): no failover asked; '--force' asks anyway");
        }
    }

    static Optional<SentinelMaster> sentinelMaster(Session session, Node sentinel, String group) {
        try {
            return session.redis().sentinel(sentinel.announced()).master(group);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The failure to throw after a step failed: Ctrl-C stays a cancel (exit 130), with what was done. */
    static RscException failed(Throwable cause, String whatHappened) {
        RscException t = cause instanceof InterruptedException ? new CancelledException() : ErrorTranslator.translate(cause);
        if (t instanceof CancelledException) {
            Thread.currentThread().interrupt();
            return new CancelledException("cancelled: " + whatHappened);
        }
        return new RscException(t.getMessage() + "; " + whatHappened, cause);
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%d ms", nanos / 1_000_000);
    }

    static RedisNodeClient node(Context cx, Endpoint e) {
        return cx.session().redis().node(e);
    }
}
