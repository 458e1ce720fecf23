package rsc.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import rsc.backend.Progress;
import rsc.error.CancelledException;
import rsc.model.Node;
import rsc.model.Secret;
import rsc.session.Outcome;
import rsc.testing.LocalTestBed;
import rsc.testing.RecordingInteraction;
import rsc.testing.RedisCli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rotate-password} on the local backend against real Redis and Sentinel: a client that authenticated with the
 * old password before the rotation keeps working through the window, a fresh connection with the old one works until
 * the window closes and is refused after, the new one works from the window's start; replicas stay linked and the
 * sentinels keep their quorum throughout and can still fail over after; a node restarted after the rotation comes back
 * with the new password. The run is interrupted twice (after opening the window, after rsc switched) and finished by
 * the next one. Passwords carry the punctuation Sentinel and {@code CONFIG REWRITE} must write back readably.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PasswordRotationIntegrationTests {

    private static final String OLD = "0ld-Pa$$_#!%&*+=:;,.?@^~()[]{}<>|/`";
    private static final String NEW = "N3w-<Pa$$>_#!%&*+=:;,.?@^~()[]{}|/`";
    private static final String G = "rot1";
    private static LocalTestBed bed;
    private static Path oldFile;
    private static Path newFile;

    @BeforeAll
    static void start() throws Exception {
        bed = new LocalTestBed();
        oldFile = bed.passwordFile(OLD);
        newFile = bed.passwordFile(NEW);
        int port = LocalTestBed.freePorts(20);
        bed.ok("create-master " + G + " --port " + port + " --password-file " + oldFile);
        bed.ok("scale slaves 2 --group " + G + " --port " + (port + 1));
        bed.ok("scale sentinels 3 --group " + G + " --port " + (port + 10) + " --down-after 2000 --failover-timeout 10000");
    }

    @AfterAll
    static void stop() throws Exception {
        bed.close();
    }

    private static List<Node> nodes() {
        return bed.engine().session().backend().nodes(G);
    }

    private static boolean accepts(Node n, String password) {
        return RedisCli.run(n.reach(), Optional.of(password), "PING").equals("PONG");
    }

    private static void assertEveryNode(String password, boolean accepted, String when) {
        for (Node n : nodes()) {
            assertEquals(accepted, accepts(n, password), n.name() + " " + when + ": a fresh connection with the "
                    + (password.equals(OLD) ? "old" : "new") + " password " + (accepted ? "must work" : "must be refused"));
        }
    }

    /** Every replica linked to the master, and every sentinel's CKQUORUM OK, asked with {@code password}. */
    private static void assertHealthy(String password, String when) {
        for (Node n : nodes()) {
            if (n.isSentinel()) {
                String ck = RedisCli.run(n.reach(), Optional.of(password), "SENTINEL", "CKQUORUM", G);
                assertTrue(ck.startsWith("OK"), n.name() + " " + when + ": " + ck);
            } else {
                String info = RedisCli.run(n.reach(), Optional.of(password), "INFO", "replication");
                assertTrue(info.contains("role:master") || info.contains("master_link_status:up"), n.name() + " " + when + ": " + info);
            }
        }
    }

    @Test
    @Order(1)
    void oldAndNewBothWorkInTheWindowThenOnlyTheNewAndAnInterruptedRunIsFinished() throws Exception {
        Node master = nodes().stream().filter(Node::isRedis).findFirst().orElseThrow();
        try (OldClient client = new OldClient(master, OLD)) {
            PasswordRotation.Request stopOpen = new PasswordRotation.Request(Optional.of(newFile),
                    Optional.of(PasswordRotation.Step.OPEN));
            CancelledException e = assertThrows(CancelledException.class,
                    () -> PasswordRotation.run(bed.engine().session(), G, stopOpen, Progress.NONE));
            assertTrue(e.getMessage().contains("the new password works beside the old") && e.getMessage().contains("rotate-password " + G),
                    e.getMessage());
            assertFalse(e.getMessage().contains(NEW) || e.getMessage().contains(OLD));
            assertEveryNode(OLD, true, "in the window");
            assertEveryNode(NEW, true, "in the window");
            assertEquals("+PONG", client.ping(), "a client authenticated with the old password before the window");
            assertHealthy(NEW, "in the window");
            assertEquals(new Secret(OLD), bed.engine().session().passwords().of(G).orElseThrow(), "rsc still uses the old one");

            // a second run, stopped once the new password is kept: it goes on with the new password it was begun with
            PasswordRotation.Request stopSwitch = new PasswordRotation.Request(Optional.empty(),
                    Optional.of(PasswordRotation.Step.KEEP));
            assertThrows(CancelledException.class, () -> PasswordRotation.run(bed.engine().session(), G, stopSwitch, Progress.NONE));
            assertEquals(new Secret(NEW), bed.engine().session().passwords().of(G).orElseThrow(), "rsc uses the new one");
            assertEveryNode(OLD, true, "before the window closes");
            assertEquals("+PONG", client.ping(), "the old client, before the window closes");
            bed.ok("status " + G);

            Outcome done = bed.ok("rotate-password " + G);
            String text = String.join("\n", RecordingInteraction.render(done.result()));
            assertTrue(text.contains("finishing the rotation begun earlier"), text);
            assertFalse(text.contains(NEW) || text.contains(OLD), text);
        }
        assertEveryNode(OLD, false, "after the rotation");
        assertEveryNode(NEW, true, "after the rotation");
        assertHealthy(NEW, "after the rotation");
        assertFalse(Files.exists(bed.stateDir().resolve(".secrets/.rotating").resolve(G)), "the rotation's record is gone");
        assertTrue(bed.fails("rotate-password " + G + " --password-file " + newFile).error().getMessage()
                .contains("the one '" + G + "' has now"));

        // restarted nodes come back with the new password only: a replica and a sentinel, killed and started again
        for (Node n : List.of(node("redis-3"), node("sentinel-2"))) {
            bed.ok("kill " + n.name() + " --signal KILL");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (node(n.name().substring(G.length() + 1)).state().running()) {   // SIGKILL is sent, not yet done
                assertTrue(System.nanoTime() < deadline, n.name() + " still runs 10 s after SIGKILL");
                Thread.sleep(50);
            }
            // the process is gone a moment before the kernel frees its port: 'start' refuses until then
            while (bed.engine().execute("start " + n.name()).error() != null) {
                assertTrue(System.nanoTime() < deadline, "'start " + n.name() + "' refused for 10 s after SIGKILL");
                Thread.sleep(100);
            }
            assertTrue(accepts(node(n.name().substring(G.length() + 1)), NEW), n.name() + " restarted takes the new password");
            assertFalse(accepts(n, OLD), n.name() + " restarted refuses the old password");
        }
        bed.ok("wait replicas 2 --group " + G + " --timeout 30s");
        bed.ok("wait sentinels 3 --group " + G + " --timeout 30s");
        // the sentinels authenticate with the new password to the nodes and to each other: they can still fail over
        Outcome f = bed.ok("failover " + G);
        assertTrue(RecordingInteraction.render(f.result()).toString().contains("->"), f.toString());
        bed.ok("wait agreement --group " + G + " --timeout 30s");
        bed.ok("wait replicas 2 --group " + G + " --timeout 30s");
        assertHealthy(NEW, "after a failover");
        bed.ok("expect doctor clean");
    }

    private static Node node(String suffix) {
        return nodes().stream().filter(n -> n.name().equals(G + "-" + suffix)).findFirst().orElseThrow();
    }

    /** Ctrl-C interrupts the command's thread (as the console does) while it gives the new password to the nodes. */
    @Test
    @Order(2)
    void ctrlCLeavesAStatedStateAndTheNextRunFinishes() throws Exception {
        String before = bed.engine().session().passwords().of(G).orElseThrow().reveal();
        String third = "Th1rd-pw_after-a-Ctrl-C";
        PasswordRotation.Request req = new PasswordRotation.Request(Optional.of(bed.passwordFile(third)), Optional.empty());
        Progress ctrlC = line -> {
            if (line.contains("accepts the new password beside the old (2/")) {
                Thread.currentThread().interrupt();
            }
        };
        CancelledException e = assertThrows(CancelledException.class,
                () -> PasswordRotation.run(bed.engine().session(), G, req, ctrlC));
        assertTrue(e.getMessage().startsWith("cancelled: some nodes may already accept the new password beside the old; "
                + "the old one works everywhere and rsc still uses it; 'rotate-password " + G + "' finishes"), e.getMessage());
        assertFalse(Thread.currentThread().isInterrupted());
        assertEveryNode(before, true, "after Ctrl-C");
        assertEquals(before, bed.engine().session().passwords().of(G).orElseThrow().reveal(), "rsc still uses the old one");
        assertTrue(accepts(node("redis-1"), third), "the node done before Ctrl-C takes the new one");
        assertTrue(bed.fails("rotate-password " + G + " --password-file " + bed.passwordFile("yet-another-1")).error()
                .getMessage().contains("without --password-file finishes it first"));

        // an application writing throughout (WAIT 1 after each write): nothing fails, nothing acknowledged is lost
        List<rsc.model.Endpoint> sentinels = nodes().stream().filter(Node::isSentinel).map(Node::announced).toList();
        rsc.redis.FollowingWriter writer = bed.engine().session().redis().followingWriter(G, sentinels, "rot:w:", 100,
                java.time.Duration.ofSeconds(3), 1).start();
        Thread.sleep(500);
        PasswordRotation.run(bed.engine().session(), G, new PasswordRotation.Request(Optional.empty(), Optional.empty()), Progress.NONE);
        Thread.sleep(500);
        List<rsc.redis.FollowingWriter.Write> writes = writer.stop();
        rsc.redis.FollowingWriter.Tally tally = rsc.redis.FollowingWriter.tally(writes);
        int lost = writer.lost(writes, false);
        writer.close();
        System.out.println("ROTATION writes during the finishing run: " + tally + ", lost " + lost);
        assertTrue(tally.acknowledged() > 20 && tally.failed() == 0 && lost == 0, tally + ", lost " + lost);
        assertEveryNode(before, false, "after the rotation");
        assertEveryNode(third, true, "after the rotation");
        assertHealthy(third, "after the rotation");
    }

    @Test
    @Order(3)
    void aDryRunShowsThePlanAndChangesNothing() throws Exception {
        String current = bed.engine().session().passwords().of(G).orElseThrow().reveal();
        Outcome o = bed.ok("rotate-password " + G + " --dry-run --password-file " + bed.passwordFile("Dry-run-only-1"));
        String text = String.join("\n", RecordingInteraction.render(o.result()));
        assertTrue(text.contains("dry run: nothing was changed") && text.contains("ACL SETUSER default ><new secret>")
                && text.contains("SENTINEL CONFIG SET sentinel-pass <new secret>") && text.contains("CONFIG REWRITE"), text);
        assertFalse(text.contains(OLD) || text.contains(NEW), text);
        assertEquals(current, bed.engine().session().passwords().of(G).orElseThrow().reveal(), "nothing changed");
        assertFalse(accepts(node("redis-1"), "Dry-run-only-1"), "the dry run's password was given to no node");
    }

    @Test
    @Order(4)
    void badInputIsOneLineAndChangesNothing() throws Exception {
        String current = bed.engine().session().passwords().of(G).orElseThrow().reveal();
        assertEquals("password file not found: /nonexistent",
                bed.fails("rotate-password " + G + " --password-file /nonexistent").error().getMessage());
        String blank = bed.fails("rotate-password " + G + " --password-file " + bed.passwordFile("two words")).error().getMessage();
        assertTrue(blank.contains("has a blank") && !blank.contains("\n"), blank);
        assertTrue(bed.fails("rotate-password nosuch").error().getMessage().startsWith("unknown group 'nosuch'"));
        assertTrue(bed.fails("rotate-password " + G + " --bogus").error().getMessage().contains("bogus"));
        assertEquals(current, bed.engine().session().passwords().of(G).orElseThrow().reveal(), "nothing changed");
        assertFalse(Files.exists(bed.stateDir().resolve(".secrets/.rotating").resolve(G)));
    }

    /** A client that authenticated once, before the rotation, and keeps its connection. */
    private static final class OldClient implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        OldClient(Node n, String password) throws Exception {
            socket = new Socket(n.reach().host(), n.reach().port());
            socket.setSoTimeout(5000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            byte[] pw = password.getBytes(StandardCharsets.UTF_8);
            out.write(("*2\r\n$4\r\nAUTH\r\n$" + pw.length + "\r\n" + password + "\r\n").getBytes(StandardCharsets.UTF_8));
            assertEquals("+OK", in.readLine());
        }

        String ping() throws Exception {
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.UTF_8));
            return in.readLine();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
