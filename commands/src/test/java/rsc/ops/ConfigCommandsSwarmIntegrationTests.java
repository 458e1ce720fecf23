package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import rsc.session.Outcome;
import rsc.testing.DockerCli;
import rsc.testing.RecordingInteraction;
import rsc.testing.SwarmTestBed;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code config set} and {@code sentinel set} on the swarm test bed, and what holds after Swarm restarts a task from
 * its service spec (which knows nothing of the values): the restarted data node copies them from the master it
 * follows, the restarted sentinel from its peers, so {@code config get} and {@code doctor} find no difference.
 */
@Tag("swarm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigCommandsSwarmIntegrationTests {

    private static SwarmTestBed bed;
    private static String g;

    @BeforeAll
    static void open() {
        bed = new SwarmTestBed();
        g = bed.newGroup("cfg");
    }

    @AfterAll
    static void close() {
        if (bed != null) {
            bed.close();
            List<String> left = DockerCli.run("service", "ls", "-q", "--filter", "label=rsc.group=" + g);
            assertTrue(left.isEmpty(), "services of " + g + " left behind: " + left);
        }
    }

    private static String text(Outcome o) {
        return String.join("\n", RecordingInteraction.render(o.result()));
    }

    /** The id of the service's running task: it changes when Swarm replaces the task. */
    private static String task(String service) {
        List<String> ids = DockerCli.run("service", "ps", service, "-q", "--filter", "desired-state=running");
        return ids.isEmpty() ? "" : ids.get(0);
    }

    private static void until(String what, long seconds, Supplier<Boolean> done) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.get()) {
            if (System.nanoTime() > deadline) {
                fail(what + " within " + seconds + " s");
            }
            Thread.sleep(1000);
        }
    }

    /** Kills the node's container and waits for Swarm's new task to answer. */
    private static void killAndAwaitNewTask(String node) throws InterruptedException {
        String before = task(node);
        bed.ok("kill " + node);
        until(node + " restarted by Swarm", 120, () -> {
            String now = task(node);
            return !now.isEmpty() && !now.equals(before);
        });
    }

    @Test
    @Order(1)
    void buildsTheGroupAndSetsValues() {
        bed.ok("create-master " + g);
        bed.ok("scale slaves 2");
        bed.ok("scale sentinels 3 --down-after 2000 --failover-timeout 10000");
        Outcome set = bed.ok("config set maxmemory 64mb");
        assertTrue(text(set).contains("is \"67108864\" on all 3 running data node(s)"), text(set));
        assertTrue(text(set).contains("copies it from the master it follows"), text(set));
        bed.ok("sentinel set down-after 3000");
        bed.ok("sentinel set parallel-syncs 2");
    }

    @Test
    @Order(2)
    void aReplicaSwarmRestartsCopiesTheValueFromItsMaster() throws InterruptedException {
        String replica = g + "-redis-3";
        killAndAwaitNewTask(replica);
        bed.ok("wait replicas 2 --timeout 90s");
        until(replica + " reports maxmemory 67108864 again", 60, () -> {
            String get = text(bed.ok("config get maxmemory"));
            return get.lines().filter(l -> l.startsWith("maxmemory | ") && l.endsWith("\"67108864\"")).count() == 3;
        });
    }

    @Test
    @Order(3)
    void aSentinelSwarmRestartsTakesItsPeersValues() throws InterruptedException {
        String sentinel = g + "-sentinel-2";
        killAndAwaitNewTask(sentinel);
        until(sentinel + " answers again", 60, () -> {
            Outcome o = bed.engine().execute("doctor");
            return o.result() != null && !text(o).contains("sentinel-silent");
        });
        String masters = text(bed.ok("sentinel masters --sentinel " + sentinel));
        assertTrue(masters.contains("| 3000 |"), "down-after 3000, not its service's 2000: " + masters);
        String doctor = text(bed.engine().execute("doctor"));   // its own findings only: Swarm may have put restarted tasks side by side (data-on-one-machine)
        assertFalse(doctor.contains("sentinel-settings-differ") || doctor.contains("settings-differ"), doctor);
    }

    @Test
    @Order(4)
    void theMasterSwarmRestartsFollowsThePromotedNodeWithTheValues() throws InterruptedException {
        bed.ok("kill master");
        bed.ok("wait switch-master --timeout 60s");
        bed.ok("wait replicas 2 --timeout 120s");
        until("every data node reports maxmemory 67108864", 60, () -> {
            String get = text(bed.ok("config get maxmemory"));
            return get.lines().filter(l -> l.startsWith("maxmemory | ") && l.endsWith("\"67108864\"")).count() == 3;
        });
        String doctor = text(bed.engine().execute("doctor"));   // its own findings only: Swarm may have put restarted tasks side by side (data-on-one-machine)
        assertFalse(doctor.contains("settings-differ"), doctor);
    }
}
