package rsc.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.backend.local.RedisBinary;
import rsc.model.Node;
import rsc.model.NodeState;
import rsc.testing.LocalTestBed;
import rsc.testing.RedisCli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code kill -9} of a real rsc (a JVM running {@link Main}) in the middle of {@code scale slaves 3}: one replica
 * started, the next one's record written but its redis-server not yet running. The next commands see the truth: no
 * phantom replica is counted, its port is free, and {@code scale} finishes the job (three running replicas,
 * {@code min-replicas-to-write} set on every node).
 */
@Tag("integration")
class ScaleCrashIntegrationTests {

    private static LocalTestBed bed;
    private static int port;
    private static Path slowServer;

    @BeforeAll
    static void start() throws Exception {
        bed = new LocalTestBed();
        port = LocalTestBed.freePorts(20);
        bed.ok("create-master crash --port " + port);
        // redis-server, two seconds late: a window in which the launch is under way and rsc can be killed
        slowServer = Files.createTempFile("rsc-slow-redis-", ".sh");
        Files.writeString(slowServer, "#!/bin/sh\nsleep 2\nexec " + RedisBinary.locate(bed.stateDir()) + " \"$@\"\n");
        Files.setPosixFilePermissions(slowServer, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            bed.close();
        } finally {
            Files.deleteIfExists(slowServer);
        }
    }

    @Test
    void aScaleKilledMidwayLeavesNothingTheNextCommandsMiscount() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), "rsc.console.Main",
                "--backend", "local", "--state-dir", bed.stateDir().toString(), "--group", "crash",
                "-c", "scale slaves 3 --port " + (port + 2)).redirectErrorStream(true);
        pb.environment().put("RSC_REDIS_SERVER", slowServer.toString());
        Path output = bed.stateDir().resolve("killed-rsc.out");
        pb.redirectOutput(output.toFile());
        Process rsc = pb.start();
        Path third = bed.stateDir().resolve("crash").resolve("crash-redis-3").resolve("node.properties");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(third)) {
            if (System.nanoTime() > deadline || !rsc.isAlive()) {
                rsc.destroyForcibly();
                fail("the scale never reached its second replica: " + Files.readString(output));
            }
            Thread.sleep(5);
        }
        // rsc dies before its second redis-server runs (the sleeping launcher goes with it) 
        rsc.descendants().forEach(ProcessHandle::destroyForcibly);
        rsc.destroyForcibly();
        assertTrue(rsc.waitFor(10, TimeUnit.SECONDS));
        int phantomPort = Integer.parseInt(Files.readAllLines(third).stream().filter(l -> l.startsWith("port="))
                .findFirst().orElseThrow().substring(5));

        // the port of the replica that never ran is free to take
        bed.ok("create-master other --port " + phantomPort);
        bed.ok("destroy other --yes");
        // no phantom: what runs is what is counted
        assertTrue(bed.engine().session().backend().nodes("crash").stream().allMatch(n -> n.state() == NodeState.RUNNING),
                "a record with no process: " + bed.engine().session().backend().nodes("crash"));

        bed.ok("scale slaves 3 --group crash");
        List<Node> nodes = bed.engine().session().backend().nodes("crash");
        assertEquals(4, nodes.size(), "the master and three replicas: " + nodes);
        assertTrue(nodes.stream().allMatch(n -> n.state() == NodeState.RUNNING), nodes.toString());
        bed.ok("wait replicas 3 --group crash --timeout 30s");
        bed.ok("expect replicas 3 --group crash");
        String password = bed.engine().session().passwords().of("crash").map(s -> s.reveal()).orElseThrow();
        for (Node n : nodes) {
            assertEquals("min-replicas-to-write\n1", RedisCli.run(n.reach(), Optional.of(password), "CONFIG", "GET",
                    "min-replicas-to-write"), n.name() + ": the interrupted scale's last step is done too");
        }
    }
}
