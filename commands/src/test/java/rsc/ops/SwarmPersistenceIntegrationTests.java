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
import rsc.testing.DockerCli;
import rsc.testing.RecordingInteraction;
import rsc.testing.SwarmTestBed;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code create-master --persistence} on the real swarm (issue 15, item 4): each data service mounts a volume of its
 * own, a task restarted on the same swarm node finds its files there, and {@code destroy} removes the volumes on
 * every swarm node. Groups are named {@code pers-...}; every service and volume they make is removed.
 */
@Tag("swarm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmPersistenceIntegrationTests {

    private static SwarmTestBed bed;
    private static String g;
    private static String solo;

    @BeforeAll
    static void open() {
        bed = new SwarmTestBed();
        g = bed.newGroup("pers");
        solo = bed.newGroup("pers");
    }

    @AfterAll
    static void close() {
        if (bed != null) {
            bed.close();
            for (String group : List.of(g, solo)) {
                assertTrue(DockerCli.run("service", "ls", "-q", "--filter", "label=rsc.group=" + group).isEmpty(),
                        "services of " + group + " left behind");
                assertEquals(List.of(), volumesEverywhere(group), "volumes of " + group + " left behind");
            }
        }
    }

    /** {@code swarm node: volume} for each volume whose name holds {@code part}, asked of every swarm node's engine. */
    private static List<String> volumesEverywhere(String part) {
        List<String> out = new ArrayList<>();
        for (String id : DockerCli.run("node", "ls", "-q")) {
            String socket = DockerCli.run("node", "inspect", "--format", "{{index .Spec.Labels \"rsc.docker-socket\"}}", id)
                    .stream().findFirst().filter(s -> !s.isBlank() && !s.equals("<no value>")).orElse("/var/run/docker.sock");
            for (String v : DockerCli.run("-H", "unix://" + socket, "volume", "ls", "-q", "--filter", "name=" + part)) {
                out.add(id + ": " + v);
            }
        }
        return out;
    }

    private static String text(Outcome o) {
        return String.join("\n", RecordingInteraction.render(o.result()));
    }

    private static Node node(String group, String name) {
        return bed.backend().nodes(group).stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void everyDataServiceOfAnAofGroupMountsAVolumeOfItsOwnAndStatusReadsTheNodes() {
        bed.ok("create-master " + g + " --persistence aof");
        bed.ok("scale slaves 1 --group " + g);
        for (String n : List.of(g + "-redis-1", g + "-redis-2")) {
            String mounts = String.join("", DockerCli.run("service", "inspect", "--format",
                    "{{json .Spec.TaskTemplate.ContainerSpec.Mounts}}", n));
            assertTrue(mounts.contains("\"Source\":\"" + n + "-data\"") && mounts.contains("\"Target\":\"/data\""), mounts);
            assertEquals(List.of("aof"), DockerCli.run("service", "inspect", "--format",
                    "{{index .Spec.Labels \"rsc.persistence\"}}", n));
            assertTrue(text(bed.ok("redis --group " + g + " --node " + n + " CONFIG GET dir")).contains("/data"));
        }
        String status = text(bed.ok("status " + g));
        assertTrue(status.contains("aof (appendfsync everysec) on " + g + "-redis-1, " + g + "-redis-2"), status);
    }

    @Test
    @Order(2)
    void aLoneAofMasterKilledAndRestartedOnTheSameSwarmNodeComesBackWithItsKeys() throws Exception {
        bed.ok("create-master " + solo + " --persistence aof");
        String name = solo + "-redis-1";
        String swarmNode = node(solo, name).host().id();
        // pinned where it runs, so Swarm restarts it there: what a local volume protects is a restart on its node
        DockerCli.run("service", "update", "--detach", "--constraint-add", "node.id==" + swarmNode, name);
        answers("redis --group " + solo + " PING");
        Node before = node(solo, name);
        assertEquals(swarmNode, before.host().id());
        for (int i = 0; i < 50; i++) {
            bed.ok("redis --group " + solo + " SET k" + i + " v" + i);
        }
        bed.ok("kill master --group " + solo);
        long deadline = System.nanoTime() + 90_000_000_000L;
        Node after = node(solo, name);
        while (!(after.state().running() && !after.detail().equals(before.detail()))) {
            assertTrue(System.nanoTime() < deadline, name + " did not come back: " + after.detail());
            Thread.sleep(500);
            after = node(solo, name);
        }
        assertNotEquals(before.detail(), after.detail(), "a new task");
        assertEquals(before.host().id(), after.host().id(), "restarted on the same swarm node");
        Outcome size = answers("redis --group " + solo + " DBSIZE");
        assertTrue(text(size).contains("(integer) 50"), "every key came back from the volume: " + text(size));
    }

    /** Runs a line until it succeeds (a task that has just started), for at most 20 s. */
    private static Outcome answers(String line) throws InterruptedException {
        Outcome o = bed.engine().execute(line);
        for (int i = 0; i < 40 && !o.ok(); i++) {
            Thread.sleep(500);
            o = bed.engine().execute(line);
        }
        assertTrue(o.ok(), "'" + line + "' did not succeed within 20 s");
        return o;
    }

    @Test
    @Order(3)
    void destroyRemovesTheVolumesOnEverySwarmNode() {
        assertFalse(volumesEverywhere(g).isEmpty(), "the group's volumes exist before destroy");
        for (String group : List.of(g, solo)) {
            Outcome o = bed.ok("destroy " + group + " --yes");
            assertFalse(text(o).contains("is left on"), text(o));
            assertEquals(List.of(), volumesEverywhere(group), "volumes of " + group + " after destroy");
        }
    }
}
