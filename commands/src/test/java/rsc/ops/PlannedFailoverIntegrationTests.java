package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import rsc.model.Node;
import rsc.redis.FollowingWriter;
import rsc.testing.LocalTestBed;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A planned {@code failover} under an application's writes (issue 14): a writer that follows the master through the
 * sentinels, without {@code WAIT}, counts what was acknowledged; afterwards every acknowledged key must be on the
 * master. One local group (master, 2 replicas, 3 sentinels at down-after 2000 ms), the tests in order on it.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlannedFailoverIntegrationTests {

    private static final String G = "pf";
    private static LocalTestBed bed;

    @BeforeAll
    static void group() throws Exception {
        bed = new LocalTestBed();
        int base = LocalTestBed.freePorts(30);
        bed.ok("create-master " + G + " --port " + base);
        bed.ok("scale slaves 2 --port " + (base + 1));
        bed.ok("scale sentinels 3 --port " + (base + 20) + " --down-after 2000 --failover-timeout 10000");
    }

    @AfterAll
    static void cleanup() throws Exception {
        bed.close();
    }

    static FollowingWriter writer(String tag, int rate) {
        List<rsc.model.Endpoint> sentinels = bed.engine().session().backend().nodes(G).stream()
                .filter(Node::isSentinel).map(Node::announced).toList();
        return bed.engine().session().redis().followingWriter(G, sentinels, "rsc:test:" + tag + ":", rate,
                Duration.ofSeconds(3));
    }

    static String text(rsc.session.Outcome o) {
        return String.join("\n", rsc.testing.RecordingInteraction.render(o.result()));
    }

    /** The pause a failover reported ("writes paused N ms"), -1 when it reported none. */
    static long heldMs(String said) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("writes paused (\\d+) ms").matcher(said);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Exactly one data node says role:master, and none keeps a write fence (min-replicas-to-write 10000+). */
    static void assertOneMasterNoFence() {
        int masters = 0;
        for (Node n : bed.engine().session().backend().nodes(G)) {
            if (!n.isRedis()) {
                continue;
            }
            var c = bed.engine().session().redis().node(n.announced());
            masters += c.replication().isMaster() ? 1 : 0;
            assertTrue(Integer.parseInt(c.configGet("min-replicas-to-write")) < 10_000, n.name() + " keeps a write fence");
        }
        assertEquals(1, masters, "one master");
    }

    @Test
    @Order(1)
    void failoversUnderWritesLoseNoAcknowledgedWrite() throws Exception {
        FollowingWriter w = writer("planned", 150).start();
        List<FollowingWriter.Write> done;
        try {
            Thread.sleep(1000);
            for (int i = 0; i < 3; i++) {
                String said = text(bed.ok("failover --timeout 30s"));
                System.out.println("FAILOVER " + said);
                long held = heldMs(said);
                assertTrue(held >= 0 && held <= 1000, "writes paused no longer than the bound (1000 ms): " + said);
                bed.ok("wait agreement --timeout 30s");
                assertOneMasterNoFence();
                Thread.sleep(1000);
            }
        } finally {
            done = w.stop();
        }
        FollowingWriter.Tally t = FollowingWriter.tally(done);
        int lost = w.lost(done, false);
        System.out.println(String.format(Locale.ROOT, "RELIABILITY planned failover x3 at 150/s: %d acknowledged, "
                + "%d failed, %d lost, longest without an acknowledged write %.2f s", t.acknowledged(), t.failed(), lost,
                t.longestWithoutAck().toMillis() / 1000.0));
        assertTrue(t.acknowledged() > 600, "the writer kept writing: " + t);
        assertEquals(0, lost, "acknowledged writes lost across 3 failovers (" + t + ")");
    }

    /** Stops the writer, prints what it saw, and fails when an acknowledged write is missing from the master. */
    static FollowingWriter.Tally stopNoneLost(FollowingWriter w, String what) throws Exception {
        List<FollowingWriter.Write> done = w.stop();
        FollowingWriter.Tally t = FollowingWriter.tally(done);
        int lost = w.lost(done, false);
        System.out.println("RELIABILITY " + what + " at 150/s: " + t + ", " + lost + " lost");
        assertEquals(0, lost, what + ": acknowledged writes lost (" + t + ")");
        return t;
    }

    static Node master() throws InterruptedException {
        var located = MasterLocator.locate(bed.engine().session(), G).orElseThrow();
        return located.node().orElseThrow();
    }

    static List<Node> replicas() throws InterruptedException {
        Node m = master();
        return bed.engine().session().backend().nodes(G).stream().filter(n -> n.isRedis() && !n.name().equals(m.name())).toList();
    }

    /** The "writes were held N ms" an error or result reported, -1 when none. */
    static long heldInError(String said) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("writes were held (\\d+) ms").matcher(said);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Waits until a sentinel lists every replica with this replica-priority (it reads INFO every 10 s). */
    static void sentinelSeesPriority(long priority) {
        Node s = bed.engine().session().backend().nodes(G).stream().filter(Node::isSentinel).findFirst().orElseThrow();
        long until = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < until) {
            var peers = bed.engine().session().redis().sentinel(s.announced()).replicas(G);
            if (!peers.isEmpty() && peers.stream().allMatch(p -> p.priority() == priority)) {
                return;
            }
            rsc.testing.Sleep.sleep(200);
        }
        throw new AssertionError("the sentinel never listed replica-priority " + priority);
    }

    @Test
    @Order(2)
    void toChoosesTheReplicaAndPutsThePrioritiesBack() throws Exception {
        List<Node> replicas = replicas();
        Node chosen = replicas.get(replicas.size() - 1);
        String plan = text(bed.ok("failover --to " + chosen.name() + " --dry-run"));
        assertTrue(plan.contains("CLIENT PAUSE 1000 WRITE") && plan.contains("replica-priority 1")
                && plan.contains("REPLICAOF <new master>") && plan.contains("dry run: nothing was changed"), plan);
        assertTrue(text(bed.ok("failover --no-pause --dry-run")).contains("writes are not paused"));
        String said = text(bed.ok("failover --to " + chosen.name()));
        System.out.println("FAILOVER --to " + said);
        assertTrue(said.contains("-> " + chosen.name()), said);
        assertEquals(chosen.name(), master().name());
        bed.ok("wait agreement --timeout 30s");
        assertOneMasterNoFence();
        for (Node n : bed.engine().session().backend().nodes(G)) {
            if (n.isRedis()) {
                assertEquals("100", bed.engine().session().redis().node(n.announced()).configGet("replica-priority"),
                        n.name() + ": priority put back");
            }
        }
        rsc.session.Outcome bad = bed.fails("failover --to " + chosen.name());
        assertTrue(bad.error().getMessage().contains("already the master"), bad.error().getMessage());
        assertTrue(bed.fails("failover --to nosuch").error().getMessage().contains("no running replica named nosuch"));
    }

    /**
     * CI saw a rotation's switch stop because one replica was 180 bytes behind for the half-bound (a busy disk): a
     * replica a moment behind catches up once writes flow, and the switch pauses again instead of giving up.
     */
    @Test
    @Order(3)
    void aReplicaBrieflyBehindCatchesUpAndTheSwitchGoesOn() throws Exception {
        Node before = master();
        Node slow = replicas().get(0);
        String pid = bed.engine().session().redis().node(slow.announced()).info("server").get("process_id");
        FollowingWriter w = writer("brief", 150).start();
        rsc.session.Outcome o;
        var thaw = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            Thread.sleep(500);
            signal("STOP", pid);
            // thawed while the switch waits for it, 1.2 s after it froze: past the first pause's half-bound
            var thawed = thaw.schedule(() -> signal("CONT", pid), 1200, java.util.concurrent.TimeUnit.MILLISECONDS);
            try {
                o = bed.ok("failover");
            } finally {
                thawed.get();
            }
            Thread.sleep(500);
        } finally {
            signal("CONT", pid);
            thaw.shutdownNow();
            FollowingWriter.Tally t = stopNoneLost(w, "a replica briefly behind");
            assertTrue(t.longestWithoutAck().toMillis() < 1500, "each pause held writes at most the bound: " + t);
        }
        String said = text(o);
        System.out.println("BRIEFLY BEHIND " + said);
        assertTrue(said.contains(slow.name() + " (") && said.contains("caught up with writes flowing"), said);
        assertTrue(!master().name().equals(before.name()), "the master moved: " + said);
        assertOneMasterNoFence();
    }

    private static Void signal(String sig, String pid) throws java.io.IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, pid).inheritIO().start().waitFor();
        return null;
    }

    @Test
    @Order(3)
    void aReplicaThatDoesNotCatchUpStopsTheSwitchWithinTheBound() throws Exception {
        Node before = master();
        Node frozen = replicas().get(0);
        FollowingWriter w = writer("laggard", 150).start();
        rsc.session.Outcome o;
        try {
            Thread.sleep(500);
            bed.ok("pause " + frozen.name());
            try {
                o = bed.fails("failover");
            } finally {
                bed.ok("resume " + frozen.name());
            }
            Thread.sleep(500);
        } finally {
            FollowingWriter.Tally t = stopNoneLost(w, "a replica that does not catch up");
            assertTrue(t.longestWithoutAck().toMillis() < 1500, "the writer waited at most the bound: " + t);
        }
        String msg = o.error().getMessage();
        System.out.println("LAGGARD " + msg);
        assertTrue(msg.contains(frozen.name()) && msg.contains("no failover asked"), msg);
        long held = heldInError(msg);
        assertTrue(held >= 0 && held <= 1000, msg);
        assertEquals(before.name(), master().name(), "the master did not move");
        assertOneMasterNoFence();
    }

    @Test
    @Order(4)
    void noGoodSlaveReleasesTheWritesAndChangesNothing() throws Exception {
        Node before = master();
        List<Node> replicas = replicas();
        try {
            for (Node r : replicas) {
                bed.ok("redis --node " + r.name() + " CONFIG SET replica-priority 0");
            }
            sentinelSeesPriority(0);
            rsc.session.Outcome o = bed.fails("failover");
            String msg = o.error().getMessage();
            System.out.println("NOGOODSLAVE " + msg);
            assertTrue(msg.contains("NOGOODSLAVE") && msg.contains("nothing changed"), msg);
            long held = heldInError(msg);
            assertTrue(held >= 0 && held <= 1000, msg);
        } finally {
            for (Node r : replicas) {
                bed.ok("redis --node " + r.name() + " CONFIG SET replica-priority 100");
            }
        }
        assertEquals(before.name(), master().name());
        assertOneMasterNoFence();
        sentinelSeesPriority(100);
    }

    /** A console of its own on the group whose progress line {@code trigger} runs {@code action} once, in the op's thread. */
    static rsc.session.Engine consoleActingAt(String trigger, Runnable action) {
        return bed.consoleActingAt(G, trigger, action);
    }

    /** Ctrl-C (an interrupt of the command's thread) at {@code step}: the outcome and what the writer saw. */
    static String ctrlCAt(String step) throws Exception {
        Thread[] worker = new Thread[1];
        rsc.session.Outcome[] out = new rsc.session.Outcome[1];
        try (rsc.session.Engine console = consoleActingAt(step, () -> worker[0].interrupt())) {
            worker[0] = new Thread(() -> out[0] = console.execute("failover --timeout 30s"), "failover-ctrl-c");
            worker[0].start();
            worker[0].join(60_000);
        }
        assertTrue(out[0] != null && out[0].error() instanceof rsc.error.CancelledException,
                "Ctrl-C at '" + step + "' cancels: " + (out[0] == null ? "still running" : out[0].error()));
        return out[0].error().getMessage();
    }

    @Test
    @Order(5)
    void ctrlCBeforeOrAfterAskingLeavesOneMasterAndNoFence() throws Exception {
        Node before = master();
        FollowingWriter w = writer("ctrl-c", 150).start();
        String early;
        String late;
        try {
            Thread.sleep(500);
            early = ctrlCAt("(at most");
            System.out.println("CTRL-C early " + early);
            assertEquals(before.name(), master().name(), "cancelled before SENTINEL FAILOVER: the master did not move");
            assertOneMasterNoFence();
            Thread.sleep(500);
            late = ctrlCAt("SENTINEL FAILOVER accepted");
            System.out.println("CTRL-C late " + late);
            bed.ok("wait agreement --timeout 30s");
            Thread.sleep(1000);
        } finally {
            stopNoneLost(w, "ctrl-c x2");
        }
        assertTrue(early.contains("no failover asked") && heldInError(early) <= 1000, early);
        assertTrue(late.contains("follows") && heldInError(late) <= 1000, late);
        assertTrue(!before.name().equals(master().name()), "cancelled after SENTINEL FAILOVER: the switch was finished");
        assertOneMasterNoFence();
    }

    @Test
    @Order(6)
    void aPromotionThatNeverComesTimesOutBehindTheFenceAndDoctorLiftsIt() throws Exception {
        Node before = master();
        Node target = replicas().get(0);
        FollowingWriter w = writer("timeout", 150).start();
        rsc.session.Outcome o;
        String fenced;
        try (rsc.session.Engine console = consoleActingAt("asking", () -> bed.ok("pause " + target.name()))) {
            Thread.sleep(500);
            try {
                o = console.execute("failover --to " + target.name() + " --timeout 3s");
                // the switch is stuck: whatever the writer sends to the old master must be refused, not acknowledged
                fenced = rsc.testing.RedisCli.run(before.reach(), bed.engine().session().passwords().of(G).map(x -> x.reveal()),
                        "SET", "rsc:test:fenced", "x");
            } finally {
                bed.ok("resume " + target.name());
            }
            bed.ok("wait agreement --timeout 60s");
            String doctor = text(bed.engine().execute("doctor"));
            System.out.println("TIMEOUT doctor " + doctor.replace("\n", " / "));
            assertTrue(doctor.contains("write fence"), "doctor names the fence it lifted: " + doctor);
            Thread.sleep(1000);
        } finally {
            stopNoneLost(w, "promotion timeout");
        }
        String msg = o.error() == null ? "(no error)" : o.error().getMessage();
        System.out.println("TIMEOUT " + msg + " / SET on the old master: " + fenced);
        assertTrue(o.error() != null && msg.contains("write fence"), msg);
        assertTrue(heldInError(msg) >= 0 && heldInError(msg) <= 1000, msg);
        assertTrue(fenced.startsWith("NOREPLICAS") || fenced.startsWith("READONLY"), "old master took a write: " + fenced);
        assertOneMasterNoFence();
    }

    @Test
    @Order(7)
    void killMinus9AfterSentinelFailoverLosesNothingAndTheNextScaleLiftsTheFence() throws Exception {
        Node before = master();
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        FollowingWriter w = writer("kill9", 150).start();
        String fenceBeforeDoctor;
        String doctor;
        long refusedAfterMs;
        String answer;
        Process child = new ProcessBuilder(javaBin, "-cp", cp, FailoverChild.class.getName(), bed.stateDir().toString(), G,
                "failover --timeout 30s").redirectErrorStream(true).start();
        List<String> seen = new java.util.ArrayList<>();
        try {
            try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
                String line;
                while ((line = out.readLine()) != null) {
                    seen.add(line);
                    if (line.contains("SENTINEL FAILOVER accepted")) {
                        child.destroyForcibly();    // SIGKILL: no finally, no shutdown hook
                        break;
                    }
                }
            }
            assertTrue(child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the child died");
            assertTrue(seen.stream().anyMatch(l -> l.contains("SENTINEL FAILOVER accepted")), "killed mid-way: " + seen);
            // the old master: held by the pause at most its bound, then refused by the fence (or converted)
            long t0 = System.nanoTime();
            answer = rsc.testing.RedisCli.run(before.reach(), bed.engine().session().passwords().of(G).map(x -> x.reveal()),
                    "SET", "rsc:test:after-kill", "x");
            refusedAfterMs = (System.nanoTime() - t0) / 1_000_000;
            bed.ok("wait agreement --timeout 60s");
            fenceBeforeDoctor = bed.engine().session().redis().node(before.announced()).configGet("min-replicas-to-write");
            // the next command that changes the group lifts the fence (doctor does too: see the test above)
            doctor = text(bed.ok("scale slaves 2")).replace("\n", " / ");
            Thread.sleep(1000);
        } finally {
            child.destroyForcibly();
            stopNoneLost(w, "kill -9 after SENTINEL FAILOVER");
        }
        System.out.println("KILL9 old master answered '" + answer + "' after " + refusedAfterMs + " ms; fence before the "
                + "next command " + fenceBeforeDoctor + "; scale slaves 2: " + doctor);
        assertTrue(!answer.equals("OK"), "the old master took a write after the kill: " + answer);
        assertTrue(refusedAfterMs <= 1500, "writes held no longer than the bound (1000 ms): " + refusedAfterMs);
        if (Integer.parseInt(fenceBeforeDoctor) >= 10_000) {
            assertTrue(doctor.contains("write fence") && doctor.contains("lifted it"), doctor);
        }
        assertOneMasterNoFence();
    }
}
