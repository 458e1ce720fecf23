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
import rsc.events.Event;
import rsc.model.Node;
import rsc.session.Outcome;
import rsc.session.ScriptRunner;
import rsc.testing.RecordingInteraction;
import rsc.testing.DockerCli;
import rsc.testing.SwarmTestBed;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One group on the real swarm test bed, driven only through engine lines as the console runs them: build it, check
 * {@code status} against {@code docker service ps}, fail over, kill the master and watch Swarm restart it as a replica,
 * shrink and grow, destroy. Then the runbooks in {@code scripts/} through {@link ScriptRunner}. Steps run in order.
 */
@Tag("swarm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmGroupIntegrationTests {

    private static SwarmTestBed bed;
    private static String g;
    private static long started;

    @BeforeAll
    static void open() {
        started = System.nanoTime();
        bed = new SwarmTestBed();
        g = bed.newGroup("sg");
    }

    @AfterAll
    static void close() {
        if (bed != null) {
            bed.close();
            List<String> left = docker("service", "ls", "-q", "--filter", "label=rsc.group=" + g);
            assertTrue(left.isEmpty(), "services of " + g + " left behind: " + left);
            System.out.printf("SwarmGroupIntegrationTests took %.1f s%n", (System.nanoTime() - started) / 1e9);
        }
    }

    // ------------------------------------------------------------------------------------------ the steps

    @Test
    @Order(1)
    void buildsMasterTwoReplicasThreeSentinels() {
        bed.ok("create-master " + g);
        assertEquals(g, bed.engine().session().console().group(), "create-master makes its group current");
        bed.ok("scale slaves 2");
        bed.ok("scale sentinels 3 --down-after 2000 --failover-timeout 10000");
        List<Node> nodes = nodes();
        assertEquals(List.of(g + "-redis-1", g + "-redis-2", g + "-redis-3", g + "-sentinel-1", g + "-sentinel-2",
                g + "-sentinel-3"), nodes.stream().map(Node::name).toList());
        assertTrue(nodes.stream().allMatch(n -> n.state().running()), nodes.toString());
    }

    @Test
    @Order(2)
    void statusAgreesWithDockerServicePs() {
        Outcome o = bed.ok("status");
        List<String> text = RecordingInteraction.render(o.result());
        Map<String, String[]> rows = statusRows(text);
        // the services Docker lists for the group are exactly the nodes status shows
        List<String> services = docker("service", "ls", "--filter", "label=rsc.group=" + g, "--format", "{{.Name}}");
        assertEquals(new TreeSet<>(services), new TreeSet<>(rows.keySet()), String.join("\n", text));
        // each has one running task, published on the port status shows
        List<String> args = new ArrayList<>(List.of("service", "ps", "--filter", "desired-state=running", "--format",
                "{{.Name}}|{{.CurrentState}}|{{.Ports}}|{{.ID}}"));
        args.addAll(services);
        Map<String, List<String>> tasks = new HashMap<>();
        for (String line : docker(args.toArray(String[]::new))) {
            String[] f = line.split("\\|", -1);
            tasks.computeIfAbsent(f[0].substring(0, f[0].lastIndexOf('.')), k -> new ArrayList<>()).add(line);
            String service = f[0].substring(0, f[0].lastIndexOf('.'));
            assertTrue(f[1].startsWith("Running"), "docker says " + line);
            Matcher m = Pattern.compile("\\*:(\\d+)->(\\d+)/tcp").matcher(f[2]);
            assertTrue(m.find(), "a host-mode published port: " + line);
            int target = service.contains("-sentinel-") ? 26379 : 6379;
            assertEquals(target, Integer.parseInt(m.group(2)), line);
            // reached at the address of the swarm node the task runs on (not the manager's loopback: issue 10)
            String nodeId = docker("inspect", "--format", "{{.NodeID}}", f[3]).get(0);
            String addr = docker("node", "inspect", "--format", "{{.Status.Addr}}", nodeId).get(0);
            String[] row = rows.get(service);
            // columns: node, address, swarm node, role (a node that does not run shows its state there), follows, link, lag
            assertEquals(addr + ":" + m.group(1), row[1], "status address of " + service + " vs docker: " + line);
            assertTrue(row[2].startsWith(nodeId.substring(0, 12) + " (" + addr), "swarm node of " + service + ": " + row[2]);
            assertTrue(List.of("master", "replica", "sentinel").contains(row[3]), service + " runs and answers: " + row[3]);
        }
        for (String s : services) {
            assertEquals(1, tasks.getOrDefault(s, List.of()).size(), "one running task of " + s + ": " + tasks);
        }
        assertEquals("master", rows.get(g + "-redis-1")[3]);
        for (String r : List.of(g + "-redis-2", g + "-redis-3")) {
            assertEquals("replica", rows.get(r)[3], r);
            assertTrue(rows.get(r)[4].startsWith(g + "-redis-1"), r + " follows the master: " + Arrays.toString(rows.get(r)));
            assertEquals("up", rows.get(r)[5], r + " link");
        }
        // the swarm's own views say the same
        String ps = String.join("\n", RecordingInteraction.render(bed.ok("ps " + g + "-redis-1").result()));
        assertTrue(ps.contains("running"), ps);
    }

    @Test
    @Order(2)
    void thePasswordIsADockerSecretNeverVisibleInServiceInspect() {
        String secret = bed.engine().session().passwords().of(g).orElseThrow().reveal();
        List<String> services = docker("service", "ls", "--filter", "label=rsc.group=" + g, "--format", "{{.Name}}");
        for (String svc : services) {
            String inspect = String.join("\n", docker("service", "inspect", svc));
            assertFalse(inspect.contains(secret), svc + ": the password shows in docker service inspect");
            assertTrue(inspect.contains("rsc-" + g + "-password"), svc + " mounts the group's secret");
        }
        assertTrue(String.join("\n", docker("secret", "ls", "--format", "{{.Name}}")).contains("rsc-" + g + "-password"));
        // redis-cli, not Lettuce: CI saw Lettuce's handshake fail on the refusal itself ("RedisHandshakeHandler not
        // registered") instead of reporting NOAUTH
        for (Node n : nodes()) {
            String reply = rsc.testing.RedisCli.run(n.reach(), java.util.Optional.empty(), "PING");
            assertTrue(reply.contains("NOAUTH"), n.name() + " answers without the password: " + reply);
        }
    }

    @Test
    @Order(3)
    void sentinelStatusAgreesAndQuorumHolds() {
        List<String> text = RecordingInteraction.render(bed.ok("sentinel status " + g).result());
        String all = String.join("\n", text);
        assertTrue(text.stream().anyMatch(l -> l.startsWith("ok: all 3 sentinel(s) agree: master of " + g + " is "
                + g + "-redis-1")), all);
        assertTrue(text.stream().anyMatch(l -> l.contains("CKQUORUM OK")), all);
        bed.ok("sentinel ckquorum");
        Map<String, String> m = sentinelMaster();
        assertEquals("2", m.get("num-slaves"), m.toString());
        assertEquals("2", m.get("num-other-sentinels"), m.toString());
        assertEquals("2", m.get("quorum"));
        assertEquals("2000", m.get("down-after-milliseconds"));
        assertEquals("10000", m.get("failover-timeout"));
    }

    @Test
    @Order(4)
    void doctorIsCleanOnAHealthyGroup() {
        Outcome o = bed.ok("doctor");
        String text = text(o);
        assertFalse(o.result().failed(), text);
        assertTrue(text.contains("no findings"), "a fresh swarm group has no findings: " + text);
    }

    @Test
    @Order(5)
    void failoverMovesTheMasterAndKeepsTheData() {
        assertEquals(g + "-redis-1", masterSeenByFreshClient().getHostString());
        assertEquals(List.of("info: OK"), RecordingInteraction.render(bed.ok("redis SET k v").result()));
        bed.ok("redis WAIT 2 5000");
        Outcome o = bed.ok("failover --timeout 30s");
        bed.ok("wait agreement");
        System.out.println(text(o).indent(4));
        assertTrue(text(o).contains("failover of " + g + ": " + g + "-redis-1"), text(o));
        String after = masterSeenByFreshClient().getHostString();
        assertNotEquals(g + "-redis-1", after, "the sentinels name a new master");
        assertTrue(after.startsWith(g + "-redis-"), after);
        assertEquals(List.of("info: \"v\""), RecordingInteraction.render(bed.ok("redis GET k").result()));
        List<String> status = RecordingInteraction.render(bed.ok("sentinel status").result());
        assertTrue(status.stream().anyMatch(l -> l.startsWith("ok: all 3 sentinel(s) agree: master of " + g + " is " + after)),
                String.join("\n", status));
    }

    @Test
    @Order(6)
    void aKilledMasterIsRestartedByswarmAsAReplicaAndEventsShowTheSwitch() {
        String before = masterSeenByFreshClient().getHostString();
        bed.ok("wait replicas 2 --timeout 30s");
        long t0 = System.nanoTime();
        bed.ok("kill master");
        Outcome w = bed.ok("wait switch-master --timeout 60s");
        assertTrue(text(w).contains("+switch-master: " + g + " " + before), text(w));
        bed.ok("wait replicas 2 --timeout 90s");
        System.out.printf("  kill -> 2 replicas linked again: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        String now = masterSeenByFreshClient().getHostString();
        assertNotEquals(before, now);
        // the restarted task came back as a replica of the new master, with the data
        Outcome role = bed.ok("expect role " + before + " replica");
        assertTrue(text(role).contains(before + " is replica"), text(role));
        assertEquals(List.of("info: \"v\""), RecordingInteraction.render(bed.ok("redis --node " + before + " GET k").result()));
        assertEquals(List.of("info: \"v\""), RecordingInteraction.render(bed.ok("redis GET k").result()));
        // sentinel events reached the console through the published ports
        List<String> types = bed.engine().session().events().timeline().all().stream().filter(e -> g.equals(e.group()))
                .map(Event::type).toList();
        assertTrue(types.containsAll(List.of("+sdown", "+odown", "+switch-master")), types.toString());
        String events = text(bed.ok("events --group " + g));
        System.out.println(events.indent(4));
        for (String type : List.of("+sdown", "+odown", "+switch-master")) {
            assertTrue(events.lines().anyMatch(l -> l.contains("| sentinel | " + type + " |")), type + " in:\n" + events);
        }
    }

    @Test
    @Order(7)
    void doctorAfterTheKillHasOnlyWarningsAndNamesTheFailedTask() {
        Outcome o = bed.ok("doctor");
        String text = text(o);
        System.out.println(text.indent(4));
        assertFalse(o.result().failed(), "only warnings: " + text);
        assertTrue(text.contains("task-failed"), "Swarm's failed task of the killed master is reported: " + text);
        assertTrue(text.contains("non-zero exit (137)"), "with Swarm's error: " + text);
        bed.ok("expect doctor clean");
    }

    @Test
    @Order(8)
    void shrinkingReplicasKeepsTheMasterAndResetsTheSentinels() {
        String master = masterSeenByFreshClient().getHostString();
        bed.ok("scale slaves 1");
        List<Node> redis = nodes().stream().filter(Node::isRedis).toList();
        assertEquals(2, redis.size(), redis.toString());
        assertTrue(redis.stream().anyMatch(n -> n.name().equals(master)), "the master " + master + " stays: " + redis);
        assertEquals(master, masterSeenByFreshClient().getHostString());
        String replica = redis.stream().map(Node::name).filter(n -> !n.equals(master)).findFirst().orElseThrow();
        for (Node s : nodes().stream().filter(Node::isSentinel).toList()) {
            List<Map<String, String>> replicas = withSentinel(s, c -> c.sync().replicas(g));
            assertEquals(1, replicas.size(), s.name() + " SENTINEL REPLICAS: " + replicas);
            assertEquals(replica, replicas.get(0).get("ip"), s.name() + " lists the survivor by name");
        }
        bed.ok("expect replicas 1");
        assertEquals(List.of("info: \"v\""), RecordingInteraction.render(bed.ok("redis GET k").result()));
    }

    @Test
    @Order(9)
    void shrinkingAndRegrowingSentinels() {
        bed.ok("scale sentinels 2 --force");
        List<Node> two = nodes().stream().filter(Node::isSentinel).toList();
        assertEquals(2, two.size());
        for (Node s : two) {
            assertEquals("1", withSentinel(s, c -> c.sync().master(g)).get("num-other-sentinels"), s.name() + " forgot the removed one");
        }
        bed.ok("scale sentinels 3");
        List<Node> three = nodes().stream().filter(Node::isSentinel).toList();
        assertEquals(3, three.size());
        for (Node s : three) {
            Map<String, String> m = withSentinel(s, c -> c.sync().master(g));
            assertEquals("2", m.get("num-other-sentinels"), s.name() + ": " + m);
            assertEquals("2000", m.get("down-after-milliseconds"), "the group's timings are kept: " + m);
            assertEquals("2", m.get("quorum"));
        }
        bed.ok("expect quorum ok");
    }

    @Test
    @Order(10)
    void destroyLeavesNoService() {
        bed.fails("destroy " + g);
        bed.ok("destroy " + g + " --yes");
        assertEquals(List.of(), docker("service", "ls", "-q", "--filter", "label=rsc.group=" + g));
        assertTrue(nodes().isEmpty());
        assertFalse(String.join("\n", docker("secret", "ls", "--format", "{{.Name}}")).contains("rsc-" + g + "-password"),
                "destroy removes the group's secret");
        assertTrue(bed.engine().session().passwords().of(g).isEmpty(), "and the console's copy");
    }

    @Test
    @Order(11)
    void theRunbooksReplayOnSwarm() {
        String rb = bed.newGroup("rb");
        bed.ok("use " + rb);
        Path scripts = scriptsDir();
        for (String script : List.of("bootstrap.rsc", "failover.rsc", "triage.rsc", "drill.rsc", "teardown.rsc")) {
            long t0 = System.nanoTime();
            ScriptRunner.Report r = new ScriptRunner(bed.engine(), false, true).run(scripts.resolve(script));
            System.out.printf("  [%5.1f s] %s: exit %d, %d line(s)%n", (System.nanoTime() - t0) / 1e9, script,
                    r.exitStatus(), r.ran());
            assertEquals(0, r.exitStatus(), script + ": " + r.firstFailure() + "\n" + String.join("\n", bed.ui().lines()));
            assertEquals(0, r.failed(), script);
            if (script.equals("bootstrap.rsc")) {
                assertEquals(6, nodes(rb).size(), "bootstrap builds master, 2 replicas, 3 sentinels");
            }
        }
        assertEquals(List.of(), docker("service", "ls", "-q", "--filter", "label=rsc.group=" + rb));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static List<Node> nodes() {
        return nodes(g);
    }

    private static List<Node> nodes(String group) {
        return bed.engine().session().backend().nodes(group);
    }

    private static String text(Outcome o) {
        return String.join("\n", RecordingInteraction.render(o.result()));
    }

    /** Rows of the "G: nodes" table of status, by node name: node, kind, address, state, role, follows, link, lag. */
    private static Map<String, String[]> statusRows(List<String> text) {
        Map<String, String[]> rows = new HashMap<>();
        boolean in = false;
        for (String l : text) {
            if (l.startsWith("## ")) {
                in = l.startsWith("## " + g + ": nodes");
                continue;
            }
            if (in && l.startsWith(g + "-")) {
                rows.put(l.substring(0, l.indexOf(" | ")), l.split(" \\| ", -1));
            }
        }
        return rows;
    }

    private static <T> T withSentinel(Node s, java.util.function.Function<StatefulRedisSentinelConnection<String, String>, T> f) {
        RedisClient client = RedisClient.create();
        try (StatefulRedisSentinelConnection<String, String> c = client.connectSentinel(
                RedisURI.builder().withHost(s.reach().host()).withPort(s.reach().port())
                        .withPassword(bed.engine().session().passwords().of(g).orElseThrow().chars())
                        .withTimeout(Duration.ofSeconds(3)).build())) {
            return f.apply(c);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static Map<String, String> sentinelMaster() {
        Node s = nodes().stream().filter(Node::isSentinel).findFirst().orElseThrow();
        return withSentinel(s, c -> c.sync().master(g));
    }

    /** The master as a fresh Lettuce sentinel connection (not rsc's) hears it from the first sentinel. */
    private static InetSocketAddress masterSeenByFreshClient() {
        Node s = nodes().stream().filter(n -> n.isSentinel() && n.state().running()).findFirst().orElseThrow();
        return withSentinel(s, c -> (InetSocketAddress) c.sync().getMasterAddrByName(g));
    }

    private static Path scriptsDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/bootstrap.rsc"))) {
                return p.resolve("scripts");
            }
        }
        throw new AssertionError("no scripts/bootstrap.rsc above " + Path.of("").toAbsolutePath());
    }

    /** Runs the docker CLI (an independent witness of what the engine holds) and returns its output lines. */
    private static List<String> docker(String... args) {
        return DockerCli.run(args);
    }
}
