package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import rsc.model.Node;
import rsc.session.Outcome;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;
import rsc.testing.RedisCli;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code config set|get} and {@code sentinel set} on a real local group (master, two replicas, three sentinels): the
 * value is read back from every node with a fresh redis-cli, kept by a node and a sentinel killed and started again,
 * copied by a node that was stopped while it was set; {@code doctor} names a difference made by hand; what rsc owns is
 * refused, bad input gets one line, {@code --dry-run} changes nothing.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigCommandsIntegrationTests {

    private static final String G = "cfg";
    private static LocalTestBed bed;

    @BeforeAll
    static void start() throws Exception {
        bed = new LocalTestBed();
        int base = LocalTestBed.freePorts(20);
        bed.ok("create-master " + G + " --port " + base);
        bed.ok("scale slaves 2 --port " + (base + 1));
        bed.ok("scale sentinels 3 --port " + (base + 10));
    }

    @AfterAll
    static void stop() throws Exception {
        bed.close();
    }

    private static List<Node> nodes(boolean sentinels) {
        return bed.engine().session().backend().nodes(G).stream().filter(n -> n.isSentinel() == sentinels).toList();
    }

    private static String cli(Node n, String... args) {
        return RedisCli.run(n.reach(), bed.engine().session().passwords().of(G).map(s -> s.reveal()), args);
    }

    /** Each data node's value, read with redis-cli. */
    private static Map<String, String> everyNode(String param) {
        Map<String, String> out = new TreeMap<>();
        for (Node n : nodes(false)) {
            String reply = cli(n, "CONFIG", "GET", param);   // trimmed: an empty value leaves the name alone
            out.put(n.name(), reply.isEmpty() ? "(none)" : reply.lines().skip(1).findFirst().orElse(""));
        }
        return out;
    }

    /** Each sentinel's value of a field of SENTINEL MASTER. */
    private static Map<String, String> everySentinel(String field) {
        Map<String, String> out = new TreeMap<>();
        for (Node n : nodes(true)) {
            out.put(n.name(), RedisCli.every(cli(n, "SENTINEL", "MASTER", G), field).get(0));
        }
        return out;
    }

    private static void allEqual(Map<String, String> values, String expected, int count) {
        assertEquals(count, values.size(), values.toString());
        assertTrue(values.values().stream().allMatch(expected::equals), "every node reports " + expected + ": " + values);
    }

    private static String text(Outcome o) {
        return String.join("\n", RecordingInteraction.render(o.result()));
    }

    /** {@code kill NODE}, then waits until the backend lists it stopped (SIGKILL is delivered, not awaited). */
    private static void kill(String name) throws InterruptedException {
        bed.ok("kill " + name);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (bed.engine().session().backend().nodes(G).stream().anyMatch(n -> n.name().equals(name) && n.state().running())) {
            assertTrue(System.nanoTime() < deadline, name + " still runs 10 s after kill");
            Thread.sleep(50);
        }
    }

    /** A failure's message: one line, no stack trace. */
    private static String oneLine(String line) {
        String m = bed.fails(line).error().getMessage();
        assertFalse(m.contains("\n") || m.contains("Exception"), "one line: " + m);
        return m;
    }

    @Test
    @Order(1)
    void setIsReadBackOnEveryNodeAndKeptByANodeStartedAgain() throws InterruptedException {
        long t0 = System.nanoTime();
        Outcome set = bed.ok("config set maxmemory 64mb");
        System.out.printf("CONFIG-SET 3 data nodes set, rewritten and read back in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertTrue(text(set).contains("is \"67108864\" on all 3 running data node(s)"), text(set));
        allEqual(everyNode("maxmemory"), "67108864", 3);
        Outcome get = bed.ok("config get maxmemory");
        assertEquals(3, text(get).lines().filter(l -> l.startsWith("maxmemory | ")).count(), text(get));
        assertFalse(text(get).contains("differs"), text(get));
        String all = text(bed.ok("config get *"));
        assertTrue(all.lines().filter(l -> l.startsWith("port | ")).count() == 3, all);
        assertFalse(all.contains("port differs") || all.contains("dbfilename differs"), "what each node owns is not flagged: " + all);

        String replica = G + "-redis-3";
        kill(replica);
        Outcome started = bed.ok("start " + replica);
        assertFalse(text(started).contains("copied"), "kept by its own config file, not copied: " + text(started));
        allEqual(everyNode("maxmemory"), "67108864", 3);
    }

    @Test
    @Order(2)
    void aNodeStoppedDuringTheSetCopiesTheValueWhenStarted() throws InterruptedException {
        String replica = G + "-redis-2";
        kill(replica);
        Outcome set = bed.ok("config set maxmemory-policy allkeys-lru");
        assertTrue(text(set).contains(replica + " is not running: it copies maxmemory-policy from its master"), text(set));
        Outcome started = bed.ok("start " + replica);
        assertTrue(text(started).contains("copied maxmemory-policy from the master"), text(started));
        allEqual(everyNode("maxmemory-policy"), "allkeys-lru", 3);
    }

    @Test
    @Order(3)
    void sentinelSetReachesEverySentinelAndIsKeptByOneStartedAgain() throws InterruptedException {
        long t0 = System.nanoTime();
        Outcome set = bed.ok("sentinel set down-after 3000");
        System.out.printf("SENTINEL-SET 3 sentinels set and read back in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertTrue(text(set).contains("down-after-milliseconds is 3000 on all 3 running sentinel(s)"), text(set));
        allEqual(everySentinel("down-after-milliseconds"), "3000", 3);
        bed.ok("sentinel set parallel-syncs 2");
        allEqual(everySentinel("parallel-syncs"), "2", 3);

        String sentinel = G + "-sentinel-2";
        kill(sentinel);
        bed.ok("start " + sentinel);
        allEqual(everySentinel("down-after-milliseconds"), "3000", 3);
        allEqual(everySentinel("parallel-syncs"), "2", 3);
    }

    @Test
    @Order(4)
    void quorumKeepsTheMajorityRule() {
        String m = oneLine("sentinel set quorum 1");
        assertTrue(m.contains("not a majority (2)") && m.contains("--force"), m);
        allEqual(everySentinel("quorum"), "2", 3);
        assertTrue(oneLine("sentinel set quorum 4").contains("from 1 to the number of sentinels (3)"));
        bed.ok("sentinel set quorum 3");
        allEqual(everySentinel("quorum"), "3", 3);
        bed.ok("sentinel set quorum 1 --force");
        allEqual(everySentinel("quorum"), "1", 3);
        bed.ok("sentinel set quorum 2");
    }

    @Test
    @Order(5)
    void doctorNamesADifferenceMadeByHandAndItsFixRuns() {
        Node odd = nodes(false).get(1);
        assertEquals("OK", cli(odd, "CONFIG", "SET", "maxmemory", "1mb"));
        Node oddSentinel = nodes(true).get(0);
        assertEquals("OK", cli(oddSentinel, "SENTINEL", "SET", G, "failover-timeout", "12345"));

        long t0 = System.nanoTime();
        String doctor = text(bed.ok("doctor"));
        System.out.printf("DOCTOR with the settings checks in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertTrue(doctor.contains("settings-differ") && doctor.contains("maxmemory differs between data nodes")
                && doctor.contains(odd.name() + " 1048576"), doctor);
        assertTrue(doctor.contains("config set maxmemory 67108864 --group " + G), doctor);
        assertTrue(doctor.contains("sentinel-settings-differ") && doctor.contains(oddSentinel.name() + "=12345"), doctor);
        assertTrue(doctor.contains("sentinel set failover-timeout 60000 --group " + G), doctor);
        assertTrue(text(bed.ok("config get maxmemory")).contains("maxmemory differs between the data nodes"));

        bed.ok("config set maxmemory 67108864 --group " + G);
        bed.ok("sentinel set failover-timeout 60000 --group " + G);
        String after = text(bed.ok("doctor"));
        assertFalse(after.contains("settings-differ"), after);
    }

    @Test
    @Order(6)
    void whatRscOwnsIsRefusedWithTheReason() {
        String before = everyNode("min-replicas-to-write").toString();
        assertTrue(oneLine("config set requirepass secret").startsWith("refused: config set requirepass: the group's password"));
        assertTrue(oneLine("config set masterauth secret").startsWith("refused: config set masterauth"));
        assertTrue(oneLine("config set min-replicas-to-write 0").contains("write fence"));
        assertTrue(oneLine("config set port 7000").contains("backend places each node"));
        assertTrue(oneLine("config set replicaof no-one").contains("Sentinel decides"));
        assertTrue(oneLine("config set dir /tmp").contains("own files"));
        assertTrue(oneLine("config set appendonly yes").contains("persistence"));
        assertTrue(oneLine("config set REPLICA-PRIORITY 0").contains("replica-priority"));
        assertTrue(oneLine("config set requirepass secret --dry-run").startsWith("refused:"), "a dry run refuses alike");
        assertEquals(before, everyNode("min-replicas-to-write").toString());
        Outcome get = bed.ok("config get requirepass");
        assertTrue(text(get).contains("<secret>"), text(get));
        assertFalse(text(get).contains(bed.engine().session().passwords().of(G).orElseThrow().reveal()), "no password shown");
    }

    @Test
    @Order(7)
    void badInputGetsOneLineAndChangesNothing() {
        assertTrue(oneLine("config set no-such-param 1").contains("unknown parameter 'no-such-param'"));
        String m = oneLine("config set maxmemory lots");
        assertTrue(m.contains("refused CONFIG SET maxmemory") && m.contains("no node was changed"), m);
        allEqual(everyNode("maxmemory"), "67108864", 3);
        assertTrue(oneLine("config set maxmemory").contains("VALUE"));
        assertTrue(oneLine("config set max* 1").contains("one parameter name"));
        assertTrue(oneLine("config get no-such-*").contains("no parameter matches"));
        assertTrue(oneLine("config set maxmemory 1mb --group nogroup").contains("unknown group 'nogroup'"));
        assertTrue(oneLine("sentinel set auth-pass x").contains("must be one of: down-after"));
        assertTrue(oneLine("sentinel set down-after soon").contains("milliseconds"));
        assertTrue(oneLine("sentinel set parallel-syncs 0").contains("at least 1"));
        allEqual(everySentinel("down-after-milliseconds"), "3000", 3);
    }

    @Test
    @Order(8)
    void dryRunShowsTheCallsAndChangesNothing() {
        String plan = text(bed.ok("config set maxmemory 32mb --dry-run"));
        assertTrue(plan.contains("dry run: nothing was changed"), plan);
        for (Node n : nodes(false)) {
            assertTrue(plan.contains(n.name() + " | CONFIG SET maxmemory 32mb") && plan.contains(n.name() + " | CONFIG REWRITE"), plan);
        }
        allEqual(everyNode("maxmemory"), "67108864", 3);
        String sentinels = text(bed.ok("sentinel set failover-timeout 20000 --dry-run"));
        for (Node n : nodes(true)) {
            assertTrue(sentinels.contains(n.name() + " | SENTINEL SET " + G + " failover-timeout 20000"), sentinels);
        }
        allEqual(everySentinel("failover-timeout"), "60000", 3);
        assertTrue(oneLine("sentinel set quorum 1 --dry-run").contains("not a majority"));
    }

    @Test
    @Order(9)
    void nodesAddedByScaleTakeTheGroupsSettings() {
        bed.ok("scale slaves 3");
        allEqual(everyNode("maxmemory"), "67108864", 4);
        allEqual(everyNode("maxmemory-policy"), "allkeys-lru", 4);
        bed.ok("scale sentinels 4");
        allEqual(everySentinel("parallel-syncs"), "2", 4);
        allEqual(everySentinel("down-after-milliseconds"), "3000", 4);
        String doctor = text(bed.ok("doctor"));
        assertFalse(doctor.contains("settings-differ"), doctor);
        bed.ok("scale sentinels 3");
        bed.ok("scale slaves 2");
    }

    @Test
    @Order(10)
    void negativeEmptyAndMultiWordValues() {
        bed.ok("config set slowlog-log-slower-than -1");
        allEqual(everyNode("slowlog-log-slower-than"), "-1", 3);
        bed.ok("config set notify-keyspace-events KEA");
        bed.ok("config set notify-keyspace-events \"\"");
        allEqual(everyNode("notify-keyspace-events"), "", 3);
        bed.ok("config set client-output-buffer-limit \"pubsub 1mb 512kb 30\"");
        assertEquals(1, everyNode("client-output-buffer-limit").values().stream().distinct().count());
        assertTrue(everyNode("client-output-buffer-limit").values().iterator().next().contains("pubsub 1048576 524288 30"));
    }
}
