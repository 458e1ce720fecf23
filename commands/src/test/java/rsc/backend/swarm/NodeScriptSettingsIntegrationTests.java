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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Swarm node scripts' copying of the group's settings, run by {@code sh} against real redis-server processes on
 * this machine (no Swarm needed): a data node copies from its master what differs, never what each node owns; a
 * sentinel takes its peer's quorum, timings and parallel-syncs. The functions are cut from the very scripts rsc gives
 * its services; only the container's helpers (log, cli, validation) are stood in for.
 */
@Tag("integration")
class NodeScriptSettingsIntegrationTests {

    private static final String HELPERS = """
            set -u
            ME=test; G=tg; CR=$(printf '\r')
            log() { echo "rsc-node $ME: $*"; }
            die() { echo "die: $*"; exit 1; }
            valid_name() { case "$1" in ''|-*|.*|*[!A-Za-z0-9._-]*) return 1 ;; esac; return 0; }
            valid_port() { case "$1" in ''|*[!0-9]*) return 1 ;; esac; [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
            valid_number() { case "$1" in ''|*[!0-9]*) return 1 ;; esac; return 0; }
            cli() { h="$1"; p="$2"; shift 2; timeout 2 redis-cli --raw -h "$h" -p "$p" "$@" 2>/dev/null; }
            """;

