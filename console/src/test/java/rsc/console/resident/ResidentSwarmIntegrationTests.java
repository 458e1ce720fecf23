package rsc.console.resident;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.testing.DockerCli;
import rsc.backend.swarm.SwarmBed;
import rsc.console.resident.Launcher.Run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 13: a Swarm one-shot answered by the resident console, which keeps the engine's info, services and swarm
 * nodes warm between one-shots, is never an answer from before a change: an operator pauses a swarm node with the
 * docker CLI behind its back, and the very next one-shot shows it paused (then active again).
 */
@Tag("swarm")
class ResidentSwarmIntegrationTests {

    private Path residents;
    private Path work;
    private Path state;
    private String self;

    @BeforeEach
    void dirs() throws Exception {
        SwarmBed.requireSwarm();
        residents = Files.createTempDirectory("rsc-resident-swarm-");
        work = Files.createTempDirectory("rsc-resident-swarm-cwd-");
        state = Files.createTempDirectory("rsc-resident-swarm-state-");
        self = docker("info", "--format", "{{.Swarm.NodeID}}");
    }

    @AfterEach
    void clean() throws Exception {
        try {
            DockerCli.quietly("node", "update", "--availability", "active", self);
        } finally {
            try (Stream<Path> s = Files.walk(residents)) {
                for (Path endpoint : s.filter(p -> p.getFileName().toString().equals("endpoint")).toList()) {
                    long pid = Long.parseLong(Files.readString(endpoint).trim().split(" ")[2]);
                    ProcessHandle.of(pid).ifPresent(p -> {
                        p.destroyForcibly();
                        p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                    });
                }
            }
            for (Path p : new Path[]{residents, work, state}) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    /** The docker CLI (fails the test unless it exits 0): its output. */
    private static String docker(String... args) {
        return String.join("\n", DockerCli.run(args));
    }

    private Run nodes() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("RSC_RESIDENT_DIR", residents.toString(),
                "RSC_STATE_DIR", state.toString(), "RSC_BACKEND", "swarm", "RSC_RESIDENT_IDLE", "120"));
        Run r = new Launcher(work, env).run("-c", "nodes");
        assertEquals(0, r.status(), r.err());
        return r;
    }

    private String availability(Run r) {
        String line = r.out().lines().filter(l -> l.startsWith(self.substring(0, 12))).findFirst()
                .orElseThrow(() -> new AssertionError("this node is not listed: " + r.out()));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s(active|pause|drain)\\s").matcher(line);
        return m.find() ? m.group(1) : line;
    }

    private boolean residentUp() throws IOException {
        try (Stream<Path> s = Files.walk(residents)) {
            return s.anyMatch(p -> p.getFileName().toString().equals("endpoint"));
        }
    }

    @Test
    void theNextOneShotAfterAChangeBehindItsBackShowsTheChange() throws Exception {
        nodes();   // in its own JVM; starts the resident console
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!residentUp()) {
            if (System.nanoTime() > end) {
                fail("no resident console within 30 s");
            }
            Thread.sleep(50);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals("active", availability(nodes()));   // answered by it, its engine watch warming up
        }
        docker("node", "update", "--availability", "pause", self);
        assertEquals("pause", availability(nodes()), "the very next one-shot");
        docker("node", "update", "--availability", "active", self);
        assertEquals("active", availability(nodes()));
        String status = new Launcher(work, Map.of("RSC_RESIDENT_DIR", residents.toString(), "RSC_STATE_DIR",
                state.toString(), "RSC_BACKEND", "swarm", "RSC_RESIDENT_IDLE", "120")).run("--resident", "status").out();
        assertTrue(status.contains(", 7 one-shot(s) answered"), "answered by the resident console: " + status);
    }
}
