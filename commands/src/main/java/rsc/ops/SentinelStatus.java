package rsc.ops;

import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.redis.CkQuorum;
import rsc.redis.Reads;
import rsc.redis.Replication;
import rsc.redis.SentinelMaster;
import rsc.redis.SentinelPeer;
import rsc.redis.SentinelReport;
import rsc.session.ErrorTranslator;
import rsc.session.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the sentinels of one group say. Every sentinel is asked {@code SENTINEL MASTER} and {@code CKQUORUM} (the
 * first also {@code REPLICAS}) in one round trip, all at once; the master the first answer names is asked its offset
 * for the lag as soon as it is named, while the other sentinels are awaited, so the two round trips overlap and a
 * frozen master and frozen sentinels cost one timeout together, not one after the other.
 */
public final class SentinelStatus {

    /** How long the sentinels' answers are waited for, counted from the moment they were asked. */
    private static final long ANSWER_MS = 3000;

    /** One sentinel's answer: its view of the master and its CKQUORUM, or why it gave none. */
    public record SentinelView(Node sentinel, Optional<SentinelMaster> master, Optional<CkQuorum> ckquorum,
                               String error) {
    }

    /** One replica as the sentinels list it, with its lag behind the master in bytes when known. */
    public record ReplicaView(Endpoint address, Optional<Node> node, List<String> flags, boolean linkUp, Long lagBytes,
                              long priority) {
    }

    /**
     * The group as its sentinels see it.
     *
     * @param nodes    the group's nodes as the backend listed them when it was asked
     * @param masters  the distinct master addresses the sentinels name (one when they agree)
     * @param master   the master most sentinels name, with its node
     */
    public record View(String group, List<Node> nodes, List<SentinelView> sentinels, Set<Endpoint> masters,
                       Optional<MasterLocator.Located> master, List<ReplicaView> replicas) {

        public boolean agree() {
            return masters.size() == 1 && sentinels.stream().allMatch(s -> s.master().isPresent());
        }

        public boolean quorumOk() {
            return sentinels.stream().anyMatch(s -> s.ckquorum().map(CkQuorum::ok).orElse(false));
        }
    }

    /** The questions are out; {@link #await} collects the answers. */
    public static final class Pending {
        private final Session session;
        private final Reads reads;
        private final Group group;
        private final List<CompletableFuture<SentinelReport>> reports;
        private final long deadline;
        /** The master the first answering sentinel named (guarded by this). */
        private Endpoint named;
        /** That master's replication, asked as soon as it is named (guarded by this). */
        private CompletableFuture<Replication> offset;

        private Pending(Session session, Reads reads, Group group, List<CompletableFuture<SentinelReport>> reports) {
            this.session = session;
            this.reads = reads;
            this.group = group;
            this.reports = reports;
            this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_MS);
            reports.forEach(f -> f.thenAccept(r -> r.master().ifPresent(m -> named(m.address()))));
        }

        private synchronized void named(Endpoint master) {
            if (named == null) {
                named = master;
                offset = CompletableFuture.supplyAsync(() -> reads.node(master).replication(), session.pool());
            }
        }

        /** One sentinel's answer, by the deadline. */
        private SentinelReport answer(CompletableFuture<SentinelReport> f)
                throws InterruptedException, ExecutionException, TimeoutException {
            return f.get(left(), TimeUnit.NANOSECONDS);
        }

        private long left() {
            return Math.max(0, deadline - System.nanoTime());
        }

