package rsc.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.backend.Backends;
import rsc.backend.swarm.SwarmBackend;
import rsc.command.Invocation;
import rsc.error.RscException;
import rsc.catalog.Catalog;
import rsc.model.Node;
import rsc.model.NodeKind;
import rsc.session.Engine;
import rsc.session.Outcome;
import rsc.backend.Settings;
import rsc.testing.ConsoleLoad;
import rsc.testing.LocalTestBed;
import rsc.testing.RedisCli;
import rsc.testing.RecordingInteraction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
import static rsc.testing.Sleep.sleep;

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
        try (Engine second = new Engine(s2, ui2, Catalog.table(), Backends.factory(), GroupHealth::probe)) {
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
        Faults.Refused r = Faults.frozenReplicasMasterRefusesWrites(under(), "rel");
        System.out.printf(Locale.ROOT, "RELIABILITY fault2a: replicas frozen -> master refuses writes (NOREPLICAS) after "
                + "%.1f s (%d writes accepted meanwhile, min-replicas-max-lag 10); answer: %s%n", r.seconds(), r.accepted(),
                r.answer());
    }

    /** A frozen master (SIGSTOP): Sentinel fails over, and once thawed the old master rejoins as a replica. */
    @Test
    void fault2FrozenMasterIsReplacedAndRejoinsAsReplica() throws Exception {
        Faults.Replaced r = Faults.frozenMasterIsReplaced(under());
        System.out.printf(Locale.ROOT, "RELIABILITY fault2b: master frozen -> +switch-master after %.1f s (down-after %d ms); "
                        + "after thaw, old master still said role:master for %.1f s before Sentinel converted it; "
                        + "config-epoch %s -> %s; CKQUORUM OK on %d/3 sentinels%n", r.switchedSeconds(), DOWN_AFTER_MS,
                r.twoMastersSeconds(), r.epochsBefore().values(), r.epochsAfter().values(), r.sentinelsOk());
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
        long t0 = System.nanoTime();
        Faults.Failovers f = Faults.failoversKeepTheCounter(under(), rounds, "counter");
        System.out.printf(Locale.ROOT, "RELIABILITY fault4: %d failovers in %.0f s (each %.1f-%.1f s, mean %.1f s); one master "
                        + "after each; INCR needed %d retries; counter %s on every node%n", rounds,
                (System.nanoTime() - t0) / 1e9, f.min(), f.max(), f.mean(), f.incrRetries(), f.counters().values());
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
                // no stale entry right away (rsc resets the sentinels when it shrinks)
                staleSeen += Faults.scaleLeavesNoStaleReplicas(under(), "scale slaves " + n + " --port " + (base + 1), n, c,
                        this::runningReplicaEndpoints, this::sentinelReplicas);
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
     * A dead sentinel, a frozen replica and a Docker Engine that does not answer or is stopped: 1,000 calls from ten
     * consoles at once (eight on the local group; two on the swarm backend, pointed at a closed port and at a socket
     * that does not exist), each answering within its timeout in one line; threads and open files stay flat.
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
        List<Engine> engines = new ArrayList<>();
        try {
            List<ConsoleLoad.Console> load = new ArrayList<>();
            for (int c = 0; c < consoles; c++) {
                // the last two: an engine that does not answer (closed port), and one that is stopped (no socket)
                boolean swarm = c >= consoles - 2;
                String host = c == consoles - 1 ? "tcp://127.0.0.1:1" : "unix://" + bed.stateDir().resolve("stopped-docker.sock");
                Settings st = swarm
                        ? new Settings("swarm", bed.stateDir(), G, "rsc-redis:local", "rsc-net", Optional.of(host))
                        : Settings.fromEnvironment().withBackend("local").withStateDir(bed.stateDir()).withGroup(G);
                engines.add(new Engine(st, new RecordingInteraction(), Catalog.table(), Backends.factory(), GroupHealth::probe));
                String label = !swarm ? "" : c == consoles - 1 ? "no-engine" : "stopped-engine";
                load.add(new ConsoleLoad.Console(engines.get(c), label, swarm ? noEngine : local));
            }
            ConsoleLoad.run(load, 2 * local.size());     // warm up at once, as the count runs (lazy clients, pools)
            ConsoleLoad.Resources before = ConsoleLoad.Resources.now();
            ConsoleLoad.Result r = ConsoleLoad.run(load, calls / consoles);
            sleep(1000);   // let connections being closed finish closing
            ConsoleLoad.Resources after = ConsoleLoad.Resources.now();
            assertTrue(r.problems().isEmpty(), r.problems().size() + " problem(s), first: " + r.problems().stream().limit(5).toList());
            before.assertFlat(after, consoles);
            assertTrue(r.answer("redis --node " + frozen.name() + " PING").startsWith("error:"),
                    "the frozen node's PING is an error: " + r.answers());
            assertTrue(r.answer("no-engine services").contains("cannot reach the Docker Engine"), "no engine: " + r.answers());
            assertTrue(r.answer("stopped-engine status").contains("cannot reach the Docker Engine"), "stopped: " + r.answers());
            System.out.printf(Locale.ROOT, "RELIABILITY fault6: %d calls from %d consoles at once in %.0f s with a dead sentinel, "
                            + "a frozen replica and (two consoles) a Docker Engine that does not answer or is stopped; slowest per command %s; threads %d -> %d, "
                            + "open files %d -> %d; answers %s%n", r.calls(), consoles, r.seconds(), r.slowestMs(),
                    before.total(), after.total(), before.openFiles(), after.openFiles(), r.answers());
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
        try (Engine e = new Engine(s, ui, Catalog.table(), Backends.factory(), GroupHealth::probe)) {
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

    /** This group, as {@link Faults} drives it. */
    private GroupUnderTest under() {
        return new GroupUnderTest(() -> G, bed::engine, bed::ok,
                () -> dataNodes().stream().filter(n -> n.state().running()).toList(), this::sentinels, this::cli,
                this::masterBySentinels);
    }

    private List<String> rolesMaster() {
        return under().rolesMaster();
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
        String reply = cli(sentinel, "SENTINEL", "REPLICAS", G);
        List<String> ips = RedisCli.every(reply, "ip");
        List<String> ports = RedisCli.every(reply, "port");
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < Math.min(ips.size(), ports.size()); i++) {
            out.add(ips.get(i) + ":" + ports.get(i));
        }
        return out;
    }

    /** A command through a fresh redis-cli (no rsc code involved), with the group's password; output trimmed. */
    private String cli(Node n, String... args) {
        return RedisCli.run(n.reach(), bed.engine().session().passwords().of(G).map(rsc.model.Secret::reveal), args);
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
}
