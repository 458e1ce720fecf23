package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import rsc.model.Endpoint;
import rsc.model.Finding;
import rsc.model.Node;
import rsc.model.NodeState;
import rsc.testing.AckedWriter;
import rsc.testing.DockerCli;
import rsc.testing.RecordingInteraction;
import rsc.testing.RedisCli;
import rsc.testing.Sleep;
import rsc.testing.SwarmNodes;
import rsc.testing.SwarmTestBed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A group on a 3-node swarm ({@code scripts/swarm-testbed.sh --nodes 3}: this manager and two workers in network
 * namespaces): its nodes spread over the swarm's nodes and reached there, drills on a worker's containers, and the
 * master's swarm node cut off ({@code ip link set vhK down}) under a client whose every write is acknowledged by
 * {@code WAIT 1}, with a second writer inside the cut-off node, where only it can reach the old master.
 */
@Tag("swarm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmMultiNodeIntegrationTests {

    private SwarmTestBed bed;
    private String g;
    private Optional<String> password;

    @BeforeAll
    void startGroup() {
        SwarmNodes.require(3);
        bed = new SwarmTestBed();
        g = bed.newGroup("mn");
        bed.ok("create-master " + g);
        bed.ok("scale slaves 2 --group " + g);
        bed.ok("scale sentinels 3 --group " + g + " --down-after 2000 --failover-timeout 10000");
        password = bed.engine().session().passwords().of(g).map(p -> p.reveal());
    }

    @AfterAll
    void cleanUp() {
        for (int k = 2; k <= 9; k++) {
            if (DockerCli.quietly("version") && new java.io.File("/sys/class/net/vh" + k).exists()) {
                SwarmNodes.link(k, true);
            }
        }
        if (bed != null) {
            bed.close();
        }
    }

    private List<Node> nodes() {
        return bed.backend().nodes(g);
    }

    @Test
    @Order(1)
    void dataNodesAndSentinelsEachOnTheirOwnSwarmNodeReachedThere() throws Exception {
        List<Node> nodes = nodes();
        List<Node> redis = nodes.stream().filter(Node::isRedis).toList();
        List<Node> sentinels = nodes.stream().filter(Node::isSentinel).toList();
        assertEquals(3, redis.size(), nodes.toString());
        assertEquals(3, sentinels.size(), nodes.toString());
        assertEquals(3, redis.stream().map(n -> n.host().id()).distinct().count(), "data nodes on distinct swarm nodes: " + nodes);
        assertEquals(3, sentinels.stream().map(n -> n.host().id()).distinct().count(), "sentinels on distinct swarm nodes: " + nodes);
        for (Node n : nodes) {
            assertEquals(NodeState.RUNNING, n.state(), n.toString());
            assertEquals(n.host().address(), n.reach().host(), "reached at its swarm node's address: " + n);
            assertEquals("PONG", RedisCli.run(n.reach(), password, "PING"), n.name() + " at " + n.reach());
            // placed by rsc, then unpinned: Swarm may reschedule it when its node is lost
            String placement = DockerCli.run("service", "inspect", "--format", "{{json .Spec.TaskTemplate.Placement}}",
                    n.name()).get(0);
            assertFalse(placement.contains("node.id"), n.name() + " is still pinned: " + placement);
        }
        List<Finding> findings = Doctor.examine(bed.engine().session(), g);
        assertTrue(findings.stream().noneMatch(f -> f.check().startsWith("data-on-one") || f.check().startsWith("master-with")
                || f.check().equals("machine-down")), findings.toString());
        String status = String.join("\n", RecordingInteraction.render(bed.ok("status " + g).result()));
        assertTrue(status.contains("swarm node"), status);
        for (Node n : nodes) {
            assertTrue(status.contains(n.host().shortId() + " (" + n.host().address()), status);
        }
    }

    @Test
    @Order(3)
    void pauseResumeAndKillReachAContainerOnAWorker() {
        // a group of its own, as rsc placed it (the cut above moved the first one's nodes onto the nodes left)
        g = bed.newGroup("dl");
        bed.ok("create-master " + g);
        bed.ok("scale slaves 2 --group " + g);
        password = bed.engine().session().passwords().of(g).map(p -> p.reveal());
        Node replica = nodes().stream().filter(Node::isRedis)
                .filter(n -> SwarmNodes.worker(n.host().address()).isPresent())
                .filter(n -> !RedisCli.run(n.reach(), password, "ROLE").startsWith("master")).findFirst()
                .orElseThrow(() -> new AssertionError("no replica on a worker: " + nodes()));
        bed.ok("pause " + replica.name());
        assertEquals("(timeout)", RedisCli.run(replica.reach(), password, "PING"), "a frozen node does not answer");
        bed.ok("resume " + replica.name());
        assertEquals("PONG", RedisCli.run(replica.reach(), password, "PING"), "resume thawed exactly that container");

        String before = replica.detail();
        bed.ok("kill " + replica.name());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Node now = replica;
        while (System.nanoTime() < deadline && Sleep.sleep(500)) {
            now = nodes().stream().filter(n -> n.name().equals(replica.name())).findFirst().orElseThrow();
            if (now.state() == NodeState.RUNNING && !now.detail().equals(before)
                    && RedisCli.run(now.reach(), password, "INFO", "replication").contains("master_link_status:up")) {
                break;
            }
        }
        assertNotEquals(before, now.detail(), "Swarm replaced the killed task");
        assertTrue(RedisCli.run(now.reach(), password, "INFO", "replication").contains("master_link_status:up"),
                "the restarted node is a linked replica again: " + now);
        // and it keeps the group's write fence, set at run time and not in its service spec: promoted later and cut
        // off, it must stop taking writes (found by the cut-off test below: a restarted node lacked it)
        assertEquals("min-replicas-to-write\n1", RedisCli.run(now.reach(), password, "CONFIG", "GET", "min-replicas-to-write"),
                "the restarted node's min-replicas-to-write");
        bed.ok("destroy " + g + " --yes");   // a group without sentinels: drain (below) rightly refuses to move its master
    }

    private Node masterOnAWorker() {
        return new SwarmNodeLoss(bed, g, Duration.ofSeconds(60)).masterOnAWorker();
    }

    @Test
    @Order(2)
    void theMastersSwarmNodeCutOffUnderAcknowledgedWrites() throws Exception {
        new SwarmNodeLoss(bed, g, Duration.ofSeconds(60)).loseTheMastersNode("one manager, a worker cut off", SwarmNodeLoss.CUT_LINK);
    }

    @Test
    @Order(4)
    void drainingTheMastersSwarmNodeFailsOverFirstAndReturnsWhenItsNodesRunElsewhereLinked() throws Exception {
        // a group of its own, spread over the three swarm nodes (the one above was moved by the cut)
        g = bed.newGroup("dr");
        bed.ok("create-master " + g);
        bed.ok("scale slaves 2 --group " + g);
        bed.ok("scale sentinels 3 --group " + g + " --down-after 2000 --failover-timeout 10000");
        password = bed.engine().session().passwords().of(g).map(p -> p.reveal());
        Node master = masterOnAWorker();
        String machine = master.host().address();
        List<String> there = nodes().stream().filter(n -> n.host().id().equals(master.host().id())).map(Node::name).toList();
        String plan = String.join("\n", RecordingInteraction.render(bed.ok("drain " + machine + " --dry-run").result()));
        assertTrue(plan.contains("failover " + g) && plan.contains("docker node update --availability drain"), plan);
        assertEquals("active", DockerCli.run("node", "inspect", "--format", "{{.Spec.Availability}}", master.host().id()).get(0),
                "--dry-run changed nothing");
        try {
            String out = String.join("\n", RecordingInteraction.render(bed.ok("drain " + machine).result()));
            assertTrue(out.contains("drained swarm node " + master.host().shortId()), out);
            assertEquals("drain", DockerCli.run("node", "inspect", "--format", "{{.Spec.Availability}}", master.host().id()).get(0));
            // when it returns: the master is elsewhere, every node that was there runs elsewhere, replicas linked
            List<Node> now = nodes();
            for (Node n : now) {
                assertEquals(NodeState.RUNNING, n.state(), n.toString());
                assertNotEquals(master.host().id(), n.host().id(), "still on the drained node: " + n + " (was: " + there + ")");
            }
            Node newMaster = masterNode();
            assertNotEquals(master.name(), newMaster.name());
            for (Node n : now.stream().filter(Node::isRedis).filter(n -> !n.equals(newMaster)).toList()) {
                assertTrue(RedisCli.run(n.reach(), password, "INFO", "replication").contains("master_link_status:up"), n.name());
            }
        } finally {
            bed.ok("activate " + machine);
        }
        assertEquals("active", DockerCli.run("node", "inspect", "--format", "{{.Spec.Availability}}", master.host().id()).get(0));
    }

    private Node masterNode() {
        return new SwarmNodeLoss(bed, g, Duration.ofSeconds(60)).masterNode();
    }
}
