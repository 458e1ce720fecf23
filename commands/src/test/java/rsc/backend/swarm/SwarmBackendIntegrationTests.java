package rsc.backend.swarm;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rsc.backend.NodeSpec;
import rsc.backend.Progress;
import rsc.backend.SentinelSettings;
import rsc.backend.Signal;
import rsc.error.RscException;
import rsc.model.Endpoint;
import rsc.model.Node;
import rsc.model.NodeState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The swarm backend against a real single-node swarm ({@code scripts/swarm-testbed.sh}): a group of a master,
 * two replicas and three sentinels; a killed master that Swarm restarts while Sentinel fails over; removal.
 */
@Tag("swarm")
class SwarmBackendIntegrationTests {

    private static SwarmBed bed;
    private final List<String> groups = new ArrayList<>();

    @BeforeAll
    static void open() {
        bed = SwarmBed.open();
    }

    @AfterAll
    static void close() {
        if (bed != null) {
            bed.close();
        }
    }

    @AfterEach
    void cleanUp() {
        groups.forEach(bed::destroyQuietly);
    }

    private String newGroup(String prefix) {
        String g = SwarmBed.uniqueGroup(prefix);
        groups.add(g);
        return g;
    }

    private static final Progress LOG = line -> System.out.println("  progress: " + line);

    /** Starts a master, two replicas and three sentinels; returns the master. */
    private static Node startGroup(String g, long downAfter, long failoverTimeout) {
        Node master = bed.backend.start(NodeSpec.master(g, Optional.empty(), List.of()), LOG);
        bed.backend.start(NodeSpec.replica(g, master.announced(), Optional.empty(), List.of()), LOG);
        bed.backend.start(NodeSpec.replica(g, master.announced(), Optional.empty(), List.of()), LOG);
        SentinelSettings s = new SentinelSettings(2, downAfter, failoverTimeout);
        for (int i = 0; i < 3; i++) {
            bed.backend.start(NodeSpec.sentinel(g, master.announced(), Optional.empty(), s), LOG);
        }
        return master;
    }

