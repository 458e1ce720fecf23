package rsc.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.backend.Backends;
import rsc.backend.swarm.SwarmBackend;
import rsc.command.Invocation;
import rsc.command.RscException;
import rsc.commands.Catalog;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.session.Engine;
import rsc.session.Outcome;
import rsc.session.Settings;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The faults an operator rehearses, against a real local group (master, 2 replicas, 3 sentinels at down-after 2000 ms,
 * failover-timeout 10000 ms), each checked the way an operator would check it: through the console's own commands and
 * through a fresh {@code redis-cli} that owes nothing to rsc. Each test prints one {@code RELIABILITY} line with what it
 * measured (the README's Reliability section quotes them).
 */
@Tag("integration")
class ReliabilityIntegrationTests {

    private static final String G = "rel";
    private static final int DOWN_AFTER_MS = 2000;
    private static final int FAILOVER_TIMEOUT_MS = 10000;

    private LocalTestBed bed;
    private int base;

    @BeforeEach
    void group() throws Exception {
        bed = new LocalTestBed();
        base = LocalTestBed.freePorts(30);
        bed.ok("create-master " + G + " --port " + base);
        bed.ok("scale slaves 2 --port " + (base + 1));
        bed.ok("scale sentinels 3 --port " + (base + 20) + " --down-after " + DOWN_AFTER_MS + " --failover-timeout "
                + FAILOVER_TIMEOUT_MS);
    }

    @AfterEach
    void cleanup() throws Exception {
        // thaw anything a test froze, so destroy can stop it
        for (Node n : bed.engine().session().backend().nodes(G)) {
            pid(n).ifPresent(p -> signal("CONT", p));
        }
        bed.close();
    }

    // ---------------------------------------------------------------------------------------------------- 1

    /** Master killed under a steady write load (WAIT 1 on every write), while a second console runs status. */
    @Test
    void fault1MasterKilledUnderWriteLoad() throws Exception {
        // A second console on the same state dir: the Engine is one operator's session, so another operator
        // watching during the incident is another Engine, as another ./rsc would be.
        RecordingInteraction ui2 = new RecordingInteraction();
        Settings s2 = Settings.fromEnvironment().withBackend("local").withStateDir(bed.stateDir()).withGroup(G);
        List<Long> statusMs = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> statusErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Outcome drill;
        try (Engine second = new Engine(s2, ui2, Catalog.table(), Backends.factory())) {
            second.execute("status");   // warm up: backend and clients
            Thread watcher = new Thread(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    Outcome o = second.execute("status");
                    statusMs.add((System.nanoTime() - t0) / 1_000_000);
                    if (o.error() != null) {
                        statusErrors.add(o.error().getMessage());
                    }
                    sleep(200);
                }
            }, "rel-status-watcher");
            watcher.start();
            try {
                drill = bed.ok("drill failover --writes 100 --wait-replicas 1 --keep-keys --timeout 30s");
            } finally {
                stop.set(true);
                watcher.join(15000);
            }
        }
        List<String> rows = RecordingInteraction.render(drill.result());
        int acknowledged = (int) figure(rows, "writes acknowledged");
        int failed = (int) figure(rows, "writes failed (error or no answer)");
        int lost = (int) figure(rows, "acknowledged, then lost");
        double unwritable = figure(rows, "longest time without an acknowledged write");
        double switchAfter = figure(rows, "kill -> +switch-master");
        assertEquals(0, lost, "WAIT 1 on every write: the promoted replica has every acknowledged write: " + rows);
        assertTrue(acknowledged > 100, rows.toString());
        assertTrue(unwritable < 15, "writes resumed: " + rows);
        // independent check: every acknowledged key is on the new master, read by a fresh client
        Node master = masterNode();
        String present = cli(master, "EVAL", "return #redis.call('KEYS', 'rsc:drill:*')", "0");
        assertTrue(Integer.parseInt(present) >= acknowledged, present + " keys, " + acknowledged + " acknowledged");
        long maxStatus = statusMs.stream().mapToLong(Long::longValue).max().orElse(-1);
        assertTrue(statusMs.size() >= 5, "status ran throughout: " + statusMs);
        assertTrue(maxStatus < 10000, "every status answered within 10 s: " + statusMs);
        System.out.printf(Locale.ROOT, "RELIABILITY fault1: kill->+switch-master %.1f s; longest time without an acknowledged "
                        + "write %.1f s; writes acknowledged %d, failed %d, acknowledged-then-lost %d; second console: %d "
                        + "status calls, slowest %d ms, %d answered with an error%s%n", switchAfter, unwritable, acknowledged,
                failed, lost, statusMs.size(), maxStatus, statusErrors.size(),
                statusErrors.isEmpty() ? "" : " (first: " + statusErrors.get(0) + ")");
    }

    // ---------------------------------------------------------------------------------------------------- 2

    /** A master cut off from its replicas refuses writes within the lag bound (min-replicas-to-write 1, max-lag 10). */
    @Test
    void fault2IsolatedMasterRefusesWritesWithinTheLagBound() throws Exception {
        Node master = masterNode();
        assertEquals("1", cli(master, "CONFIG", "GET", "min-replicas-to-write").lines().skip(1).findFirst().orElse(""));
        assertEquals("OK", cli(master, "SET", "rel:before", "1"));
        List<Node> replicas = dataNodes().stream().filter(n -> !n.name().equals(master.name())).toList();
        long t0 = System.nanoTime();
        for (Node r : replicas) {
            bed.ok("pause " + r.name());
        }
        String answer = "";
        double refusedAfter = -1;
        int accepted = 0;
        while (System.nanoTime() - t0 < 20_000_000_000L) {
            answer = cli(master, "SET", "rel:isolated", "x");
            if (answer.startsWith("NOREPLICAS")) {
                refusedAfter = (System.nanoTime() - t0) / 1e9;
                break;
            }
            accepted++;
            Thread.sleep(100);
        }
        for (Node r : replicas) {
            bed.ok("resume " + r.name());
        }
        assertTrue(refusedAfter > 0, "the master never refused a write: last answer " + answer);
        assertTrue(refusedAfter <= 12.5, "refused only after " + refusedAfter + " s");
        bed.ok("wait replicas 2 --timeout 30s");
        System.out.printf(Locale.ROOT, "RELIABILITY fault2a: replicas frozen -> master refuses writes (NOREPLICAS) after "
                + "%.1f s (%d writes accepted meanwhile, min-replicas-max-lag 10); answer: %s%n", refusedAfter, accepted, answer);
    }

    /** A frozen master (SIGSTOP): Sentinel fails over, and once thawed the old master rejoins as a replica. */
    @Test
    void fault2FrozenMasterIsReplacedAndRejoinsAsReplica() throws Exception {
        Node old = masterNode();
        Map<String, Long> epochBefore = epochs();
        long t0 = System.nanoTime();
        bed.ok("pause master");
        bed.ok("wait switch-master --timeout 30s");
        double switched = (System.nanoTime() - t0) / 1e9;
        Node promoted = masterBySentinels();
        assertFalse(promoted.name().equals(old.name()), "a replica was promoted");
        // while frozen, the old master could not have accepted anything; thaw it
        long t1 = System.nanoTime();
        bed.ok("resume " + old.name());
        double twoMastersFor = 0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<String> masters;
        while (true) {
            masters = rolesMaster();
            if (masters.size() == 1 || System.nanoTime() > deadline) {
                break;
            }
            twoMastersFor = (System.nanoTime() - t1) / 1e9;
            Thread.sleep(100);
        }
        assertEquals(List.of(promoted.name()), masters, "exactly one node says role:master");
        assertTrue(cli(old, "ROLE").startsWith("slave"), "the thawed master is a replica now: " + cli(old, "ROLE"));
        Map<String, Long> epochAfter = epochs();
        for (String s : epochBefore.keySet()) {
            assertTrue(epochAfter.get(s) > epochBefore.get(s), s + " config-epoch " + epochBefore + " -> " + epochAfter);
        }
        Outcome st = bed.ok("sentinel status " + G);
        assertTrue(text(st).contains("CKQUORUM OK"), text(st));
        bed.ok("sentinel ckquorum " + G);
        for (Node s : sentinels()) {
            String ck = cli(s, "SENTINEL", "CKQUORUM", G);
            assertTrue(ck.startsWith("OK"), s.name() + ": " + ck);
        }
        System.out.printf(Locale.ROOT, "RELIABILITY fault2b: master frozen -> +switch-master after %.1f s (down-after %d ms); "
                        + "after thaw, old master still said role:master for %.1f s before Sentinel converted it; "
                        + "config-epoch %s -> %s; CKQUORUM OK on %d/3 sentinels%n", switched, DOWN_AFTER_MS, twoMastersFor,
                epochBefore.values(), epochAfter.values(), sentinels().size());
    }

    // ---------------------------------------------------------------------------------------------------- 3

    /** Two of three sentinels gone, then the master killed: no failover, and rsc says why in one line. */
    @Test
    void fault3NoMajorityNoFailover() throws Exception {
        Node old = masterNode();
        bed.ok("kill " + Node.nameOf(G, NodeKind.SENTINEL, 2));
        bed.ok("kill " + Node.nameOf(G, NodeKind.SENTINEL, 3));
        Node lone = sentinels().stream().filter(n -> n.state().running()).findFirst().orElseThrow();
        bed.ok("kill master");
        long t0 = System.nanoTime();
        long window = (DOWN_AFTER_MS + FAILOVER_TIMEOUT_MS + 2000) * 1_000_000L;
        while (System.nanoTime() - t0 < window) {
            assertTrue(rolesMaster().isEmpty(), "no replica may be promoted without a majority: " + rolesMaster());
            String addr = cli(lone, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", G);
            assertTrue(addr.endsWith(String.valueOf(old.announced().port())), "the sentinel still names the old master: " + addr);
            Thread.sleep(500);
        }
        String ck = cli(lone, "SENTINEL", "CKQUORUM", G);
        assertTrue(ck.startsWith("NOQUORUM"), ck);
        long s0 = System.nanoTime();
        Outcome st = bed.engine().execute("sentinel status " + G);
        double stSecs = (System.nanoTime() - s0) / 1e9;
        String stText = st.result() != null ? text(st) : st.error().getMessage();
        assertTrue(stText.contains("NOQUORUM") || stText.toLowerCase(Locale.ROOT).contains("quorum"), stText);
        long f0 = System.nanoTime();
        Outcome fo = bed.engine().execute("failover " + G + " --timeout 20s");
        double foSecs = (System.nanoTime() - f0) / 1e9;
        assertFalse(fo.ok(), "failover must not succeed without a majority: " + (fo.result() != null ? text(fo) : ""));
        assertNotNull(fo.error(), "failover fails with an error");
        String msg = fo.error().getMessage();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.toLowerCase(Locale.ROOT).contains("majority") || msg.toLowerCase(Locale.ROOT).contains("quorum"), msg);
        assertTrue(rolesMaster().isEmpty(), "still no promoted replica after 'failover': " + rolesMaster());
        String ckLine = stText.lines().filter(l -> l.contains("CKQUORUM") || l.contains("quorum")).findFirst().orElse(stText);
        System.out.printf(Locale.ROOT, "RELIABILITY fault3: 1 of 3 sentinels, master killed: no promotion in %d ms "
                        + "(down-after + failover-timeout + 2 s); sentinel status in %.1f s: '%s'; failover refused in %.1f s: '%s'%n",
                window / 1_000_000, stSecs, ckLine, foSecs, msg);
    }

    // ---------------------------------------------------------------------------------------------------- 4

    /** Twenty failovers in a row: one master at every sample, and a counter incremented between them intact. */
    @Test
    void fault4TwentyFailoversInARow() throws Exception {
        int rounds = 20;
        List<Double> took = new ArrayList<>();
        int incrRetries = 0;
        long expected = 0;
        long t0 = System.nanoTime();
        for (int i = 1; i <= rounds; i++) {
            String before = masterNode().name();
            long f0 = System.nanoTime();
            bed.ok("failover " + G + " --timeout 30s");
            took.add((System.nanoTime() - f0) / 1e9);
            bed.ok("wait agreement " + "--group " + G + " --timeout 30s");
            List<String> masters = rolesMaster();
            assertEquals(1, masters.size(), "round " + i + ": one master: " + masters);
            assertFalse(masters.get(0).equals(before), "round " + i + ": the master changed");
            assertEquals(masterBySentinels().name(), masters.get(0), "round " + i + ": the sentinels name the master");
            Outcome incr = null;
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                incr = bed.engine().execute("redis INCR counter");
                if (incr.ok()) {
                    break;
                }
                incrRetries++;
                Thread.sleep(200);
            }
            assertTrue(incr != null && incr.ok(), "round " + i + ": INCR: " + (incr == null || incr.error() == null ? "" : incr.error().getMessage()));
            expected++;
            assertEquals(String.valueOf(expected), RecordingInteraction.render(incr.result()).get(0).replaceAll("\\D", ""),
                    "round " + i + ": the counter kept every increment");
        }
        double total = (System.nanoTime() - t0) / 1e9;
        bed.ok("redis WAIT 2 5000");
        Map<String, String> values = new LinkedHashMap<>();
        long deadline = System.nanoTime() + 15_000_000_000L;
        do {
            for (Node n : dataNodes()) {
                values.put(n.name(), cli(n, "GET", "counter"));
            }
        } while (!values.values().stream().allMatch(String.valueOf(rounds)::equals) && System.nanoTime() < deadline
                && sleep(200));
        for (var e : values.entrySet()) {
            assertEquals(String.valueOf(rounds), e.getValue(), e.getKey() + " counter: " + values);
        }
        System.out.printf(Locale.ROOT, "RELIABILITY fault4: %d failovers in %.0f s (each %.1f-%.1f s, mean %.1f s); one master "
                        + "after each; INCR needed %d retries; counter %s on every node%n", rounds, total,
                took.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                took.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                took.stream().mapToDouble(Double::doubleValue).average().orElse(0), incrRetries, values.values());
    }

    // ---------------------------------------------------------------------------------------------------- 5

    /** scale slaves 0 -> 4 -> 1, repeatedly: the sentinels list exactly the replicas that run. */
    @Test
    void fault5ScaleCyclesLeaveNoStaleReplicas() throws Exception {
        int cycles = Integer.getInteger("rsc.reliability.cycles", 10);
        int staleSeen = 0;
        List<Double> cycleSecs = new ArrayList<>();
        for (int c = 1; c <= cycles; c++) {
            long t0 = System.nanoTime();
            for (int n : new int[]{0, 4, 1}) {
                bed.ok("scale slaves " + n + " --port " + (base + 1));
                Set<String> running = runningReplicaEndpoints();
                assertEquals(n, running.size(), "cycle " + c + ": " + n + " replicas run");
                // no stale entry right away (rsc resets the sentinels when it shrinks)
                for (Node s : sentinels()) {
                    Set<String> listed = sentinelReplicas(s);
                    Set<String> stale = new TreeSet<>(listed);
                    stale.removeAll(running);
                    if (!stale.isEmpty()) {
                        staleSeen++;
                    }
                    assertTrue(stale.isEmpty(), "cycle " + c + " after 'scale slaves " + n + "': " + s.name()
                            + " lists replicas that do not run: " + stale + " (running " + running + ")");
                }
            }
            // and, once they have looked at the master, every sentinel lists every running replica
            Set<String> running = runningReplicaEndpoints();
            long deadline = System.nanoTime() + 15_000_000_000L;
            for (Node s : sentinels()) {
                Set<String> listed = sentinelReplicas(s);
                while (!listed.equals(running) && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                    listed = sentinelReplicas(s);
                }
                assertEquals(running, listed, "cycle " + c + ": " + s.name() + " lists what runs");
            }
            cycleSecs.add((System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "RELIABILITY fault5: %d cycles of scale slaves 0->4->1 (%.1f s per cycle); stale "
                        + "SENTINEL REPLICAS entries seen: %d; every sentinel lists exactly the running replica(s)%n", cycles,
                cycleSecs.stream().mapToDouble(Double::doubleValue).average().orElse(0), staleSeen);
    }

    // ---------------------------------------------------------------------------------------------------- 6

    /**
     * A dead sentinel, a frozen replica and a Docker Engine that does not answer: 1,000 calls from ten consoles at once
     * (nine on the local group, one on the swarm backend pointed at a closed port), each answering within its timeout
     * in one line; threads and open files of the process stay flat.
     */
    @Test
    void fault6DeadSentinelFrozenNodeAndStoppedEngineThousandCallsNothingLeaks() throws Exception {
        Node frozen = dataNodes().stream().filter(n -> !n.name().equals(masterNode().name())).findFirst().orElseThrow();
        String dead = Node.nameOf(G, NodeKind.SENTINEL, 3);
        bed.ok("kill " + dead);
        bed.ok("pause " + frozen.name());
        List<String> local = List.of("status", "sentinel status", "doctor", "redis --node " + frozen.name() + " PING",
                "redis --node " + dead + " PING", "sentinel ckquorum", "sentinel masters --sentinel " + dead);
        List<String> noEngine = List.of("status", "services", "sentinel status", "ps");
        int consoles = Integer.getInteger("rsc.reliability.consoles", 10);
        int calls = Integer.getInteger("rsc.reliability.calls", 1000);
        Map<String, Long> slowest = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, String> answers = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        List<Engine> engines = new ArrayList<>();
        List<List<String>> linesOf = new ArrayList<>();
        try {
            for (int c = 0; c < consoles; c++) {
                boolean swarm = c == consoles - 1;
                Settings st = swarm
                        ? new Settings("swarm", bed.stateDir(), G, "rsc-redis:local", "rsc-net", Optional.of("tcp://127.0.0.1:1"))
                        : Settings.fromEnvironment().withBackend("local").withStateDir(bed.stateDir()).withGroup(G);
                engines.add(new Engine(st, new RecordingInteraction(), Catalog.table(), Backends.factory()));
                linesOf.add(swarm ? noEngine : local);
            }
            // warm up every console at once, as the count will run them (lazy clients, pools grown to their overlap)
            List<Thread> warm = new ArrayList<>();
            for (int c = 0; c < consoles; c++) {
                Engine e = engines.get(c);
                List<String> lines = linesOf.get(c);
                Thread w = new Thread(() -> {
                    for (int round = 0; round < 2; round++) {
                        lines.forEach(e::execute);
                    }
                }, "fault6-warm-" + c);
                warm.add(w);
                w.start();
            }
            for (Thread w : warm) {
                w.join(TimeUnit.MINUTES.toMillis(5));
            }
            int threadsBefore = Thread.activeCount();
            Map<String, Long> namesBefore = threadNames();
            long fdsBefore = openFiles();
            long t0 = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int c = 0; c < consoles; c++) {
                Engine e = engines.get(c);
                List<String> lines = linesOf.get(c);
                String who = c == consoles - 1 ? "no-engine " : "";
                int share = calls / consoles + (c < calls % consoles ? 1 : 0);
                Thread w = new Thread(() -> {
                    for (int i = 0; i < share; i++) {
                        String l = lines.get(i % lines.size());
                        long c0 = System.nanoTime();
                        Outcome o = e.execute(l);
                        long ms = (System.nanoTime() - c0) / 1_000_000;
                        made.incrementAndGet();
                        slowest.merge(who + l, ms, Math::max);
                        if (ms >= 10_000) {
                            problems.add("'" + who + l + "' took " + ms + " ms");
                        }
                        if (o.result() == null && o.error() == null) {
                            problems.add("'" + who + l + "' gave neither a result nor an error");
                        } else if (o.error() != null) {
                            String m = String.valueOf(o.error().getMessage());
                            if (m.contains("\n") || m.startsWith("internal error")) {
                                problems.add("'" + who + l + "': " + m);
                            }
                            answers.putIfAbsent(who + l, "error: " + m);
                        } else {
                            answers.putIfAbsent(who + l, o.result().failed() ? "failed result" : "result");
                        }
                    }
                }, "fault6-console-" + c);
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join(TimeUnit.MINUTES.toMillis(15));
                assertFalse(w.isAlive(), w.getName() + " hangs");
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            sleep(1000);   // let connections being closed finish closing
            int threadsAfter = Thread.activeCount();
            long fdsAfter = openFiles();
            assertEquals(calls, made.get(), "every call made");
            assertTrue(problems.isEmpty(), problems.size() + " problem(s), first: " + problems.stream().limit(5).toList());
            // each console's I/O pool (a cached pool: idle threads are reused, then expire) may grow by a thread when
            // fan-outs overlap more than in the warm-up; anything else must not grow at all
            Map<String, Long> namesAfter = threadNames();
            long ioBefore = namesBefore.getOrDefault("rsc-io-#", 0L);
            long ioAfter = namesAfter.getOrDefault("rsc-io-#", 0L);
            assertTrue(ioAfter <= ioBefore + consoles, "I/O pool threads " + ioBefore + " -> " + ioAfter);
            assertTrue(threadsAfter - ioAfter <= threadsBefore - ioBefore + 2, "threads " + threadsBefore + " -> "
                    + threadsAfter + ": " + namesBefore + " -> " + namesAfter);
            assertTrue(fdsAfter <= fdsBefore + 10, "open files " + fdsBefore + " -> " + fdsAfter);
            assertTrue(answers.getOrDefault("redis --node " + frozen.name() + " PING", "").startsWith("error:"),
                    "the frozen node's PING is an error: " + answers);
            assertTrue(answers.getOrDefault("no-engine services", "").contains("cannot reach the Docker Engine"),
                    "no engine: " + answers);
            System.out.printf(Locale.ROOT, "RELIABILITY fault6: %d calls from %d consoles at once in %.0f s with a dead sentinel, "
                            + "a frozen replica and (one console) no Docker Engine; slowest per command %s; threads %d -> %d, "
                            + "open files %d -> %d; answers %s%n", made.get(), consoles, secs, new java.util.TreeMap<>(slowest),
                    threadsBefore, threadsAfter, fdsBefore, fdsAfter, new java.util.TreeMap<>(answers));
        } finally {
            engines.forEach(Engine::close);
            bed.ok("resume " + frozen.name());
        }
    }

    /** The swarm backend with a Docker Engine that does not answer fails fast, in one line. */
    @Test
    void fault6UnreachableDockerEngineFailsFastInOneLine() {
        Settings s = new Settings("swarm", bed.stateDir(), G, "rsc-redis:local", "rsc-net", Optional.of("tcp://127.0.0.1:1"));
        long p0 = System.nanoTime();
        boolean probe = SwarmBackend.probe(s);
        double probeSecs = (System.nanoTime() - p0) / 1e9;
        assertFalse(probe);
        assertTrue(probeSecs < 3, "probe took " + probeSecs + " s");
        long o0 = System.nanoTime();
        String openError;
        try {
            new SwarmBackend(s).close();
            fail("opened a swarm backend on a closed port");
            return;
        } catch (RuntimeException e) {
            openError = rsc.session.ErrorTranslator.translate(e).getMessage();
        }
        double openSecs = (System.nanoTime() - o0) / 1e9;
        assertTrue(openSecs < 5, "open took " + openSecs + " s");
        assertFalse(openError.contains("\n"), openError);
        RecordingInteraction ui = new RecordingInteraction();
        long e0 = System.nanoTime();
        Outcome o;
        try (Engine e = new Engine(s, ui, Catalog.table(), Backends.factory())) {
            o = e.execute("status");
        }
        double statusSecs = (System.nanoTime() - e0) / 1e9;
        assertNotNull(o.error(), "status without an engine is an error");
        assertFalse(o.error().getMessage().contains("\n"), o.error().getMessage());
        assertFalse(o.error().getMessage().startsWith("internal error"), o.error().getMessage());
        assertTrue(statusSecs < 5, "status took " + statusSecs + " s");
        System.out.printf(Locale.ROOT, "RELIABILITY fault6-docker: DOCKER_HOST tcp://127.0.0.1:1: probe false in %.1f s; "
                + "open fails in %.1f s ('%s'); status fails in %.1f s ('%s')%n", probeSecs, openSecs, openError, statusSecs,
                o.error().getMessage());
    }

    // ---------------------------------------------------------------------------------------------------- 7

    private static final Set<String> NOT_RUN = Set.of("destroy", "kill", "pause", "resume", "failover", "drill", "scale",
            "create-master", "attach", "detach", "watch", "wait", "source", "use", "exit", "logs");

    /** Redis commands that are safe with garbage arguments: reads that never block. */
    private static final Set<String> SAFE_REDIS = Set.of("GET", "PING", "ECHO", "EXISTS", "TYPE", "TTL", "STRLEN", "DBSIZE",
            "INFO", "HGET", "LRANGE", "ZRANGE", "GETRANGE", "SCARD", "LLEN", "MGET");

    /** 100,000 generated lines of bad input: no uncaught exception, one-line errors, nothing slow, group unchanged. */
    @Test
    void fault7BadInputNeverBreaksTheConsoleOrTheGroup() throws Exception {
        bed.ok("redis SET rel:sentinel-key survives");
        Node master = masterNode();
        Set<String> runningBefore = running();
        Set<String> redisCommands = new TreeSet<>();
        for (String l : cli(master, "COMMAND", "LIST").split("\n")) {
            redisCommands.add(l.trim().toUpperCase(Locale.ROOT));
        }
        assertTrue(redisCommands.size() > 100, "COMMAND LIST: " + redisCommands.size());
        int total = Integer.getInteger("rsc.reliability.lines", 100_000);
        Random rnd = new Random(20240611L);
        int ran = 0;
        int skipped = 0;
        int errors = 0;
        int results = 0;
        long slowestNs = 0;
        String slowestLine = "";
        List<String> problems = new ArrayList<>();
        Map<String, Integer> firstWords = new HashMap<>();
        long t0 = System.nanoTime();
        while (ran < total) {
            String line = generate(rnd);
            Invocation inv = null;
            try {
                inv = bed.engine().parse(line);
            } catch (RscException e) {
                // a usage error: runs (and fails) as it is
            } catch (RuntimeException e) {
                problems.add("parse threw " + e + " on " + printable(line));
                ran++;
                continue;
            }
            if (inv != null && !safe(inv, redisCommands)) {
                skipped++;
                continue;
            }
            ran++;
            long c0 = System.nanoTime();
            Outcome o;
            try {
                o = bed.engine().execute(line);
            } catch (Throwable e) {
                problems.add("uncaught " + e + " on " + printable(line));
                continue;
            }
            long ns = System.nanoTime() - c0;
            if (ns > slowestNs) {
                slowestNs = ns;
                slowestLine = line;
            }
            if (ns > 2_000_000_000L) {
                problems.add("slow (" + ns / 1_000_000 + " ms): " + printable(line));
            }
            if (o.error() != null) {
                errors++;
                String m = o.error().getMessage();
                if (m == null || m.isBlank() || m.contains("\n") || m.contains("\r")) {
                    problems.add("error not one line: " + printable(String.valueOf(m)) + " on " + printable(line));
                } else if (m.startsWith("internal error")) {
                    problems.add(m + " on " + printable(line));
                }
            } else if (o.result() != null) {
                results++;
                firstWords.merge(o.invocation().spec().name(), 1, Integer::sum);
            } else if (!o.blank()) {
                problems.add("neither result nor error on " + printable(line));
            }
            if (problems.size() > 20) {
                break;
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n" + String.join("\n", problems));
        // the group is unchanged
        assertEquals(runningBefore, running(), "the same nodes run");
        assertEquals(master.name(), masterBySentinels().name(), "the same master");
        assertEquals(List.of(master.name()), rolesMaster());
        assertEquals("survives", cli(master, "GET", "rel:sentinel-key"));
        bed.ok("use " + G);
        bed.ok("sentinel ckquorum " + G);
        System.out.printf(Locale.ROOT, "RELIABILITY fault7: %d bad lines (seed 20240611; %d well-formed destructive/blocking "
                        + "lines filtered out) in %.0f s: %d one-line errors, %d results (%s), 0 uncaught, slowest %d ms (%s); "
                        + "group unchanged%n", ran, skipped, secs, errors, results, firstWords, slowestNs / 1_000_000,
                printable(slowestLine.length() > 60 ? slowestLine.substring(0, 60) + "..." : slowestLine));
    }

    private static boolean safe(Invocation inv, Set<String> redisCommands) {
        String name = inv.spec().name();
        if (NOT_RUN.contains(name)) {
            return false;
        }
        if (inv.spec().kind() == rsc.command.CommandKind.CHANGES && !inv.flag("dry-run") && !name.equals("redis")) {
            return false; // a well-formed topology change would really run: the group must stay unchanged
        }
        if (inv.path() != null && (inv.path().contains("reset") || inv.path().contains("failover"))) {
            return false;
        }
        if (name.equals("events") && inv.has("export")) {
            return false;
        }
        if (name.equals("redis")) {
            List<String> words = inv.words("command");
            String cmd = words.isEmpty() ? "" : words.get(0).toUpperCase(Locale.ROOT);
            return !redisCommands.contains(cmd) || SAFE_REDIS.contains(cmd);
        }
        return true;
    }

    private static final String[] COMMANDS = {"use", "create-master", "scale", "scale slaves", "scale sentinels",
            "sentinel status", "sentinel masters", "sentinel replicas", "sentinel sentinels", "sentinel ckquorum",
            "status", "redis", "redis --node", "destroy", "attach", "detach", "events", "doctor", "kill", "pause", "resume",
            "drill failover", "wait", "expect master", "expect role", "expect replicas", "expect quorum", "expect doctor",
            "source", "set output", "help", "exit", "services", "ps", "nodes", "logs", "failover", "sent st", "red", "st"};
    private static final String[] SHARDS = {"$(rm -rf /)", "`id`", ";", ";;", "&&", "|", ">", "<", "'", "\"", "\\",
            "\"unterminated", "'half", "${HOME}", "%s%n%x", "--", "-", "--port", "--group", "--node", "--timeout",
            "--json", "--dry-run", "--yes", "--writes", "--signal", "--password-file", "--since", "--for", "--quorum",
            "-1", "0", "99999999999999999999", "2147483648", "-2147483649", "1e309", "NaN", "0x10", "1.5", "30s", "-5s",
            "9999999h", "ms", "\u0000", "\u0007", "\u001b[31m", "\r", "\n", "\t", "\u007f", "\u00e9", "\u4e2d\u6587",
            "\ud83d\ude00", "\ud800", "\u202e", "\ufeff", "rel", "rel-redis-1", "rel-sentinel-9", "mymaster", "..", "../../etc/passwd",
            "/dev/null", "127.0.0.1:1", "host:port:x", "GET", "SET", "PING", "INFO", "#", "# comment", "master", "replica",
            "KILL", "STOP", "json", "table", "ok"};

    private static String generate(Random rnd) {
        int kind = rnd.nextInt(100);
        StringBuilder b = new StringBuilder();
        if (kind < 1) {                      // a 64 KB line
            String head = COMMANDS[rnd.nextInt(COMMANDS.length)];
            b.append(head).append(' ');
            while (b.length() < 65536) {
                b.append(rnd.nextBoolean() ? SHARDS[rnd.nextInt(SHARDS.length)] : randomChars(rnd, 64)).append(' ');
            }
        } else if (kind < 15) {              // pure noise
            b.append(randomChars(rnd, 1 + rnd.nextInt(80)));
        } else {                             // a real command with garbage
            b.append(COMMANDS[rnd.nextInt(COMMANDS.length)]);
            int n = rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                b.append(rnd.nextInt(4) == 0 ? "" : " ");
                b.append(rnd.nextInt(3) == 0 ? randomChars(rnd, 1 + rnd.nextInt(12)) : SHARDS[rnd.nextInt(SHARDS.length)]);
            }
        }
        return b.toString();
    }

    private static String randomChars(Random rnd, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(10);
            if (r < 2) {
                b.append((char) rnd.nextInt(32));                       // control characters
            } else if (r < 7) {
                b.append((char) (32 + rnd.nextInt(95)));                // printable ASCII, quotes included
            } else if (r < 9) {
                b.append((char) (0xa0 + rnd.nextInt(0x2000)));          // Latin, Greek, ... punctuation
            } else {
                b.append((char) rnd.nextInt(0x10000));                  // any UTF-16 unit, lone surrogates too
            }
        }
        return b.toString();
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : (s.length() > 200 ? s.substring(0, 200) + "..." : s).toCharArray()) {
            b.append(c < 32 || c == 127 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private String text(Outcome o) {
        return String.join("\n", RecordingInteraction.render(o.result()));
    }

    private static double figure(List<String> rows, String name) {
        return rows.stream().filter(r -> r.startsWith(name + " | "))
                .map(r -> Double.parseDouble(r.substring(name.length() + 3).replace(" s", "").trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + name + " in " + rows));
    }

    private List<Node> nodes() {
        return bed.engine().session().backend().nodes(G);
    }

    private List<Node> dataNodes() {
        return nodes().stream().filter(Node::isRedis).toList();
    }

    private List<Node> sentinels() {
        return nodes().stream().filter(Node::isSentinel).filter(n -> n.state().running()).toList();
    }

    private Set<String> running() {
        return nodes().stream().filter(n -> n.state().running()).map(Node::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The data nodes that answer ROLE with master, asked by a fresh redis-cli each. */
    private List<String> rolesMaster() {
        List<String> out = new ArrayList<>();
        for (Node n : dataNodes()) {
            if (!n.state().running()) {
                continue;
            }
            String role = cli(n, "ROLE");
            if (role.startsWith("master")) {
                out.add(n.name());
            }
        }
        return out;
    }

    /** The master as the first running sentinel names it. */
    private Node masterBySentinels() {
        Node s = sentinels().get(0);
        String[] addr = cli(s, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", G).split("\n");
        int port = Integer.parseInt(addr[1].trim());
        return dataNodes().stream().filter(n -> n.announced().port() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no node at port " + port));
    }

    private Node masterNode() {
        return masterBySentinels();
    }

    private Set<String> runningReplicaEndpoints() {
        String master = masterBySentinels().name();
        return dataNodes().stream().filter(n -> n.state().running() && !n.name().equals(master))
                .map(n -> n.announced().host() + ":" + n.announced().port()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** SENTINEL REPLICAS as ip:port, from a fresh redis-cli. */
    private Set<String> sentinelReplicas(Node sentinel) {
        List<String> l = cli(sentinel, "SENTINEL", "REPLICAS", G).lines().map(String::trim).toList();
        Set<String> out = new TreeSet<>();
        String ip = null;
        for (int i = 0; i + 1 < l.size(); i++) {
            if (l.get(i).equals("ip")) {
                ip = l.get(i + 1);
            } else if (l.get(i).equals("port") && ip != null) {
                out.add(ip + ":" + l.get(i + 1));
                ip = null;
            }
        }
        return out;
    }

    /** config-epoch of the group on every running sentinel. */
    private Map<String, Long> epochs() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Node s : sentinels()) {
            List<String> l = cli(s, "SENTINEL", "MASTER", G).lines().map(String::trim).toList();
            for (int i = 0; i + 1 < l.size(); i++) {
                if (l.get(i).equals("config-epoch")) {
                    out.put(s.name(), Long.parseLong(l.get(i + 1)));
                }
            }
        }
        return out;
    }

    /** A command through a fresh redis-cli (no rsc code involved), with the group's password; output trimmed. */
    private String cli(Node n, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", n.reach().host(), "-p", String.valueOf(n.reach().port())));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("REDISCLI_AUTH", bed.engine().session().password(G).orElseThrow().reveal());
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(timeout)";
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (Exception e) {
            throw new AssertionError("redis-cli " + cmd, e);
        }
    }

    private Optional<Long> pid(Node n) {
        try (Stream<Path> files = Files.walk(bed.stateDir().resolve(G).resolve(n.name()), 1)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                return Optional.of(Long.parseLong(Files.readString(f).trim()));
            }
        } catch (Exception e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static void signal(String sig, long pid) {
        try {
            new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).start().waitFor(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // cleanup only
        }
    }

    /** Live threads by name with digits folded ("lettuce-nioEventLoop-#-#"), counted. */
    private static Map<String, Long> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(t -> t.getName().replaceAll("\\d+", "#"))
                .collect(Collectors.groupingBy(n -> n, java.util.TreeMap::new, Collectors.counting()));
    }

    private static long openFiles() {
        File[] fds = new File("/proc/self/fd").listFiles();
        return fds == null ? -1 : fds.length;
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
