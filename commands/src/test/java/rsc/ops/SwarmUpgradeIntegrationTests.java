package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.model.Node;
import rsc.session.Outcome;
import rsc.testing.AckedWriter;
import rsc.testing.DockerCli;
import rsc.testing.RecordingInteraction;
import rsc.testing.SwarmTestBed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code upgrade --image} on the swarm test bed (issue 15, item 1). The bed has one Redis image ({@code rsc-redis:local},
 * 7.0), so it is tagged under a second name on the manager and on each worker engine: the version stays, but every
 * service's image changes and Swarm restarts every task, master moved first, under WAIT-acknowledged writes.
 */
@Tag("swarm")
class SwarmUpgradeIntegrationTests {

    private static final String SOURCE = "rsc-redis:local";
    private static final String TARGET = "rsc-redis:upg-test";
    /** The manager's engine (the default), then the workers' (read-only use: tagging rsc's own tag). */
    private static final List<Optional<String>> ENGINES = List.of(Optional.empty(),
            Optional.of("/var/run/rsc-docker2.sock"), Optional.of("/var/run/rsc-docker3.sock"));

    private static SwarmTestBed bed;
    private static String g;
    private static final List<Optional<String>> tagged = new ArrayList<>();

    @BeforeAll
    static void group() {
        bed = new SwarmTestBed();
        g = bed.newGroup("upg");
        for (Optional<String> socket : ENGINES) {
            if (socket.isEmpty() || Files.exists(Path.of(socket.get()))) {
                DockerCli.run(args(socket, "tag", SOURCE, TARGET));
                tagged.add(socket);
            }
        }
        bed.ok("create-master " + g);
        bed.ok("scale slaves 2");
        bed.ok("scale sentinels 3 --down-after 2000 --failover-timeout 10000");
    }

    @AfterAll
    static void cleanup() {
        try {
            if (bed != null) {
                bed.close();
            }
        } finally {
            // untags only: rsc-redis:local keeps the image
            tagged.forEach(socket -> DockerCli.quietly(args(socket, "image", "rm", TARGET)));
        }
    }

    private static String[] args(Optional<String> socket, String... rest) {
        List<String> a = new ArrayList<>();
        socket.ifPresent(s -> a.addAll(List.of("-H", "unix://" + s)));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    static String text(Outcome o) {
        return (o.result() == null ? "" : String.join("\n", RecordingInteraction.render(o.result())))
                + (o.error() == null ? "" : "\n" + o.error().getMessage());
    }

    private static String image(String service) {
        return DockerCli.run("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", service).get(0);
    }

    @Test
    void everyServiceMovesToTheNewImageMasterFirstLosingNothing() throws Exception {
        String plan = text(bed.ok("upgrade " + g + " --image " + TARGET + " --dry-run"));
        System.out.println("SWARM UPGRADE plan\n" + plan);
        assertTrue(plan.contains("POST /services/") && plan.contains("failover " + g + " --to"), plan);
        assertTrue(image(g + "-redis-1").startsWith(SOURCE), "a dry run changes nothing");

        var session = bed.engine().session();
        Optional<String> pw = session.passwords().of(g).map(s -> s.reveal());
        String masterBefore = MasterLocator.locate(session, g).orElseThrow().node().orElseThrow().name();
        String said;
        Set<String> acked;
        long failed;
        Duration gap;
        java.util.Map<String, String> places;
        try (AckedWriter w = new AckedWriter(g, pw, () -> bed.backend().nodes(g).stream()
                .filter(n -> n.isSentinel() && n.state().running()).map(Node::reach).toList(),
                bed.backend()::reachable, 20, Duration.ofMinutes(10))) {
            Thread.sleep(2000);
            places = rsc.testing.SwarmPlaces.of(g);
            said = text(bed.ok("upgrade " + g + " --image " + TARGET));
            Thread.sleep(1000);
            w.stop();
            acked = w.acknowledged();
            failed = w.failed();
            gap = w.longestGap();
        }
        System.out.println("SWARM UPGRADE\n" + said);
        Node master = MasterLocator.locate(session, g).orElseThrow().node().orElseThrow();
        var client = session.redis().node(master.announced());
        long lost = acked.stream().filter(k -> !k.equals(client.get(k))).count();
        System.out.println(String.format(Locale.ROOT, "RELIABILITY swarm upgrade (image %s -> %s) under WAIT 1 writes every "
                + "20 ms: %d acknowledged, %d failed, %d lost, longest without an acknowledged write %d ms",
                SOURCE, TARGET, acked.size(), failed, lost, gap.toMillis()));
        assertEquals(0, lost, "acknowledged writes lost");
        assertTrue(acked.size() > 100, "the writer kept writing: " + acked.size());
        assertTrue(!master.name().equals(masterBefore), "the master moved to an upgraded replica");
        for (Node n : bed.backend().nodes(g)) {
            assertTrue(image(n.name()).startsWith(TARGET), n.name() + " runs " + image(n.name()));
        }
        rsc.testing.SwarmPlaces.assertKept(g, places);
        String scale = text(bed.ok("scale slaves 3 --dry-run"));
        assertTrue(scale.contains("image " + TARGET), "a new replica of the group takes its new image: " + scale);
        String again = text(bed.ok("upgrade " + g + " --image " + TARGET));
        assertTrue(again.contains("nothing restarted"), again);
        String status = text(bed.ok("status " + g));
        assertTrue(status.lines().filter(l -> l.startsWith(g + "-")).allMatch(l -> l.contains("7.0.")), status);
        bed.ok("expect quorum ok");
    }
}
