package rsc.ops;

import rsc.model.Node;
import rsc.session.Outcome;
import rsc.testing.RecordingInteraction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The faults of issue 6 that run the same on both backends, each asserting what the operator would check, each
 * returning what it measured for the test's {@code RELIABILITY} line. Nodes are frozen with rsc's own {@code pause}
 * (SIGSTOP locally, {@code docker pause} on Swarm).
 */
final class Faults {

    /** 2a: the master refused writes after {@code seconds}, having accepted {@code accepted} meanwhile. */
    record Refused(double seconds, int accepted, String answer) {
    }

    /** 2b: the switch came {@code switchedSeconds} after the freeze; two masters answered for {@code twoMastersSeconds}. */
    record Replaced(double switchedSeconds, double twoMastersSeconds, Map<String, Long> epochsBefore,
                    Map<String, Long> epochsAfter, int sentinelsOk) {
    }

    /** 4: how long each failover took to return, INCR retries, and the counter on every node at the end. */
    record Failovers(List<Double> returnSeconds, int incrRetries, Map<String, String> counters) {
        double min() {
            return returnSeconds.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        }

        double max() {
            return returnSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        double mean() {
            return returnSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        }
    }

    private Faults() {
    }

    /** Freezes every replica: the master must refuse writes within the lag bound (min-replicas-max-lag 10). */
    static Refused frozenReplicasMasterRefusesWrites(GroupUnderTest g, String key) throws InterruptedException {
        Node master = g.masterBySentinels();
        assertEquals("1", g.cli(master, "CONFIG", "GET", "min-replicas-to-write").lines().skip(1).findFirst().orElse(""));
        assertEquals("OK", g.cli(master, "SET", key + ":before", "1"));
        List<Node> replicas = g.dataNodes().stream().filter(n -> !n.name().equals(master.name())).toList();
        for (Node r : replicas) {
            g.ok("pause " + r.name());
        }
        // counted from when the last replica froze: on several swarm nodes each pause is a one-off task there (5-8 s)
        long t0 = System.nanoTime();
        String answer = "";
        double refusedAfter = -1;
        int accepted = 0;
        try {
            while (System.nanoTime() - t0 < 20_000_000_000L) {
                answer = g.cli(master, "SET", key + ":isolated", "x");
                if (answer.startsWith("NOREPLICAS")) {
                    refusedAfter = (System.nanoTime() - t0) / 1e9;
                    break;
                }
                accepted++;
                Thread.sleep(100);
            }
        } finally {
            for (Node r : replicas) {
                g.ok("resume " + r.name());
            }
        }
        assertTrue(refusedAfter > 0, "the master never refused a write: last answer " + answer);
        assertTrue(refusedAfter <= 12.5, "refused only after " + refusedAfter + " s");
        g.ok("wait replicas " + replicas.size() + " --timeout 30s");
        return new Refused(refusedAfter, accepted, answer);
    }

    /** Freezes the master: Sentinel fails over; once thawed exactly one master, epochs grew, CKQUORUM OK everywhere. */
    static Replaced frozenMasterIsReplaced(GroupUnderTest g) throws InterruptedException {
        Node old = g.masterBySentinels();
        int replicas = g.dataNodes().size() - 1;
        Map<String, Long> epochBefore = g.epochs();
        long t0 = System.nanoTime();
        g.ok("pause master");
        double switched;
        try {
            g.ok("wait switch-master --timeout 30s");
            switched = (System.nanoTime() - t0) / 1e9;
        } finally {
            g.ok("resume " + old.name());
        }
        long t1 = System.nanoTime();
        Node promoted = g.masterBySentinels();
        assertFalse(promoted.name().equals(old.name()), "a replica was promoted");
        double twoMastersFor = 0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<String> masters;
        while (true) {
            masters = g.rolesMaster();
            if (masters.size() == 1 || System.nanoTime() > deadline) {
                break;
            }
            twoMastersFor = (System.nanoTime() - t1) / 1e9;
            Thread.sleep(100);
        }
        assertEquals(List.of(promoted.name()), masters, "exactly one node says role:master");
        assertTrue(g.cli(old, "ROLE").startsWith("slave"), "the thawed master is a replica now: " + g.cli(old, "ROLE"));
        g.ok("wait agreement --timeout 30s");
        Map<String, Long> epochAfter = g.epochs();
        for (String s : epochBefore.keySet()) {
            assertTrue(epochAfter.get(s) > epochBefore.get(s), s + " config-epoch " + epochBefore + " -> " + epochAfter);
        }
        int ok = 0;
        for (Node s : g.sentinels()) {
            String ck = g.cli(s, "SENTINEL", "CKQUORUM", g.group());
            assertTrue(ck.startsWith("OK"), s.name() + ": " + ck);
            ok++;
        }
        g.ok("wait replicas " + replicas + " --timeout 30s");
        return new Replaced(switched, twoMastersFor, epochBefore, epochAfter, ok);
    }

