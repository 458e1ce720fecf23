package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import rsc.backend.Backends;
import rsc.catalog.Catalog;
import rsc.model.Node;
import rsc.session.Engine;
import rsc.session.Outcome;
import rsc.testing.ConsoleLoad;
import rsc.testing.RecordingInteraction;
import rsc.testing.RedisCli;
import rsc.testing.SwarmTestBed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rsc.testing.Sleep.sleep;

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
    /** The group, as {@link Faults} drives it. */
    private static final GroupUnderTest UNDER = new GroupUnderTest(() -> g, () -> bed.engine(), line -> bed.ok(line),
            SwarmReliabilityIntegrationTests::dataNodes, SwarmReliabilityIntegrationTests::sentinels,
            SwarmReliabilityIntegrationTests::cli, SwarmReliabilityIntegrationTests::masterBySentinels);

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
        Faults.Refused r = Faults.frozenReplicasMasterRefusesWrites(UNDER, "srel");
        System.out.printf(Locale.ROOT, "RELIABILITY swarm fault2a: replicas' containers paused -> master refuses writes "
                + "(NOREPLICAS) after %.1f s (%d writes accepted meanwhile); answer: %s%n", r.seconds(), r.accepted(), r.answer());
    }

    @Test
    @Order(2)
    void fault2bFrozenMasterIsReplacedAndRejoinsAsReplica() throws Exception {
        Faults.Replaced r = Faults.frozenMasterIsReplaced(UNDER);
        System.out.printf(Locale.ROOT, "RELIABILITY swarm fault2b: master's container paused -> +switch-master after %.1f s; "
                        + "after unpause the old master said role:master for %.1f s more; config-epoch %s -> %s; CKQUORUM OK "
                        + "on %d/3 sentinels%n", r.switchedSeconds(), r.twoMastersSeconds(), r.epochsBefore().values(),
                r.epochsAfter().values(), r.sentinelsOk());
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
                assertTrue(stSecs < 5, "frozen sentinels and a frozen master cost one timeout together, not "
                        + stSecs + " s");
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
        Faults.Failovers f = Faults.failoversKeepTheCounter(UNDER, rounds, "srel:counter");
        System.out.printf(Locale.ROOT, "RELIABILITY swarm fault4: %d failovers (each %.1f-%.1f s to return); one master after "
                + "each; counter %s on every node%n", rounds, f.min(), f.max(), f.counters().values());
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
                staleSeen += Faults.scaleLeavesNoStaleReplicas(UNDER, "scale slaves " + n, n, c,
                        SwarmReliabilityIntegrationTests::runningReplicaHosts,
                        SwarmReliabilityIntegrationTests::sentinelReplicaHosts);
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
        bed.ok("pause " + frozen.name());
        bed.ok("pause " + deaf.name());
        try {
            List<ConsoleLoad.Console> load = new ArrayList<>();
            for (int c = 0; c < consoles; c++) {
                engines.add(new Engine(bed.settings().withGroup(g), new RecordingInteraction(), Catalog.table(),
                        Backends.factory(), GroupHealth::probe));
                load.add(new ConsoleLoad.Console(engines.get(c), "", lines));
            }
            ConsoleLoad.run(load, 2 * lines.size());    // warm up at once, as the count runs
            ConsoleLoad.Resources before = ConsoleLoad.Resources.now();
            ConsoleLoad.Result r = ConsoleLoad.run(load, calls / consoles);
            sleep(1000);
            ConsoleLoad.Resources after = ConsoleLoad.Resources.now();
            assertTrue(r.problems().isEmpty(), r.problems().size() + " problem(s): " + r.problems().stream().limit(5).toList());
            before.assertFlat(after, consoles);
            assertTrue(r.answer("redis --node " + frozen.name() + " PING").startsWith("error:"), r.answers().toString());
            System.out.printf(Locale.ROOT, "RELIABILITY swarm fault6: %d calls from %d consoles at once in %.0f s with a paused "
                            + "sentinel and a paused replica; slowest per command %s; threads %d -> %d, open files %d -> %d; "
                            + "answers %s%n", r.calls(), consoles, r.seconds(), r.slowestMs(), before.total(), after.total(),
                    before.openFiles(), after.openFiles(), r.answers());
        } finally {
            engines.forEach(Engine::close);
            bed.ok("resume " + deaf.name());
            bed.ok("resume " + frozen.name());
        }
        bed.ok("wait replicas 2 --timeout 30s");
    }

    // ------------------------------------------------------------------------------------------ helpers

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
        return UNDER.rolesMaster();
    }

    private static Set<String> runningReplicaHosts() {
        String master = masterBySentinels().name();
        return dataNodes().stream().map(Node::name).filter(n -> !n.equals(master))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> sentinelReplicaHosts(Node sentinel) {
        return new TreeSet<>(RedisCli.every(cli(sentinel, "SENTINEL", "REPLICAS", g), "ip"));
    }

    /** A command through a fresh redis-cli at the task's published port, with the group's password. */
    private static String cli(Node n, String... args) {
        return RedisCli.run(n.reach(), bed.engine().session().passwords().of(g).map(rsc.model.Secret::reveal), args);
    }
}
