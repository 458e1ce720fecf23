package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import rsc.backend.Progress;
import rsc.error.CancelledException;
import rsc.model.Node;
import rsc.model.Secret;
import rsc.testing.DockerCli;
import rsc.testing.RecordingInteraction;
import rsc.testing.RedisCli;
import rsc.testing.SwarmPlaces;
import rsc.testing.SwarmTestBed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rotate-password} on the real swarm: a new Docker secret, every service updated to mount it one at a time
 * (replicas, then the master after a failover, then the sentinels), the old secret removed; every node refuses the
 * old password and takes the new one, also after Swarm restarted it. A run interrupted during the rolling restart
 * (Ctrl-C) is finished by the next one. Steps run in order on one group named {@code rot-…}.
 */
@Tag("swarm")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmPasswordRotationIntegrationTests {

    private static final String OLD = "rot-old-Pa$$_#!%&*+=:;,.?@^~";
    private static final String NEW = "rot-new-Pa$$_#!%&*+=:;,.?@^~";
    private static final String THIRD = "rot-third-pw";
    private static SwarmTestBed bed;
    private static String g;
    private static Path dir;

    @BeforeAll
    static void open() throws Exception {
        bed = new SwarmTestBed();
        g = bed.newGroup("rot");
        dir = Files.createTempDirectory("rsc-rot-");
        bed.ok("create-master " + g + " --password-file " + file("old", OLD));
        bed.ok("scale slaves 2 --group " + g);
        bed.ok("scale sentinels 3 --group " + g + " --down-after 2000 --failover-timeout 10000");
    }

    @AfterAll
    static void close() throws Exception {
        if (bed != null) {
            bed.close();
            assertTrue(DockerCli.run("secret", "ls", "--format", "{{.Name}}").stream().noneMatch(s -> s.contains(g)),
                    "destroy removes every secret of the group");
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path file(String name, String password) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, password + "\n");
        return f;
    }

    private static List<Node> nodes() {
        return bed.engine().session().backend().nodes(g);
    }

    private static void assertEveryNode(String password, boolean accepted, String when) {
        for (Node n : nodes()) {
            boolean pong = RedisCli.run(n.reach(), Optional.of(password), "PING").equals("PONG");
            assertEquals(accepted, pong, n.name() + " " + when + (accepted ? " must take " : " must refuse ") + "that password");
        }
    }

    private static List<String> secrets() {
        return DockerCli.run("secret", "ls", "--format", "{{.Name}}").stream().filter(s -> s.startsWith("rsc-" + g + "-")).sorted().toList();
    }

    /**
     * Each node's new task was asked for only once the one before it ran: a rolling restart never has two nodes down
     * at once. On a single-node swarm rsc once took the old task, still running while Swarm stopped it, for the new
     * one, and restarted every replica (and then every sentinel) at once; the sentinels, all new, then monitored the
     * group's first master again and failed over away from the real one.
     */
    private static void assertOneAtATime(java.time.Instant since) {
        record Task(String service, java.time.Instant created, java.time.Instant running) {
        }
        List<Task> fresh = new java.util.ArrayList<>();
        for (Node n : nodes()) {
            for (String id : DockerCli.run("service", "ps", "-q", "--no-trunc", n.name())) {
                String[] f = DockerCli.run("inspect", "--format", "{{.CreatedAt.Format \"2006-01-02T15:04:05.999999999Z07:00\"}} "
                        + "{{.Status.Timestamp.Format \"2006-01-02T15:04:05.999999999Z07:00\"}} {{.Status.State}}", id).get(0).split(" ");
                java.time.Instant created = java.time.Instant.parse(f[0]);
                if (created.isAfter(since) && f[2].equals("running")) {
                    fresh.add(new Task(n.name(), created, java.time.Instant.parse(f[1])));
                }
            }
        }
        fresh.sort(java.util.Comparator.comparing(Task::created));
        for (int i = 1; i < fresh.size(); i++) {
            assertFalse(fresh.get(i).created().isBefore(fresh.get(i - 1).running()), fresh.get(i).service()
                    + " was restarted before " + fresh.get(i - 1).service() + "'s new task ran: " + fresh);
        }
        assertEquals(nodes().size(), fresh.size(), "one new running task per node: " + fresh);
    }

    /**
     * The node whose task Swarm was replacing when rsc was stopped runs its new task and answers on it. Not only
     * "the master counts two replicas": right after the stop the old task may still run (CI once checked the passwords
     * before the new task listened, and the node "refused" both).
     */
    private static void awaitNewTask(String service, java.util.Set<String> before) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        String seen = "";
        while (System.nanoTime() < deadline) {
            List<String> fresh = DockerCli.run("service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running", service)
                    .stream().filter(id -> !before.contains(id)).toList();
            seen = fresh.isEmpty() ? "no new task" : String.join(" ", DockerCli.run("inspect", "--format", "{{.Status.State}}", fresh.get(0)));
            Optional<Node> n = nodes().stream().filter(x -> x.name().equals(service)).findFirst();
            if (seen.equals("running") && n.isPresent()
                    && RedisCli.run(n.get().reach(), Optional.of(THIRD), "PING").equals("PONG")) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(service + ": its new task does not answer (" + seen + ")");
    }

    @Test
    @Order(1)
    void aDryRunListsTheSecretTheUpdatesAndTheFailoverAndChangesNothing() throws Exception {
        String text = String.join("\n", RecordingInteraction.render(bed.ok("rotate-password " + g + " --dry-run --password-file "
                + file("new", NEW)).result()));
        assertTrue(text.contains("POST /secrets/create rsc-" + g + "-password-2 <secret>")
                && text.contains("POST /services/" + g + "-redis-2/update") && text.contains("failover"), text);
        assertFalse(text.contains(NEW) || text.contains(OLD), text);
        assertEquals(List.of("rsc-" + g + "-password"), secrets());
    }

    @Test
    @Order(2)
    void rotatesThroughARollingRestartMasterLast() throws Exception {
        java.time.Instant began = java.time.Instant.now();
        var places = SwarmPlaces.of(g);
        bed.ok("rotate-password " + g + " --password-file " + file("new", NEW));
        assertOneAtATime(began);
        SwarmPlaces.assertKept(g, places);
        assertEquals(List.of("rsc-" + g + "-password-2"), secrets(), "the old secret is removed");
        for (Node n : nodes()) {
            assertEquals("rsc-" + g + "-password-2", String.join("", DockerCli.run("service", "inspect", n.name(), "--format",
                    "{{range .Spec.TaskTemplate.ContainerSpec.Secrets}}{{.SecretName}}{{end}}")), n.name());
        }
        assertEveryNode(OLD, false, "after the rotation");
        assertEveryNode(NEW, true, "after the rotation");
        assertEquals(new Secret(NEW), bed.engine().session().passwords().of(g).orElseThrow());
        bed.ok("wait replicas 2 --group " + g + " --timeout 60s");
        bed.ok("failover " + g);
        bed.ok("wait agreement --group " + g + " --timeout 60s");
        bed.ok("expect doctor clean");
    }

    @Test
    @Order(3)
    void ctrlCDuringTheRollingRestartIsFinishedByTheNextRun() throws Exception {
        PasswordRotation.Request req = new PasswordRotation.Request(Optional.of(file("third", THIRD)), Optional.empty());
        java.util.Set<String> tasksBefore = new java.util.HashSet<>();
        for (Node n : nodes()) {
            tasksBefore.addAll(DockerCli.run("service", "ps", "-q", "--no-trunc", n.name()));
        }
        String[] replacing = new String[1];
        Progress ctrlC = line -> {
            if (line.contains("waiting for Swarm to replace its task")) {
                replacing[0] = line.substring(0, line.indexOf(':'));
                Thread.currentThread().interrupt();
            }
        };
        CancelledException e = assertThrows(CancelledException.class,
                () -> PasswordRotation.run(bed.engine().session(), g, req, ctrlC));
        assertTrue(e.getMessage().contains("'rotate-password " + g + "' finishes"), e.getMessage());
        assertEquals(new Secret(THIRD), bed.engine().session().passwords().of(g).orElseThrow(), "rsc switched before the restarts");
        awaitNewTask(replacing[0], tasksBefore);
        bed.ok("wait replicas 2 --group " + g + " --timeout 60s");    // the replica Swarm was replacing is back
        // the window is open: every node lets both passwords in, also the one Swarm restarted onto the new secret
        // alone with no rsc there to add the old one back (it refused it before issue 15's fix)
        assertEveryNode(NEW, true, "while the window is open");
        assertEveryNode(THIRD, true, "while the window is open");
        bed.ok("rotate-password " + g);
        assertEveryNode(NEW, false, "after the rotation");
        assertEveryNode(THIRD, true, "after the rotation");
        assertEquals(List.of("rsc-" + g + "-password-3"), secrets());
        bed.ok("wait replicas 2 --group " + g + " --timeout 60s");
    }
}