    /** {@code rounds} failovers with an INCR between: one master after each, every increment on every node. */
    static Failovers failoversKeepTheCounter(GroupUnderTest g, int rounds, String counter) throws InterruptedException {
        String start = g.cli(g.masterBySentinels(), "GET", counter);
        long expected = start.isEmpty() ? 0 : Long.parseLong(start);
        List<Double> took = new ArrayList<>();
        int retries = 0;
        for (int i = 1; i <= rounds; i++) {
            String before = g.masterBySentinels().name();
            long f0 = System.nanoTime();
            g.ok("failover " + g.group() + " --timeout 30s");
            took.add((System.nanoTime() - f0) / 1e9);
            g.ok("wait agreement --group " + g.group() + " --timeout 30s");
            List<String> masters = g.rolesMaster();
            assertEquals(1, masters.size(), "round " + i + ": one master: " + masters);
            assertFalse(masters.get(0).equals(before), "round " + i + ": the master changed");
            assertEquals(g.masterBySentinels().name(), masters.get(0), "round " + i + ": the sentinels name the master");
            Outcome incr = null;
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                incr = g.engine().execute("redis --group " + g.group() + " INCR " + counter);
                if (incr.ok()) {
                    break;
                }
                retries++;
                Thread.sleep(200);
            }
            assertTrue(incr != null && incr.ok(), "round " + i + ": INCR: "
                    + (incr == null || incr.error() == null ? "" : incr.error().getMessage()));
            expected++;
            assertEquals(String.valueOf(expected), RecordingInteraction.render(incr.result()).get(0).replaceAll("\\D", ""),
                    "round " + i + ": the counter kept every increment");
        }
        g.ok("redis --group " + g.group() + " WAIT " + (g.dataNodes().size() - 1) + " 5000");
        Map<String, String> values = new LinkedHashMap<>();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            for (Node n : g.dataNodes()) {
                values.put(n.name(), g.cli(n, "GET", counter));
            }
            if (values.values().stream().allMatch(String.valueOf(expected)::equals) || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        for (var e : values.entrySet()) {
            assertEquals(String.valueOf(expected), e.getValue(), e.getKey() + " counter: " + values);
        }
        return new Failovers(took, retries, values);
    }
    /**
     * 5, one step: scales the replicas ({@code scaleLine}) to {@code n}, then no sentinel may list a replica that does
     * not run (rsc resets the sentinels when it shrinks). Replicas are compared as each backend's sentinels name them
     * ({@code running} and {@code listedBy} agree on the form). Returns how many sentinels listed a stale one.
     */
    static int scaleLeavesNoStaleReplicas(GroupUnderTest g, String scaleLine, int n, int cycle,
                                          Supplier<Set<String>> running, Function<Node, Set<String>> listedBy) {
        g.ok(scaleLine);
        Set<String> now = running.get();
        assertEquals(n, now.size(), "cycle " + cycle + ": " + n + " replicas run");
        int staleSeen = 0;
        for (Node s : g.sentinels()) {
            Set<String> stale = new TreeSet<>(listedBy.apply(s));
            stale.removeAll(now);
            if (!stale.isEmpty()) {
                staleSeen++;
            }
            assertTrue(stale.isEmpty(), "cycle " + cycle + " after 'scale slaves " + n + "': " + s.name()
                    + " lists replicas that do not run: " + stale + " (running " + now + ")");
        }
        return staleSeen;
    }
}
