package rsc.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The multi-node test bed itself: a worker's engine starts a task from the image it holds without asking a registry
 * first. None is reachable here, and while a fault test cuts this machine off, the workers' lookup of the registry's
 * name timed out: a task Swarm rescheduled stayed 'Preparing' for 20 s (CI, make test-managers).
 */
@Tag("swarm")
class SwarmTestBedIntegrationTests {

    @Test
    void aWorkersEngineStartsATaskWithoutAskingARegistry() throws IOException {
        SwarmNodes.require(3);
        int k = 2;
        String node = DockerCli.run("-H", "unix:///var/run/rsc-docker" + k + ".sock", "info", "--format",
                "{{.Swarm.NodeID}}").get(0);
        String service = "bedpull-" + UUID.randomUUID().toString().substring(0, 6);
        try {
            DockerCli.run("service", "create", "-q", "--detach", "--name", service, "--label", "rsc.managed=true",
                    "--constraint", "node.id==" + node, "rsc-redis:local", "redis-server", "--port", "6399");
            String task = awaitRunning(service);
            String log = Files.readString(Path.of("/var/log/rsc-dockerd" + k + ".log"));
            List<String> asked = log.lines().filter(l -> l.contains("task.id=" + task) && l.contains("pulling image")).toList();
            assertFalse(log.isBlank(), "worker " + k + "'s engine log is empty");
            assertTrue(asked.isEmpty(), "worker " + k + "'s engine asked a registry for the image before it started "
                    + "the task (start it with DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: bash scripts/swarm-testbed.sh "
                    + "--nodes 3): " + asked);
        } finally {
            DockerCli.quietly("service", "rm", service);
        }
    }

    private static String awaitRunning(String service) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && Sleep.sleep(500)) {
            List<String> running = DockerCli.run("service", "ps", "--filter", "desired-state=running", "--format",
                    "{{.ID}} {{.CurrentState}}", "--no-trunc", service).stream()
                    .filter(l -> l.contains(" Running")).toList();
            if (!running.isEmpty()) {
                return running.get(0).split(" ")[0];
            }
        }
        return fail(service + " did not run on a worker within 60 s: " + DockerCli.run("service", "ps", service));
    }
}
