package rsc.ops;

import rsc.backend.Progress;
import rsc.command.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.result.CommandResult;
import rsc.session.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code SENTINEL FAILOVER}, then waits for the sentinels to publish {@code +switch-master}: the moment clients
 * are told of the new master, which is when the operator's failover is done.
 */
public final class Failover {

    /** The switch a sentinel announced. */
    public record Switch(Endpoint from, Endpoint to, long elapsedNanos) {
    }

    private Failover() {
    }

    public static CommandResult run(Session session, String groupName, Duration timeout, Progress progress)
            throws InterruptedException {
        return run(session, groupName, timeout, false, progress);
    }

    /**
     * @param force ask for the failover even when CKQUORUM says quorum or majority cannot be reached (a forced
     *              SENTINEL FAILOVER needs no majority: one sentinel left alone would promote on its own say-so)
     */
    public static CommandResult run(Session session, String groupName, Duration timeout, boolean force, Progress progress)
            throws InterruptedException {
        Group group = Group.require(session, groupName);
        List<Node> sentinels = group.runningSentinels();
        if (sentinels.isEmpty()) {
            throw new RscException("'" + groupName + "' has no running sentinels: a failover needs them ('scale sentinels 3')");
        }
        if (!force) {
            // every sentinel at once: an unreachable one costs its timeout once, not once per sentinel
            var answers = Fanout.ask(session.pool(), sentinels,
                    s -> session.redis().sentinel(s.announced()).ckquorum(groupName), 3000);
            if (answers.stream().noneMatch(a -> a.ok() && a.value().ok())) {
                String refusal = answers.stream().filter(Fanout.Answer::ok).map(a -> a.value().text()).findFirst()
                        .orElse("no sentinel answers");
                throw new RscException("quorum or majority cannot be reached for '" + groupName + "' (" + refusal
                        + "): no failover asked; '--force' asks anyway");
            }
        }
        // a failover still finishing (its leader reconfiguring replicas) would answer INPROG: let it end first
        if (SentinelAgreement.anyFailingOver(session, groupName, sentinels)) {
            progress.update("the previous failover of " + groupName + " is still finishing: waiting for the sentinels to agree");
            SentinelAgreement.await(session, groupName, sentinels, timeout, progress);
        }
        MasterLocator.Located oldMaster = MasterLocator.locate(session, groupName, group.nodes())
                .orElseThrow(() -> new RscException("the sentinels of '" + groupName + "' name no master"));
        // a planned failover loses nothing the master acknowledged: replicas finish their sync and catch up first
        int replicas = (int) group.runningRedis().stream()
                .filter(n -> oldMaster.node().map(m -> !m.name().equals(n.name())).orElse(true)).count();
        ReplicaCatchUp.Result caughtUp = ReplicaCatchUp.await(session, oldMaster.address(), replicas,
                timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10), progress);
        CompletableFuture<Switch> switched = new CompletableFuture<>();
        List<rsc.redis.Subscription> subs = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (Node s : sentinels) {
                try {
                    subs.add(session.redis().subscribe(s.announced(), false, "+switch-master", (channel, message) -> {
                        // "<name> <old-ip> <old-port> <new-ip> <new-port>"
                        String[] w = message.split(" ");
                        if (w.length == 5 && w[0].equals(groupName)) {
                            switched.complete(new Switch(new Endpoint(w[1], Integer.parseInt(w[2])),
                                    new Endpoint(w[3], Integer.parseInt(w[4])), System.nanoTime() - start));
                        }
                    }));
                } catch (RuntimeException e) {
                    // a sentinel we cannot hear from; the others will tell us
                }
            }
            if (subs.isEmpty()) {
                throw new RscException("cannot subscribe to any sentinel of '" + groupName + "' to follow the failover");
            }
            String accepted = null;
            RuntimeException lastError = null;
            // Sentinel promotes only replicas whose INFO it refreshed in the last 5 s, but polls replicas every 10 s:
            // right after a failover it may answer NOGOODSLAVE while a replica is linked. Ask again while one is.
            long noGoodUntil = System.nanoTime() + Math.min(timeout.toNanos(), Duration.ofSeconds(15).toNanos());
            while (accepted == null) {
                boolean noGoodReplica = false;
                for (Node s : sentinels) {
                    try {
                        session.redis().sentinel(s.announced()).failover(groupName);
                        accepted = s.name();
                        break;
                    } catch (rsc.redis.RespError e) {
                        String msg = e.text();
                        if (msg.startsWith("NOGOODSLAVE") || msg.contains("No suitable replica")) {
                            noGoodReplica = true;
                            break;
                        }
                        if (msg.startsWith("INPROG")) {
                            accepted = s.name() + " (a failover was already in progress)";
                            break;
                        }
                        lastError = e;
                    } catch (RuntimeException e) {
                        lastError = e;
                    }
                }
                if (accepted != null || !noGoodReplica) {
                    break;
                }
                if (System.nanoTime() > noGoodUntil || !aReplicaIsLinked(session, group, oldMaster.address())) {
                    throw new RscException("no replica of '" + groupName + "' can be promoted (none is linked and "
                            + "healthy as the sentinels see it): 'scale slaves 1' or check 'sentinel status'");
                }
                progress.update("a replica is linked, but the sentinels have not refreshed it yet: asking again");
                Thread.sleep(500);
            }
            if (accepted == null) {
                throw new RscException("no sentinel accepted SENTINEL FAILOVER " + groupName + ": "
                        + rsc.session.ErrorTranslator.translate(lastError).getMessage());
            }
            Switch sw = await(switched, timeout, progress, groupName);
            // +switch-master is when clients are told: return now. The leader still reconfigures the other replicas
            // (about a second, polled by Sentinel); 'wait agreement' waits for that, and the next failover does too.
            String from = describe(session, group.nodes(), sw.from());
            String to = describe(session, group.nodes(), sw.to());
            String converted = convertOldMaster(session, oldMaster, sw.to(), from);
            long agree = SentinelAgreement.agreeingWith(session, groupName, sentinels, sw.to());
            String agreement = agree == sentinels.size() ? "all " + agree + " sentinel(s) agree"
                    : agree + "/" + sentinels.size() + " sentinel(s) agree so far; the leader is reconfiguring the "
                    + "replicas ('wait agreement' waits for all)";
            return CommandResult.builder()
                    .ok("failover of " + groupName + ": " + from + " -> " + to + " in "
                            + String.format(java.util.Locale.ROOT, "%.1f s", sw.elapsedNanos() / 1e9) + "; " + agreement)
                    .info("asked " + accepted + "; " + caughtUp.describe() + "; " + converted)
                    .build();
        } finally {
            subs.forEach(rsc.redis.Subscription::closeAsync);
        }
    }

    /** Whether some data node replicates from the master with its link up, as rsc sees it. */
    private static boolean aReplicaIsLinked(Session session, Group group, Endpoint master) {
        for (Node n : group.runningRedis()) {
            try {
                if (ReplicaLinks.linked(session, n, master)) {
                    return true;
                }
            } catch (RuntimeException e) {
                // not this one
            }
        }
        return false;
    }

    /**
     * Sentinel turns the old master into a replica only at its next poll of it (up to 10 s), and until then two
     * nodes say role:master. The sentinels already agree on the new master, so rsc sends the same REPLICAOF now.
     */
    private static String convertOldMaster(Session session, MasterLocator.Located before, Endpoint newMaster, String from) {
        String old = before.node().map(Node::name).orElse(from);
        try {
            var c = session.redis().node(before.address());
            if (!c.replication().isMaster()) {
                return "the old master " + old + " already follows the new one";
            }
            c.replicaOf(newMaster);
            return "the old master " + old + " now follows the new one (REPLICAOF " + newMaster + ")";
        } catch (RuntimeException e) {
            return "the old master " + old + " did not answer; Sentinel reconfigures it as a replica when it is back";
        }
    }

    private static Switch await(CompletableFuture<Switch> switched, Duration timeout, Progress progress, String group)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RscException("no +switch-master for '" + group + "' within " + timeout.toSeconds()
                        + " s; the failover may still be under way: see 'sentinel status'");
            }
            try {
                return switched.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                progress.update("waiting for the sentinels to announce +switch-master (" + Waiter.since(start) + ")");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new RscException("failover: " + e.getCause().getMessage());
            }
        }
    }

    private static String describe(Session session, List<Node> nodes, Endpoint e) {
        return MasterLocator.nodeAt(session, nodes, e).map(n -> n.name() + " (" + n.reach() + ")").orElse(e.toString());
    }
}
