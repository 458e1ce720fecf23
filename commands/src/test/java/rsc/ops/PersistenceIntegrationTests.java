package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.session.Outcome;
import rsc.testing.AckedWriter;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;
import rsc.testing.RedisCli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code create-master --persistence} on the local backend (issue 15, item 4): what each choice writes, that keys
 * survive a node's restart, what {@code status} reads from the nodes, and that restart safety holds with persistence
 * on: a killed master of an aof group comes back as a replica of the promoted one and no WAIT-acknowledged write is lost.
 */
@Tag("integration")
class PersistenceIntegrationTests {

    private static LocalTestBed bed;
    private static int base;

    @BeforeAll
    static void start() throws Exception {
        bed = new LocalTestBed();
        base = LocalTestBed.freePorts(40);
    }

    @AfterAll
    static void stop() throws Exception {
        bed.closeLeavingNoProcess();
    }

    private static Node node(String name) {
        return bed.engine().session().backend().nodes(null).stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name));
    }

    private static String cli(String group, String node, String... args) {
        return RedisCli.run(node(node).reach(), bed.engine().session().passwords().of(group).map(p -> p.reveal()), args).strip();
    }

    private static String config(String group, String node, String name) {
        return cli(group, node, "CONFIG", "GET", name).lines().skip(1).findFirst().orElse("").strip();
    }

    private static String text(Outcome o) {
        return String.join("\n", RecordingInteraction.render(o.result()));
    }

    private static Path dataDir(String group, String node) {
        return bed.stateDir().resolve(group).resolve(node).resolve("data");
    }

    @Test
    void aofMasterKilledAloneComesBackWithItsKeys() throws Exception {
        String g = "pa";
        bed.ok("create-master " + g + " --port " + base + " --persistence aof");
        assertEquals("yes", config(g, g + "-redis-1", "appendonly"));
        assertEquals("everysec", config(g, g + "-redis-1", "appendfsync"));
        for (int i = 0; i < 50; i++) {
            bed.ok("redis --group " + g + " SET k" + i + " v" + i);
        }
        String status = text(bed.ok("status " + g));
        assertTrue(status.contains("aof (appendfsync everysec) on " + g + "-redis-1"), status);
        bed.ok("kill " + g + "-redis-1");
        awaitStopped(g + "-redis-1");
        Outcome back = bed.ok("start " + g + "-redis-1");
        assertTrue(text(back).contains("as the master of " + g), text(back));
        assertEquals("50", cli(g, g + "-redis-1", "DBSIZE"), "every key came back from the append-only file");
        assertEquals("v49", cli(g, g + "-redis-1", "GET", "k49"));
        assertTrue(Files.isDirectory(dataDir(g, g + "-redis-1").resolve("appendonlydir")), "the AOF is in the node's own directory");
        bed.ok("destroy " + g + " --yes");
    }

    @Test
    void rdbReplicasPersistAlikeAndAWholeGroupStopKeepsTheKeys() throws Exception {
        String g = "pr";
        bed.ok("create-master " + g + " --port " + (base + 5) + " --persistence rdb");
        bed.ok("scale slaves 1 --group " + g + " --port " + (base + 6));
        for (String n : List.of(g + "-redis-1", g + "-redis-2")) {
            assertEquals("3600 1 300 100 60 10000", config(g, n, "save"), n + " snapshots on the group's schedule");
            assertEquals("no", config(g, n, "appendonly"), n);
        }
        String status = text(bed.ok("status " + g));
        assertTrue(status.contains("rdb (save 3600 1 300 100 60 10000) on " + g + "-redis-1, " + g + "-redis-2"), status);
        for (int i = 0; i < 20; i++) {
            bed.ok("redis --group " + g + " SET r" + i + " v" + i);
        }
        bed.ok("wait replicas 1 --group " + g + " --timeout 30s");
        // the whole group stops cleanly (a clean shutdown writes the snapshot), replica first
        bed.ok("kill " + g + "-redis-2 --signal TERM");
        bed.ok("kill " + g + "-redis-1 --signal TERM");
        awaitStopped(g + "-redis-1");
        awaitStopped(g + "-redis-2");
        assertTrue(Files.isRegularFile(dataDir(g, g + "-redis-1").resolve("dump.rdb")), "the master wrote its snapshot");
        bed.ok("start " + g + "-redis-1");
        assertEquals("20", cli(g, g + "-redis-1", "DBSIZE"), "the master loaded its snapshot");
        Outcome replica = bed.ok("start " + g + "-redis-2");
        assertTrue(text(replica).contains("a replica of the master"), text(replica));
        assertEquals("v19", cli(g, g + "-redis-2", "GET", "r19"));
        bed.ok("destroy " + g + " --yes");
    }

    @Test
    void noneStaysTheDefault() throws Exception {
        String g = "pn";
        bed.ok("create-master " + g + " --port " + (base + 10));
        assertEquals("no", config(g, g + "-redis-1", "appendonly"));
        assertEquals("", config(g, g + "-redis-1", "save"));
        String status = text(bed.ok("status " + g));
        assertTrue(status.contains("every data node that answers runs without persistence (save \"\", appendonly no)"), status);
        assertTrue(text(bed.ok("create-master " + g + "2 --port " + (base + 11) + " --dry-run")).contains("save \"\""));
        bed.ok("kill " + g + "-redis-1");
        awaitStopped(g + "-redis-1");
        String why = bed.fails("start " + g + "-redis-1").error().getMessage();
        assertTrue(why.contains("empty"), "a group without persistence is not restarted empty as master: " + why);
        bed.ok("destroy " + g + " --yes");
    }

    @Test
    void aBadChoiceIsOneLineAndMakesNothing() {
        Outcome o = bed.fails("create-master pbad --port " + (base + 12) + " --persistence disk");
        String msg = o.error().getMessage();
        assertTrue(msg.contains("--persistence must be one of: none, aof, rdb"), msg);
        assertFalse(msg.contains("\n"), msg);
        assertFalse(bed.engine().session().backend().groups().contains("pbad"), "no half-made group");
    }

    @Test
    void dryRunShowsThePersistenceSettings() {
        String plan = text(bed.ok("create-master pdry --port " + (base + 13) + " --persistence aof --dry-run"));
        assertTrue(plan.contains("appendonly \"yes\"") && plan.contains("appendfsync \"everysec\""), plan);
        assertFalse(bed.engine().session().backend().groups().contains("pdry"), "a dry run starts nothing");
    }

    /**
     * The restart-safety rule with persistence on: while the sentinels still name the killed master, 'start' refuses
     * (its files may lack writes its replicas acknowledged); after the failover it comes back as a replica of the
     * new master, and every write WAIT 1 acknowledged is on both.
     */
    @Test
    void killedAofMasterComesBackAReplicaOfTheNewMasterAndNoAcknowledgedWriteIsLost() throws Exception {
        String g = "ps";
        bed.ok("create-master " + g + " --port " + (base + 20) + " --persistence aof");
        bed.ok("scale slaves 2 --group " + g + " --port " + (base + 21));
        bed.ok("scale sentinels 3 --group " + g + " --port " + (base + 30) + " --down-after 2000 --failover-timeout 10000");
        Optional<String> pw = bed.engine().session().passwords().of(g).map(p -> p.reveal());
        List<Endpoint> sentinels = bed.engine().session().backend().nodes(g).stream().filter(Node::isSentinel)
                .map(Node::reach).toList();
        String old = g + "-redis-1";
        Set<String> acked;
        String refused;
        try (AckedWriter writer = new AckedWriter(g, pw, () -> sentinels, bed.engine().session().backend()::reachable,
                10, Duration.ofSeconds(120))) {
            Thread.sleep(1500);
            assertFalse(writer.acknowledged().isEmpty(), "writes flow before the kill");
            bed.ok("kill " + old);
            awaitStopped(old);
            refused = bed.fails("start " + old).error().getMessage();
            bed.ok("wait switch-master --group " + g + " --timeout 30s");
            Thread.sleep(1500);   // writes go on to the new master
            Outcome back = bed.ok("start " + old);
            assertTrue(text(back).contains("a replica of the master"), text(back));
            Thread.sleep(1000);
            writer.stop();
            acked = writer.acknowledged();
        }
        assertTrue(refused.contains("still name " + old) && !refused.contains("\n"), refused);
        assertTrue(cli(g, old, "ROLE").startsWith("slave"), "the old master is a replica: " + cli(g, old, "ROLE"));
        List<Node> data = bed.engine().session().backend().nodes(g).stream().filter(Node::isRedis).toList();
        List<String> masters = data.stream().filter(n -> cli(g, n.name(), "ROLE").startsWith("master")).map(Node::name).toList();
        assertEquals(1, masters.size(), "one master: " + masters);
        bed.ok("wait replicas 2 --group " + g + " --timeout 30s");
        long missingOnMaster = acked.stream().filter(k -> cli(g, masters.get(0), "EXISTS", k).equals("0")).count();
        long missingOnOld = acked.stream().filter(k -> cli(g, old, "EXISTS", k).equals("0")).count();
        System.out.printf(Locale.ROOT, "PERSISTENCE aof master killed -> failover -> 'start' again: %d writes acknowledged "
                + "by WAIT 1, %d missing on the new master, %d missing on the restarted old master (now its replica)%n",
                acked.size(), missingOnMaster, missingOnOld);
        assertEquals(0, missingOnMaster, "acknowledged writes lost on the new master");
        assertEquals(0, missingOnOld, "acknowledged writes missing on the restarted old master");
        bed.ok("destroy " + g + " --yes");
    }

    private static void awaitStopped(String name) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (node(name).state() != rsc.model.NodeState.STOPPED) {
            assertTrue(System.nanoTime() < deadline, name + " still " + node(name).state());
            Thread.sleep(100);
        }
    }
}
