package rsc.backend.swarm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.model.Endpoint;
import rsc.testing.LocalTestBed;
import rsc.testing.RedisCli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Swarm data-node script run outside a container, on this machine's redis-server: its port, private config file
 * and {@code /data} (the node's volume) moved to a free port and a temporary directory, with no sentinel to ask (a
 * group's first start). What each {@code RSC_PERSISTENCE} makes the node persist, and an aof node killed and started
 * again on the same directory (a task restarted on the same swarm node) coming back with its keys.
 */
@Tag("integration")
class RedisNodeScriptIntegrationTests {

    private final List<Process> started = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    @AfterEach
    void clean() throws IOException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);   // a held node's follower loop
            p.destroyForcibly();
        }
        for (Path d : dirs) {
            try (Stream<Path> s = Files.walk(d)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Path dir() throws IOException {
        Path d = Files.createTempDirectory("rsc-node-script-");
        dirs.add(d);
        return d;
    }

    /** Starts the script as a task's container would, on {@code port} with {@code volume} as its /data. */
    private Process start(String persistence, int port, Path volume) throws Exception {
        return start(persistence, port, volume, "pt-redis-1", "pt-sentinels.invalid", 26379);
    }

    /** As above, named {@code me} and finding its sentinels at {@code alias}, on {@code sentinelPort}. */
    private Process start(String persistence, int port, Path volume, String me, String alias, int sentinelPort)
            throws Exception {
        String script = NodeScripts.redis().replace("\nPORT=6379\n", "\nPORT=" + port + "\n")
                .replace("\nSPORT=26379\n", "\nSPORT=" + sentinelPort + "\n")
                .replace("NODECONF=/tmp/rsc-node.conf", "NODECONF=" + volume.resolve("node.conf"))
                .replace("dir /data", "dir " + volume);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script, "rsc-node", "--bind", "127.0.0.1")
                .directory(volume.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(volume.resolve("task.log").toFile()));
        pb.environment().put("RSC_GROUP", "pt");
        pb.environment().put("RSC_NODE", me);
        pb.environment().put("RSC_SENTINEL_ALIAS", alias);
        pb.environment().put("RSC_PERSISTENCE", persistence);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static String cli(int port, String... args) {
        return RedisCli.run(new Endpoint("127.0.0.1", port), Optional.empty(), args).strip();
    }

    private static void awaitPong(int port, Process p, Path volume) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!cli(port, "PING").equals("PONG")) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, "the node did not answer: " + log(volume));
            Thread.sleep(100);
        }
    }

    private static String log(Path volume) throws IOException {
        return Files.readString(volume.resolve("task.log"), StandardCharsets.UTF_8);
    }

    private static String config(int port, String name) {
        return cli(port, "CONFIG", "GET", name).lines().skip(1).findFirst().orElse("").strip();
    }

    @Test
    void eachChoiceSetsEverySetting() throws Exception {
        for (String choice : List.of("none", "aof", "rdb")) {
            int port = LocalTestBed.freePorts(1);
            Path volume = dir();
            Process p = start(choice, port, volume);
            awaitPong(port, p, volume);
            assertEquals(choice.equals("aof") ? "yes" : "no", config(port, "appendonly"), choice);
            assertEquals(choice.equals("rdb") ? "3600 1 300 100 60 10000" : "", config(port, "save"), choice);
            assertEquals(volume.toRealPath().toString(), Path.of(config(port, "dir")).toRealPath().toString(), choice);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAofNodeKilledAndStartedOnItsVolumeAgainHasItsKeys() throws Exception {
        int port = LocalTestBed.freePorts(1);
        Path volume = dir();
        Process first = start("aof", port, volume);
        awaitPong(port, first, volume);
        for (int i = 0; i < 50; i++) {
            assertEquals("OK", cli(port, "SET", "k" + i, "v" + i));
        }
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);   // SIGKILL: a crash, no shutdown
        Process second = start("aof", port, volume);
        awaitPong(port, second, volume);
        assertNotEquals(first.pid(), second.pid());
        assertEquals("50", cli(port, "DBSIZE"), log(volume));
        assertTrue(log(volume).contains("no sentinel knows pt: starting as master"), log(volume));
    }

    /**
     * Restart safety with persistence on: a master the sentinel still names, with a replica, killed and started
     * again on its volume loads its files but holds as a replica that feeds no one, so its replica keeps its own copy.
     * (The node is named {@code localhost} and finds its sentinel through {@code localhost}: the names a task's DNS
     * would give it.)
     */
    @Test
    void anAofMasterTheSentinelStillNamesHoldsOnRestartAndFeedsNoOne() throws Exception {
        int base = LocalTestBed.freePorts(3);
        int port = base;
        int replicaPort = base + 1;
        int sentinelPort = base + 2;
        Path volume = dir();
        Path conf = volume.resolve("sentinel.conf");
        Files.writeString(conf, "port " + sentinelPort + "\nbind 127.0.0.1\ndir " + volume + "\n"
                + "sentinel monitor pt 127.0.0.1 " + port + " 1\nsentinel down-after-milliseconds pt 600000\n"
                + "sentinel failover-timeout pt 600000\n");
        started.add(new ProcessBuilder("redis-server", conf.toString(), "--sentinel").redirectErrorStream(true)
                .redirectOutput(volume.resolve("sentinel.log").toFile()).start());
        Process first = start("aof", port, volume, "localhost", "localhost", sentinelPort);
        awaitPong(port, first, volume);
        assertTrue(log(volume).contains("know no replica: starting as master"), log(volume));
        Path replicaDir = dir();
        Process replica = new ProcessBuilder("redis-server", "--port", Integer.toString(replicaPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", replicaDir.toString(), "--replicaof", "127.0.0.1",
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(replicaDir.resolve("r.log").toFile()).start();
        started.add(replica);
        for (int i = 0; i < 50; i++) {
            cli(port, "SET", "k" + i, "v" + i);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!(cli(port, "WAIT", "1", "1000").equals("1")
                && RedisCli.fields(cli(sentinelPort, "SENTINEL", "MASTER", "pt").lines().toList()).get("num-slaves").equals("1"))) {
            assertTrue(System.nanoTime() < deadline, "the replica linked and the sentinel lists it");
            Thread.sleep(250);
        }
        // ten more writes the replica acknowledges but the master's files lack (a machine crash's lost second)
        assertEquals("OK", cli(port, "CONFIG", "SET", "appendonly", "no"));
        for (int i = 50; i < 60; i++) {
            cli(port, "SET", "k" + i, "v" + i);
        }
        assertEquals("1", cli(port, "WAIT", "1", "5000"));
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Process second = start("aof", port, volume, "localhost", "localhost", sentinelPort);
        awaitPong(port, second, volume);
        assertTrue(log(volume).contains("holding as a replica that feeds no one"), log(volume));
        String role = cli(port, "ROLE");
        assertTrue(role.startsWith("slave") && role.contains("127.0.0.1") && role.lines().skip(2).findFirst().orElse("").strip().equals("1"),
                "held on the placeholder: " + role);
        assertEquals("50", cli(port, "DBSIZE"), "it loaded its own files, which lack the last ten writes");
        Thread.sleep(3000);   // the replica tries to sync from it meanwhile, and is refused
        assertEquals("60", cli(replicaPort, "DBSIZE"), "the replica kept every acknowledged write");
        assertTrue(cli(replicaPort, "INFO", "replication").contains("master_link_status:down"));
    }

    @Test
    void anUnknownChoiceStopsTheTaskWithOneLine() throws Exception {
        Path volume = dir();
        Process p = start("disk", LocalTestBed.freePorts(1), volume);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue());
        assertTrue(log(volume).contains("RSC_PERSISTENCE must be none, aof or rdb, not 'disk'"), log(volume));
    }
}
