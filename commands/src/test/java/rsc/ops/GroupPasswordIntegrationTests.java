package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.backend.local.RedisBinary;
import rsc.model.Node;
import rsc.session.Outcome;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;
import rsc.testing.RedisCli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A group's password on the local backend. A sentinel stopped and started again from the config file it rewrote
 * itself (as after a reboot) comes back with it: Sentinel writes {@code sentinel auth-pass} unquoted, so only
 * passwords it can read back are taken (PasswordSourceUnitTests has the refused ones; this one has every other kind
 * of punctuation). A {@code --dry-run} plan shows what would be written and sent, secrets as {@code <secret>}, checks
 * what it can (a missing password file) and claims nothing untrue (a mode Sentinel changes, a signal destroy does
 * not send).
 */
@Tag("integration")
class GroupPasswordIntegrationTests {

    private static final String PASSWORD = "Pa$$-w0rd_#!%&*+=:;,.?@^~()[]{}<>|/`";
    private static LocalTestBed bed;
    private static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        bed = new LocalTestBed();
        passwordFile = bed.passwordFile(PASSWORD);
        bed.ok("create-master dry --port " + LocalTestBed.freePorts(10) + " --password-file " + passwordFile);
    }

    @AfterAll
    static void stop() throws Exception {
        bed.close();
    }

    private static String plan(String line) {
        Outcome o = bed.ok(line);
        String text = String.join("\n", RecordingInteraction.render(o.result()));
        assertTrue(text.contains("dry run: nothing was changed"), text);
        assertFalse(text.contains(PASSWORD), "no secret in a plan: " + text);
        return text;
    }

    @Test
    void plansShowTheAuthLinesRedacted() {
        String create = plan("create-master dry2 --dry-run --password-file " + passwordFile);
        assertTrue(create.contains("requirepass <secret>") && create.contains("masterauth <secret>"), create);
        String replicas = plan("scale slaves 1 --group dry --dry-run");
        assertTrue(replicas.contains("requirepass <secret>") && replicas.contains("masterauth <secret>"), replicas);
        String sentinels = plan("scale sentinels 1 --force --group dry --dry-run");
        assertTrue(sentinels.contains("requirepass <secret>") && sentinels.contains("sentinel auth-pass \"dry\" <secret>")
                && sentinels.contains("sentinel sentinel-pass <secret>"), sentinels);
        assertTrue(sentinels.contains("Sentinel rewrites it"), "the mode is not claimed for a file Sentinel rewrites: " + sentinels);
    }

    @Test
    void aMissingPasswordFileFailsTheDryRunToo() {
        Outcome o = bed.fails("create-master dry3 --dry-run --password-file /nonexistent");
        assertTrue(o.error().getMessage().contains("password file not found: /nonexistent"), o.error().getMessage());
        o = bed.fails("create-master dry3 --dry-run --password-file " + bed.stateDir().resolve("nope"));
        assertTrue(o.error().getMessage().contains("not found"), o.error().getMessage());
    }

    @Test
    void thePasswordIsInNoProcessArgumentEnvironmentOrLog() throws Exception {
        bed.ok("scale sentinels 1 --force --group dry");
        List<Node> nodes = bed.engine().session().backend().nodes("dry");
        assertEquals(2, nodes.size(), "the master and the sentinel: " + nodes);
        for (Node n : nodes) {
            String pid = n.detail().replace("pid ", "");
            for (String f : List.of("cmdline", "environ")) {
                String text = new String(Files.readAllBytes(Path.of("/proc", pid, f)));
                assertFalse(text.contains(PASSWORD), "/proc/" + pid + "/" + f);
            }
        }
        try (var files = Files.walk(bed.stateDir())) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".out")).toList()) {
                assertFalse(Files.readString(log).contains(PASSWORD), log.toString());
            }
        }
        assertFalse(String.join("\n", RecordingInteraction.render(bed.ok("status dry --json").result())).contains(PASSWORD));
        bed.ok("scale sentinels 0 --group dry");
    }

    @Test
    void destroysPlanSaysTheSignalItSends() {
        String destroy = plan("destroy dry --yes --dry-run");
        assertTrue(destroy.contains("kill -KILL"), destroy);
        assertFalse(destroy.contains("kill -TERM"), destroy);
    }

    @Test
    void aSentinelRestartedFromItsRewrittenConfigComesBackWithThePassword() throws Exception {
        int port = LocalTestBed.freePorts(10);
        bed.ok("create-master rst --port " + port + " --password-file " + passwordFile);
        bed.ok("scale sentinels 1 --port " + (port + 5) + " --force");
        Node sentinel = bed.engine().session().backend().nodes("rst").stream().filter(Node::isSentinel).findFirst().orElseThrow();
        Optional<String> pw = Optional.of(PASSWORD);
        assertEquals("OK", RedisCli.run(sentinel.reach(), pw, "SENTINEL", "FLUSHCONFIG"), "the sentinel rewrites its config now");
        Path config = bed.stateDir().resolve("rst").resolve(sentinel.name()).resolve("sentinel.conf");
        assertTrue(Files.exists(config), "the sentinel's config: " + config);
        assertTrue(Files.readString(config).contains("sentinel auth-pass rst " + PASSWORD), "rewritten unquoted, as Sentinel does");

        long pid = Long.parseLong(sentinel.detail().replace("pid ", ""));
        ProcessHandle old = ProcessHandle.of(pid).orElseThrow();
        old.destroy();
        old.onExit().orTimeout(10, TimeUnit.SECONDS).join();

        Process p = new ProcessBuilder(RedisBinary.locate(bed.stateDir()).toString(), config.toString(), "--sentinel")
                .directory(config.getParent().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "the sentinel starts again from its own config: " + out);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!RedisCli.run(sentinel.reach(), pw, "PING").equals("PONG")) {
            if (System.nanoTime() > deadline) {
                fail("the restarted sentinel does not answer with the group's password: " + RedisCli.run(sentinel.reach(), pw, "PING"));
            }
            Thread.sleep(100);
        }
        assertEquals(String.join("\n", "127.0.0.1", String.valueOf(port)),
                RedisCli.run(sentinel.reach(), pw, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "rst"));
        bed.ok("status rst");
        bed.ok("destroy rst --yes");
    }
}
