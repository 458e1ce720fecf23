package rsc.ops;

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
import rsc.testing.RecordingInteraction;
import rsc.testing.DockerCli;
import rsc.testing.SwarmTestBed;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rsc.testing.Sleep.sleep;

/**
 * A group built by hand with the plain recipe, with the docker CLI as an operator would (a master service, a replica
 * service started with {@code --slaveof MASTER 6379}, a sentinel service from a templated {@code sentinel.conf}; no rsc
 * label, no published port), then adopted with {@code attach --services}: read commands, doctor's recipe hazards,
 * events, failover and the drills work on it, and {@code destroy} leaves it alone. The master service is in dnsrr
 * mode because this kernel has no IPVS (a VIP master would be unreachable by name); the other two keep Swarm's
 * default VIP mode, as the recipe has it.
 */
@Tag("swarm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmRecipeAttachIntegrationTests {

    private static final String ID = UUID.randomUUID().toString().substring(0, 6);
    private static final String NET = "rsc-recipe-" + ID;
    private static final String G = "recipe" + ID;
    private static final String MASTER = "rcp" + ID + "-redis";
    private static final String REPLICAS = "rcp" + ID + "-redis-slave";
    private static final String SENTINELS = "rcp" + ID + "-redis-sentinel";

    private static SwarmTestBed bed;

    @BeforeAll
    static void buildTheRecipeByHand() throws InterruptedException {
        bed = new SwarmTestBed();
        String image = bed.settings().image();
        docker("network", "create", "-d", "overlay", "--attachable", NET);
        // The recipe publishes no port: rsc reaches such a task only on the manager it runs on (docker_gwbridge), so on
        // a multi-node swarm the hand-built services are kept on the manager, as an operator adopting them would
        // (README: a task on another node without a host-mode port is listed as not reachable from this manager).
        String here = "node.role==manager";
        docker("service", "create", "--detach", "--name", MASTER, "--network", NET, "--constraint", here, "--endpoint-mode", "dnsrr", image,
                "redis-server", "--protected-mode", "no");
        docker("service", "create", "--detach", "--name", REPLICAS, "--network", NET, "--constraint", here, "--replicas", "2", image,
                "redis-server", "--protected-mode", "no", "--slaveof", MASTER, "6379");
        String conf = "port 26379\nprotected-mode no\nsentinel resolve-hostnames yes\n"
                + "sentinel monitor " + G + " " + MASTER + " 6379 2\n"
                + "sentinel down-after-milliseconds " + G + " 5000\nsentinel failover-timeout " + G + " 20000\n";
        docker("service", "create", "--detach", "--name", SENTINELS, "--network", NET, "--constraint", here, "--replicas", "3", image,
                "sh", "-c", "printf '" + conf.replace("\n", "\\n") + "' > /tmp/sentinel.conf && exec redis-server "
                        + "/tmp/sentinel.conf --sentinel");
    }

    @AfterAll
    static void removeIt() {
        try {
            if (bed != null) {
                bed.close();
            }
        } finally {
            dockerQuietly("service", "rm", MASTER, REPLICAS, SENTINELS);
            for (int i = 0; i < 60 && !dockerQuietly("network", "rm", NET); i++) {
                sleep(500);
            }
            List<String> left = docker("service", "ls", "-q", "--filter", "name=rcp" + ID);
            assertTrue(left.isEmpty(), "recipe services left behind: " + left);
        }
    }

    @Test
    @Order(1)
    void attachAdoptsTheRecipeByItsServices() throws InterruptedException {
        // the sentinels need a moment to start and to find each other
        Outcome attached = null;
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            attached = bed.engine().execute("attach " + G + " --services " + MASTER + "," + REPLICAS + "," + SENTINELS);
            if (attached.ok()) {
                break;
            }
            sleep(1000);
        }
        assertTrue(attached != null && attached.ok(), "attach: " + (attached == null ? "" : attached.error()));
        assertEquals(G, bed.engine().session().console().group(), "attach makes the group current");
        bed.ok("wait replicas 2 --timeout 60s");
        bed.ok("wait sentinels 3 --timeout 60s");

        List<Node> nodes = bed.engine().session().backend().nodes(G);
        assertEquals(6, nodes.stream().filter(n -> n.state().running()).count(), "one node per task: " + nodes);
        assertTrue(nodes.stream().anyMatch(n -> n.name().equals(MASTER + ".1") && n.isRedis()), nodes.toString());
        assertEquals(3, nodes.stream().filter(Node::isSentinel).count(), nodes.toString());

        String status = text(bed.ok("sentinel status"));
        assertTrue(status.contains(MASTER + ".1"), "the sentinels name the master service's task:\n" + status);
        String redis = text(bed.ok("redis --node " + REPLICAS + ".1 INFO replication"));
        assertTrue(redis.contains("master_link_status:up"), redis);
    }

    @Test
    @Order(2)
    void doctorNamesTheRecipesHazards() {
        Outcome doctor = bed.engine().execute("doctor");
        String text = text(doctor);
        assertTrue(doctor.result().failed(), "doctor fails on the recipe's errors:\n" + text);
        assertTrue(text.contains("vip-endpoint") && text.contains(REPLICAS + " is in VIP endpoint mode")
                && text.contains(SENTINELS + " is in VIP endpoint mode"), "VIP endpoint mode:\n" + text);
        assertFalse(text.contains(MASTER + " is in VIP endpoint mode"), "the master service is dnsrr:\n" + text);
        assertTrue(text.contains("follows-name") && text.contains(REPLICAS + " starts its tasks as replicas of the name '"
                + MASTER + "'"), "replicas following the master service's name:\n" + text);
        assertTrue(text.contains("restart-empty") && text.contains(MASTER + " runs"),
                "a restart policy that brings back an empty master:\n" + text);
    }

    @Test
    @Order(3)
    void failoverWorksAndDestroyLeavesItAlone() throws InterruptedException {
        Outcome refused = bed.fails("destroy " + G + " --yes");
        assertTrue(String.valueOf(refused.error()).contains("--force") || text(refused).contains("--force"),
                "destroy of an attached group needs --force: " + refused.error());
        assertEquals(3, docker("service", "ls", "-q", "--filter", "name=rcp" + ID).size(), "destroy touched nothing");

        String failover = text(bed.ok("failover --timeout 60s"));
        bed.ok("wait agreement --timeout 60s");
        assertTrue(failover.contains(MASTER + ".1") && failover.contains("-> " + REPLICAS + "."),
                "the master moves from the master service to a replica task:\n" + failover);
        String status = text(bed.ok("sentinel status"));
        assertTrue(status.contains(REPLICAS + "."), status);
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> types;
        do {
            types = bed.engine().session().events().timeline().all().stream().filter(e -> G.equals(e.group()))
                    .map(Event::type).toList();
        } while (!types.contains("+switch-master") && System.nanoTime() < deadline && sleep(200));
        assertTrue(types.contains("+switch-master"), "events heard the switch: " + types);
    }

    @Test
    @Order(4)
    void theDrillsWorkOnItsTasks() {
        String replica = bed.engine().session().backend().nodes(G).stream()
                .filter(n -> n.isRedis() && n.name().startsWith(MASTER)).findFirst().orElseThrow().name();
        bed.ok("pause " + replica);
        Outcome ping = bed.engine().execute("redis --node " + replica + " PING");
        assertFalse(ping.ok(), "a paused task does not answer");
        bed.ok("resume " + replica);
        assertTrue(text(bed.ok("redis --node " + replica + " PING")).contains("PONG"));
        bed.ok("detach " + G);
        assertFalse(bed.engine().session().backend().groups().contains(G), "detach forgets it");
        assertEquals(3, docker("service", "ls", "-q", "--filter", "name=rcp" + ID).size(), "detach touched nothing");
    }

    private static String text(Outcome o) {
        return o.result() == null ? String.valueOf(o.error()) : String.join("\n", RecordingInteraction.render(o.result()));
    }

    private static boolean dockerQuietly(String... args) {
        return DockerCli.quietly(args);
    }

    private static List<String> docker(String... args) {
        return DockerCli.run(args);
    }
}
