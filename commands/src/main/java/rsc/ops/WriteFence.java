package rsc.ops;

import rsc.model.Endpoint;
import rsc.model.Finding;
import rsc.model.Node;
import rsc.redis.RedisNodeClient;
import rsc.redis.Replication;
import rsc.result.Severity;
import rsc.session.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fence that keeps an old master from taking writes while a switch moves the master away, even when rsc dies
 * mid-way: {@code min-replicas-to-write} raised to {@value #BASE} plus its own value, more replicas than any group
 * has, so the master answers {@code NOREPLICAS} to every write (held writes too, when {@code CLIENT PAUSE} ends).
 * A pause expires by itself; the fence stays in the node's config (Sentinel's {@code CONFIG REWRITE} even writes it
 * to disk) until rsc lifts it: at the end of the switch, or, after a {@code kill -9}, at the next switch or
 * {@code doctor}. The value says what to restore, so nothing needs remembering outside Redis.
 */
final class WriteFence {

    /** Added to the node's own {@code min-replicas-to-write}: no group has this many replicas. */
    static final int BASE = 10_000;

    /** A fence rsc raised on {@code node}, whose own value was {@code original}. */
    record Raised(Endpoint node, String name, int original) {
    }

    private WriteFence() {
    }

    /** Raises the fence on a master (keeping its own value inside the fence's). */
    static Raised raise(Session session, Endpoint master, String name) {
        RedisNodeClient c = session.redis().node(master);
        int current = parse(c.configGet("min-replicas-to-write"));
        int original = current >= BASE ? current - BASE : current;
        if (parse(c.configGet("min-replicas-max-lag")) <= 0) {
            // min-replicas-to-write counts only with a lag bound; 10 s is rsc's own setting for every group
            c.configSet("min-replicas-max-lag", Integer.toString(NodeConfig.MIN_REPLICAS_MAX_LAG));
        }
        c.configSet("min-replicas-to-write", Integer.toString(BASE + original));
        return new Raised(master, name, original);
    }

    /** Puts the node's own value back (and into its config file, where Sentinel may have written the fence). */
    static void lift(Session session, Raised fence) {
        RedisNodeClient c = session.redis().node(fence.node());
        c.configSet("min-replicas-to-write", Integer.toString(fence.original()));
        try {
            c.raw(List.of("CONFIG", "REWRITE"));
        } catch (RuntimeException e) {
            // a node started without a config file: the value in memory is what counts
        }
    }

    /** The fence on a node, if it has one. */
    static Optional<Raised> on(Session session, Node node) {
        int v = parse(session.reads().node(node.announced()).configGet("min-replicas-to-write"));
        return v >= BASE ? Optional.of(new Raised(node.announced(), node.name(), v - BASE)) : Optional.empty();
    }

    /**
     * Lifts every fence a switch left in the group where that is safe: on a node that follows a master now, or on
     * the master every sentinel names with no failover in progress. A node that still says {@code role:master} while
     * the sentinels name another keeps it: Sentinel converts it, and until then it must take no write.
     *
     * @return one finding per fence: INFO for those lifted, ERROR for those kept (with what lifts them)
     */
    static List<Finding> liftWhereSafe(Session session, Group group) throws InterruptedException {
        List<Finding> out = new ArrayList<>();
        var fences = Fanout.ask(session.pool(), group.runningRedis(), n -> on(session, n), 2000);
        if (fences.stream().noneMatch(a -> a.ok() && a.value().isPresent())) {
            return out;
        }
        Optional<Endpoint> agreed = agreedMaster(session, group);
        for (var a : fences) {
            if (!a.ok() || a.value().isEmpty()) {
                continue;
            }
            Raised f = a.value().get();
            String what = f.name() + " had the write fence of a master switch that did not finish (min-replicas-to-write "
                    + (BASE + f.original()) + ")";
            try {
                Replication r = session.reads().node(f.node()).replication();
                boolean legitimate = r.isMaster() && agreed.isPresent() && ReplicaLinks.sameNode(session, agreed.get(), f.node());
                boolean replaced = r.isMaster() && agreed.isPresent() && !legitimate;
                if (replaced) {
                    // every sentinel names another master and none is failing over: the REPLICAOF Sentinel would send
                    session.redis().node(f.node()).replicaOf(agreed.get());
                }
                if (!r.isMaster() || legitimate || replaced) {
                    lift(session, f);
                    out.add(new Finding(Severity.INFO, "write-fence", what + "; lifted it (min-replicas-to-write "
                            + f.original() + ") as it " + (legitimate ? "is the master every sentinel names"
                            : replaced ? "now follows " + agreed.get() + ", the master every sentinel names (REPLICAOF)"
                            : "follows a master now"), "nothing: done"));
                } else {
                    out.add(new Finding(Severity.ERROR, "write-fence", what + "; it still says role:master and the sentinels "
                            + agreed.map(e -> "name " + e).orElse("do not agree on a master yet") + ": it refuses writes until "
                            + "Sentinel converts it", "wait agreement --group " + group.name() + ", then doctor " + group.name()
                            + " (lifts it once safe)"));
                }
            } catch (RuntimeException e) {
                out.add(new Finding(Severity.ERROR, "write-fence", what + "; it did not answer to lift it",
                        "doctor " + group.name() + " again when it answers"));
            }
        }
        return out;
    }

    /** The master every running sentinel names with no failover in progress, if they agree. */
    static Optional<Endpoint> agreedMaster(Session session, Group group) throws InterruptedException {
        List<Node> sentinels = group.runningSentinels();
        if (sentinels.isEmpty()) {
            return Optional.empty();
        }
        var answers = Fanout.ask(session.pool(), sentinels, s -> session.reads().sentinel(s.announced()).master(group.name()), 2000);
        Endpoint named = null;
        for (var a : answers) {
            if (!a.ok() || a.value().isEmpty() || a.value().get().failoverInProgress()) {
                return Optional.empty();
            }
            Endpoint e = a.value().get().address();
            if (named != null && !ReplicaLinks.sameNode(session, named, e)) {
                return Optional.empty();
            }
            named = e;
        }
        return Optional.ofNullable(named);
    }

    private static int parse(String v) {
        try {
            return v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
