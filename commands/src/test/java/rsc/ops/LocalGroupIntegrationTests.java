package rsc.ops;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
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
import rsc.testing.RedisCli;
import rsc.testing.RecordingInteraction;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real group on the local backend: master, 2 replicas, 3 sentinels; status through a fresh Lettuce connection,
 * failover, shrinking. Steps run in order on one group.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalGroupIntegrationTests {

    private static LocalTestBed bed;
    private static int base;
    private static final String G = "itest";

    @BeforeAll
    static void start() throws Exception {
        bed = new LocalTestBed();
        base = LocalTestBed.freePorts(20);
    }

    @AfterAll
    static void stop() throws Exception {
        bed.closeLeavingNoProcess();
    }

    /** A URI with the group's password: the group is secure by default. */
    private static RedisURI uri(String host, int port) {
        return RedisURI.builder().withHost(host).withPort(port)
                .withPassword(bed.engine().session().passwords().of(G).orElseThrow().chars()).build();
    }

    private static String sentinelAddr() {
        Node s = bed.engine().session().backend().nodes(G).stream().filter(Node::isSentinel).findFirst().orElseThrow();
        return s.reach().toString();
    }

    private static String configOnMaster(String name) {
        InetSocketAddress m = masterSeenByFreshClient();
        RedisClient client = RedisClient.create();
        try (var c = client.connect(uri(m.getHostString(), m.getPort()))) {
            return c.sync().configGet(name).get(name);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static InetSocketAddress masterSeenByFreshClient() {
        Node s = bed.engine().session().backend().nodes(G).stream().filter(Node::isSentinel).findFirst().orElseThrow();
        RedisClient client = RedisClient.create();
        try (StatefulRedisSentinelConnection<String, String> c = client.connectSentinel(
                uri(s.reach().host(), s.reach().port()))) {
            return (InetSocketAddress) c.sync().getMasterAddrByName(G);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    @Order(1)
    void buildsAGroupOfMasterTwoReplicasThreeSentinels() {
        bed.ok("create-master " + G + " --port " + base);
        assertEquals(G, bed.engine().session().console().group(), "create-master makes its group current");
        bed.ok("scale slaves 2 --port " + (base + 1));
        bed.ok("scale sentinels 3 --port " + (base + 10) + " --down-after 2000 --failover-timeout 10000");
        List<Node> nodes = bed.engine().session().backend().nodes(G);
        assertEquals(3, nodes.stream().filter(Node::isRedis).count());
        assertEquals(3, nodes.stream().filter(Node::isSentinel).count());
        assertTrue(nodes.stream().allMatch(n -> n.state().running()));
        assertEquals("1", configOnMaster("min-replicas-to-write"), "a group with replicas bounds its data-loss window");
        assertEquals("10", configOnMaster("min-replicas-max-lag"));
    }

    @Test
    @Order(2)
    void everyNodeAndSentinelRefusesCommandsWithoutThePassword() throws Exception {
        String secret = bed.engine().session().passwords().of(G).orElseThrow().reveal();
        for (Node n : bed.engine().session().backend().nodes(G)) {
            // redis-cli, not a bare Lettuce client: Lettuce once failed here with its own handshake error instead of
            // reporting the server's NOAUTH (see the closing note of session 2)
            String without = RedisCli.run(n.reach(), java.util.Optional.empty(), "PING");
            assertTrue(without.contains("NOAUTH"), n.name() + " without the password: " + without);
            assertEquals("PONG", RedisCli.run(n.reach(), java.util.Optional.of(secret), "PING"), n.name() + " with it");
            java.nio.file.Path dir = bed.stateDir().resolve(G).resolve(n.name());
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(dir)), dir + " holds a config with the password");
            if (n.isRedis()) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(dir.resolve("redis.conf"))));
            }
        }
        for (String line : new String[]{"status --json", "sentinel status --json", "scale slaves 3 --dry-run",
                "scale sentinels 4 --dry-run", "doctor --json"}) {
            Outcome o = bed.engine().execute(line);
            assertTrue(o.result() != null, line + ": " + (o.error() == null ? "" : o.error().getMessage()));
            String shown = String.join("\n", RecordingInteraction.render(o.result()));
            assertFalse(shown.contains(secret), line + " shows the password");
        }
    }

    @Test
    @Order(2)
    void dryRunPrintsThePlanAndChangesNothing() {
        int before = bed.engine().session().backend().nodes(G).size();
        Outcome o = bed.ok("scale slaves 4 --dry-run");
        String text = String.join("\n", RecordingInteraction.render(o.result()));
        assertTrue(text.contains("dry run: nothing was changed"), text);
        assertTrue(text.contains("exec ") && text.contains("replicaof"), text);
        assertTrue(text.contains("master_link_status:up"), text);
        bed.ok("scale sentinels 1 --force --dry-run");
        bed.ok("failover --dry-run");
        bed.ok("destroy --dry-run");
        bed.ok("kill master --dry-run");
        assertEquals(before, bed.engine().session().backend().nodes(G).size(), "nothing started or removed");
        assertTrue(bed.engine().session().backend().nodes(G).stream().allMatch(n -> n.state().running()));
        assertTrue(bed.engine().execute("status --dry-run").error() != null, "--dry-run is only for commands that change things");
    }

    @Test
    @Order(2)
    void sentinelStatusAgreesWithAFreshLettuceConnection() {
        RedisClient client = RedisClient.create();
        try (StatefulRedisSentinelConnection<String, String> c = client.connectSentinel(
                uri(sentinelAddr().split(":")[0], Integer.parseInt(sentinelAddr().split(":")[1])))) {
            Map<String, String> m = c.sync().master(G);
            assertEquals(String.valueOf(base), m.get("port"), "the master is the first node");
            assertEquals("2", m.get("num-slaves"));
            assertEquals("2", m.get("num-other-sentinels"));
            assertEquals("2", m.get("quorum"));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        Outcome o = bed.ok("sentinel status");
        List<String> text = RecordingInteraction.render(o.result());
        assertTrue(text.stream().anyMatch(l -> l.startsWith("ok: all 3 sentinel(s) agree: master of " + G + " is " + G + "-redis-1")),
                String.join("\n", text));
        assertTrue(text.stream().anyMatch(l -> l.contains("CKQUORUM OK")), String.join("\n", text));
        Outcome status = bed.ok("status");
        List<String> st = RecordingInteraction.render(status.result());
        assertEquals(2, st.stream().filter(l -> l.startsWith(G + "-redis-") && l.contains("| replica |") && l.contains("| up |")).count(),
                String.join("\n", st));
    }

    @Test
    @Order(3)
    void failoverMovesTheMaster() {
        InetSocketAddress before = masterSeenByFreshClient();
        bed.ok("redis SET before-failover yes");
        Outcome o = bed.ok("failover --timeout 30s");
        bed.ok("wait agreement");
        String text = String.join("\n", RecordingInteraction.render(o.result()));
        assertTrue(text.contains("failover of " + G + ": " + G + "-redis-1"), text);
        InetSocketAddress after = masterSeenByFreshClient();
        assertNotEquals(before.getPort(), after.getPort(), "the sentinels name a new master");
        Outcome get = bed.ok("redis GET before-failover");
        assertTrue(RecordingInteraction.render(get.result()).contains("info: \"yes\""));
    }

    @Test
    @Order(4)
    void shrinkingSentinelsResetsTheSurvivors() {
        bed.ok("scale sentinels 2 --force");
        List<Node> sentinels = bed.engine().session().backend().nodes(G).stream().filter(Node::isSentinel).toList();
        assertEquals(2, sentinels.size());
        RedisClient client = RedisClient.create();
        try {
            for (Node s : sentinels) {
                try (StatefulRedisSentinelConnection<String, String> c = client.connectSentinel(
                        uri(s.reach().host(), s.reach().port()))) {
                    assertEquals("1", c.sync().master(G).get("num-other-sentinels"),
                            s.name() + " forgot the removed sentinel");
                }
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    @Order(5)
    void shrinkingReplicasNeverRemovesTheMaster() {
        InetSocketAddress master = masterSeenByFreshClient();
        bed.ok("scale slaves 0");
        List<Node> redis = bed.engine().session().backend().nodes(G).stream().filter(Node::isRedis).toList();
        assertEquals(1, redis.size());
        assertEquals(master.getPort(), redis.get(0).reach().port());
        assertEquals("0", configOnMaster("min-replicas-to-write"), "a lone master must keep accepting writes");
        bed.ok("redis SET still-writable yes");
    }

    @Test
    @Order(6)
    void destroyRemovesEverything() {
        bed.fails("destroy " + G);
        bed.ok("destroy " + G + " --yes");
        assertTrue(bed.engine().session().backend().nodes(G).isEmpty());
    }
}
