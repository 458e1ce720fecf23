package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import rsc.backend.Backends;
import rsc.commands.Catalog;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.session.Engine;
import rsc.session.Outcome;
import rsc.testing.RecordingInteraction;
import rsc.testing.SwarmTestBed;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The faults of {@code ReliabilityIntegrationTests} on the real swarm: master, 2 replicas, 3 sentinels (down-after
 * 2000 ms, failover-timeout 10000 ms), frozen with {@code docker pause} of the task's container through rsc's own
 * {@code pause} (Swarm does not restart a paused task, so it stands for a node cut off), checked with a fresh
 * {@code redis-cli} at each task's published port. Killing is covered by {@code SwarmGroupIntegrationTests}
 * (Swarm restarts a killed task: the restart-safety scenario). Steps run in order on one group.
 */
@Tag("swarm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmReliabilityIntegrationTests {

    private static final int DOWN_AFTER_MS = 2000;
    private static final int FAILOVER_TIMEOUT_MS = 10000;
    private static SwarmTestBed bed;
    private static String g;

    @BeforeAll
    static void build() {
        bed = new SwarmTestBed();
        g = bed.newGroup("srel");
        bed.ok("create-master " + g);
        bed.ok("scale slaves 2");
        bed.ok("scale sentinels 3 --down-after " + DOWN_AFTER_MS + " --failover-timeout " + FAILOVER_TIMEOUT_MS);
        bed.ok("wait sentinels 3 --timeout 60s");
    }

    @AfterAll
    static void close() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    @Order(1)
    void fault2aFrozenReplicasMasterRefusesWritesWithinTheLagBound() throws Exception {
        Node master = masterBySentinels();
        assertEquals("1", cli(master, "CONFIG", "GET", "min-replicas-to-write").lines().skip(1).findFirst().orElse(""));
        List<Node> replicas = dataNodes().stream().filter(n -> !n.name().equals(master.name())).toList();
        long t0 = System.nanoTime();
        for (Node r : replicas) {
            bed.ok("pause " + r.name());
        }
        String answer = "";
        double refusedAfter = -1;
        int accepted = 0;
        try {
            while (System.nanoTime() - t0 < 20_000_000_000L) {
                answer = cli(master, "SET", "srel:isolated", "x");
                if (answer.startsWith("NOREPLICAS")) {
                    refusedAfter = (System.nanoTime() - t0) / 1e9;
                    break;
                }
                accepted++;
                Thread.sleep(100);
            }
        } finally {
            for (Node r : replicas) {
                bed.ok("resume " + r.name());
            }
        }
        assertTrue(refusedAfter > 0, "the master never refused a write: last answer " + answer);
        assertTrue(refusedAfter <= 12.5, "refused only after " + refusedAfter + " s");
        bed.ok("wait replicas 2 --timeout 30s");
        System.out.printf(Locale.ROOT, "RELIABILITY swarm fault2a: replicas' containers paused -> master refuses writes "
                + "(NOREPLICAS) after %.1f s (%d writes accepted meanwhile); answer: %s%n", refusedAfter, accepted, answer);
    }

    @Test
    @Order(2)
    void fault2bFrozenMasterIsReplacedAndRejoinsAsReplica() throws Exception {
        Node old = masterBySentinels();
        Map<String, Long> epochBefore = epochs();
        long t0 = System.nanoTime();
        bed.ok("pause master");
        double switched;
        try {
            bed.ok("wait switch-master --timeout 30s");
            switched = (System.nanoTime() - t0) / 1e9;
        } finally {
            bed.ok("resume " + old.name());
        }
        long t1 = System.nanoTime();
        Node promoted = masterBySentinels();
        assertFalse(promoted.name().equals(old.name()), "a replica was promoted");
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
        assertEquals(List.of(promoted.name()), masters, "exactly one task says role:master");
        bed.ok("wait agreement --timeout 30s");
        Map<String, Long> epochAfter = epochs();
        for (String s : epochBefore.keySet()) {
            assertTrue(epochAfter.get(s) > epochBefore.get(s), s + " config-epoch " + epochBefore + " -> " + epochAfter);
        }
        for (Node s : sentinels()) {
            String ck = cli(s, "SENTINEL", "CKQUORUM", g);
            assertTrue(ck.startsWith("OK"), s.name() + ": " + ck);
        }
        bed.ok("wait replicas 2 --timeout 30s");
        System.out.printf(Locale.ROOT, "RELIABILITY swarm fault2b: master's container paused -> +switch-master after %.1f s; "
                        + "after unpause the old master said role:master for %.1f s more; config-epoch %s -> %s; CKQUORUM OK "
                        + "on %d/3 sentinels%n", switched, twoMastersFor, epochBefore.values(), epochAfter.values(),
                sentinels().size());
    }

    @Test
    @Order(3)
    void fault3NoMajorityNoFailover() throws Exception {
        Node old = masterBySentinels();
        List<Node> gone = sentinels().subList(1, 3);
        Node lone = sentinels().get(0);
        for (Node s : gone) {
            bed.ok("pause " + s.name());
        }
        double stSecs;
        double foSecs;
        String stText;
        String foText;
        try {
            bed.ok("pause master");
            try {
                long t0 = System.nanoTime();
                long window = (DOWN_AFTER_MS + FAILOVER_TIMEOUT_MS + 2000) * 1_000_000L;
                while (System.nanoTime() - t0 < window) {
                    assertTrue(rolesMaster().isEmpty(), "no replica may be promoted without a majority: " + rolesMaster());
                    String addr = cli(lone, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", g);
                    assertTrue(addr.startsWith(old.name()), "the sentinel still names the old master: " + addr);
                    Thread.sleep(500);
                }
                long s0 = System.nanoTime();
                Outcome st = bed.engine().execute("sentinel status");
                stSecs = (System.nanoTime() - s0) / 1e9;
                stText = st.result() != null ? String.join("\n", RecordingInteraction.render(st.result()))
                        : st.error().getMessage();
                assertTrue(stText.contains("NOQUORUM"), stText);
                long f0 = System.nanoTime();
                Outcome fo = bed.engine().execute("failover --timeout 20s");
                foSecs = (System.nanoTime() - f0) / 1e9;
                assertFalse(fo.ok(), "failover must not succeed without a majority");
                foText = fo.error().getMessage();
                assertTrue(foText.contains("quorum or majority cannot be reached"), foText);
                assertTrue(foSecs < 5, "refused at once, not after " + foSecs + " s");
            } finally {
                bed.ok("resume " + old.name());
            }
        } finally {
            for (Node s : gone) {
                bed.ok("resume " + s.name());
            }
        }
        bed.ok("wait agreement --timeout 60s");
        assertEquals(List.of(old.name()), rolesMaster(), "the master stayed master");
        bed.ok("wait replicas 2 --timeout 30s");
        System.out.printf(Locale.ROOT, "RELIABILITY swarm fault3: 2 of 3 sentinels and then the master paused: no promotion "
                + "in %d ms; sentinel status in %.1f s (NOQUORUM); failover refused in %.1f s: '%s'%n",
                DOWN_AFTER_MS + FAILOVER_TIMEOUT_MS + 2000, stSecs, foSecs, foText);
    }

    @Test
    @Order(4)
    void fault4FailoversInARowKeepTheCounter() throws Exception {
        int rounds = Integer.getInteger("rsc.reliability.swarm.failovers", 5);
        String start = cli(masterBySentinels(), "GET", "srel:counter");
        long expected = start.isEmpty() ? 0 : Long.parseLong(start);
        List<Double> took = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            String before = masterBySentinels().name();
            long f0 = System.nanoTime();
            bed.ok("failover --timeout 30s");
            took.add((System.nanoTime() - f0) / 1e9);
            bed.ok("wait agreement --timeout 30s");
            List<String> masters = rolesMaster();
            assertEquals(1, masters.size(), "round " + i + ": one master: " + masters);
            assertFalse(masters.get(0).equals(before), "round " + i + ": the master changed");
            assertEquals(masterBySentinels().name(), masters.get(0), "round " + i + ": the sentinels name the master");
            Outcome incr = null;
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                incr = bed.engine().execute("redis INCR srel:counter");
                if (incr.ok()) {
                    break;
                }
                Thread.sleep(200);
            }
            assertTrue(incr != null && incr.ok(), "round " + i + ": INCR");
            expected++;
            assertEquals(String.valueOf(expected), RecordingInteraction.render(incr.result()).get(0).replaceAll("\\D", ""),
                    "round " + i + ": the counter kept every increment");
        }
        bed.ok("redis WAIT 2 5000");
        Map<String, String> values = new LinkedHashMap<>();
        long deadline = System.nanoTime() + 15_000_000_000L;
        do {
            for (Node n : dataNodes()) {
                values.put(n.name(), cli(n, "GET", "srel:counter"));
            }
        } while (!values.values().stream().allMatch(String.valueOf(expected)::equals) && System.nanoTime() < deadline
                && sleep(200));
        for (var e : values.entrySet()) {
            assertEquals(String.valueOf(expected), e.getValue(), e.getKey() + " counter: " + values);
        }
        System.out.printf(Locale.ROOT, "RELIABILITY swarm fault4: %d failovers (each %.1f-%.1f s to return); one master after "
                        + "each; counter %s on every node%n", rounds, took.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                took.stream().mapToDouble(Double::doubleValue).max().orElse(0), values.values());
    }

    @Test
    @Order(5)
    void fault5ScaleCyclesLeaveNoStaleReplicasAndNoUpdateErrors() throws Exception {
        int cycles = Integer.getInteger("rsc.reliability.swarm.cycles", 2);
        int staleSeen = 0;
        List<Double> cycleSecs = new ArrayList<>();
        for (int c = 1; c <= cycles; c++) {
            long t0 = System.nanoTime();
            for (int n : new int[]{0, 3, 1}) {
                bed.ok("scale slaves " + n);
                Set<String> running = runningReplicaHosts();
                assertEquals(n, running.size(), "cycle " + c + ": " + n + " replicas run");
                for (Node s : sentinels()) {
                    Set<String> stale = new TreeSet<>(sentinelReplicaHosts(s));
                    stale.removeAll(running);
                    if (!stale.isEmpty()) {
                        staleSeen++;
                    }
                    assertTrue(stale.isEmpty(), "cycle " + c + " after 'scale slaves " + n + "': " + s.name()
                            + " lists replicas that do not run: " + stale + " (running " + running + ")");
                }
            }
            cycleSecs.add((System.nanoTime() - t0) / 1e9);
        }
        List<String> shown = bed.ui().lines().stream()
                .filter(l -> l.toLowerCase(Locale.ROOT).contains("out of sequence")).toList();
        assertEquals(List.of(), shown, "Swarm's 'update out of sequence' is never shown");
        bed.ok("scale slaves 2");
        System.out.printf(Locale.ROOT, "RELIABILITY swarm fault5: %d cycles of scale slaves 0->3->1 (%.1f s per cycle); stale "
                + "SENTINEL REPLICAS entries: %d; 'out of sequence' shown: 0 (rsc creates and removes one service per node, "
                + "it never updates one)%n", cycles, cycleSecs.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                staleSeen);
    }

    @Test
    @Order(6)
    void fault6FrozenSentinelAndReplicaCommandsAnswerAndNothingLeaks() throws Exception {
        Node master = masterBySentinels();
        Node frozen = dataNodes().stream().filter(n -> !n.name().equals(master.name())).findFirst().orElseThrow();
        Node deaf = sentinels().get(2);
        List<String> lines = List.of("status", "sentinel status", "doctor", "redis --node " + frozen.name() + " PING",
                "redis --node " + deaf.name() + " PING", "services", "ps " + frozen.name());
        int consoles = Integer.getInteger("rsc.reliability.swarm.consoles", 4);
        int calls = Integer.getInteger("rsc.reliability.swarm.calls", 200);
        List<Engine> engines = new ArrayList<>();
        Map<String, Long> slowest = new ConcurrentHashMap<>();
        Map<String, String> answers = new ConcurrentHashMap<>();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        bed.ok("pause " + frozen.name());
        bed.ok("pause " + deaf.name());
        try {
            for (int c = 0; c < consoles; c++) {
                engines.add(new Engine(bed.settings().withGroup(g), new RecordingInteraction(), Catalog.table(),
                        Backends.factory()));
            }
            runAll(engines, lines, 2 * lines.size(), slowest, answers, problems);    // warm up, as the count runs
            slowest.clear();
            int threadsBefore = Thread.activeCount();
            Map<String, Long> namesBefore = threadNames();
            long fdsBefore = openFiles();
            long t0 = System.nanoTime();
            runAll(engines, lines, calls / consoles, slowest, answers, problems);
            double secs = (System.nanoTime() - t0) / 1e9;
            sleep(1000);
            Map<String, Long> namesAfter = threadNames();
            int threadsAfter = Thread.activeCount();
            long fdsAfter = openFiles();
            assertTrue(problems.isEmpty(), problems.size() + " problem(s): " + problems.stream().limit(5).toList());
            long ioBefore = namesBefore.getOrDefault("rsc-io-#", 0L);
            long ioAfter = namesAfter.getOrDefault("rsc-io-#", 0L);
            assertTrue(ioAfter <= ioBefore + consoles, "I/O pool threads " + ioBefore + " -> " + ioAfter);
            assertTrue(threadsAfter - ioAfter <= threadsBefore - ioBefore + 2, "threads " + namesBefore + " -> " + namesAfter);
            assertTrue(fdsAfter <= fdsBefore + 10, "open files " + fdsBefore + " -> " + fdsAfter);
            assertTrue(answers.getOrDefault("redis --node " + frozen.name() + " PING", "").startsWith("error:"), answers.toString());
            System.out.printf(Locale.ROOT, "RELIABILITY swarm fault6: %d calls from %d consoles at once in %.0f s with a paused "
                            + "sentinel and a paused replica; slowest per command %s; threads %d -> %d, open files %d -> %d; "
                            + "answers %s%n", (calls / consoles) * consoles, consoles, secs, new TreeMap<>(slowest),
                    threadsBefore, threadsAfter, fdsBefore, fdsAfter, new TreeMap<>(answers));
        } finally {
            engines.forEach(Engine::close);
            bed.ok("resume " + deaf.name());
            bed.ok("resume " + frozen.name());
        }
        bed.ok("wait replicas 2 --timeout 30s");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void runAll(List<Engine> engines, List<String> lines, int each, Map<String, Long> slowest,
                               Map<String, String> answers, List<String> problems) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (Engine e : engines) {
            Thread w = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    String l = lines.get(i % lines.size());
                    long c0 = System.nanoTime();
                    Outcome o = e.execute(l);
                    long ms = (System.nanoTime() - c0) / 1_000_000;
                    slowest.merge(l, ms, Math::max);
                    if (ms >= 10_000) {
                        problems.add("'" + l + "' took " + ms + " ms");
                    }
                    if (o.error() != null) {
                        String m = String.valueOf(o.error().getMessage());
                        if (m.contains("\n") || m.startsWith("internal error")) {
                            problems.add("'" + l + "': " + m);
                        }
                        answers.putIfAbsent(l, "error: " + m);
                    } else if (o.result() == null) {
                        problems.add("'" + l + "' gave neither a result nor an error");
                    } else {
                        answers.putIfAbsent(l, o.result().failed() ? "failed result" : "result");
                    }
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join(TimeUnit.MINUTES.toMillis(10));
            assertFalse(w.isAlive(), "a console hangs");
        }
    }

    private static List<Node> nodes() {
        return bed.engine().session().backend().nodes(g);
    }

    private static List<Node> dataNodes() {
        return nodes().stream().filter(Node::isRedis).filter(n -> n.state().running()).toList();
    }

    private static List<Node> sentinels() {
        return nodes().stream().filter(Node::isSentinel).filter(n -> n.state().running()).toList();
    }

    /** The master as the first running sentinel names it (by service name: the nodes announce their names). */
    private static Node masterBySentinels() {
        String[] addr = cli(sentinels().get(0), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", g).split("\n");
        String host = addr[0].trim();
        return nodes().stream().filter(n -> n.name().equals(host) || n.announced().host().equals(host)).findFirst()
                .orElseThrow(() -> new AssertionError("no node named " + host));
    }

    private static List<String> rolesMaster() {
        List<String> out = new ArrayList<>();
        for (Node n : dataNodes()) {
            if (cli(n, "ROLE").startsWith("master")) {
                out.add(n.name());
            }
        }
        return out;
    }

    private static Set<String> runningReplicaHosts() {
        String master = masterBySentinels().name();
        return dataNodes().stream().map(Node::name).filter(n -> !n.equals(master))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> sentinelReplicaHosts(Node sentinel) {
        List<String> l = cli(sentinel, "SENTINEL", "REPLICAS", g).lines().map(String::trim).toList();
        Set<String> out = new TreeSet<>();
        for (int i = 0; i + 1 < l.size(); i++) {
            if (l.get(i).equals("ip")) {
                out.add(l.get(i + 1));
            }
        }
        return out;
    }

    private static Map<String, Long> epochs() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Node s : sentinels()) {
            List<String> l = cli(s, "SENTINEL", "MASTER", g).lines().map(String::trim).toList();
            for (int i = 0; i + 1 < l.size(); i++) {
                if (l.get(i).equals("config-epoch")) {
                    out.put(s.name(), Long.parseLong(l.get(i + 1)));
                }
            }
        }
        return out;
    }

    /** A command through a fresh redis-cli at the task's published port, with the group's password. */
    private static String cli(Node n, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", n.reach().host(), "-p", String.valueOf(n.reach().port())));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("REDISCLI_AUTH", bed.engine().session().password(g).orElseThrow().reveal());
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "(timeout)";
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (Exception e) {
            throw new AssertionError("redis-cli " + cmd + " (install redis-tools)", e);
        }
    }

    private static Map<String, Long> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(t -> t.getName().replaceAll("\\d+", "#"))
                .collect(Collectors.groupingBy(x -> x, TreeMap::new, Collectors.counting()));
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