        /** Waits for every sentinel (at most until the deadline), then builds the view. */
        public View await() throws InterruptedException {
            List<Node> sentinels = group.sentinels();
            List<SentinelView> views = new ArrayList<>();
            Optional<List<SentinelPeer>> listed = Optional.empty();
            for (int i = 0; i < sentinels.size(); i++) {
                Node s = sentinels.get(i);
                try {
                    SentinelReport r = answer(reports.get(i));
                    views.add(new SentinelView(s, r.master(), r.ckquorum(),
                            r.master().isPresent() ? null : "does not monitor " + group.name()));
                    if (listed.isEmpty()) {
                        listed = r.replicas();
                    }
                } catch (ExecutionException e) {
                    views.add(failed(s, ErrorTranslator.translate(e.getCause()).getMessage()));
                } catch (TimeoutException e) {
                    reports.get(i).cancel(true);
                    views.add(failed(s, "no answer within " + ANSWER_MS + " ms"));
                } catch (InterruptedException e) {
                    reports.forEach(f -> f.cancel(true));
                    throw e;
                }
            }
            Set<Endpoint> masters = new LinkedHashSet<>();
            views.forEach(v -> v.master().ifPresent(m -> masters.add(m.address())));
            Optional<MasterLocator.Located> located = majority(session, group, views);
            if (located.isEmpty()) {
                located = MasterLocator.locate(session, reads, group.name(), group.nodes());
            }
            List<ReplicaView> replicas = replicas(listed, views, located);
            return new View(group.name(), group.nodes(), views, masters, located, replicas);
        }

        /** The master's replication: the answer already asked for when it is the same master, else asked now; null if none. */
        private Replication masterReplication(Endpoint master) throws InterruptedException {
            CompletableFuture<Replication> asked;
            synchronized (this) {
                asked = master.equals(named) ? offset : null;
            }
            try {
                if (asked != null) {
                    return asked.get(ANSWER_MS + 2000, TimeUnit.MILLISECONDS);   // the read is bounded itself, too
                }
                return reads.node(master).replication();
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                return null;
            }
        }

        private static SentinelView failed(Node s, String why) {
            return new SentinelView(s, Optional.empty(), Optional.empty(), why);
        }

        /** The replicas the first answering sentinel listed (asking the others only if it could not), with their lag. */
        private List<ReplicaView> replicas(Optional<List<SentinelPeer>> listed, List<SentinelView> views,
                                           Optional<MasterLocator.Located> master) throws InterruptedException {
            Optional<List<SentinelPeer>> peers = listed;
            for (int i = 0; peers.isEmpty() && i < views.size(); i++) {
                if (views.get(i).master().isPresent()) {
                    try {
                        peers = Optional.of(reads.sentinel(views.get(i).sentinel().announced()).replicas(group.name()));
                    } catch (RuntimeException e) {
                        // try the next sentinel
                    }
                }
            }
            if (peers.isEmpty()) {
                return List.of();
            }
            Replication masterInfo = master.isPresent() ? masterReplication(master.get().address()) : null;
            return peers.get().stream().map(p -> new ReplicaView(p.address(),
                    MasterLocator.nodeAt(session, group.nodes(), p.address()), p.flags(), p.linkUp(),
                    ReplicaLag.bytes(session, masterInfo, p.address()), p.priority())).toList();
        }
    }

    private SentinelStatus() {
    }

    public static View collect(Session session, Group group) throws InterruptedException {
        return ask(session, group).await();
    }

    /** Asks every sentinel of the group, without waiting: many groups are asked first and awaited after. */
    public static Pending ask(Session session, Group group) {
        Reads reads = session.reads();
        List<CompletableFuture<SentinelReport>> reports = new ArrayList<>();
        boolean replicasAsked = false;
        for (Node s : group.sentinels()) {
            if (!s.state().running()) {
                reports.add(CompletableFuture.failedFuture(
                        new RscException(s.name() + " is " + s.state().name().toLowerCase(Locale.ROOT))));
                continue;
            }
            reports.add(reads.sentinelReport(s.announced(), group.name(), !replicasAsked));
            replicasAsked = true;
        }
        return new Pending(session, reads, group, reports);
    }

    /** The master most answering sentinels name, without asking them again. */
    private static Optional<MasterLocator.Located> majority(Session session, Group group, List<SentinelView> views) {
        Map<Endpoint, Integer> votes = new HashMap<>();
        views.forEach(v -> v.master().ifPresent(m -> votes.merge(m.address(), 1, Integer::sum)));
        return votes.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> new MasterLocator.Located(e.getKey(), MasterLocator.nodeAt(session, group.nodes(), e.getKey()),
                        "sentinels (" + e.getValue() + "/" + views.size() + ")"));
    }
}