    private final List<Process> started = new ArrayList<>();
    private Path dir;

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Endpoint redis(int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir().toString(), "--dbfilename", port + ".rdb"));
        cmd.addAll(List.of(args));
        return start(cmd, port);
    }

    private Endpoint start(List<String> cmd, int port) throws Exception {
        return start(cmd, port, Optional.empty());
    }

    private Endpoint start(List<String> cmd, int port, Optional<String> password) throws Exception {
        started.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir().resolve(port + ".log").toFile()).start());
        Endpoint e = new Endpoint("127.0.0.1", port);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"PONG".equals(RedisCli.run(e, password, "PING"))) {
            assertTrue(System.nanoTime() < deadline, "redis-server on " + port + " did not start (install redis-server)");
            Thread.sleep(50);
        }
        return e;
    }

    private Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("rsc-script-");
        }
        return dir;
    }

    private static String cut(String script, String from, String to) {
        int a = script.indexOf(from);
        int b = script.indexOf(to, a);
        assertTrue(a >= 0 && b > a, from + " … " + to + " in the script");
        return script.substring(a, b);
    }

    private static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sh timed out: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static String get(Endpoint e, String param) {
        return RedisCli.run(e, Optional.empty(), "CONFIG", "GET", param).lines().skip(1).findFirst().orElse("");
    }

    @Test
    void aDataNodeCopiesWhatDiffersFromItsMasterButNeverWhatEachNodeOwns() throws Exception {
        int base = LocalTestBed.freePorts(2);
        Endpoint master = redis(base);
        Endpoint me = redis(base + 1, "--replicaof", "127.0.0.1", Integer.toString(base));
        for (String[] kv : List.of(new String[]{"maxmemory", "64mb"}, new String[]{"notify-keyspace-events", "KEA"},
                new String[]{"client-output-buffer-limit", "pubsub 1mb 512kb 30"}, new String[]{"min-replicas-to-write", "10001"},
                new String[]{"min-replicas-max-lag", "10"}, new String[]{"replica-priority", "7"})) {
            assertEquals("OK", RedisCli.run(master, Optional.empty(), "CONFIG", "SET", kv[0], kv[1]));
        }
        String functions = cut(NodeScripts.redis(), "OWN_PARAMS=", "# Background: while held");
        String out = sh(HELPERS + "PORT=" + me.port() + "\n" + functions + "\nsettings_when_up 127.0.0.1 " + master.port() + "\n");
        String line = out.lines().filter(l -> l.contains("copied from the master 127.0.0.1:" + master.port() + ":"))
                .findFirst().orElseThrow(() -> new AssertionError("no copy logged: " + out));
        assertEquals(java.util.Set.of("maxmemory", "notify-keyspace-events", "client-output-buffer-limit"),
                java.util.Set.of(line.substring(line.lastIndexOf(':') + 1).trim().split(" ")),
                "exactly what was set on the master, nothing each node owns: " + line);
        assertEquals("67108864", get(me, "maxmemory"));
        assertEquals(get(master, "notify-keyspace-events"), get(me, "notify-keyspace-events"));
        assertTrue(get(me, "client-output-buffer-limit").contains("pubsub 1048576 524288 30"), get(me, "client-output-buffer-limit"));
        // owned: the write fence, the priority, the port and the node's own files stay its own
        assertEquals("0", get(me, "min-replicas-to-write"));
        assertEquals("100", get(me, "replica-priority"));
        assertEquals(Integer.toString(me.port()), get(me, "port"));
        assertEquals(me.port() + ".rdb", get(me, "dbfilename"));
        // a second run finds nothing to copy
        String again = sh(HELPERS + "PORT=" + me.port() + "\n" + functions + "\ncopy_settings 127.0.0.1 " + master.port() + "\n");
        assertTrue(!again.contains("copied"), again);
    }

    @Test
    void aSentinelTakesItsPeersQuorumTimingsAndParallelSyncs() throws Exception {
        int base = LocalTestBed.freePorts(2);
        Endpoint master = redis(base);
        Path conf = dir().resolve("sentinel.conf");
        Files.writeString(conf, "port " + (base + 1) + "\nbind 127.0.0.1\ndir " + dir() + "\n"
                + "sentinel monitor tg 127.0.0.1 " + master.port() + " 1\n"
                + "sentinel down-after-milliseconds tg 2345\nsentinel failover-timeout tg 23456\nsentinel parallel-syncs tg 3\n");
        start(List.of("redis-server", conf.toString(), "--sentinel"), base + 1);
        String head = cut(NodeScripts.sentinel(), "Q=\"${RSC_QUORUM", "umask 077");
        String out = sh(HELPERS + "PORT=" + (base + 1) + "\nRSC_MASTER=nowhere:1\nRSC_QUORUM=2\nRSC_DOWN_AFTER=5000\n"
                + "sentinel_addrs() { echo 127.0.0.1; }\n" + head + "\necho \"Q=$Q DA=$DA FT=$FT PS=$PS MASTER=$MH:$MP\"\n");
        assertTrue(out.contains("Q=1 DA=2345 FT=23456 PS=3 MASTER=127.0.0.1:" + master.port()), out);
    }

    /**
     * Every sentinel restarting at once (a single-node swarm's rolling restart once did; a machine holding all of them
     * rebooting does): no peer answers, and the first master of the service spec may be a replica by now. A sentinel
     * that monitored it came up naming a replica as master, and they failed over away from the real master. It now
     * follows the first master's own link to the master it replicates from.
     */
    @Test
    void aSentinelWithNoPeerFollowsTheFirstMastersLinkToTheMasterNow() throws Exception {
        int base = LocalTestBed.freePorts(3);
        Endpoint now = redis(base);
        Endpoint first = redis(base + 1, "--replicaof", "127.0.0.1", Integer.toString(base));
        String head = cut(NodeScripts.sentinel(), "Q=\"${RSC_QUORUM", "umask 077");
        String vars = HELPERS + "PORT=" + (base + 2) + "\nRSC_QUORUM=2\nRSC_DOWN_AFTER=5000\n"
                + "sentinel_addrs() { echo 127.0.0.1; }\n";   // no sentinel listens there: no peer answers
        String out = sh(vars + "RSC_MASTER=127.0.0.1:" + first.port() + "\n" + head + "\necho \"MASTER=$MH:$MP\"\n");
        assertTrue(out.contains("MASTER=127.0.0.1:" + now.port()), out);
        assertTrue(out.contains("replicates from 127.0.0.1:" + now.port()), out);
        // the first master still a master (or not answering): it is what the sentinel monitors
        out = sh(vars + "RSC_MASTER=127.0.0.1:" + now.port() + "\n" + head + "\necho \"MASTER=$MH:$MP\"\n");
        assertTrue(out.contains("MASTER=127.0.0.1:" + now.port()), out);
        out = sh(vars + "RSC_MASTER=127.0.0.1:" + (base + 2) + "\n" + head + "\necho \"MASTER=$MH:$MP\"\n");
        assertTrue(out.contains("MASTER=127.0.0.1:" + (base + 2)), out);
    }

    /**
     * Issue 15: on Swarm a node restarted during a password rotation mounts only the new password, and refused the old
     * one until rsc added it back (about a second). It now takes, before it starts, the passwords the sentinels let
     * in (as hashes), so a client still on the old password is let in from the node's first answer.
     */
    @Test
    void aNodeStartedDuringARotationLetsInWhatTheSentinelsLetIn() throws Exception {
        int base = LocalTestBed.freePorts(3);
        Endpoint master = redis(base);
        Path conf = dir().resolve("sentinel-rot.conf");
        Files.writeString(conf, "port " + (base + 1) + "\nbind 127.0.0.1\ndir " + dir() + "\nrequirepass \"new-pw\"\n"
                + "sentinel monitor tg 127.0.0.1 " + master.port() + " 1\n");
        Endpoint sentinel = start(List.of("redis-server", conf.toString(), "--sentinel"), base + 1, Optional.of("new-pw"));
        String function = cut(NodeScripts.redis(), "window_passwords_line() {", "# The sentinels' addresses");
        String run = HELPERS + "PW=new-pw\nexport REDISCLI_AUTH=new-pw\nSENTINEL_PORT=" + sentinel.port() + "\nsentinel_addrs() { echo 127.0.0.1; }\n"
                + function + "\nwindow_passwords_line\n";
        // outside a rotation: the sentinels let in one password, the node's own: nothing to add
        assertEquals("", sh(run).strip(), "no line outside a rotation");
        // the window is open: the sentinels let in the old password beside the new one
        assertEquals("OK", RedisCli.run(sentinel, Optional.of("new-pw"), "ACL", "SETUSER", "default", ">old-pw"));
        String out = sh(run);
        String line = out.lines().filter(l -> l.startsWith("user default on")).findFirst()
                .orElseThrow(() -> new AssertionError("no user line: " + out));
        assertTrue(!line.contains("old-pw"), "the old password itself is never written: " + line);
        Path nodeConf = dir().resolve("node-rot.conf");
        Files.writeString(nodeConf, "requirepass \"new-pw\"\n" + line + "\n");
        Endpoint node = start(List.of("redis-server", nodeConf.toString(), "--port", Integer.toString(base + 2), "--bind",
                "127.0.0.1", "--save", "", "--dir", dir().toString()), base + 2, Optional.of("new-pw"));
        assertEquals("PONG", RedisCli.run(node, Optional.of("old-pw"), "PING"), "the old password is let in from the start");
        assertEquals("PONG", RedisCli.run(node, Optional.of("new-pw"), "PING"));
        assertTrue(RedisCli.run(node, Optional.of("other-pw"), "PING").contains("WRONGPASS")
                || RedisCli.run(node, Optional.of("other-pw"), "PING").contains("NOAUTH"), "any other password is refused");
    }
}