    /** Waits until every sentinel knows 2 replicas and 2 other sentinels. */
    private static void awaitSentinelsSettled(String g) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Node n : bed.backend.nodes(g).stream().filter(Node::isSentinel).toList()) {
                try (StatefulRedisSentinelConnection<String, String> c = bed.sentinel(n.reach())) {
                    Map<String, String> m = c.sync().master(g);
                    last = n.name() + ": slaves " + m.get("num-slaves") + ", other sentinels " + m.get("num-other-sentinels");
                    all &= "2".equals(m.get("num-slaves")) && "2".equals(m.get("num-other-sentinels"));
                } catch (RuntimeException e) {
                    all = false;
                    last = n.name() + ": " + e.getMessage();
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(500);
        }
        fail("sentinels did not settle within 40 s: " + last);
    }

    @Test
    void startsAGroupMapsAddressesRemovesAndDestroys() throws Exception {
        String g = newGroup("topo");
        Node master = startGroup(g, 2000, 10000);
        assertEquals(new Endpoint(g + "-redis-1", 6379), master.announced());

        List<Node> nodes = bed.backend.nodes(g);
        assertEquals(6, nodes.size(), "nodes: " + nodes);
        assertEquals(List.of(g + "-redis-1", g + "-redis-2", g + "-redis-3", g + "-sentinel-1", g + "-sentinel-2",
                g + "-sentinel-3"), nodes.stream().map(Node::name).toList());
        for (Node n : nodes) {
            assertEquals(NodeState.RUNNING, n.state(), n.toString());
            assertTrue(n.host().known(), "the swarm node of " + n);
            assertEquals(n.host().address(), n.reach().host(), "reached at its swarm node's address: " + n);
            assertTrue(ServiceStarter.answersPing(n.reach()), n.name() + " answers PING at " + n.reach());
            assertEquals(n.reach(), bed.backend.reachable(n.announced()), "reachable(" + n.announced() + ")");
        }
        assertTrue(bed.backend.groups().contains(g));

        // an overlay address maps to the reach of its task
        SwarmTask task = bed.backend.inspection().tasks(Optional.of(g + "-redis-2")).stream().filter(SwarmTask::running).findFirst()
                .orElseThrow();
        assertTrue(!task.addresses().isEmpty(), "task has an overlay address: " + task);
        Node r2 = nodes.get(1);
        assertEquals(r2.reach(), bed.backend.reachable(new Endpoint(task.addresses().get(0), 6379)));
        assertEquals(new Endpoint("example.org", 1), bed.backend.reachable(new Endpoint("example.org", 1)));

        awaitSentinelsSettled(g);
        Node s1 = nodes.get(3);
        try (StatefulRedisSentinelConnection<String, String> c = bed.sentinel(s1.reach())) {
            List<Map<String, String>> replicas = c.sync().replicas(g);
            assertEquals(2, replicas.size(), "SENTINEL REPLICAS " + g + ": " + replicas);
            assertEquals(List.of(g + "-redis-2", g + "-redis-3"),
                    replicas.stream().map(r -> r.get("ip")).sorted().toList(), "replicas are listed by name");
            assertEquals(g + "-redis-1", ((java.net.InetSocketAddress) c.sync().getMasterAddrByName(g)).getHostString());
        }

        // removing a replica removes its service; its name becomes free again
        bed.backend.remove(r2);
        assertEquals(5, bed.backend.nodes(g).size());
        assertTrue(bed.backend.inspection().services().stream().noneMatch(s -> s.name().equals(r2.name())));
        assertEquals(r2.announced(), bed.backend.reachable(r2.announced()), "a removed node is no longer mapped");

        bed.backend.destroy(g, LOG);
        assertTrue(bed.backend.nodes(g).isEmpty());
        assertTrue(bed.backend.inspection().services().stream().noneMatch(s -> g.equals(s.label(SwarmBackend.GROUP))));
        assertTrue(!bed.backend.groups().contains(g));
    }

    @Test
    void aMissingImageIsAOneLineError() {
        String g = newGroup("noimg");
        SwarmBackend other = new SwarmBackend(bed.settings.withImage("rsc-no-such-image:none"));
        try {
            RscException e = assertThrows(RscException.class,
                    () -> other.start(NodeSpec.master(g, Optional.empty(), List.of()), Progress.NONE));
            assertEquals("image rsc-no-such-image:none is not on this node: docker pull rsc-no-such-image:none, "
                    + "or pass --image", e.getMessage());
        } finally {
            other.close();
        }
    }

    @Test
    void aNetworkWithAnotherDriverIsAOneLineErrorAndNothingIsStarted() throws Exception {
        String g = newGroup("bridge");
        String net = "rsc-it-bridge-" + g;
        Process p = new ProcessBuilder("docker", "network", "create", "-d", "bridge", net).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0,
                "docker network create: " + new String(p.getInputStream().readAllBytes()));
        SwarmBackend other = new SwarmBackend(bed.settings.withNetwork(net));
        try {
            RscException e = assertThrows(RscException.class,
                    () -> other.start(NodeSpec.master(g, Optional.empty(), List.of()), Progress.NONE));
            assertEquals("network " + net + " exists with driver bridge; rsc needs an overlay network: remove it or pass "
                    + "another --network", e.getMessage());
            assertTrue(other.nodes(g).isEmpty(), "nothing was started");
        } finally {
            other.close();
            new ProcessBuilder("docker", "network", "rm", net).redirectErrorStream(true).start()
                    .waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Issue 11: a failed create-master left the group's Docker secret behind, and 'destroy' then knew no group. */
    @Test
    void aMasterThatFailsToStartLeavesNoSecretBehind() {
        String g = newGroup("badpw");
        RscException e = assertThrows(RscException.class, () -> bed.backend.start(
                NodeSpec.master(g, Optional.empty(), List.of(List.of("no-such-directive", "1")))
                        .withPassword(Optional.of(new rsc.model.Secret("pw-" + g))), LOG));
        assertTrue(e.getMessage().startsWith(g + "-redis-1: task failed to start: "), e.getMessage());
        assertTrue(bed.backend.nodes(g).isEmpty(), "the failed service was removed");
        assertFalse(rsc.testing.DockerCli.run("secret", "ls", "--format", "{{.Name}}").contains(ServiceStarter.secretName(g)),
                "the secret the failed master created was removed");
    }

    /** The ingress network is an overlay that takes no service of rsc's: refused before any secret or service. */
    @Test
    void theIngressNetworkIsRefusedBeforeAnythingIsMade() {
        String g = newGroup("ingr");
        SwarmBackend other = new SwarmBackend(bed.settings.withNetwork("ingress"));
        try {
            RscException e = assertThrows(RscException.class, () -> other.start(NodeSpec.master(g, Optional.empty(), List.of())
                    .withPassword(Optional.of(new rsc.model.Secret("pw-" + g))), Progress.NONE));
            assertTrue(e.getMessage().startsWith("network ingress is Swarm's routing mesh"), e.getMessage());
            assertTrue(other.nodes(g).isEmpty(), "nothing was started");
            assertFalse(rsc.testing.DockerCli.run("secret", "ls", "--format", "{{.Name}}").contains(ServiceStarter.secretName(g)),
                    "no secret was made");
        } finally {
            other.close();
        }
    }

    @Test
    void aTaskThatFailsToStartReportsSwarmsError() {
        String g = newGroup("bad");
        long t0 = System.nanoTime();
        RscException e = assertThrows(RscException.class, () -> bed.backend.start(
                NodeSpec.master(g, Optional.empty(), List.of(List.of("no-such-directive", "1"))), LOG));
        long secs = (System.nanoTime() - t0) / 1_000_000_000L;
        assertTrue(e.getMessage().startsWith(g + "-redis-1: task failed to start: "), e.getMessage());
        assertTrue(secs < 20, "failure reported after " + secs + " s");
        assertTrue(bed.backend.nodes(g).isEmpty(), "the failed service was removed");
    }

    /**
     * Kills the master's container. Sentinel fails over and Swarm restarts the task; at no sample do two nodes
     * answer as master, and in the end one master has two linked replicas holding every key.
     */
    @ParameterizedTest(name = "down-after {0} ms")
    @ValueSource(longs = {2000, 30000})
    void aKilledMasterComesBackAsAReplicaWithoutSplitBrain(long downAfter) throws Exception {
        String g = newGroup("kill" + downAfter / 1000);
        Node master = startGroup(g, downAfter, 10000);
        awaitSentinelsSettled(g);

        RedisCommands<String, String> m = bed.redis(master.reach()).sync();
        Map<String, String> data = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            data.put("k:" + i, "v" + i);
        }
        assertEquals("OK", m.mset(data));
        assertEquals(2L, m.waitForReplication(2, 5000), "WAIT 2 5000");

        long t0 = System.nanoTime();
        bed.backend.signal(master, Signal.KILL);
        bed.drop(master.reach());
        System.out.println("killed " + master.name() + " at " + master.reach());

        long deadline = t0 + Duration.ofSeconds(downAfter / 1000 + 90).toNanos();
        List<Node> redis = List.of();
        int samples = 0;
        String lastView = "";
        boolean restarted = false;
        long nodesAt = 0;
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() - nodesAt > 1_000_000_000L) {
                redis = bed.backend.nodes(g).stream().filter(Node::isRedis).toList();
                nodesAt = System.nanoTime();
            }
            Map<String, Map<String, String>> infos = new HashMap<>();
            for (Node n : redis) {
                if (n.state() != NodeState.RUNNING) {
                    continue;
                }
                try {
                    infos.put(n.name(), parseInfo(bed.redis(n.reach()).sync().info("replication")));
                } catch (RuntimeException e) {
                    bed.drop(n.reach());
                }
            }
            samples++;
            List<String> masters = infos.entrySet().stream().filter(e -> "master".equals(e.getValue().get("role")))
                    .map(Map.Entry::getKey).sorted().toList();
            lastView = describe(infos);
            assertTrue(masters.size() <= 1, "two masters at once after "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms: " + lastView);
            // a new task (a host port fixed in the spec stays the same across restarts: compare the task, not the port)
            restarted |= !master.detail().equals(redis.stream().filter(n -> n.name().equals(master.name()))
                    .map(Node::detail).findFirst().orElse(master.detail()));
            if (restarted && masters.size() == 1 && infos.size() == 3 && settled(infos, masters.get(0))) {
                break;
            }
            Thread.sleep(200);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("settled after " + ms + " ms, " + samples + " samples: " + lastView);
        List<String> log = new ArrayList<>();
        bed.backend.inspection().logs(master.name(), Optional.of(400), false, log::add);
        log.stream().filter(l -> l.contains("rsc-node")).forEach(l -> System.out.println("  log: " + l));
        assertTrue(log.stream().anyMatch(l -> l.contains("rsc-node " + master.name() + ": the sentinels")),
                "the restarted node asked the sentinels: " + log);
        assertTrue(restarted, "Swarm restarted " + master.name());
        List<Node> finalNodes = bed.backend.nodes(g).stream().filter(Node::isRedis).toList();
        Map<String, Map<String, String>> infos = new HashMap<>();
        for (Node n : finalNodes) {
            infos.put(n.name(), parseInfo(bed.redis(n.reach()).sync().info("replication")));
        }
        List<String> masters = infos.entrySet().stream().filter(e -> "master".equals(e.getValue().get("role")))
                .map(Map.Entry::getKey).toList();
        assertEquals(1, masters.size(), "one master: " + describe(infos));
        String newMaster = masters.get(0);
        assertTrue(!newMaster.equals(master.name()), "the restarted (empty) node is not the master: " + describe(infos));
        assertTrue(settled(infos, newMaster), "every other node replicates from " + newMaster + ": " + describe(infos));
        for (Node n : finalNodes) {
            RedisCommands<String, String> c = bed.redis(n.reach()).sync();
            long deadlineKeys = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            long size = c.dbsize();
            while (size < 1000 && System.nanoTime() < deadlineKeys) {
                Thread.sleep(200);
                size = c.dbsize();
            }
            assertEquals(1000L, size, n.name() + " holds every key");
            assertEquals("v999", c.get("k:999"));
            assertEquals("v0", c.get("k:0"));
        }
        if (downAfter == 2000) {
            sentinelRestartLearnsTheMasterFromPeers(g, newMaster);
        }
    }

    /** Kills a sentinel after the failover: its new task monitors the current master, and peers count it once. */
    private static void sentinelRestartLearnsTheMasterFromPeers(String g, String currentMaster) throws Exception {
        Node s1 = bed.backend.nodes(g).stream().filter(Node::isSentinel).findFirst().orElseThrow();
        bed.backend.signal(s1, Signal.KILL);
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            Optional<Node> now = bed.backend.nodes(g).stream().filter(n -> n.name().equals(s1.name())).findFirst();
            if (now.isEmpty() || now.get().state() != NodeState.RUNNING || now.get().detail().equals(s1.detail())) {
                last = "not restarted yet: " + now;
                continue;
            }
            boolean ok = true;
            for (Node s : bed.backend.nodes(g).stream().filter(Node::isSentinel).toList()) {
                try (StatefulRedisSentinelConnection<String, String> c = bed.sentinel(s.reach())) {
                    Map<String, String> m = c.sync().master(g);
                    last = s.name() + ": master " + m.get("ip") + ", other sentinels " + m.get("num-other-sentinels");
                    ok &= currentMaster.equals(m.get("ip")) && "2".equals(m.get("num-other-sentinels"));
                } catch (RuntimeException e) {
                    ok = false;
                    last = s.name() + ": " + e.getMessage();
                }
                if (!ok) {
                    break;
                }
            }
            if (ok) {
                List<String> log = new ArrayList<>();
                bed.backend.inspection().logs(s1.name(), Optional.of(200), false, log::add);
                log.stream().filter(l -> l.contains("rsc-node")).forEach(l -> System.out.println("  log: " + l));
                assertTrue(log.stream().anyMatch(l -> l.contains("monitoring " + g + " at " + currentMaster
                        + ":6379, learnt from a peer sentinel")), "the restarted sentinel asked its peers: " + log);
                return;
            }
        }
        fail("the restarted sentinel " + s1.name() + " did not rejoin: " + last);
    }

    private static boolean settled(Map<String, Map<String, String>> infos, String masterName) {
        return infos.entrySet().stream().filter(e -> !e.getKey().equals(masterName)).allMatch(e ->
                "slave".equals(e.getValue().get("role")) && masterName.equals(e.getValue().get("master_host"))
                        && "up".equals(e.getValue().get("master_link_status")));
    }

    private static String describe(Map<String, Map<String, String>> infos) {
        StringBuilder b = new StringBuilder();
        infos.keySet().stream().sorted().forEach(k -> {
            Map<String, String> i = infos.get(k);
            b.append(k).append('=').append(i.get("role"));
            if ("slave".equals(i.get("role"))) {
                b.append('(').append(i.get("master_host")).append(':').append(i.get("master_port")).append(' ')
                        .append(i.get("master_link_status")).append(')');
            }
            b.append(' ');
        });
        return b.toString().trim();
    }

    static Map<String, String> parseInfo(String info) {
        Map<String, String> out = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }
}
